"""The embedded Qdrant Edge adapter: one directory per tenant, HNSW once grown, errors translated."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from privrag.errors import InvalidInput, StoreUnavailable
from privrag.store import SparseVector, StoredPoint
from privrag.store.edge import EdgeStore

DIM = 8


def points(n: int, doc: str = "d", start: int = 0) -> list[StoredPoint]:
    rng = np.random.default_rng(start)
    out = []
    for i in range(start, start + n):
        vector = rng.standard_normal(DIM)
        out.append(
            StoredPoint(
                id=f"00000000-0000-0000-0000-{i:012d}",
                vector=(vector / np.linalg.norm(vector)).tolist(),
                payload={"doc": doc, "gen": 1, "chunk": i, "exp": 10**10, "cls": "internal"},
            )
        )
    return out


def store(tmp_path: Path, threshold: int = 10_000) -> EdgeStore:
    return EdgeStore(tmp_path / "shards", dim=lambda: DIM, hnsw_threshold_points=threshold)


def test_each_tenant_gets_its_own_shard_directory(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.upsert("tenant-a", points(3))
    s.upsert("tenant-b", points(2))
    assert sorted(p.name for p in (tmp_path / "shards").iterdir()) == ["tenant-a", "tenant-b"]
    assert (s.count("tenant-a"), s.count("tenant-b"), s.count("tenant-c")) == (3, 2, 0)
    s.close()


def with_terms(batch: list[StoredPoint]) -> list[StoredPoint]:
    return [
        replace(p, sparse=SparseVector((1, 7 + i % 5), (0.5, 0.2))) for i, p in enumerate(batch)
    ]


def test_a_grown_shard_builds_its_hnsw_index(tmp_path: Path) -> None:
    s = store(tmp_path, threshold=300)
    s.upsert("t", with_terms(points(100)))  # lexical vectors too, as every chunk has
    assert s.shard_info("t") == (100, 0)  # small: exact scan
    for start in range(100, 1200, 100):
        s.upsert("t", with_terms(points(100, start=start)))
    info = s.shard_info("t")
    assert info is not None
    assert info[0] == 1200 and info[1] >= 900  # dense vectors in a graph; the rest appendable
    hits = s.search("t", points(100)[5].vector, limit=1, now=0)
    assert hits[0].id.endswith("000000000005")
    s.close()


def _indexed_fields(s: EdgeStore, tenant: str) -> set[str]:
    with s._shard(tenant) as shard:
        assert shard is not None
        return set(shard.info().payload_schema)


def test_payload_indexes_wait_until_a_shard_is_worth_them_and_filters_hold_either_way(
    tmp_path: Path,
) -> None:
    s = store(tmp_path)
    s.upsert("t", points(40, doc="a"))
    s.upsert("t", points(40, start=40, doc="b"))
    assert _indexed_fields(s, "t") == set()  # small: opening it populates no index pages
    before = [h.id for h in s.search("t", points(1)[0].vector, limit=5, now=0)]
    s.delete_document("t", "b")
    assert (s.count("t"), s.count("t", doc_uid="a")) == (40, 40)
    s.upsert("t", points(40, start=40, doc="b"))
    s.upsert("t", points(40, start=80, doc="c"))  # 120 points: past the threshold
    assert _indexed_fields(s, "t") == {"doc", "gen", "exp", "cls", "flags"}
    assert [h.id for h in s.search("t", points(1)[0].vector, limit=5, now=0)] == before
    assert s.search("t", points(1)[0].vector, limit=5, now=10**10) == []  # all expired
    s.delete_document("t", "c")
    assert (s.count("t"), s.count("t", doc_uid="c")) == (80, 0)
    s.close()


def test_compaction_rewrites_only_the_segments_that_held_deleted_points(tmp_path: Path) -> None:
    s = EdgeStore(
        tmp_path / "shards", dim=lambda: DIM, hnsw_threshold_points=100, segment_points=200
    )
    for start in range(0, 1000, 50):
        s.upsert("t", points(50, doc=f"d{start // 50}", start=start))
    segments = tmp_path / "shards" / "t" / "segments"
    before = set(segments.iterdir())
    assert len(before) >= 5  # bounded: 1,000 points in segments of ~200, not one or two
    s.delete_document("t", "d0")  # the oldest document: its points share one segment
    s.compact("t")
    kept = before & set(segments.iterdir())
    assert len(kept) >= len(before) // 2  # the rest were not rebuilt
    assert s.count("t") == 950 and s.count("t", doc_uid="d0") == 0
    hits = s.search("t", points(50, start=950)[-1].vector, limit=1, now=0)
    assert hits[0].id.endswith("000000000999")
    s.close()


def test_engine_errors_are_translated(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.upsert("t", points(1))
    with pytest.raises(StoreUnavailable, match="search"):
        s.search("t", [0.1, 0.2], limit=1, now=0)  # wrong dimension
    s.close()


def test_a_call_without_a_tenant_is_refused(tmp_path: Path) -> None:
    s = store(tmp_path)
    with pytest.raises(InvalidInput):
        s.upsert("", points(1))
    s.close()
