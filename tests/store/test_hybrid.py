"""Sparse vectors and hybrid search: both backends answer dense, sparse and hybrid queries the
same way on the same data, with IDF over the tenant's own live points only."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
import qdrant_edge as qe
from qdrant_client import QdrantClient, models

from privrag.store import Fusion, SparseVector, StoredPoint, VectorStore
from privrag.store.edge import EdgeStore
from privrag.store.server import ServerStore
from privrag.store.server_support import ServerStoreConfig

from .conftest import DIM, make_store, point


def sparse(**weights: float) -> SparseVector:
    ordered = sorted((int(k[1:]), v) for k, v in weights.items())
    return SparseVector(tuple(i for i, _ in ordered), tuple(v for _, v in ordered))


def unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector]


def corpus(seed: int = 5, n: int = 40) -> list[StoredPoint]:
    """Points with random dense vectors and random sparse term weights over 30 term ids, some
    points without a sparse vector, some expired (exp 50), two classifications."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        vector = [rng.uniform(-1, 1) for _ in range(DIM)]
        terms = sorted(rng.sample(range(30), rng.randint(1, 6)))
        lex = SparseVector(tuple(terms), tuple(round(rng.uniform(0.2, 2.0), 3) for _ in terms))
        p = point(
            f"d{i}",
            vector=vector,
            exp=50 if i % 9 == 0 else 10_000,
            cls="public" if i % 3 == 0 else "internal",
        )
        out.append(StoredPoint(p.id, p.vector, p.payload, None if i % 7 == 0 else lex))
    return out


def answers(store: VectorStore, tenant: str, seed: int) -> list[list[tuple[str, float]]]:
    rng = random.Random(seed)
    out = []
    for _ in range(12):
        vector = [rng.uniform(-1, 1) for _ in range(DIM)]
        terms = sorted(rng.sample(range(30), rng.randint(1, 4)))
        query = SparseVector(tuple(terms), tuple(1.0 for _ in terms))
        classes = rng.choice([None, ["internal"]])
        for v, s in ((vector, None), (None, query), (vector, query)):
            found = store.search(
                tenant,
                v,
                sparse=s,
                limit=8,
                now=100,
                classifications=classes,
                fusion=Fusion(k=10, prefetch=20),
            )
            out.append([(p.id, round(p.score, 4)) for p in found])
    return out


def test_both_backends_answer_dense_sparse_and_hybrid_queries_identically(tmp_path: Path) -> None:
    edge, server = make_store("edge", tmp_path), make_store("server", tmp_path)
    try:
        points = corpus()
        for store in (edge, server):
            store.upsert("t", points)
        # Deletions must leave the IDF statistics on both backends alike.
        for store in (edge, server):
            store.delete_document("t", "d4")
        assert answers(edge, "t", 1) == answers(server, "t", 1)
    finally:
        edge.close()
        server.close()


def test_sparse_search_scores_with_idf(store: VectorStore) -> None:
    store.upsert(
        "t",
        [
            StoredPoint(
                point("a").id, point("a").vector, point("a").payload, sparse(t1=1.0, t2=1.0)
            ),
            StoredPoint(point("b").id, point("b").vector, point("b").payload, sparse(t1=1.0)),
            StoredPoint(point("c").id, point("c").vector, point("c").payload, sparse(t1=1.0)),
        ],
    )
    # t2 is rare (1 of 3), t1 common (3 of 3): a query for both ranks "a" first by far.
    found = store.search("t", None, sparse=sparse(t1=1.0, t2=1.0), limit=3, now=0)
    assert found[0].id == point("a").id
    assert found[0].score > 3 * found[1].score


