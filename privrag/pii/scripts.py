"""Letters of every script, for detectors that read a word's shape: which characters belong to a
word, and which letters may open a name.

A name opens with a capital in scripts that write one (Latin, Greek, Cyrillic, Armenian) and with
any letter in scripts that do not (Arabic, Hebrew, Devanagari, Bengali, Thai, Georgian, ...).
Georgian is caseless in use: Unicode gives its everyday letters (Mkhedruli) an upper case
(Mtavruli), but running text never capitalises a name with it, so Georgian counts as caseless.
Combining marks (Indic vowel signs, Hebrew points) belong to the word they sit on.

Han and Hangul write a whole name in two to four characters, and Han (Chinese, Japanese) puts no
space between words, so a longer unbroken run of them is a phrase or a sentence ("请在入住时出示
护照"), never one name word: such a run is no name word anywhere a shape is read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable


def char_class(keep: Callable[[str], bool]) -> str:
    """The body of a regex character class of the BMP characters ``keep`` accepts, as ranges."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x41, 0x10000):
        if keep(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


def _georgian_small(ch: str) -> bool:
    return "\u10d0" <= ch <= "\u10ff"


def caseless(ch: str) -> bool:
    """A letter of a script that marks no name with a capital."""
    return ch.isalpha() and (ch.lower() == ch.upper() or _georgian_small(ch))


def opens_name(ch: str) -> bool:
    """A letter a name may start with: a capital, or a letter of a caseless script."""
    return ch.isupper() or ch.istitle() or caseless(ch)


UNSPACED_NAME_MAX = 4


def _han_or_hangul(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xAC00 <= code <= 0xD7AF
        or 0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
    )


def too_long_for_a_name(word: str) -> bool:
    """A run of more Han or Hangul characters than any one name has (see the module note)."""
    return sum(_han_or_hangul(ch) for ch in word) > UNSPACED_NAME_MAX


def caseless_word(word: str) -> bool:
    """A word of two or more letters, all of a caseless script (marks allowed), and short
    enough to be a name word if it is Han or Hangul."""
    letters = [ch for ch in word if not unicodedata.category(ch).startswith("M")]
    return (
        len(letters) >= 2 and all(caseless(ch) for ch in letters) and not too_long_for_a_name(word)
    )


MARKS = char_class(lambda ch: unicodedata.category(ch) in {"Mn", "Mc"})
# One letter of any script, or a combining mark on one.
LETTER = rf"(?:[^\W\d_]|[{MARKS}])"
# A letter that may open a name (see ``opens_name``).
NAME_START = "[" + char_class(opens_name) + "]"
