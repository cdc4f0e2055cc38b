"""Per-key exfiltration signals, pure and in memory: no I/O, no metrics, no clock of their own.

Each query arrives with its *relevance*: the cosine of the query and its best-matching hit
(``QueryResult.relevance``, computed in the protected vector space). A query whose best hit
matches below ``relevance_floor`` is *unanchored*: it found nothing it was specifically about,
which is what random words, a crawler's probes, look like. A user's real question finds the
passage it is about (SciFact's 300 test claims: median 0.62, 9% below 0.45; three random
corpus words: median 0.34, 87% below). Reads without a relevance (a fetch by id) count as
unanchored: unknown fails closed.

A key's queries are cut into windows of ``window_s`` seconds. Three signals, each a score that
reaches 1.0 at its threshold:

- **volume**: chunks *new to this key* per window against the key's own learned baseline (an
  exponentially weighted mean and variance over past windows, idle windows included), with a
  prior for keys without history and a floor on the deviation. It fires on a burst of novel
  results, the way a crawler reads a corpus, and learns an application key's steady volume.
- **coverage**: distinct chunks returned to the key over ``horizon_s`` against the tenant's
  live chunk count. A crawler walking the corpus keeps finding new chunks until it has most of
  it.
- **weak_queries**: the share of the key's last ``weak_window`` queries that were unanchored,
  once at least ``weak_min_queries`` have been seen. It fires on a key that keeps asking
  nothing in particular, at any pace.

Volume and coverage count only chunks read by unanchored queries: a key asking real questions
at a high rate (an evaluation run, an application serving many users) reads a lot of the
corpus, and that is what the corpus is for. What the three cannot tell apart is a crawler that
asks real-looking questions (from text it already has, or a generator): such a key is held
only by the retrieval budget (``api_retrieval_budget_per_hour``). Chunk ids are hashed in
memory, never stored; the distinct set is bounded per key (oldest forgotten first), so memory
per key is at most ``max_chunks_per_key`` entries.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

Action = Literal["alert", "throttle", "suspend"]


@dataclass(frozen=True)
class MonitorPolicy:
    """Thresholds and what happens to a key that crosses them (``PRIVRAG_MONITOR_*``)."""

    action: Action = "throttle"
    window_s: float = 60.0
    horizon_s: float = 3600.0
    alpha: float = 0.1
    prior_volume: float = 20.0
    volume_floor: float = 20.0
    volume_z: float = 6.0
    min_volume: int = 200
    coverage: float = 0.25
    min_distinct: int = 200
    relevance_floor: float = 0.45
    weak_share: float = 0.5
    weak_window: int = 50
    weak_min_queries: int = 30
    throttle_s: float = 900.0
    throttle_interval_s: float = 10.0
    max_keys: int = 1024
    max_chunks_per_key: int = 4096


@dataclass(frozen=True)
class Reading:
    """What one query left the key's signals at."""

    novel: int
    window_novel: int
    baseline: float
    zscore: float
    distinct: int
    coverage: float
    overlap: float
    volume_score: float
    coverage_score: float
    relevance: float | None = None
    weak_share: float = 0.0
    weak_score: float = 0.0

    @property
    def score(self) -> float:
        return max(self.volume_score, self.coverage_score, self.weak_score)

    def crossed(self) -> list[str]:
        scores = (
            ("volume", self.volume_score),
            ("coverage", self.coverage_score),
            ("weak_queries", self.weak_score),
        )
        return [name for name, value in scores if value >= 1.0]


@dataclass
class KeySignals:
    """One key's state. ``seen`` maps a chunk's in-memory hash to when it was last returned;
    dict order is recency order, so the oldest entry is first."""

    policy: MonitorPolicy
    window_start: float | None = None
    window_novel: int = 0
    mean: float = 0.0
    var: float = 0.0
    seen: dict[int, float] = field(default_factory=dict)
    previous: frozenset[int] = frozenset()
    weak: deque[bool] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self.mean = self.policy.prior_volume
        self.var = self.policy.volume_floor**2
        self.weak = deque(maxlen=self.policy.weak_window)

    def _roll(self, now: float) -> None:
        p = self.policy
        if self.window_start is None:
            self.window_start = now
            return
        closed = int((now - self.window_start) // p.window_s)
        if closed <= 0:
            return
        self._learn(float(self.window_novel))
        # Idle windows are part of the key's normal volume; past a few hundred they change
        # nothing any more, so the loop is bounded.
        for _ in range(min(closed - 1, 512)):
            self._learn(0.0)
        self.window_start += closed * p.window_s
        self.window_novel = 0

    def _learn(self, x: float) -> None:
        a = self.policy.alpha
        diff = x - self.mean
        self.mean += a * diff
        self.var = (1 - a) * (self.var + a * diff * diff)

    def _forget(self, now: float) -> None:
        horizon = now - self.policy.horizon_s
        seen = self.seen
        while seen:
            oldest = next(iter(seen))
            if seen[oldest] >= horizon and len(seen) <= self.policy.max_chunks_per_key:
                break
            del seen[oldest]

    def observe(
        self, now: float, chunks: list[int], corpus_chunks: int, relevance: float | None = None
    ) -> Reading:
        p = self.policy
        self._roll(now)
        anchored = relevance is not None and relevance >= p.relevance_floor
        if relevance is not None and chunks:
            self.weak.append(not anchored)
        novel = 0
        if not anchored:
            for chunk in chunks:
                if self.seen.pop(chunk, None) is None:
                    novel += 1
                self.seen[chunk] = now
        self._forget(now)
        self.window_novel += novel
        current = frozenset(chunks)
        union = current | self.previous
        overlap = len(current & self.previous) / len(union) if union else 1.0
        self.previous = current
        sigma = max(math.sqrt(self.var), p.volume_floor)
        z = (self.window_novel - self.mean) / sigma
        distinct = len(self.seen)
        coverage = distinct / corpus_chunks if corpus_chunks > 0 else 0.0
        scored = len(self.weak)
        weak_share = sum(self.weak) / scored if scored else 0.0
        return Reading(
            novel=novel,
            window_novel=self.window_novel,
            baseline=self.mean,
            zscore=z,
            distinct=distinct,
            coverage=coverage,
            overlap=overlap,
            volume_score=max(0.0, min(z / p.volume_z, self.window_novel / p.min_volume)),
            coverage_score=min(coverage / p.coverage, distinct / p.min_distinct),
            relevance=relevance,
            weak_share=weak_share,
            weak_score=min(weak_share / p.weak_share, scored / p.weak_min_queries),
        )
