"""Undo obfuscation before detection, keeping a map from every detected offset to the original.

``unmask(text)`` returns a ``TextMap``: the text after NFKC (fullwidth and compatibility forms
become plain ones), with zero-width and bidi control characters removed, ``[at]``/``(dot)`` and
``x at y dot com`` written as ``@`` and ``.``, and spaced-out letters or digits (``j o h n``,
``5 5 5 1 2 3 4``) joined. ``original_span`` maps a span of the clean text back to the smallest
span of the original that holds everything it was made from, so a replacement in the original
never leaves a fragment (a zero-width character inside an address goes with the address).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff"
)
_TLD = r"(?:com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|se|no|dk|fi|pl|cz|hu|tr|br|au|ca|info|biz|me|example|test)"
_AT = re.compile(
    r"[ \t]*(?:[\[({<][ \t]*(?:at|@)[ \t]*[\])}>]|\bat\b(?=[ \t]+[\w-]+[ \t]+(?:dot|[\[({<][ \t]*dot)))[ \t]*",
    re.I,
)
_DOT = re.compile(
    rf"[ \t]*(?:[\[({{<][ \t]*(?:dot|\.)[ \t]*[\])}}>]|\bdot\b(?=[ \t]+(?:[\w-]+[ \t]+dot[ \t]+)*{_TLD}\b))[ \t]*",
    re.I,
)
# Six or more single characters separated by single spaces: "j o h n . s m i t h".
_SPACED = re.compile(r"(?<!\S)(?:[^\s] ){5,}[^\s](?!\S)")


@dataclass(frozen=True)
class TextMap:
    text: str
    # For each character of ``text``: the original span it came from.
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


# Plain ASCII text without any of these has nothing to undo (the common case, kept cheap).
_MAYBE = re.compile(r"(?i:\b(?:at|dot)\b)|(?:\S ){5}\S")


def unmask(text: str) -> TextMap | None:
    """The cleaned text and its map, or None when cleaning changes nothing."""
    if text.isascii() and _MAYBE.search(text) is None:
        return None
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    if text.isascii():
        chars = list(text)
        starts = list(range(len(text)))
        ends = [i + 1 for i in range(len(text))]
    else:
        for i, ch in enumerate(text):
            if ch in _INVISIBLE:
                # The dropped character belongs to whatever is next to it.
                if ends:
                    ends[-1] = i + 1
                continue
            out = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
            for piece in out:
                chars.append(piece)
                starts.append(i)
                ends.append(i + 1)
    clean = "".join(chars)
    for pattern, replacement in ((_AT, "@"), (_DOT, "."), (_SPACED, None)):
        if pattern is not _SPACED and "at" not in clean.lower() and "dot" not in clean.lower():
            continue
        pieces: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        cursor = 0
        for match in pattern.finditer(clean):
            a, b = match.span()
            if b <= a:
                continue
            pieces.append(clean[cursor:a])
            new_starts.extend(starts[cursor:a])
            new_ends.extend(ends[cursor:a])
            if replacement is None:
                kept = [k for k in range(a, b) if clean[k] != " "]
                pieces.append("".join(clean[k] for k in kept))
                new_starts.extend(starts[k] for k in kept)
                new_ends.extend(ends[k] for k in kept)
            else:
                pieces.append(replacement)
                new_starts.append(starts[a])
                new_ends.append(ends[b - 1])
            cursor = b
        if not pieces:
            continue
        pieces.append(clean[cursor:])
        new_starts.extend(starts[cursor:])
        new_ends.extend(ends[cursor:])
        clean, starts, ends = "".join(pieces), new_starts, new_ends
    if clean == text:
        return None
    return TextMap(clean, tuple(starts), tuple(ends))
