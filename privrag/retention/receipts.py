"""Deletion receipts: signed, hash-chained proof of every deletion.

Every deletion privrag performs (single delete, retention sweep, erasure by subject, tenant
offboarding) leaves a **receipt**: which opaque document ids, how many chunks, when, why, and
which trained models must be retrained. Receipts are canonical JSON, signed with the deployment's
Ed25519 key and hash-chained (each names the hash of the one before), appended to
``<data-dir>/receipts/receipts.jsonl``. ``verify`` detects any edited, removed, reordered or
forged line. Receipts never hold a document's text, id or any detected value.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from pathlib import Path
from typing import Any

from privrag.audit.chain import GENESIS, Cursor, VerifyReport, canonical
from privrag.crypto import Signer


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

    def entries(self) -> list[dict[str, Any]]:
        """Every line as written: ``{"receipt", "hash", "signature"}``."""
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def find(self, receipt_id: str) -> dict[str, Any] | None:
        for line in self.entries():
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
            lines = self.entries()
            cursor = Cursor()
            cursor.prev = lines[-1]["hash"] if lines else GENESIS
            chained = cursor.link(receipt)
            line = {
                "receipt": chained,
                "hash": cursor.prev,
                "signature": base64.b64encode(self._signer.sign(canonical(chained))).decode(),
            }
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a") as fh:
                fh.write(json.dumps(line, sort_keys=True) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            return chained

    def verify(self) -> VerifyReport:
        """Every line chained, hashed as it claims and signed by the deployment key."""
        try:
            lines = self.entries()
        except (json.JSONDecodeError, OSError) as exc:
            return VerifyReport(False, 0, f"receipt log is not readable JSON lines: {exc}")
        cursor = Cursor()
        for number, line in enumerate(lines, start=1):
            receipt = line.get("receipt")
            if not isinstance(receipt, dict):
                return VerifyReport(False, number - 1, f"line {number}: no receipt", number)
            problem = cursor.step(receipt, line.get("hash"))
            if problem is not None:
                return VerifyReport(False, number - 1, f"line {number}: {problem}", number)
            try:
                signature = base64.b64decode(line.get("signature", ""))
            except ValueError:
                signature = b""
            if not self._signer.verify(canonical(receipt), signature):
                return VerifyReport(
                    False, number - 1, f"line {number}: signature does not verify", number
                )
        return VerifyReport(True, len(lines))
