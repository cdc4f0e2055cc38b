"""One-run empirical privacy audit (after Steinke, Nasr & Jagielski, 2023).

M synthetic canaries (random public words, never tenant data) are each included in the training
set independently with probability 1/2. After training, each canary is scored by how much the
model raised its own query-context similarity over that of the other canaries' contexts; the ``k`` highest-scoring canaries are guessed
"included" and the ``k`` lowest "excluded", k = M/4 fixed before training. If the run is
(ε, δ)-DP, the number of correct guesses among the 2k is stochastically dominated by
Binomial(2k, e^ε / (1 + e^ε)) up to a term of order M·δ, so the largest ε whose binomial tail at
the observed count stays under β is an empirical lower bound ε_lower (at confidence 1 - β). A run
whose ε_lower exceeds its claimed ε means the accounting or the code is wrong: ``check`` raises.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import binom

from training.dataset import Example
from training.negatives import public_words

BETA = 0.05


class AuditFailure(RuntimeError):
    """The empirical lower bound exceeds the claimed epsilon: a privacy bug, not bad luck."""


@dataclass(frozen=True)
class Canaries:
    examples: tuple[Example, ...]
    included: tuple[bool, ...]

    @property
    def members(self) -> list[Example]:
        return [e for e, keep in zip(self.examples, self.included, strict=True) if keep]


def make_canaries(count: int, *, seed: int) -> Canaries:
    rng = random.Random(f"canaries/{seed}")
    words = public_words()
    examples = []
    for i in range(count):
        query = " ".join(rng.choices(words, k=8))
        context = " ".join(rng.choices(words, k=40))
        examples.append(Example(f"canary-{i}", "", query, context))
    included = tuple(rng.random() < 0.5 for _ in range(count))
    return Canaries(tuple(examples), included)


def similarities(model: object, examples: tuple[Example, ...]) -> np.ndarray:
    encode = model.encode  # type: ignore[attr-defined]
    q = np.asarray(
        encode([e.query for e in examples], normalize_embeddings=True, show_progress_bar=False)
    )
    c = np.asarray(
        encode([e.context for e in examples], normalize_embeddings=True, show_progress_bar=False)
    )
    scores = q @ c.T
    # Own pair minus the mean over the other canaries' contexts: training lifts all canary-like
    # pairs alike, so only the margin over look-alikes shows that this pair was memorised.
    others = (scores.sum(axis=1) - np.diag(scores)) / max(1, len(examples) - 1)
    return np.diag(scores) - others


def epsilon_lower_bound(correct: int, guesses: int, *, m: int, delta: float) -> float:
    """Largest ε with P[Binomial(guesses, e^ε/(1+e^ε)) ≥ correct] ≤ β - 2·m·δ (0 if none)."""
    if guesses == 0:
        return 0.0
    threshold = BETA - 2 * m * delta
    if threshold <= 0:
        return 0.0

    def tail(eps: float) -> float:
        p = 1.0 / (1.0 + math.exp(-eps))
        return float(binom.sf(correct - 1, guesses, p))

    if tail(0.0) > threshold:
        return 0.0
    lo, hi = 0.0, 50.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if tail(mid) <= threshold:
            lo = mid
        else:
            hi = mid
    return lo


def score(
    canaries: Canaries, before: np.ndarray, after: np.ndarray, *, delta: float
) -> dict[str, Any]:
    gain = after - before
    m = len(canaries.examples)
    k = m // 4
    order = np.argsort(-gain, kind="stable")
    guess_in, guess_out = order[:k], order[m - k :]
    correct = sum(canaries.included[i] for i in guess_in) + sum(
        not canaries.included[i] for i in guess_out
    )
    return {
        "canaries": m,
        "included": int(sum(canaries.included)),
        "guesses": 2 * k,
        "correct": int(correct),
        "beta": BETA,
        "epsilon_lower": round(epsilon_lower_bound(int(correct), 2 * k, m=m, delta=delta), 4),
    }


def check(report: dict[str, Any], claimed_epsilon: float) -> None:
    if report["epsilon_lower"] > claimed_epsilon:
        raise AuditFailure(
            f"audit lower bound ε_lower={report['epsilon_lower']} exceeds the claimed "
            f"ε={claimed_epsilon}: the privacy accounting or the training code is broken"
        )
