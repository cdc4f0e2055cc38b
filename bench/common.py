"""Shared bench helpers: where the shared data lives, timing, medians, a temporary PrivRAG."""

from __future__ import annotations

import base64
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from privrag.offline import force_offline

force_offline()

T = TypeVar("T")

# ../shared/data beside the checkout, or wherever PRIVRAG_SHARED_DATA says.
SHARED_DATA = Path(
    os.environ.get("PRIVRAG_SHARED_DATA")
    or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@contextmanager
def temporary_rag(**overrides: Any) -> Iterator[Any]:
    """A PrivRAG in a throwaway data dir with an ephemeral master key."""
    from privrag.config import load_settings
    from privrag.service import PrivRAG

    with tempfile.TemporaryDirectory(prefix="privrag-bench-") as tmp:
        settings = load_settings(
            data_dir=Path(tmp) / "data",
            keystore_dir=Path(tmp) / "keys",
            master_key=base64.b64encode(os.urandom(32)).decode(),
            **overrides,
        )
        rag = PrivRAG(settings)
        try:
            yield rag
        finally:
            rag.close()
