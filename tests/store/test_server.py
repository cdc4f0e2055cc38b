"""The scale-out backend beyond the shared contract: tiers, promotion, settings, errors, replicas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from qdrant_client import QdrantClient, models

from privrag.config import load_settings
from privrag.errors import ConfigError, InvalidInput, StoreUnavailable
from privrag.store import open_store
from privrag.store.edge import EdgeStore
from privrag.store.server import ServerStore
from privrag.store.server_support import (
    DEDICATED,
    PROMOTING,
    SHARED,
    TENANT_FIELD,
    ServerStoreConfig,
    server_config,
)
from tests.conftest import doc

from .conftest import DIM, point, vec


class Recording:
    """A real in-process client that also records the calls that shape the cluster."""

    def __init__(self) -> None:
        self.client = QdrantClient(":memory:")
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.client, name)
        if name not in ("create_collection", "create_payload_index", "create_shard_key"):
            return target

        def record(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            return target(*args, **kwargs)

        return record


def server(**cfg: Any) -> tuple[ServerStore, Recording]:
    rec = Recording()
    store = ServerStore(
        ServerStoreConfig(":memory:", placement_cache_s=0, **cfg),
        dim=lambda: DIM,
        client=rec,  # type: ignore[arg-type]
        sleep=lambda _s: None,
    )
    return store, rec


def raw(rec: Recording, collection: str) -> list[models.Record]:
    return rec.client.scroll(collection, limit=1000, with_payload=True)[0]


def test_small_tenants_share_one_collection_with_an_is_tenant_index() -> None:
    store, rec = server(replication_factor=2, write_consistency_factor=2, shard_number=3)
    store.upsert("a", [point("d", 0)])
    store.upsert("b", [point("d", 1)])
    assert store.placement("a").tier == SHARED  # type: ignore[union-attr]
    assert {r.payload[TENANT_FIELD] for r in raw(rec, "privrag_shared")} == {"a", "b"}  # type: ignore[index]
    created = {args[0]: kw for name, args, kw in rec.calls if name == "create_collection"}
    assert created["privrag_shared"]["replication_factor"] == 2
    assert created["privrag_shared"]["shard_number"] == 3
    assert created["privrag_shared"]["write_consistency_factor"] == 2
    indexes = {
        args[1]: kw["field_schema"]
        for name, args, kw in rec.calls
        if name == "create_payload_index" and args[0] == "privrag_shared"
    }
    assert indexes[TENANT_FIELD].is_tenant is True
    assert {"exp", "cls", "doc", "gen", "hold"} <= set(indexes)


def test_tenant_ids_that_could_escape_a_collection_name_are_refused() -> None:
    store, _ = server()
    for bad in ("../x", "a b", "x" * 65, "a/b"):
        with pytest.raises(InvalidInput):
            store.ensure_tenant(bad)


def test_shard_key_buckets_spread_tenants_deterministically() -> None:
    store, _ = server(shard_key_buckets=4)
    keys = {store._shard_key(f"tenant-{i}") for i in range(40)}
    assert keys == {"b0", "b1", "b2", "b3"}
    assert store._shard_key("tenant-1") == store._shard_key("tenant-1")


def test_promotion_moves_a_tenant_and_resumes_after_a_crash() -> None:
    store, rec = server()
    written = [point("d", i, vector=vec(1.0, i / 10)) for i in range(9)]
    store.upsert("big", written)
    store.upsert("small", [point("d", 0)])
    before = store.search("big", vec(1.0, 0.3), limit=5, now=0)

    stopped = store.promote("big", batch=2, stop_after=2)  # "crash" after two pages
    assert stopped.tier == PROMOTING and stopped.cursor is not None
    # While promoting, reads still come from the shared collection and writes go to both.
    assert store.count("big") == 9
    store.upsert("big", [point("late", 0)])
    store.delete_document("big", "d", only_generation=1)
    store.upsert("big", [point("d", 0, gen=2)])

    done = store.promote("big", batch=2)
    assert done.tier == DEDICATED
    assert store.placement("big") == done
    assert {(p.payload["doc"], p.payload["gen"]) for p in store.points("big")} == {
        ("late", 1),
        ("d", 2),
    }
    assert {r.payload[TENANT_FIELD] for r in raw(rec, "privrag_shared")} == {"small"}  # type: ignore[index]
    assert len(raw(rec, "privrag_t_big")) == 2
    assert store.promote("big").tier == DEDICATED  # rerun is a no-op
    assert before  # searched fine before the move


def test_a_promoted_tenant_answers_the_same_queries() -> None:
    store, _ = server()
    store.upsert("big", [point("d", i, vector=vec(1.0, i / 7)) for i in range(12)])
    before = [(p.id, round(p.score, 5)) for p in store.search("big", vec(1.0, 0.5), limit=6, now=0)]
    store.promote("big", batch=5)
    after = [(p.id, round(p.score, 5)) for p in store.search("big", vec(1.0, 0.5), limit=6, now=0)]
    assert after == before
    store.drop_tenant("big")
    assert store.placement("big") is None
    assert store.count("big") == 0


def test_an_unreachable_server_is_store_unavailable() -> None:
    store = ServerStore(
        ServerStoreConfig("http://127.0.0.1:9", timeout_s=1, placement_cache_s=0),
        dim=lambda: DIM,
    )
    with pytest.raises(StoreUnavailable) as err:
        store.search("a", vec(1.0), limit=1, now=0)
    assert err.value.__cause__ is not None
    store.close()


def test_vendor_errors_never_escape() -> None:
    class Broken:
        def __getattr__(self, name: str) -> Any:
            def fail(*_a: Any, **_k: Any) -> Any:
                raise ValueError("Collection privrag_shared not found")

            return fail

    store = ServerStore(ServerStoreConfig(":memory:"), dim=lambda: DIM, client=Broken())  # type: ignore[arg-type]
    for call in (
        lambda: store.ensure_tenant("a"),
        lambda: store.upsert("a", [point("d")]),
        lambda: store.count("a"),
        lambda: store.close(),
    ):
        with pytest.raises(StoreUnavailable):
            call()


def test_settings_pick_the_backend(tmp_path: Path, master_key: str) -> None:
    base = {"data_dir": tmp_path, "master_key": master_key}
    embedded = open_store(load_settings(**base), dim=lambda: DIM)
    assert isinstance(embedded, EdgeStore)
    embedded.close()
    scaled = load_settings(
        **base,
        qdrant_url="https://qdrant.example:6333",
        qdrant_api_key="k" * 32,
        qdrant_replication_factor=2,
        qdrant_shard_number=6,
        qdrant_write_consistency_factor=2,
        qdrant_ca_cert=tmp_path / "ca.pem",
    )
    cfg = server_config(scaled)
    assert (cfg.replication_factor, cfg.shard_number, cfg.write_consistency_factor) == (2, 6, 2)
    assert cfg.verify == str(tmp_path / "ca.pem") and cfg.api_key == "k" * 32
    local = open_store(load_settings(**base, qdrant_url=":memory:"), dim=lambda: DIM)
    assert isinstance(local, ServerStore)
    local.close()


@pytest.mark.parametrize(
    "overrides",
    [
        {"qdrant_url": "qdrant:6333"},
        {"qdrant_url": "http://qdrant.example:6333", "qdrant_api_key": "secret"},
        {"qdrant_url": "https://qdrant.example:6333", "qdrant_tls_verify": False},
        {
            "qdrant_url": "https://q.example",
            "qdrant_replication_factor": 1,
            "qdrant_write_consistency_factor": 2,
        },
        {"qdrant_url": "https://q.example", "qdrant_write_ordering": "eventual"},
    ],
)
def test_insecure_or_inconsistent_qdrant_settings_are_refused(
    overrides: dict[str, object], tmp_path: Path, master_key: str
) -> None:
    with pytest.raises(ConfigError):
        load_settings(data_dir=tmp_path, master_key=master_key, **overrides)


def test_api_key_over_http_is_fine_on_loopback(tmp_path: Path, master_key: str) -> None:
    load_settings(
        data_dir=tmp_path,
        master_key=master_key,
        qdrant_url="http://127.0.0.1:6333",
        qdrant_api_key="secret",
    )


@pytest.mark.slow
def test_two_replicas_on_one_catalog_and_store_serve_the_same_tenants(
    tmp_path: Path, settings_for, scrubber, embedder, clock
) -> None:  # type: ignore[no-untyped-def]
    """Scale-out takes no data-dir lock: two service processes share a catalog and a cluster."""
    from privrag.service import PrivRAG

    shared = ServerStore(ServerStoreConfig(":memory:", placement_cache_s=0), dim=lambda: 384)
    settings = settings_for(tmp_path / "data", qdrant_url=":memory:")

    def replica() -> PrivRAG:
        return PrivRAG(settings, scrubber=scrubber, embedder=embedder, store=shared, clock=clock)

    one, two = replica(), replica()
    try:
        one.tenants.create("acme")
        two.tenants.create("globex")
        one.ingest("acme", [doc("a1", "The acme rollout plan moves to the Frankfurt region.")])
        two.ingest("globex", [doc("g1", "Globex payroll closes on the fifth working day.")])
        for rag in (one, two):
            acme = rag.query("acme", "Where does the rollout go?", k=3)
            globex = rag.query("globex", "When does payroll close?", k=3)
            assert [h.doc_id for h in acme.hits] == ["a1"]
            assert [h.doc_id for h in globex.hits] == ["g1"]
        two.delete("acme", "a1")
        assert one.query("acme", "Where does the rollout go?", k=3).hits == []
    finally:
        one.close()
        two.close()
        shared.close()


@pytest.mark.slow
def test_two_replicas_on_one_postgresql_catalog_and_one_store_serve_the_same_tenants(
    tmp_path: Path, settings_for, postgres_db, scrubber, embedder, clock
) -> None:  # type: ignore[no-untyped-def]
    """Scale-out proper: each replica has its own data dir, and the catalog lives on a
    PostgreSQL server, so nothing the replicas share is a local file except the keystore."""
    from privrag.service import PrivRAG

    shared = ServerStore(ServerStoreConfig(":memory:", placement_cache_s=0), dim=lambda: 384)
    catalog_url = postgres_db()
    keys = tmp_path / "keys"

    def replica(name: str) -> PrivRAG:
        settings = settings_for(
            tmp_path / name, qdrant_url=":memory:", catalog_url=catalog_url, keystore_dir=keys
        )
        return PrivRAG(settings, scrubber=scrubber, embedder=embedder, store=shared, clock=clock)

    one, two = replica("one"), replica("two")
    try:
        assert one._runtime.catalog.dialect == two._runtime.catalog.dialect == "postgresql"
        one.tenants.create("acme")
        assert [t.name for t in two.tenants.list()] == ["acme"]
        one.ingest("acme", [doc("a1", "The acme rollout plan moves to the Frankfurt region.")])
        two.ingest("acme", [doc("a2", "Acme payroll closes on the fifth working day.")])
        for rag in (one, two):
            hits = rag.query("acme", "Where does the rollout go?", k=1).hits
            assert [h.doc_id for h in hits] == ["a1"]
            assert rag.get_document("acme", "a2").doc_id == "a2"
        two.delete("acme", "a1")
        assert all(h.doc_id != "a1" for h in one.query("acme", "rollout Frankfurt", k=5).hits)
        assert one.list_documents("acme") == ["a2"]
        assert (
            one._runtime.catalog.journal.pending() == []
        )  # the deleting replica finished its store work
    finally:
        one.close()
        two.close()
        shared.close()