def test_idf_counts_only_the_tenants_own_live_points(store: VectorStore) -> None:
    mine = [
        StoredPoint(
            point(f"m{i}").id, point(f"m{i}").vector, point(f"m{i}").payload, sparse(t1=1.0)
        )
        for i in range(3)
    ]
    store.upsert("mine", mine)
    before = store.search("mine", None, sparse=sparse(t1=1.0), limit=3, now=0)
    noisy = [
        StoredPoint(
            point(f"o{i}").id, point(f"o{i}").vector, point(f"o{i}").payload, sparse(t5=1.0)
        )
        for i in range(20)
    ]
    store.upsert("other", noisy)
    store.upsert("mine", [point("expired", exp=10, vector=None)])
    after = store.search("mine", None, sparse=sparse(t1=1.0), limit=3, now=20)
    assert [(p.id, round(p.score, 5)) for p in after] == [(p.id, round(p.score, 5)) for p in before]


def test_hybrid_finds_what_either_side_finds(store: VectorStore) -> None:
    lexical_only = point("lex", vector=[0.0] * (DIM - 1) + [1.0])
    dense_only = point("dense", vector=[1.0] + [0.0] * (DIM - 1))
    store.upsert(
        "t",
        [
            StoredPoint(lexical_only.id, lexical_only.vector, lexical_only.payload, sparse(t9=1.0)),
            dense_only,
            *[point(f"x{i}", vector=[0.0, 1.0, *([0.1] * (DIM - 2))]) for i in range(5)],
        ],
    )
    found = store.search("t", [1.0] + [0.0] * (DIM - 1), sparse=sparse(t9=1.0), limit=2, now=0)
    assert {p.id for p in found} == {lexical_only.id, dense_only.id}


def test_an_empty_query_finds_nothing_and_an_empty_sparse_query_is_dense(
    store: VectorStore,
) -> None:
    store.upsert("t", [point("a"), point("b", 1)])
    assert store.search("t", None, sparse=SparseVector((), ()), limit=3, now=0) == []
    dense = store.search("t", point("a").vector, limit=3, now=0)
    both = store.search("t", point("a").vector, sparse=SparseVector((), ()), limit=3, now=0)
    assert [p.id for p in both] == [p.id for p in dense]


def test_a_search_returns_the_stored_dense_vectors_when_asked_in_every_mode(
    store: VectorStore,
) -> None:
    """The monitor's relevance reads them (normalised: the cosine store keeps unit vectors);
    without ``with_vectors`` nothing extra comes back."""
    points = corpus()
    store.upsert("t", points)
    stored = {p.id: unit(p.vector) for p in points}
    query = points[1].vector
    for v, s in ((query, None), (None, sparse(t3=1.0, t5=1.0)), (query, sparse(t3=1.0))):
        found = store.search("t", v, sparse=s, limit=5, now=100, with_vectors=True)
        assert found
        for hit in found:
            assert hit.vector is not None
            assert unit(hit.vector) == pytest.approx(stored[hit.id], abs=1e-5)
        assert all(p.vector is None for p in store.search("t", v, sparse=s, limit=5, now=100))


def test_sparse_vectors_survive_a_scroll(store: VectorStore) -> None:
    p = point("a")
    store.upsert("t", [StoredPoint(p.id, p.vector, p.payload, sparse(t3=0.5, t7=1.5))])
    page, _ = store.scroll_points("t")
    assert page[0].sparse == sparse(t3=0.5, t7=1.5)


def test_an_edge_shard_from_before_the_lexical_index_gains_it_on_open(tmp_path: Path) -> None:
    path = tmp_path / "shards" / "old"
    old = qe.EdgeShard.create(
        str(path),
        qe.EdgeConfig(
            vectors={"": qe.EdgeVectorParams(size=DIM, distance=qe.Distance.Cosine)},
            wal_enabled=False,
        ),
    )
    legacy = point("legacy")
    old.update(
        qe.UpdateOperation.upsert_points([qe.Point(legacy.id, list(legacy.vector), legacy.payload)])
    )
    old.flush()
    old.close()
    store = EdgeStore(tmp_path / "shards", dim=lambda: DIM, hnsw_threshold_points=1000)
    fresh = point("fresh")
    store.upsert("old", [StoredPoint(fresh.id, fresh.vector, fresh.payload, sparse(t1=1.0))])
    assert [p.id for p in store.search("old", None, sparse=sparse(t1=1.0), limit=5, now=0)] == [
        fresh.id
    ]
    assert store.count("old") == 2
    store.close()


