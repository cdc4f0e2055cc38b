"""The catalog, method group by method group, on SQLite and on PostgreSQL through one code path.

Every test runs on both databases; the PostgreSQL half needs ``PRIVRAG_TEST_POSTGRES_URL`` (set by
``.ci/run``, which starts a real server) and is reported as skipped, never as passed, without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from privrag.catalog import (
    ApiKeyRow,
    Catalog,
    DocumentRow,
    ModelRow,
    Offboarding,
    Operation,
    ReembedJob,
    migrations,
)
from privrag.catalog.schema import metadata
from privrag.config import load_settings
from privrag.errors import ConfigError, Conflict, StoreUnavailable
from privrag.models import NEVER_EXPIRES, Tenant

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path, postgres_db) -> Path | str:  # type: ignore[no-untyped-def]
    """Where a catalog lives: a SQLite file, or a fresh PostgreSQL database."""
    return tmp_path / "catalog.db" if request.param == "sqlite" else postgres_db()


@pytest.fixture
def catalog(target: Path | str) -> Iterator[Catalog]:
    made = Catalog(target)
    yield made
    made.close()


def tenant(catalog: Catalog, name: str = "acme") -> str:
    catalog.tenants.add(Tenant(f"t-{name}", name, 100), {"retention": {"days": 3}})
    return f"t-{name}"


def row(tenant_id: str, uid: str, **fields: object) -> DocumentRow:
    values: dict[str, object] = {
        "tenant_id": tenant_id,
        "doc_uid": uid,
        "generation": 1,
        "wrapped_key": b"\x00wrapped-" + uid.encode(),
        "key_version": 1,
        "sealed_meta": b"\xffsealed",
        "chunk_count": 2,
        "classification": "internal",
        "expires_at": NEVER_EXPIRES,
        "ingested_at": 1_000,
        "hold": False,
    }
    values.update(fields)
    return DocumentRow(**values)  # type: ignore[arg-type]


def ingest(catalog: Catalog, r: DocumentRow, tags: tuple[str, ...] = ()) -> int:
    journal_id = catalog.journal.begin_ingest(r.tenant_id, r.doc_uid, r.generation, r.ingested_at)
    gc_id = catalog.journal.commit_ingest(journal_id, r, tags)
    catalog.journal.finish(gc_id)
    return gc_id


def columns(url: str) -> dict[str, dict[str, bool]]:
    """table -> column -> nullable, as the database reports it (alembic's own table left out)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        found = inspect(engine)
        return {
            t: {c["name"]: bool(c["nullable"]) for c in found.get_columns(t)}
            for t in found.get_table_names()
            if t != "alembic_version"
        }
    finally:
        engine.dispose()


def url_of(target: Path | str) -> str:
    return f"sqlite:///{target}" if isinstance(target, Path) else target


# schema and migrations


def test_a_fresh_catalog_is_migrated_to_head_and_matches_the_metadata(
    catalog: Catalog, target: Path | str
) -> None:
    expected = {
        t.name: {c.name: bool(c.nullable) for c in t.columns} for t in metadata.sorted_tables
    }
    assert columns(url_of(target)) == expected
    engine = create_engine(url_of(target), poolclass=NullPool)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
            migrations.head()
        )
    engine.dispose()


def test_sqlite_and_postgresql_end_up_with_the_same_tables_and_columns(
    tmp_path: Path, postgres_db: Callable[[], str]
) -> None:
    server = postgres_db()
    Catalog(tmp_path / "catalog.db").close()
    Catalog(server).close()
    assert columns(url_of(tmp_path / "catalog.db")) == columns(server)


def test_reopening_runs_no_migration_twice_and_keeps_the_rows(target: Path | str) -> None:
    first = Catalog(target)
    tenant(first)
    first.close()
    again = Catalog(target)
    assert [t.name for t in again.tenants.all()] == ["acme"]
    again.close()


