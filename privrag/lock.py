"""One process owns a data dir: an exclusive, non-blocking lock on ``<data-dir>/privrag.lock``."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from privrag.errors import DataDirLocked


class DataDirLock:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._fd = os.open(data_dir / "privrag.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(self._fd)
            raise DataDirLocked(
                f"another privrag process owns {data_dir}; stop it, or talk to it over the "
                "HTTP API (--url)"
            ) from exc

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1
