"""Scan a directory's raw bytes for plaintext: the check behind "nothing readable at rest".

Looks for each needle as UTF-8 and as UTF-16-LE (SQLite and some engines store either), in every
file under the directory, WAL and lock files included.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def find_plaintext(directory: Path, needles: Iterable[str]) -> list[tuple[Path, str]]:
    patterns = [(n, (n.encode(), n.encode("utf-16-le"))) for n in needles if n]
    found: list[tuple[Path, str]] = []
    for path in sorted(directory.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for needle, encoded in patterns:
            if any(e in data for e in encoded):
                found.append((path, needle))
    return found