def test_a_catalog_made_before_migrations_is_adopted_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.begin() as conn:  # the tables the pre-Alembic catalog made, and no version
        migrations.upgrade(conn, migrations.FIRST_REVISION)
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.exec_driver_sql("INSERT INTO tenants (id, name, created_at) VALUES ('t-old', 'o', 1)")
        conn.exec_driver_sql(
            "INSERT INTO journal (tenant_id, kind, created_at) VALUES ('t-old', 'rotate', 1)"
        )
    engine.dispose()
    catalog = Catalog(path)
    assert [t.name for t in catalog.tenants.all()] == ["o"]
    assert [e.kind for e in catalog.journal.pending()] == ["rotate"]
    catalog.close()


def test_an_older_schema_with_rows_is_upgraded_in_place(target: Path | str) -> None:
    engine = create_engine(url_of(target), poolclass=NullPool)
    with engine.begin() as conn:
        migrations.upgrade(conn, migrations.FIRST_REVISION)
        conn.exec_driver_sql("INSERT INTO tenants (id, name, created_at) VALUES ('t-old', 'o', 1)")
        conn.exec_driver_sql(
            "INSERT INTO operations (id, tenant_id, kind, state, plan, created_at) "
            "VALUES ('op', 't-old', 'forget', 'committed', '{}', 1)"
        )
        conn.execute(
            text(
                "INSERT INTO api_keys (key_id, key_hash, kind, scopes, label, created_at) "
                "VALUES ('op1', :hash, 'operator', '[\"admin\"]', 'alice', 1)"
            ),
            {"hash": b"\x01"},
        )
    engine.dispose()
    catalog = Catalog(target)
    assert [t.name for t in catalog.tenants.all()] == ["o"]
    # Rows from before owners existed belong to nobody alive: recovery picks them up.
    assert [o.id for o in catalog.journal.operations()] == ["op"]
    # Keys from before creators were recorded are roots, as if made on the host.
    old_key = catalog.api_keys.get("op1")
    assert old_key is not None and old_key.label == "alice" and old_key.created_by is None
    catalog.close()


def test_sqlite_keeps_wal_full_sync_and_secure_delete(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    catalog = Catalog(path)
    engine = catalog._db.engine
    with engine.connect() as conn:
        pragma = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "secure_delete", "foreign_keys")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "secure_delete": 1,
        "foreign_keys": 1,
    }
    catalog.close()


def test_sqlite_writes_take_the_write_lock_at_begin_and_reads_do_not(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    with catalog._db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
    statements: list[str] = []
    raw.set_trace_callback(statements.append)  # type: ignore[union-attr]
    catalog.tenants.add(Tenant("t-1", "acme", 1), {})
    catalog.tenants.all()
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN"]
    catalog.close()


def test_an_unreachable_server_is_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable) as err:
        Catalog("postgresql+psycopg://privrag:secret@127.0.0.1:1/privrag?connect_timeout=2")
    assert "secret" not in str(err.value)


def test_catalog_urls_are_checked_at_load_time(tmp_path: Path, master_key: str) -> None:
    ok = [
        "postgresql+psycopg://u@127.0.0.1:5432/db",
        "postgresql+psycopg://u@db.internal/db?sslmode=verify-full",
        f"sqlite:///{tmp_path}/other.db",
    ]
    for url in ok:
        load_settings(data_dir=tmp_path, master_key=master_key, catalog_url=url)
    for url in ("mysql://u@127.0.0.1/db", "postgresql+psycopg://u@db.internal/db"):
        with pytest.raises(ConfigError):
            load_settings(data_dir=tmp_path, master_key=master_key, catalog_url=url)
    load_settings(
        data_dir=tmp_path,
        master_key=master_key,
        catalog_url="postgresql+psycopg://u@db.internal/db",
        catalog_plaintext_private_network=True,
    )


