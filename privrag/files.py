"""Durable small-file writes, the one implementation every state file uses.

``write_atomic`` replaces a file so a crash leaves the old or the new content, never half of
either (write a sibling, fsync, rename, fsync the folder); ``read_state``/``write_state`` keep
a resumable job's JSON cursor that way. ``create_new`` writes a file that must
not exist yet (key material), refusing to overwrite one. Both create files 0600 and folders 0700.
``private_umask`` makes the same true of what the vendors create (SQLite's catalog and its
``-wal``/``-shm``, Qdrant Edge's shard files): a process that opens a data dir keeps group and
others out of everything it creates from then on.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def private_umask() -> None:
    """Add group and other bits to the process umask (never loosening it). Process-wide by
    nature: the process that owns a data dir creates only private files."""
    current = os.umask(0o077)
    os.umask(current | 0o077)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data``; ``durable=False`` skips the fsyncs (a hint file that may
    trail after a power loss)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    if durable:
        fsync_dir(path.parent)


def create_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a file that does not exist yet (``FileExistsError`` if it does)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    fsync_dir(path.parent)


def read_state(path: Path) -> dict[str, Any]:
    """A job's JSON cursor file (``{}`` when the job never ran or finished)."""
    try:
        return dict(json.loads(path.read_text()))
    except FileNotFoundError:
        return {}


def write_state(path: Path, state: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(state).encode())
