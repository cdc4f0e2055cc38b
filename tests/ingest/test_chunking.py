from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from privrag.ingest.chunking import token_windows


def offsets(n: int) -> list[tuple[int, int]]:
    return [(i * 4, i * 4 + 3) for i in range(n)]


@given(st.integers(0, 400), st.integers(2, 64), st.data())
def test_windows_cover_every_token_and_respect_size_and_overlap(n: int, size: int, data) -> None:  # type: ignore[no-untyped-def]
    overlap = data.draw(st.integers(0, size - 1))
    toks = offsets(n)
    spans = token_windows(toks, size=size, overlap=overlap)
    covered = {i for i, (a, b) in enumerate(toks) for s, e in spans if s <= a and b <= e}
    assert covered == set(range(n))
    for s, e in spans:
        assert sum(1 for a, b in toks if s <= a and b <= e) <= size
    for (_s1, e1), (s2, _) in itertools.pairwise(spans):
        inside = sum(1 for a, b in toks if s2 <= a and b <= e1)
        assert inside == overlap


def test_bad_window_shapes_are_refused() -> None:
    with pytest.raises(ValueError):
        token_windows(offsets(3), size=4, overlap=4)
