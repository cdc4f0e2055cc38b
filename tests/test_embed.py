"""The embedder: concurrent small requests share forward passes and each gets its own rows."""

from __future__ import annotations

import threading

import numpy as np

CALLERS = 8


def test_concurrent_queries_share_forward_passes_and_get_their_own_vectors(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = [f"refund for order {n} has not arrived after {n + 2} days" for n in range(CALLERS)]
    alone = [embedder.embed([t])[0] for t in texts]
    got: dict[int, np.ndarray] = {}
    start = threading.Barrier(CALLERS)
    before = embedder._batcher.passes

    def call(n: int) -> None:
        start.wait()
        got[n] = embedder.embed([texts[n]])[0]

    threads = [threading.Thread(target=call, args=(n,)) for n in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert embedder._batcher.passes - before < CALLERS
    for n in range(CALLERS):
        assert float(np.dot(got[n], alone[n])) > 0.99999, n
