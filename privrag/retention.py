"""Retention policies and deletion receipts.

A ``RetentionPolicy`` decides a document's expiry at ingest (per-document override, else the
tenant's per-classification days, else the tenant default, else the deployment default).

Every deletion privrag performs (single delete, retention sweep, erasure by subject, tenant
offboarding) leaves a **receipt**: which opaque document ids, how many chunks, when, why, and
which trained models must be retrained. Receipts are canonical JSON, signed with the deployment's
Ed25519 key and hash-chained (each names the hash of the one before), appended to
``<data-dir>/receipts/receipts.jsonl``. ``verify`` detects any edited, removed, reordered or
forged line. Receipts never hold a document's text, id or any detected value.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from privrag.crypto import Signer
from privrag.errors import InvalidInput
from privrag.models import CLASSIFICATIONS

GENESIS = "0" * 64
DAY = 86_400


@dataclass(frozen=True)
class RetentionPolicy:
    """Days to keep documents, per tenant: a default and per-classification overrides."""

    default_days: int | None = None
    by_class: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        days = [self.default_days, *self.by_class.values()]
        if any(
            d is not None and (isinstance(d, bool) or not isinstance(d, int) or d < 1) for d in days
        ):
            raise InvalidInput("retention days must be positive whole numbers")
        unknown = set(self.by_class) - set(CLASSIFICATIONS)
        if unknown:
            raise InvalidInput(f"unknown classifications in retention policy: {sorted(unknown)}")

    def days_for(self, classification: str) -> int | None:
        return self.by_class.get(classification, self.default_days)

    def to_dict(self) -> dict[str, Any]:
        return {"default_days": self.default_days, "by_class": dict(sorted(self.by_class.items()))}

    @classmethod
    def from_dict(cls, value: dict[str, Any] | None) -> RetentionPolicy:
        value = value or {}
        return cls(
            default_days=value.get("default_days"), by_class=dict(value.get("by_class") or {})
        )


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    receipts: int
    problem: str = ""


class ReceiptLog:
    """Append-only, hash-chained, signed receipt log (one JSON object per line)."""

    def __init__(self, path: Path, signer: Signer) -> None:
        self.path = path
        self._signer = signer
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        public = path.parent / "signing-key.pub.pem"
        if not public.exists():
            public.write_text(signer.public_key_pem())

    def _lines(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def find(self, receipt_id: str) -> dict[str, Any] | None:
        for line in self._lines():
            if line.get("receipt", {}).get("receipt_id") == receipt_id:
                return dict(line["receipt"])
        return None

    def append(self, receipt: dict[str, Any]) -> dict[str, Any]:
        """Chain, sign and append ``receipt``; idempotent on ``receipt_id`` (a rerun after a
        crash between append and bookkeeping does not write it twice)."""
        with self._lock:
            existing = self.find(receipt["receipt_id"])
            if existing is not None:
                return existing
            lines = self._lines()
            chained = {**receipt, "prev": lines[-1]["hash"] if lines else GENESIS}
            body = canonical(chained)
            line = {
                "receipt": chained,
                "hash": hashlib.sha256(body).hexdigest(),
                "signature": base64.b64encode(self._signer.sign(body)).decode(),
            }
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a") as fh:
                fh.write(json.dumps(line, sort_keys=True) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            return chained

    def verify(self) -> VerifyReport:
        try:
            lines = self._lines()
        except (json.JSONDecodeError, OSError) as exc:
            return VerifyReport(False, 0, f"receipt log is not readable JSON lines: {exc}")
        prev = GENESIS
        for number, line in enumerate(lines, start=1):
            receipt = line.get("receipt")
            if not isinstance(receipt, dict):
                return VerifyReport(False, number - 1, f"line {number}: no receipt")
            body = canonical(receipt)
            if hashlib.sha256(body).hexdigest() != line.get("hash"):
                return VerifyReport(
                    False, number - 1, f"line {number}: content does not match its hash"
                )
            if receipt.get("prev") != prev:
                return VerifyReport(
                    False, number - 1, f"line {number}: chain broken (line removed or reordered)"
                )
            try:
                signature = base64.b64decode(line.get("signature", ""))
            except ValueError:
                signature = b""
            if not self._signer.verify(body, signature):
                return VerifyReport(False, number - 1, f"line {number}: signature does not verify")
            prev = line["hash"]
        return VerifyReport(True, len(lines))
