"""The VectorStore contract: every backend passes this same suite (edge and server, see conftest)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privrag.errors import InvalidInput, StoreUnavailable
from privrag.store import VectorStore

from .conftest import make_store, point, vec

A, B = "tenant-a", "tenant-b"


def ids(found: list) -> set[str]:  # type: ignore[type-arg]
    return {p.id for p in found}


def test_a_call_without_a_tenant_is_refused(store: VectorStore) -> None:
    calls = [
        lambda: store.ensure_tenant(""),
        lambda: store.upsert("", [point("d")]),
        lambda: store.search("", vec(1.0), limit=3, now=0),
        lambda: store.delete_document("", "d"),
        lambda: store.update_vectors("", [("x", vec(1.0))]),
        lambda: store.set_fields("", "d", {"hold": True}),
        lambda: store.count(""),
        lambda: list(store.points("")),
        lambda: store.scroll_points(""),
        lambda: store.drop_tenant(""),
    ]
    for call in calls:
        with pytest.raises(InvalidInput):
            call()


def test_an_unknown_tenant_is_empty(store: VectorStore) -> None:
    assert store.search(A, vec(1.0), limit=5, now=0) == []
    assert store.count(A) == 0
    assert list(store.points(A)) == []
    assert store.scroll_points(A) == ([], None)
    store.delete_document(A, "d")
    store.drop_tenant(A)


def test_tenants_see_only_their_own_points(store: VectorStore) -> None:
    store.ensure_tenant(A)
    store.ensure_tenant(B)
    store.upsert(A, [point("shared-name", i) for i in range(3)])
    store.upsert(B, [point("other", 0, vector=vec(0.0, 1.0))])
    assert store.count(A) == 3 and store.count(B) == 1
    assert all(
        p.payload["doc"] == "shared-name" for p in store.search(A, vec(0.0, 1.0), limit=10, now=0)
    )
    assert ids(store.search(B, vec(1.0), limit=10, now=0)) == {point("other").id}
    assert {p.payload["doc"] for p in store.points(B)} == {"other"}
    assert store.count(B, doc_uid="shared-name") == 0


def test_writes_through_one_tenant_never_touch_another(store: VectorStore) -> None:
    store.upsert(A, [point("d", 0), point("d", 1)])
    store.ensure_tenant(B)
    a_ids = [p.id for p in store.points(A)]
    store.delete_document(B, "d")
    store.set_fields(B, "d", {"hold": True})
    # Ids the tenant does not hold are skipped (server) or refused (edge); never applied.
    with contextlib.suppress(StoreUnavailable):
        store.update_vectors(B, [(pid, vec(0.0, 0.0, 1.0)) for pid in a_ids])
    store.drop_tenant(B)
    assert store.count(A) == 2
    assert all(p.payload["hold"] is False for p in store.points(A))
    top = store.search(A, vec(1.0), limit=1, now=0)[0]
    assert top.score > 0.9  # vectors unchanged


def test_two_tenants_may_use_the_same_point_id(store: VectorStore) -> None:
    store.upsert(A, [point("d", 0)])
    store.upsert(B, [point("d", 0, cls="secret")])
    assert [p.payload["cls"] for p in store.points(A)] == ["internal"]
    assert [p.id for p in store.points(A)] == [p.id for p in store.points(B)]
    store.delete_document(B, "d")
    assert store.count(A) == 1


def test_payloads_come_back_exactly_as_written(store: VectorStore) -> None:
    written = point("d", 0, extra_field="x")
    store.upsert(A, [written])
    assert [p.payload for p in store.points(A)] == [written.payload]
    assert store.search(A, vec(1.0), limit=1, now=0)[0].payload == written.payload


def test_search_hides_expired_points(store: VectorStore) -> None:
    store.upsert(A, [point("old", exp=100), point("new", exp=1_000)])
    assert {p.payload["doc"] for p in store.search(A, vec(1.0), limit=10, now=50)} == {"old", "new"}
    assert {p.payload["doc"] for p in store.search(A, vec(1.0), limit=10, now=100)} == {"new"}
    assert store.search(A, vec(1.0), limit=10, now=1_000) == []


def test_scroll_still_lists_expired_points(store: VectorStore) -> None:
    """Sweeps find what to delete by scrolling; expiry hides points from search only."""
    store.upsert(A, [point("old", exp=100)])
    assert [p.payload["doc"] for p in store.points(A)] == ["old"]
    assert store.count(A) == 1


def test_search_filters_by_classification(store: VectorStore) -> None:
    store.upsert(A, [point("p", cls="public"), point("s", cls="secret")])
    found = store.search(A, vec(1.0), limit=10, now=0, classifications=["public"])
    assert [p.payload["doc"] for p in found] == ["p"]


def test_search_orders_by_similarity_and_honours_limit(store: VectorStore) -> None:
    store.upsert(A, [point("x", i, vector=vec(1.0, float(i))) for i in range(5)])
    found = store.search(A, vec(1.0), limit=2, now=0)
    assert [p.payload["chunk"] for p in found] == [0, 1]
    assert found[0].score >= found[1].score


def test_delete_by_document_and_generation(store: VectorStore) -> None:
    store.upsert(
        A, [point("d", 0, gen=1), point("d", 1, gen=1), point("d", 0, gen=2), point("e", 0)]
    )
    store.delete_document(A, "d", only_generation=2)
    assert store.count(A, doc_uid="d") == 2
    store.upsert(A, [point("d", 0, gen=2)])
    store.delete_document(A, "d", except_generation=2)
    assert [p.payload["gen"] for p in store.points(A, doc_uid="d")] == [2]
    store.delete_document(A, "d")
    assert store.count(A, doc_uid="d") == 0 and store.count(A) == 1
    store.delete_document(A, "d")  # idempotent


def test_delete_many_documents_in_one_call_touches_only_them(store: VectorStore) -> None:
    store.upsert(A, [point("d", 0), point("d", 1), point("e", 0), point("f", 0)])
    store.upsert(B, [point("d", 0)])
    store.delete_documents(A, ["d", "e", "absent"])
    assert [p.payload["doc"] for p in store.points(A)] == ["f"]
    assert store.count(B, doc_uid="d") == 1  # the other tenant's document of the same id stays
    store.delete_documents(A, ["d"])  # idempotent
    store.delete_documents(A, [])
    assert store.count(A) == 1


def test_reingest_replaces_points_in_place(store: VectorStore) -> None:
    store.upsert(A, [point("d", 0)])
    store.upsert(A, [point("d", 0, vector=vec(0.0, 1.0), cls="secret")])
    assert store.count(A) == 1
    assert [p.payload["cls"] for p in store.points(A)] == ["secret"]


def test_set_fields_and_update_vectors(store: VectorStore) -> None:
    store.upsert(A, [point("d", 0), point("d", 1), point("e", 0)])
    store.set_fields(A, "d", {"exp": 5, "hold": True})
    by_doc = {(p.payload["doc"], p.payload["chunk"]): p.payload for p in store.points(A)}
    assert by_doc[("d", 0)]["exp"] == 5 and by_doc[("d", 1)]["hold"] is True
    assert by_doc[("e", 0)]["exp"] == 10_000
    target = point("e", 0).id
    store.update_vectors(A, [(target, vec(0.0, 0.0, 1.0))])
    assert store.search(A, vec(0.0, 0.0, 1.0), limit=1, now=0)[0].id == target


def test_counts(store: VectorStore) -> None:
    store.upsert(A, [point("d", i) for i in range(4)] + [point("e", 0)])
    assert store.count(A) == 5
    assert store.count(A, doc_uid="d") == 4
    assert store.count(A, doc_uid="missing") == 0


def test_scroll_pages_cover_every_point_once(store: VectorStore) -> None:
    written = [point("d", i) for i in range(7)]
    store.upsert(A, written)
    store.upsert(B, [point("z", 0)])
    seen, offset, pages = [], None, 0
    while True:
        page, offset = store.scroll_points(A, offset=offset, limit=3)
        seen += page
        pages += 1
        if offset is None:
            break
    assert pages == 3
    assert sorted(p.id for p in seen) == sorted(p.id for p in written)
    assert all(len(p.vector) == len(written[0].vector) for p in seen)
    assert {p.payload["doc"] for p in seen} == {"d"}


def test_drop_tenant_removes_everything(store: VectorStore) -> None:
    store.upsert(A, [point("d", 0)])
    store.upsert(B, [point("d", 0)])
    store.drop_tenant(A)
    assert store.count(A) == 0 and list(store.points(A)) == []
    assert store.count(B) == 1
    store.upsert(A, [point("d", 1)])  # the tenant can come back empty
    assert store.count(A) == 1


def test_compact_keeps_live_points(store: VectorStore) -> None:
    store.upsert(A, [point("d", i) for i in range(3)])
    store.delete_document(A, "d", only_generation=1)
    store.upsert(A, [point("e", 0)])
    store.compact(A)
    assert store.count(A) == 1


@pytest.mark.parametrize(
    "kind",
    [pytest.param("edge", marks=pytest.mark.slow), "server"],  # edge: ~1 s per shard
)
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    layout=st.lists(
        st.tuples(
            st.sampled_from(["t1", "t2", "t3"]), st.sampled_from(["d1", "d2"]), st.integers(0, 4)
        ),
        min_size=1,
        max_size=12,
    ),
    probe=st.floats(-1, 1),
)
def test_no_search_returns_another_tenants_point(
    kind: str,
    tmp_path_factory: pytest.TempPathFactory,
    layout: list[tuple[str, str, int]],
    probe: float,
) -> None:
    store = make_store(kind, tmp_path_factory.mktemp(kind))
    try:
        owner: dict[str, str] = {}
        batches: dict[str, list] = {}  # type: ignore[type-arg]
        for tenant, doc, chunk in layout:
            p = point(f"{tenant}-{doc}", chunk)
            owner[p.id] = tenant
            batches.setdefault(tenant, []).append(p)
        for tenant, batch in batches.items():
            store.upsert(tenant, batch)
        for tenant in ("t1", "t2", "t3"):
            for hit in store.search(tenant, vec(probe, 1.0), limit=20, now=0):
                assert owner[hit.id] == tenant
    finally:
        store.close()


def test_search_can_leave_out_flagged_points_and_keeps_points_from_before_screening(
    store: VectorStore,
) -> None:
    """``exclude_flags`` drops points carrying a flag; a point stored before screening (no
    ``flags`` field) and one with an empty list both stay. Without it, nothing is dropped."""
    store.upsert(
        A,
        [
            point("bad", flags=["prompt_injection"], scr=0.97),
            point("clean", flags=[], scr=0.01),
            point("legacy"),
        ],
    )
    everything = store.search(A, vec(1.0), limit=10, now=0)
    assert {p.payload["doc"] for p in everything} == {"bad", "clean", "legacy"}
    kept = store.search(A, vec(1.0), limit=10, now=0, exclude_flags=["prompt_injection"])
    assert {p.payload["doc"] for p in kept} == {"clean", "legacy"}
    assert store.search(A, vec(1.0), limit=10, now=0, exclude_flags=[]) == everything
