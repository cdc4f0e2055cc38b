"""Word lists the name detectors consult, shipped as package data (``privrag/pii/data/*.txt``).

Each file is whitespace-separated words, case-folded on load; ``#`` starts a comment line. The
lists are small hand-written hints (common names, words that are never names); detection never
depends on a value being listed, since cues, shapes and structure find unlisted names too.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def words(name: str) -> frozenset[str]:
    text = files("privrag.pii").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(
        word.casefold()
        for line in text.splitlines()
        if not line.lstrip().startswith("#")
        for word in line.split()
    )


def word_set(block: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in block.split())
