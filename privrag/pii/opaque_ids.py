"""Opaque identifiers: UUIDs and hex digests are random by construction, so a number read out of
part of one is chance, not PII. Measured on random UUIDs (half canonical, half bare hex): 19 of
40,000 held a Luhn-valid "card" in their leading digits, and with the card pattern narrowed 10 of
100,000 an "account" after the letters ``aba`` (the ABA routing cue): enough to refuse a
document id at random. Such a detection inside the token is dropped. One that covers the whole token is kept (a label said what it is), and a
secret is kept wherever it lies (a hex token may well be a key)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from privrag.pii.detectors import Candidate

_HEX = "[0-9a-fA-F]"
# A canonical UUID, or a bare digest of 32, 40 or 64 hex digits holding at least one letter (a
# run of decimal digits that long may be an account or card number run together).
_OPAQUE_ID = re.compile(
    rf"(?<![\w-])(?:{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
    rf"|(?=[0-9]*[a-fA-F])(?:{_HEX}{{64}}|{_HEX}{{40}}|{_HEX}{{32}}))(?![\w-])"
)
_KEPT_INSIDE = frozenset({"SECRET"})


def drop_inside_opaque_ids(text: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """``candidates`` without those lying strictly inside a UUID or hex digest of ``text``."""
    if not candidates:
        return list(candidates)
    spans = [m.span() for m in _OPAQUE_ID.finditer(text)]
    if not spans:
        return list(candidates)
    return [
        c
        for c in candidates
        if c.type in _KEPT_INSIDE
        or not any(
            start <= c.start and c.end <= end and (c.start, c.end) != (start, end)
            for start, end in spans
        )
    ]
