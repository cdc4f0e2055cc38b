"""Chunking on the embedding tokenizer's tokens, with overlap. Pure: no model, no I/O.

Chunks are windows of ``size`` tokens stepping by ``size - overlap``; each is cut from the text
at token boundaries, so no chunk is longer than the model sees and no word is split.
"""

from __future__ import annotations

from collections.abc import Sequence


def token_windows(
    offsets: Sequence[tuple[int, int]], *, size: int, overlap: int
) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of overlapping token windows."""
    if size <= 0 or not 0 <= overlap < size:
        raise ValueError("need size > 0 and 0 <= overlap < size")
    if not offsets:
        return []
    spans: list[tuple[int, int]] = []
    step = size - overlap
    start = 0
    while True:
        window = offsets[start : start + size]
        spans.append((window[0][0], window[-1][1]))
        if start + size >= len(offsets):
            return spans
        start += step
