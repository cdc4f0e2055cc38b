"""Undo the tricks that hide a payload from a reader or a pattern: Unicode compatibility forms,
invisible characters between letters, Unicode tag characters (invisible ASCII), and base64
blobs that decode to prose. Pure functions; nothing here decides anything."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass

# Zero-width and other invisible format characters a payload hides in; soft hyphen too.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_TAGS = re.compile("[\U000e0000-\U000e007f]+")
_B64 = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])")
# Enough invisible characters to split words, not the odd joiner in an emoji or a name.
MIN_INVISIBLE = 3


@dataclass(frozen=True)
class Normalized:
    text: str
    invisible: int  # invisible characters removed
    tagged: str  # text smuggled in Unicode tag characters, decoded


def normalize(text: str) -> Normalized:
    if text.isascii():
        return Normalized(text, 0, "")  # nothing invisible, nothing to fold
    tagged = " ".join(
        "".join(chr(ord(ch) - 0xE0000) for ch in run if 0x20 <= ord(ch) - 0xE0000 < 0x7F)
        for run in _TAGS.findall(text)
    )
    plain = _TAGS.sub("", text)
    invisible = len(_INVISIBLE.findall(plain))
    plain = unicodedata.normalize("NFKC", _INVISIBLE.sub("", plain))
    return Normalized(plain, invisible, tagged.strip())


def decoded_payloads(text: str, *, limit: int = 8) -> list[str]:
    """Base64 (standard or URL-safe) runs in ``text`` that decode to readable text."""
    found: list[str] = []
    for match in _B64.finditer(text):
        blob = match.group()
        if blob.isalpha() or blob.isdigit():
            continue  # a long word or number, not an encoding
        try:
            raw = base64.b64decode(blob + "=" * (-len(blob) % 4), altchars=b"-_", validate=False)
            decoded = raw.decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        if _readable(decoded):
            found.append(decoded)
            if len(found) == limit:
                break
    return found


def _readable(value: str) -> bool:
    if len(value) < 12:
        return False
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in value)
    letters = sum(ch.isalpha() for ch in value)
    return printable / len(value) > 0.97 and letters / len(value) > 0.6 and " " in value
