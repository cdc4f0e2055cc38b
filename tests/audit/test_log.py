"""The audit log's group commit: every line is on disk when ``append`` returns, concurrent
appends share fsyncs, and the chain stays whole."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from privrag.audit import AuditLog
from privrag.audit.log import verify

THREADS = 8
PER_THREAD = 25


class FsyncRecorder:
    """Wraps the real ``os.fsync``: records the file's size as each fsync starts (what it
    certainly covers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sizes: list[int] = []
        self._real = os.fsync

    def __call__(self, fd: int) -> None:
        size = self.path.stat().st_size
        self._real(fd)
        self.sizes.append(size)


def test_each_line_is_covered_by_an_fsync_before_append_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "audit.jsonl"
    fsyncs = FsyncRecorder(path)
    monkeypatch.setattr(os, "fsync", fsyncs)
    log = AuditLog(path)
    uncovered: list[int] = []

    def worker(n: int) -> None:
        for i in range(PER_THREAD):
            record = log.append({"event": "query", "worker": n, "i": i})
            end = _end_of_line(path, record["seq"])
            if not any(size >= end for size in list(fsyncs.sizes)):
                uncovered.append(record["seq"])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log.close()
    assert uncovered == []
    report = verify(path)
    assert report.ok and report.count == THREADS * PER_THREAD
    # Grouped: fewer fsyncs than lines (each group covers every line written meanwhile).
    assert len(fsyncs.sizes) < THREADS * PER_THREAD


def test_a_reopened_log_continues_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append({"event": "a"})
    log.close()
    log = AuditLog(path)
    assert log.append({"event": "b"})["seq"] == 2
    log.close()
    assert verify(path).ok


def _end_of_line(path: Path, seq: int) -> int:
    data = path.read_bytes()
    offset = 0
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        offset += len(line)
        if number == seq:
            return offset
    raise AssertionError(f"line {seq} is not in the file")
