"""One-run empirical privacy audit (after Steinke, Nasr & Jagielski, 2023).

M synthetic canaries (never tenant data) are each included in the training set independently
with probability 1/2. A canary pairs a random secret query (made-up words of random letters, so no
other text shares its tokens) with a context of two generated public sentences. After training,
each canary is scored by how much training raised the cosine similarity of its own query and
context over the same similarity under the base model; the ``k`` highest-scoring canaries are
guessed "included" and the ``k`` lowest "excluded", k = M/4 fixed before training. If the run is
(ε, δ)-DP, the number of correct guesses among the 2k is stochastically dominated by
Binomial(2k, e^ε / (1 + e^ε)) up to a term of order M·δ, so the largest ε whose binomial tail at
the observed count stays under β is an empirical lower bound ε_lower (at confidence 1 - β). A run
whose ε_lower exceeds its claimed ε means the accounting or the code is wrong: ``check`` raises.

Why this canary design (measured on the no-noise positive control, 32 canaries, 6 full-batch
steps): canaries of random public words in both query and context were not separable at all
(AUC ~0.5, ε_lower = 0), because the objective only contrasts a pair with the fixed public bank,
so the model learns "canary-looking text moves away from the bank" and lifts members and
non-members alike. Natural-looking contexts resist that generic shift (moving a gibberish query
towards one public sentence does not move it towards another), so only the included pairs gain
(AUC ~0.9). The per-canary baseline (after minus before) removes the canary-to-canary spread of
the base model's similarities, which is larger than the training signal.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import binom

from privrag_training.dataset import Example
from privrag_training.negatives import bank_texts

BETA = 0.05
_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_VOWELS = "aeiou"
# Context sentences come from the same generator as the negative bank but from another seed and
# a larger pool: public text shaped like the bank, yet (mostly) not the bank's own sentences.
_CONTEXT_SEED = 4321
_CONTEXT_POOL = 400


class AuditFailure(RuntimeError):
    """The empirical lower bound exceeds the claimed epsilon: a privacy bug, not bad luck."""


@dataclass(frozen=True)
class Canaries:
    examples: tuple[Example, ...]
    included: tuple[bool, ...]

    @property
    def members(self) -> list[Example]:
        return [e for e, keep in zip(self.examples, self.included, strict=True) if keep]


def _secret_word(rng: random.Random) -> str:
    # Pronounceable but made up: the tokenizer splits it into rare word pieces that no tenant
    # document, negative or other canary is likely to share.
    return (
        "".join(rng.choices(_CONSONANTS, k=3))
        + rng.choice(_VOWELS)
        + "".join(rng.choices(_CONSONANTS, k=2))
    )


def make_canaries(count: int, *, seed: int) -> Canaries:
    rng = random.Random(f"canaries/{seed}")
    pool = bank_texts(_CONTEXT_POOL, seed=_CONTEXT_SEED)
    examples = []
    for i in range(count):
        query = " ".join(_secret_word(rng) for _ in range(6))
        context = " ".join(rng.sample(pool, 2))
        examples.append(Example(f"canary-{i}", "", query, context))
    included = tuple(rng.random() < 0.5 for _ in range(count))
    return Canaries(tuple(examples), included)


def similarities(model: object, examples: tuple[Example, ...]) -> np.ndarray:
    """Cosine similarity of each canary's own query and context under ``model``."""
    encode = model.encode  # type: ignore[attr-defined]
    q = np.asarray(
        encode([e.query for e in examples], normalize_embeddings=True, show_progress_bar=False)
    )
    c = np.asarray(
        encode([e.context for e in examples], normalize_embeddings=True, show_progress_bar=False)
    )
    # Own pair only: a margin over the other canaries' contexts measured slightly worse (AUC
    # 0.83 vs 0.86 on the positive control), since the objective never contrasts canaries.
    return np.sum(q * c, axis=1)


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