def test_a_replica_recovers_only_what_a_gone_process_left(postgres_db) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: journal entries and operations belong to the process that wrote them until
    that process is gone; then exactly one other replica claims them."""
    url = postgres_db()
    one, two = Catalog(url), Catalog(url)
    try:
        tid = tenant(one)
        entry = one.journal.begin_ingest(tid, "u1", 1, 5)  # one is mid-ingest
        one.journal.begin_operation(Operation("op", tid, "forget", "committed", {}, 1))
        assert (
            two.journal.pending() == [] and two.journal.operations() == []
        )  # a starting replica leaves it
        assert [e.id for e in one.journal.pending()] == [entry]
        one.close()  # killed, crashed or closed: its session and lock are gone
        three = Catalog(url)
        assert [e.id for e in two.journal.pending()] == [entry]
        assert [o.id for o in two.journal.operations()] == ["op"]
        assert (
            three.journal.pending() == [] and three.journal.operations() == []
        )  # two claimed them first
        three.close()
    finally:
        one.close()
        two.close()


# tenants


def test_tenants_round_trip_and_names_are_unique(catalog: Catalog) -> None:
    tid = tenant(catalog)
    tenant(catalog, "beta")
    assert catalog.tenants.by_name("acme") == Tenant(tid, "acme", 100, "active")
    assert catalog.tenants.by_id(tid) == Tenant(tid, "acme", 100, "active")
    assert catalog.tenants.by_name("nobody") is None and catalog.tenants.by_id("t-x") is None
    assert [t.name for t in catalog.tenants.all()] == ["acme", "beta"]
    with pytest.raises(Conflict):
        catalog.tenants.add(Tenant("t-other", "acme", 1), {})
    catalog.tenants.set_status(tid, "suspended")
    assert catalog.tenants.by_id(tid).status == "suspended"  # type: ignore[union-attr]
    assert catalog.tenants.settings(tid) == {"retention": {"days": 3}}
    catalog.tenants.set_settings(tid, {"hold": True})
    assert catalog.tenants.settings(tid) == {"hold": True}
    assert catalog.tenants.settings("t-x") == {}


# documents and tags


def test_documents_round_trip_with_bytes_flags_and_far_expiry(catalog: Catalog) -> None:
    tid = tenant(catalog)
    first = row(tid, "u1", hold=True, retention_days=7, generation=(1 << 48) - 1)
    ingest(catalog, first, ("tag-a", "tag-b"))
    ingest(catalog, row(tid, "u0", ingested_at=2_000), ("tag-a",))
    assert catalog.documents.get(tid, "u1") == first
    assert catalog.documents.get(tid, "missing") is None
    assert [r.doc_uid for r in catalog.documents.list(tid)] == ["u1", "u0"]  # by ingested_at
    assert catalog.documents.with_tag(tid, "tag-a") == ["u0", "u1"]
    assert catalog.documents.with_tag(tid, "tag-b") == ["u1"]
    assert catalog.documents.list("t-other") == []


def test_documents_by_uid_spans_batches(catalog: Catalog) -> None:
    tid = tenant(catalog)
    uids = [f"u{i:04d}" for i in range(1_203)]
    for uid in uids[:3]:
        ingest(catalog, row(tid, uid))
    assert sorted(r.doc_uid for r in catalog.documents.list(tid, uids)) == uids[:3]
    assert catalog.documents.list(tid, []) == []


def test_documents_by_uid_are_the_tenants_own_rows_call_after_call(catalog: Catalog) -> None:
    """The by-uid read is one prepared statement: its parameters, not the first call's values,
    decide each call (another tenant's document of the same uid never answers)."""
    tid, other = tenant(catalog), tenant(catalog, "other")
    ingest(catalog, row(tid, "u1"))
    ingest(catalog, row(other, "u1", ingested_at=5))
    ingest(catalog, row(other, "u2"))
    for _ in range(2):
        assert catalog.documents.list(tid, ["u1", "u2", "u1"]) == [catalog.documents.get(tid, "u1")]
        theirs = sorted(catalog.documents.list(other, ["u2", "u1"]), key=lambda r: r.doc_uid)
        assert theirs == [catalog.documents.get(other, "u1"), catalog.documents.get(other, "u2")]
        assert catalog.documents.list(tid, ["u2"]) == []


def test_a_new_generation_replaces_the_row_and_its_tags(catalog: Catalog) -> None:
    tid = tenant(catalog)
    ingest(catalog, row(tid, "u1"), ("old",))
    ingest(catalog, row(tid, "u1", generation=2, chunk_count=5), ("new", "new"))
    assert catalog.documents.get(tid, "u1").generation == 2  # type: ignore[union-attr]
    assert catalog.documents.with_tag(tid, "old") == []
    assert catalog.documents.with_tag(tid, "new") == ["u1"]


# journal


def test_the_journal_owes_store_work_until_finished(catalog: Catalog) -> None:
    tid = tenant(catalog)
    j1 = catalog.journal.begin_ingest(tid, "u1", 1, 1_000)
    assert [(e.id, e.kind, e.generation) for e in catalog.journal.pending()] == [(j1, "ingest", 1)]
    gc = catalog.journal.commit_ingest(j1, row(tid, "u1"), ())
    assert gc > j1
    assert [(e.id, e.kind, e.doc_uid) for e in catalog.journal.pending()] == [(gc, "gc", "u1")]
    catalog.journal.finish(gc)
    assert catalog.journal.pending() == []


def test_removing_documents_commits_the_operation_and_journals_cleanup(catalog: Catalog) -> None:
    tid = tenant(catalog)
    for uid in ("u1", "u2", "u3"):
        ingest(catalog, row(tid, uid), ("tag",))
    catalog.journal.begin_operation(Operation("op1", tid, "forget", "planned", {"uids": ["u1"]}, 5))
    ids = catalog.documents.remove(tid, ["u1", "u2"], 2_000, operation_id="op1")
    entries = catalog.journal.pending()
    assert [e.id for e in entries] == ids
    assert [(e.kind, e.doc_uid, e.generation) for e in entries] == [
        ("gc", "u1", None),
        ("gc", "u2", None),
        ("rotate", None, None),
    ]
    assert [r.doc_uid for r in catalog.documents.list(tid)] == ["u3"]
    assert catalog.documents.with_tag(tid, "tag") == ["u3"]
    assert catalog.journal.operations()[0].state == "committed"


def test_rewrap_replaces_wrapped_keys(catalog: Catalog) -> None:
    tid = tenant(catalog)
    ingest(catalog, row(tid, "u1"))
    ingest(catalog, row(tid, "u2"))
    catalog.documents.rewrap(tid, [("u1", b"new-1", 2), ("u2", b"new-2", 2)])
    catalog.documents.rewrap(tid, [])
    assert [(r.wrapped_key, r.key_version) for r in catalog.documents.list(tid)] == [
        (b"new-1", 2),
        (b"new-2", 2),
    ]


# retention: expiry, holds, operations, offboarding


def test_expiry_and_holds(catalog: Catalog) -> None:
    tid = tenant(catalog)
    ingest(catalog, row(tid, "soon", expires_at=500))
    ingest(catalog, row(tid, "later", expires_at=900))
    ingest(catalog, row(tid, "never"))
    assert [r.doc_uid for r in catalog.documents.expired(tid, 900)] == ["soon", "later"]
    catalog.documents.set_expiry(tid, [("later", 5_000)])
    assert [r.doc_uid for r in catalog.documents.expired(tid, 900)] == ["soon"]
    catalog.documents.set_hold(tid, "soon", True)
    assert catalog.documents.get(tid, "soon").hold is True  # type: ignore[union-attr]
    catalog.documents.set_hold(tid, "soon", False)
    assert catalog.documents.get(tid, "soon").hold is False  # type: ignore[union-attr]


def test_operations_are_listed_in_order_and_dropped(catalog: Catalog) -> None:
    tid = tenant(catalog)
    catalog.journal.begin_operation(Operation("b", tid, "sweep", "planned", {"n": 1}, 20))
    catalog.journal.begin_operation(Operation("a", tid, "forget", "planned", {"n": [2]}, 10))
    with pytest.raises(Conflict):
        catalog.journal.begin_operation(Operation("a", tid, "forget", "planned", {}, 10))
    assert [(o.id, o.plan) for o in catalog.journal.operations()] == [
        ("a", {"n": [2]}),
        ("b", {"n": 1}),
    ]
    catalog.journal.drop_operation("a")
    assert [o.id for o in catalog.journal.operations()] == ["b"]


def test_offboarding_requests_are_decided_once_recorded(catalog: Catalog) -> None:
    tid = tenant(catalog)
    catalog.offboarding.add(Offboarding("r1", tid, "op-a", 10, "pending", None, None))
    assert catalog.offboarding.get("r1") == Offboarding(
        "r1", tid, "op-a", 10, "pending", None, None
    )
    catalog.offboarding.decide("r1", "approved", "op-b", 20)
    assert catalog.offboarding.get("r1") == Offboarding(
        "r1", tid, "op-a", 10, "approved", "op-b", 20
    )
    assert catalog.offboarding.get("r2") is None


# API keys


def test_api_keys_are_listed_per_tenant_and_revoked_once(catalog: Catalog) -> None:
    tid = tenant(catalog)
    key = ApiKeyRow("k1", b"\x01hash", "tenant", tid, frozenset({"read", "write"}), "ci", 10, None)
    op = ApiKeyRow("k2", b"\x02hash", "operator", None, frozenset({"admin"}), "", 20, None)
    minted = ApiKeyRow(
        "k3", b"\x03hash", "operator", None, frozenset({"admin"}), "", 25, None, "k2"
    )
    catalog.api_keys.add(key)
    catalog.api_keys.add(op)
    catalog.api_keys.add(minted)
    with pytest.raises(Conflict):
        catalog.api_keys.add(key)
    assert catalog.api_keys.get("k1") == key
    assert catalog.api_keys.get("nope") is None
    assert catalog.api_keys.get("k3") == minted and minted.created_by == "k2"
    assert catalog.api_keys.list() == [key, op, minted]
    assert catalog.api_keys.list(tid) == [key]
    assert catalog.api_keys.revoke("k1", 30) is True
    assert catalog.api_keys.revoke("k1", 40) is False
    assert catalog.api_keys.get("k1").revoked_at == 30  # type: ignore[union-attr]


# models, lineage, activations, re-embedding, privacy ledger


def test_models_and_their_lineage(catalog: Catalog) -> None:
    tid = tenant(catalog)
    m1 = ModelRow("m1", tid, 1, 10, True, 1.5, 1e-5, "models/m1")
    m2 = ModelRow("m2", tid, 2, 20, False, None, None, "models/m2")
    catalog.models.add(m1, ["u1", "u2", "u2"])
    catalog.models.add(m2, [])
    with pytest.raises(Conflict):  # versions are unique per tenant
        catalog.models.add(ModelRow("m3", tid, 2, 30, False, None, None, "models/m3"), [])
    assert catalog.models.list(tid) == [m1, m2]
    assert catalog.models.get(tid, "m1") == m1 and catalog.models.get("t-other", "m1") is None
    assert catalog.models.lineage("m1") == ["u1", "u2"]
    assert catalog.models.trained_on(tid, ["u2", "u9"]) == ["m1"]
    assert catalog.models.trained_on(tid, []) == []
    catalog.models.flag(tid, ["m1"], "retrain_required")
    catalog.models.flag(tid, [], "ignored")
    assert catalog.models.get(tid, "m1").flagged == "retrain_required"  # type: ignore[union-attr]


def test_reembed_jobs_activate_and_roll_back(catalog: Catalog) -> None:
    tid = tenant(catalog)
    catalog.models.begin_reembed(ReembedJob(tid, "activate", "m1", 0, "", 10))
    with pytest.raises(Conflict):  # one job per tenant
        catalog.models.begin_reembed(ReembedJob(tid, "activate", "m2", 0, "", 11))
    catalog.models.advance_reembed(tid, 1_000, "u5")
    assert catalog.models.reembed_jobs(tid) == [ReembedJob(tid, "activate", "m1", 1_000, "u5", 10)]
    catalog.models.finish_reembed(tid, 50)
    assert catalog.models.reembed_jobs() == [] and catalog.models.activations(tid) == ["m1"]
    catalog.models.begin_reembed(ReembedJob(tid, "activate", None, 0, "", 60))
    catalog.models.finish_reembed(tid, 70)
    assert catalog.models.activations(tid) == ["m1", None]
    catalog.models.begin_reembed(ReembedJob(tid, "rollback", "m1", 0, "", 80))
    catalog.models.finish_reembed(tid, 90)
    catalog.models.finish_reembed(tid, 95)  # nothing pending: nothing happens
    assert catalog.models.activations(tid) == ["m1"]


def test_the_privacy_ledger_is_compare_and_set(catalog: Catalog) -> None:
    tid = tenant(catalog)
    assert catalog.privacy.load(tid) is None
    assert catalog.privacy.save(tid, {"spent": 1.0}, 0) == 1
    with pytest.raises(Conflict):
        catalog.privacy.save(tid, {"spent": 9.0}, 0)
    assert catalog.privacy.save(tid, {"spent": 2.0}, 1) == 2
    assert catalog.privacy.load(tid) == ({"spent": 2.0}, 2)


def test_two_replicas_on_one_catalog_cannot_both_charge_the_budget(target: Path | str) -> None:
    one, two = Catalog(target), Catalog(target)
    try:
        tid = tenant(one)
        assert two.tenants.by_id(tid) is not None
        seen_one, seen_two = one.privacy.load(tid), two.privacy.load(tid)
        assert seen_one is None and seen_two is None
        one.privacy.save(tid, {"spent": 1.0}, 0)
        with pytest.raises(Conflict):
            two.privacy.save(tid, {"spent": 1.0}, 0)
    finally:
        one.close()
        two.close()


# offboarding purge


def test_purge_removes_every_row_of_the_tenant_and_keeps_the_evidence(catalog: Catalog) -> None:
    tid, other = tenant(catalog), tenant(catalog, "other")
    for t in (tid, other):
        ingest(catalog, row(t, "u1"), ("tag",))
        catalog.journal.begin_ingest(t, "u2", 1, 5)
        catalog.api_keys.add(ApiKeyRow(f"k-{t}", b"h", "tenant", t, frozenset(), "", 1, None))
        catalog.models.add(ModelRow(f"m-{t}", t, 1, 1, False, None, None, "p"), ["u1"])
        catalog.models.begin_reembed(ReembedJob(t, "activate", f"m-{t}", 0, "", 1))
        catalog.models.finish_reembed(t, 2)
        catalog.models.begin_reembed(ReembedJob(t, "rollback", None, 0, "", 3))
        catalog.privacy.save(t, {"spent": 1.0}, 0)
        catalog.journal.begin_operation(Operation(f"op-{t}", t, "offboard", "planned", {}, 1))
        catalog.offboarding.add(Offboarding(f"r-{t}", t, "a", 1, "pending", None, None))
    catalog.tenants.purge(tid)

    engine = create_engine(url_of(catalog_target(catalog)), poolclass=NullPool)
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "tenant_id" not in table.c:
                continue
            left = conn.execute(table.select().where(table.c.tenant_id == tid)).all()
            kept = table.name in ("operations", "offboarding")
            assert bool(left) == kept, table.name
            assert conn.execute(table.select().where(table.c.tenant_id == other)).all(), table.name
    engine.dispose()
    assert catalog.tenants.by_id(tid) is None and catalog.tenants.by_id(other) is not None


def catalog_target(catalog: Catalog) -> Path | str:
    url = catalog._db.engine.url
    if url.get_backend_name() == "sqlite":
        return Path(str(url.database))
    return url.render_as_string(hide_password=False)


def test_a_key_revoked_or_a_tenant_suspended_by_another_process_is_refused_next_request(
    catalog: Catalog, target: Path | str
) -> None:
    """Authentication reads key and tenant from the catalog on every request (one round trip):
    nothing cached can outlive a revocation made elsewhere."""
    import subprocess
    import sys

    from privrag.access import Access
    from privrag.errors import TenantSuspended, Unauthenticated

    tenant(catalog)
    access = Access(catalog, clock=lambda: 200.0)
    acme = catalog.tenants.by_name("acme")
    assert acme is not None
    first = access.issue_tenant_key(acme, ["query"])
    second = access.issue_tenant_key(acme, ["query"])
    assert access.authenticate(first.key).tenant == acme

    def elsewhere(code: str) -> None:
        where = f"Path({str(target)!r})" if isinstance(target, Path) else repr(target)
        script = (
            "from pathlib import Path\nfrom privrag.catalog import Catalog\n"
            f"c = Catalog({where})\n{code}\nc.close()"
        )
        subprocess.run([sys.executable, "-c", script], check=True)

    elsewhere(f"c.api_keys.revoke({first.key_id!r}, 300)")
    with pytest.raises(Unauthenticated):
        access.authenticate(first.key)
    assert access.authenticate(second.key).key_id == second.key_id
    elsewhere("c.tenants.set_status('t-acme', 'suspended')")
    with pytest.raises(TenantSuspended):
        access.authenticate(second.key)
