"""Store fixtures: every backend the conformance suite runs against, built fresh per test.

``server`` is the scale-out backend over qdrant-client's in-process mode (``:memory:``): the same
client API a cluster serves, minus payload indexes and shard keys.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from privrag.store import StoredPoint, VectorStore
from privrag.store.edge import EdgeStore
from privrag.store.server import ServerStore
from privrag.store.server_support import ServerStoreConfig

DIM = 8
BACKENDS = ["edge", "server"]


def make_store(kind: str, tmp_path: Path) -> VectorStore:
    if kind == "edge":
        return EdgeStore(tmp_path / "shards", dim=lambda: DIM, hnsw_threshold_points=1_000)
    return ServerStore(ServerStoreConfig(":memory:", placement_cache_s=0), dim=lambda: DIM)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorStore]:
    made = make_store(request.param, tmp_path)
    yield made
    made.close()


def vec(*head: float) -> list[float]:
    """A DIM-long vector starting with ``head`` (the rest small, so cosine is well defined)."""
    return [*head, *([0.01] * (DIM - len(head)))]


def point(
    doc: str,
    chunk: int = 0,
    *,
    gen: int = 1,
    exp: int = 10_000,
    cls: str = "internal",
    vector: list[float] | None = None,
    **extra: Any,
) -> StoredPoint:
    pid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{doc}/{gen}/{chunk}"))
    payload: dict[str, Any] = {
        "doc": doc,
        "gen": gen,
        "chunk": chunk,
        "exp": exp,
        "cls": cls,
        "hold": False,
        "sealed": f"sealed-{doc}-{gen}-{chunk}",
        **extra,
    }
    return StoredPoint(pid, vector or vec(1.0, float(chunk)), payload)


PointFactory = Callable[..., StoredPoint]
