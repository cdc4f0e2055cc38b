"""The per-key signals: a burst of novel results or a walk over most of a corpus crosses; a
steady key, re-reading what it asked about, does not; state stays bounded."""

from __future__ import annotations

import random

from privrag.monitoring import KeySignals, MonitorPolicy


def ids(start: int, count: int) -> list[int]:
    return list(range(start, start + count))


def test_a_burst_of_novel_results_crosses_the_volume_signal() -> None:
    key = KeySignals(MonitorPolicy())
    reading = None
    for i in range(30):
        reading = key.observe(float(i), ids(i * 10, 10), corpus_chunks=1_000_000)
    assert reading is not None
    assert reading.window_novel == 300
    assert "volume" in reading.crossed()


def test_the_baseline_learns_a_steady_application_key() -> None:
    """300 novel chunks a minute is an anomaly for a new key, not for one that always did it."""
    policy = MonitorPolicy()
    key = KeySignals(policy)
    chunk = 0
    for minute in range(120):
        for q in range(30):
            key.observe(minute * 60.0 + q, ids(chunk, 10), corpus_chunks=10**9)
            chunk += 10
    assert key.mean > 250
    reading = key.observe(120 * 60.0, ids(chunk, 10), corpus_chunks=10**9)
    assert reading.crossed() == []


def test_re_reading_the_same_chunks_is_not_novel() -> None:
    key = KeySignals(MonitorPolicy())
    for i in range(500):
        reading = key.observe(float(i), ids(0, 10), corpus_chunks=100)
    assert reading.novel == 0
    assert reading.distinct == 10
    assert reading.overlap == 1.0
    assert reading.crossed() == []


def test_walking_most_of_a_corpus_slowly_crosses_the_coverage_signal() -> None:
    """One query a minute never looks like a burst, but 60 of them read a quarter of 2,000."""
    key = KeySignals(MonitorPolicy())
    rng = random.Random(1)
    crossed: list[str] = []
    for i in range(60):
        reading = key.observe(i * 60.0, rng.sample(range(2000), 10), corpus_chunks=2000)
        crossed = crossed or reading.crossed()
    assert crossed == ["coverage"]


def test_coverage_needs_a_minimum_of_distinct_chunks() -> None:
    """Reading all of a 50-chunk tenant is what its users do: no signal."""
    key = KeySignals(MonitorPolicy())
    for i in range(50):
        reading = key.observe(i * 60.0, ids(0, 50), corpus_chunks=50)
    assert reading.coverage == 1.0
    assert reading.crossed() == []


def test_the_distinct_set_is_bounded_and_forgets_past_the_horizon() -> None:
    policy = MonitorPolicy(max_chunks_per_key=100, horizon_s=600)
    key = KeySignals(policy)
    key.observe(0.0, ids(0, 500), corpus_chunks=10_000)
    assert len(key.seen) == 100
    key.observe(601.0, ids(10_000, 5), corpus_chunks=10_000)
    assert len(key.seen) == 5


def test_reads_by_anchored_queries_count_toward_neither_volume_nor_coverage() -> None:
    """An evaluation run asking real questions at one a second reads most of the corpus: every
    query found what it was about, so nothing fires."""
    key = KeySignals(MonitorPolicy())
    rng = random.Random(2)
    for i in range(300):
        reading = key.observe(float(i), rng.sample(range(2000), 10), 2000, relevance=0.62)
        assert reading.crossed() == [], i
    assert reading.distinct == 0
    assert reading.weak_share == 0.0


def test_a_key_that_keeps_asking_nothing_in_particular_crosses_weak_queries() -> None:
    """At one query an hour (no volume, and the horizon forgets), 30 unanchored queries fire."""
    key = KeySignals(MonitorPolicy())
    fired = None
    for i in range(60):
        reading = key.observe(i * 3600.0, [i], corpus_chunks=10**6, relevance=0.3)
        if reading.crossed():
            fired = (i + 1, reading.crossed())
            break
    assert fired == (30, ["weak_queries"])


def test_a_user_with_some_vague_questions_stays_below_the_weak_share() -> None:
    """One query in five unanchored (twice SciFact's 9%) never reaches half of the window."""
    key = KeySignals(MonitorPolicy())
    for i in range(500):
        relevance = 0.3 if i % 5 == 0 else 0.6
        reading = key.observe(i * 60.0, [i % 7], corpus_chunks=10**6, relevance=relevance)
        assert "weak_queries" not in reading.crossed()
    assert 0.15 < reading.weak_share < 0.25


def test_queries_without_hits_or_relevance_do_not_count_as_weak_queries() -> None:
    key = KeySignals(MonitorPolicy())
    for i in range(100):
        key.observe(float(i), [], corpus_chunks=100, relevance=None)
        key.observe(float(i), [], corpus_chunks=100, relevance=0.1)
        reading = key.observe(float(i), [1], corpus_chunks=100, relevance=None)
    assert len(key.weak) == 0
    assert reading.weak_score == 0.0


def test_the_floor_decides_what_is_anchored() -> None:
    policy = MonitorPolicy(relevance_floor=0.5)
    key = KeySignals(policy)
    assert key.observe(0.0, [1], 100, relevance=0.49).novel == 1
    assert key.observe(0.0, [2], 100, relevance=0.5).novel == 0
