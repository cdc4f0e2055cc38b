"""The screening verdict for one text: normalise (invisible characters out, tag characters and
base64 payloads decoded), find ``features``, add their weights, squash to a score in [0, 1].

``screen`` is deterministic and pure, and screens what it decodes the same way (one level
deep), so a payload hidden in base64 or zero-width-split words is judged as if written plainly.
A score of 0.5 is the threshold (the feature total reaching ``THRESHOLD``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from privrag.screening.features import THRESHOLD, WEIGHTS, features
from privrag.screening.normalize import MIN_INVISIBLE, decoded_payloads, normalize

# The one flag screening stores on a chunk (``privrag.store.Field.FLAGS``).
PROMPT_INJECTION = "prompt_injection"
_SLOPE = 1.5


@dataclass(frozen=True)
class Verdict:
    injection: bool
    score: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"injection": self.injection, "score": self.score, "reasons": list(self.reasons)}


def screen(text: str) -> Verdict:
    return _screen(text, depth=1)


def _screen(text: str, *, depth: int) -> Verdict:
    norm = normalize(text)
    found = features(norm.text)
    total = found.total
    reasons = set(found.features)
    if norm.invisible >= MIN_INVISIBLE:
        reasons.add("hidden_characters")
        total += WEIGHTS["hidden_characters"]
    hidden = [norm.tagged] if norm.tagged else []
    if norm.tagged:
        reasons.add("tag_characters")
        total += WEIGHTS["tag_characters"]
    if depth > 0:
        hidden += decoded_payloads(norm.text)
    for payload in hidden:
        inner = _screen(payload, depth=depth - 1)
        if inner.injection:
            # Hiding an instruction is itself a sign: the decoded verdict plus a margin.
            total = max(total, _total(inner.score) + 1.0)
            reasons |= {f"encoded:{r}" for r in inner.reasons}
    score = 1.0 / (1.0 + math.exp(-_SLOPE * (total - THRESHOLD)))
    return Verdict(total >= THRESHOLD, round(score, 4), tuple(sorted(reasons)))


def _total(score: float) -> float:
    score = min(max(score, 1e-9), 1 - 1e-9)
    return THRESHOLD + math.log(score / (1 - score)) / _SLOPE