def test_a_collection_from_before_the_lexical_index_gains_it() -> None:
    client = QdrantClient(":memory:")
    client.create_collection(
        "privrag_shared",
        vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE),
    )
    store = ServerStore(
        ServerStoreConfig(":memory:", placement_cache_s=0), dim=lambda: DIM, client=client
    )
    fresh = point("fresh")
    store.upsert("t", [StoredPoint(fresh.id, fresh.vector, fresh.payload, sparse(t1=1.0))])
    assert [p.id for p in store.search("t", None, sparse=sparse(t1=1.0), limit=5, now=0)] == [
        fresh.id
    ]
    store.close()


@pytest.mark.parametrize("kind", ["edge", "server"])
def test_promotion_and_scroll_keep_sparse_vectors(kind: str, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path)
    points = corpus(seed=9, n=12)
    store.upsert("big", points)
    before = answers(store, "big", 2)
    if isinstance(store, ServerStore):
        store.promote("big", batch=5)
    assert answers(store, "big", 2) == before
    store.close()


@pytest.mark.parametrize("kind", ["edge", "server"])
def test_sparse_and_hybrid_search_leave_out_flagged_points(kind: str, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path)
    flagged = point("flagged", flags=["prompt_injection"], vector=[1.0] + [0.0] * (DIM - 1))
    legacy = point("legacy", vector=[0.9, 0.1] + [0.0] * (DIM - 2))
    store.upsert(
        "t",
        [
            StoredPoint(flagged.id, flagged.vector, flagged.payload, sparse(t3=1.0)),
            StoredPoint(legacy.id, legacy.vector, legacy.payload, sparse(t3=0.5)),
        ],
    )
    dense = [1.0] + [0.0] * (DIM - 1)
    for v, s in ((None, sparse(t3=1.0)), (dense, sparse(t3=1.0))):
        found = store.search("t", v, sparse=s, limit=5, now=0, exclude_flags=["prompt_injection"])
        assert [p.id for p in found] == [legacy.id]
        assert {p.id for p in store.search("t", v, sparse=s, limit=5, now=0)} == {
            flagged.id,
            legacy.id,
        }
    store.close()


def test_a_search_keeps_the_canonical_top_and_each_kept_points_own_payload_and_vector(
    store: VectorStore,
) -> None:
    """The edge store ranks the raw candidates before converting the kept ones: ties at the
    cut still go by id, and every hit carries its own payload and vector."""
    points = [
        StoredPoint(p.id, p.vector, p.payload, sparse(t1=1.0))
        for p in (point(f"tie{i}", vector=[1.0, *([0.0] * (DIM - 1))]) for i in range(12))
    ]
    points += corpus(seed=9, n=20)
    store.upsert("t", points)
    by_id = {p.id: p for p in points}
    query = [1.0, *([0.0] * (DIM - 1))]
    for v, s in ((query, None), (None, sparse(t1=1.0)), (query, sparse(t1=1.0))):
        for limit in (1, 3, 7):
            found = store.search("t", v, sparse=s, limit=limit, now=100, with_vectors=True)
            assert len(found) == limit
            keys = [(-round(p.score, 6), p.id) for p in found]
            assert keys == sorted(keys)
            if v is not None and s is not None:
                # Hybrid fetches every fused candidate: the kept ones are a prefix of a wider
                # search (a single-list search leaves ties at its cut to the engine).
                wide = store.search("t", v, sparse=s, limit=40, now=100)
                assert [p.id for p in found] == [p.id for p in wide][:limit]
            for hit in found:
                assert hit.payload["doc"] == by_id[hit.id].payload["doc"]
                assert hit.vector is not None
                assert unit(hit.vector) == pytest.approx(unit(by_id[hit.id].vector), abs=1e-5)
