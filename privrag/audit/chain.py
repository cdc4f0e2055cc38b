"""The one hash chain behind the audit log and the deletion receipts.

A chain is a sequence of JSON objects ("bodies"), each naming the hash of the one before in
``prev`` (``GENESIS`` for the first); a body's hash is SHA-256 of its canonical JSON. Editing,
removing or reordering any body breaks the chain from there on. What a chain cannot show (a
truncated tail, a wholesale rewrite) is closed by its owner: the audit log's head file, the
receipts' signatures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    """Sorted keys, no spaces, ASCII only, no NaN: one byte string per value."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode()


def digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(body)).hexdigest()


@dataclass(frozen=True)
class VerifyReport:
    """A chain check: ``count`` bodies read; else the first problem and its 1-based line."""

    ok: bool
    count: int
    problem: str | None = None
    line: int | None = None


class Cursor:
    """Walks a chain one body at a time; ``prev`` is the hash the next body must name."""

    def __init__(self) -> None:
        self.prev = GENESIS

    def link(self, body: dict[str, Any]) -> dict[str, Any]:
        """``body`` chained after the last one: with ``prev`` set (``hash`` is its digest)."""
        chained = {**body, "prev": self.prev}
        self.prev = digest(chained)
        return chained

    def step(self, body: dict[str, Any], claimed: object) -> str | None:
        """Check the next body and its claimed hash; what is wrong, or None (and advance)."""
        if body.get("prev") != self.prev:
            return "chain broken (line removed or moved)"
        if claimed != digest(body):
            return "content does not match its hash"
        self.prev = str(claimed)
        return None
