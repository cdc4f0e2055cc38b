"""Hash-chained, append-only audit log: one canonical JSON object per line.

Each line carries ``seq`` (1, 2, ...), ``prev`` (the previous line's hash; 64 zeros for the
first) and ``hash`` = SHA-256 of the line's canonical JSON without ``hash``. Editing, removing or
reordering any line breaks the chain; removing lines at the end is caught by the head file
(``audit.head``: the last seq and hash), replaced atomically after each append. Callers put no raw
text here: ids, counts, statuses and keyed hashes only. Each line is written with one ``write``
and fsynced before ``append`` returns (``fsync=False`` trades that for speed). Commits are
grouped: lines written while an fsync runs wait for the next one, which covers them all, so
concurrent requests share one fsync instead of queueing for one each, and no caller waits longer
than two fsyncs. The head file is replaced once per group, not fsynced, so after a power loss it
may trail the log, which ``verify`` accepts as long as the line it names is intact.

The chain itself is unkeyed, so the head is signed with the deployment's Ed25519 key: removing
lines, re-chaining the rest and rewriting the head no longer verifies without the private key
(kept outside the data dir, sealed under the master key). What a signed head cannot show is a
rollback to an older log together with its older signed head; ship lines to write-once storage
for that threat.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from privrag.audit.chain import GENESIS, Cursor, VerifyReport, canonical
from privrag.errors import StoreUnavailable
from privrag.files import write_atomic


def head_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".jsonl") + ".head")


class HeadSigner(Protocol):
    def sign(self, message: bytes) -> bytes: ...


def head_message(seq: int, digest: str) -> bytes:
    """What the head's signature covers."""
    return canonical({"audit-head": 1, "hash": digest, "seq": seq})


class AuditLog:
    """Thread-safe appender; one instance per log file (the data dir lock makes it one)."""

    def __init__(
        self,
        path: Path,
        *,
        fsync: bool = True,
        clock: Callable[[], float] = time.time,
        signer: HeadSigner | None = None,
    ) -> None:
        self.path = path
        self._fsync = fsync
        self._signer = signer
        self._clock = clock
        self._lock = threading.Lock()  # orders lines: seq, prev and the write
        self._synced = threading.Condition()  # guards the group-commit state below
        self._durable = 0  # the last seq an fsync covered
        self._syncing = False
        self._failed: tuple[int, OSError] | None = None  # the last group that failed, if any
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._seq, self._prev = _tail(path)
            self._durable = self._seq
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreUnavailable("cannot open the audit log") from exc

    def append(self, event: dict[str, Any]) -> dict[str, Any]:
        """Append one event (reserved keys ``seq``, ``prev``, ``hash``, ``time`` are set here);
        returns once the line is on disk."""
        with self._lock:
            cursor = Cursor()
            cursor.prev = self._prev
            record = cursor.link({**event, "time": round(self._clock(), 3), "seq": self._seq + 1})
            record["hash"] = cursor.prev
            try:
                os.write(self._fd, canonical(record) + b"\n")
                if not self._fsync:
                    _write_head(self.path, record["seq"], record["hash"], self._signer)
            except OSError as exc:
                raise StoreUnavailable("cannot write the audit log") from exc
            self._seq, self._prev = record["seq"], record["hash"]
        if self._fsync:
            self._commit(record["seq"])
        return record

    def _commit(self, seq: int) -> None:
        """Return once an fsync that started after line ``seq`` was written has finished: the
        first waiter runs it for every line written so far, the others wait on it."""
        with self._synced:
            while self._durable < seq:
                if self._failed is not None and self._failed[0] >= seq:
                    raise StoreUnavailable("cannot write the audit log") from self._failed[1]
                if self._syncing:
                    self._synced.wait()
                    continue
                self._syncing = True
                with self._lock:
                    upto, digest = self._seq, self._prev
                self._synced.release()
                try:
                    os.fsync(self._fd)
                    _write_head(self.path, upto, digest, self._signer)
                    error = None
                except OSError as exc:
                    error = exc
                finally:
                    self._synced.acquire()
                    self._syncing = False
                    self._synced.notify_all()
                if error is not None:
                    self._failed = (upto, error)
                else:
                    self._durable = max(self._durable, upto)

    def close(self) -> None:
        with self._synced:
            while self._syncing:
                self._synced.wait()
            with self._lock:
                if self._fd >= 0:
                    os.close(self._fd)
                    self._fd = -1


def _tail(path: Path) -> tuple[int, str]:
    if not path.exists() or path.stat().st_size == 0:
        return 0, GENESIS
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 65536))
        lines = [line for line in fh.read().splitlines() if line.strip()]
    last = json.loads(lines[-1])
    return int(last["seq"]), str(last["hash"])


def _write_head(path: Path, seq: int, digest: str, signer: HeadSigner | None) -> None:
    head: dict[str, Any] = {"seq": seq, "hash": digest}
    if signer is not None:
        head["sig"] = base64.b64encode(signer.sign(head_message(seq, digest))).decode()
    write_atomic(head_path(path), json.dumps(head).encode(), durable=False)


def verify(
    path: Path, *, check_signature: Callable[[bytes, bytes], bool] | None = None
) -> VerifyReport:
    """Walk the chain; report the first broken line (1-based) or a truncated tail. With
    ``check_signature(message, signature)`` the head must carry a valid signature too."""
    if not path.exists():
        return VerifyReport(False, 0, "no audit log at that path")
    head = head_path(path)
    head_seq, head_hash = 0, GENESIS
    if head.exists():
        try:
            anchor = json.loads(head.read_text())
            head_seq, head_hash = int(anchor["seq"]), str(anchor["hash"])
            signature = base64.b64decode(anchor.get("sig", ""), validate=True)
        except (ValueError, KeyError, TypeError, binascii.Error):
            return VerifyReport(False, 0, "audit head is unreadable")
        if check_signature is not None and not check_signature(
            head_message(head_seq, head_hash), signature
        ):
            return VerifyReport(False, 0, "audit head signature is missing or invalid")
    cursor, seq, count, seen_head = Cursor(), 0, 0, GENESIS
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            count = number
            try:
                record = json.loads(raw)
            except ValueError:
                return VerifyReport(False, count, "line is not valid JSON", number)
            if not isinstance(record, dict):
                return VerifyReport(False, count, "line is not an object", number)
            if record.get("seq") != seq + 1:
                return VerifyReport(False, count, "chain broken (line removed or moved)", number)
            body = {k: v for k, v in record.items() if k != "hash"}
            problem = cursor.step(body, record.get("hash"))
            if problem is not None:
                return VerifyReport(False, count, problem, number)
            seq = record["seq"]
            if seq == head_seq:
                seen_head = cursor.prev
    if count and not head.exists():
        return VerifyReport(False, count, "audit head is missing")
    if head_seq > seq:
        return VerifyReport(False, count, f"log ends at line {seq}; its head names {head_seq}")
    if seen_head != head_hash:
        return VerifyReport(False, count, "head does not match the log", head_seq or None)
    return VerifyReport(True, count)
