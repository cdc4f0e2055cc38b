"""The catalog: tenants, document keys and metadata, subject tags, and the operation journal.

One code path (SQLAlchemy Core) over two databases: SQLite in the data dir for the embedded
default, PostgreSQL (``PRIVRAG_CATALOG_URL``) for scale-out, where any number of stateless
replicas share it. The schema is owned by the migrations in ``privrag.migrations``, run on open;
``metadata`` below mirrors their head and a test holds the two equal. Nothing here is readable on
its own: document ids are keyed hashes (``doc_uid``), document metadata is sealed under the
document's data key, data keys are wrapped by the tenant key, subject tags are keyed hashes. Only
what selection needs is clear: classification, expiry, hold flag, counts.

The ``journal`` table makes ingest and delete crash-safe (see ``service.PrivRAG.recover``):
a row is written *before* the vector store is touched and removed only after the store work is
done, so a restart knows exactly which points to remove and which rotation to finish. Entries
and operations name the process that owes them (``owner``); on PostgreSQL a process sees only its
own and those of processes that are gone (see ``journal``), so replicas never recover each
other's work in flight. Every write is one transaction. On SQLite a writing transaction starts
with ``BEGIN IMMEDIATE`` (the write lock is taken up front, so two writers never interleave
read-then-write) and deletes overwrite freed pages (``secure_delete``). PostgreSQL runs at READ COMMITTED: the
read-modify-write transactions (privacy ledger, re-embed completion) lock their row with
``SELECT ... FOR UPDATE``, upserts are ``INSERT ... ON CONFLICT``, and every other write is a
single statement or guarded by a key, so two replicas racing get one winner and one ``Conflict``,
never a lost update. Driver errors are translated here: integrity to ``Conflict``, the rest to
``StoreUnavailable``.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Executable,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from privrag import migrations
from privrag.errors import Conflict, StoreUnavailable
from privrag.models import Tenant

metadata = MetaData()

tenants_t = Table(
    "tenants",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("status", Text, nullable=False, server_default="active"),
    Column("settings", Text, nullable=False, server_default="{}"),
)
documents_t = Table(
    "documents",
    metadata,
    Column("tenant_id", Text, ForeignKey("tenants.id"), nullable=False),
    Column("doc_uid", Text, nullable=False),
    Column("generation", BigInteger, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("sealed_meta", LargeBinary, nullable=False),
    Column("chunk_count", Integer, nullable=False),
    Column("classification", Text, nullable=False),
    # BigInteger here and for every time and generation: generations are 48-bit random and
    # NEVER_EXPIRES is the year 9999, neither fits PostgreSQL's 32-bit integer.
    Column("expires_at", BigInteger, nullable=False),
    Column("ingested_at", BigInteger, nullable=False),
    Column("hold", Integer, nullable=False, server_default="0"),
    Column("retention_days", Integer),
    PrimaryKeyConstraint("tenant_id", "doc_uid"),
    Index("documents_expiry", "tenant_id", "expires_at"),
)
subject_tags_t = Table(
    "subject_tags",
    metadata,
    Column("tenant_id", Text, nullable=False),
    Column("tag", Text, nullable=False),
    Column("doc_uid", Text, nullable=False),
    PrimaryKeyConstraint("tenant_id", "tag", "doc_uid"),
    Index("subject_tags_doc", "tenant_id", "doc_uid"),
)
journal_t = Table(
    "journal",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("doc_uid", Text),
    Column("generation", BigInteger),
    Column("created_at", BigInteger, nullable=False),
    Column("owner", Text),
    # AUTOINCREMENT: ids are never reused, so a stale id can never finish someone else's entry.
    sqlite_autoincrement=True,
)
operations_t = Table(
    "operations",
    metadata,
    Column("id", Text, primary_key=True),
    Column("tenant_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("plan", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("owner", Text),
)
offboarding_t = Table(
    "offboarding",
    metadata,
    Column("id", Text, primary_key=True),
    Column("tenant_id", Text, nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", BigInteger),
)
api_keys_t = Table(
    "api_keys",
    metadata,
    Column("key_id", Text, primary_key=True),
    Column("key_hash", LargeBinary, nullable=False),
    Column("kind", Text, nullable=False),
    Column("tenant_id", Text),
    Column("scopes", Text, nullable=False),
    Column("label", Text, nullable=False, server_default=""),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
    Index("api_keys_tenant", "tenant_id"),
)
models_t = Table(
    "models",
    metadata,
    Column("model_id", Text, primary_key=True),
    Column("tenant_id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("private", Integer, nullable=False),
    Column("epsilon", Float),
    Column("delta", Float),
    Column("path", Text, nullable=False),
    Column("flagged", Text),
    UniqueConstraint("tenant_id", "version"),
)
model_lineage_t = Table(
    "model_lineage",
    metadata,
    Column("model_id", Text, nullable=False),
    Column("tenant_id", Text, nullable=False),
    Column("doc_uid", Text, nullable=False),
    PrimaryKeyConstraint("model_id", "doc_uid"),
    Index("model_lineage_doc", "tenant_id", "doc_uid"),
)
model_activations_t = Table(
    "model_activations",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", Text, nullable=False),
    Column("model_id", Text),
    Column("activated_at", BigInteger, nullable=False),
    sqlite_autoincrement=True,
)
reembed_jobs_t = Table(
    "reembed_jobs",
    metadata,
    Column("tenant_id", Text, primary_key=True),
    Column("action", Text, nullable=False),
    Column("model_id", Text),
    Column("cursor_at", BigInteger, nullable=False),
    Column("cursor_uid", Text, nullable=False),
    Column("started_at", BigInteger, nullable=False),
)
privacy_ledger_t = Table(
    "privacy_ledger",
    metadata,
    Column("tenant_id", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("revision", Integer, nullable=False),
)

# Execution option that marks a connection as writing: on SQLite its BEGIN becomes IMMEDIATE.
_WRITE = "privrag_write"
# Any constant; the key of the advisory lock that serializes migrations across replicas.
_MIGRATION_LOCK = 0x70726976


@dataclass(frozen=True)
class DocumentRow:
    tenant_id: str
    doc_uid: str
    generation: int
    wrapped_key: bytes
    key_version: int
    sealed_meta: bytes
    chunk_count: int
    classification: str
    expires_at: int
    ingested_at: int
    hold: bool
    retention_days: int | None = None


@dataclass(frozen=True)
class Operation:
    """A deletion in progress: 'planned' (nothing done yet: safe to drop), 'committed' (catalog
    rows gone; store cleanup journaled; receipt owed)."""

    id: str
    tenant_id: str
    kind: str
    state: str
    plan: dict[str, Any]
    created_at: int


@dataclass(frozen=True)
class Offboarding:
    id: str
    tenant_id: str
    requested_by: str
    requested_at: int
    state: str
    decided_by: str | None
    decided_at: int | None


@dataclass(frozen=True)
class JournalEntry:
    """Store work owed. kind: 'ingest' (points of ``generation`` are uncommitted: remove them),
    'gc' (remove the document's points except ``generation``; None removes all), 'rotate'
    (finish rotating the tenant key)."""

    id: int
    tenant_id: str
    kind: str
    doc_uid: str | None
    generation: int | None


class Catalog:
    """``target``: a path (a SQLite file, created with its folder) or a SQLAlchemy URL
    (``sqlite:///...`` or ``postgresql+psycopg://...``); ``password`` fills in the URL's
    password when it comes from a secret file rather than the URL."""

    def __init__(self, target: Path | str, *, password: str | None = None) -> None:
        url = _url(target, password)
        shown = url.render_as_string(hide_password=True)
        self._sqlite = url.get_backend_name() == "sqlite"
        # SQLite: one connection, one writer at a time in this process (as with the stdlib
        # module before); other processes wait on SQLite's own lock. PostgreSQL: a pool, and
        # the server arbitrates between threads and replicas.
        self._lock: AbstractContextManager[Any] = (
            threading.RLock() if self._sqlite else nullcontext()
        )
        self._engine = _engine(url)
        try:
            with self._engine.connect() as conn:
                conn = conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    if not self._sqlite:
                        # Replicas starting together must not race to create the tables.
                        conn.execute(
                            text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK}
                        )
                    migrations.upgrade(conn)
        except SQLAlchemyError as exc:
            self._engine.dispose()
            raise StoreUnavailable(f"cannot open the catalog at {shown}") from exc
        self._insert = sqlite.insert if self._sqlite else postgresql.insert
        # Which process owes a journal entry or operation. On PostgreSQL the process holds a
        # session advisory lock named after it on a connection of its own for as long as it
        # lives; the server drops the lock with the session, so "the lock is free" means "that
        # process is gone" (killed, crashed or closed) and its leftovers may be recovered.
        self.owner = uuid.uuid4().hex
        self._alive: Connection | None = None
        if not self._sqlite:
            try:
                self._alive = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                self._alive.execute(
                    text("SELECT pg_advisory_lock(:k)"), {"k": _owner_key(self.owner)}
                )
            except SQLAlchemyError as exc:
                self._engine.dispose()
                raise StoreUnavailable(f"cannot open the catalog at {shown}") from exc

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return "sqlite" if self._sqlite else "postgresql"

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self._lock:
            try:
                with self._engine.connect() as conn:
                    conn = conn.execution_options(**{_WRITE: True})
                    with conn.begin():
                        yield conn
            except IntegrityError as exc:
                raise Conflict("that object exists already") from exc
            except SQLAlchemyError as exc:
                raise StoreUnavailable("the catalog failed") from exc

    def _rows(self, stmt: Executable) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                with self._engine.connect() as conn:
                    return [tuple(r) for r in conn.execute(stmt)]
            except SQLAlchemyError as exc:
                raise StoreUnavailable("the catalog failed") from exc

    def close(self) -> None:
        with self._lock:
            if self._alive is not None:
                self._alive.close()  # releases the owner lock: what is left is recoverable
                self._alive = None
            self._engine.dispose()

    def _upsert(self, table: Table, values: dict[str, Any], keys: Sequence[str]) -> Executable:
        """INSERT, or UPDATE the row with the same ``keys``: atomic on both databases."""
        stmt = self._insert(table).values(**values)
        return stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_={k: stmt.excluded[k] for k in values if k not in keys},
        )

    def _insert_ignore(self, table: Table, keys: Sequence[str]) -> Executable:
        return self._insert(table).on_conflict_do_nothing(index_elements=list(keys))

    # tenants

    _TENANT_COLUMNS = (tenants_t.c.id, tenants_t.c.name, tenants_t.c.created_at, tenants_t.c.status)

    def add_tenant(self, tenant: Tenant, settings: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute(
                insert(tenants_t).values(
                    id=tenant.id,
                    name=tenant.name,
                    created_at=tenant.created_at,
                    status=tenant.status,
                    settings=json.dumps(settings),
                )
            )

    def tenant_by_name(self, name: str) -> Tenant | None:
        rows = self._rows(select(*self._TENANT_COLUMNS).where(tenants_t.c.name == name))
        return Tenant(*rows[0]) if rows else None

    def tenant_by_id(self, tenant_id: str) -> Tenant | None:
        rows = self._rows(select(*self._TENANT_COLUMNS).where(tenants_t.c.id == tenant_id))
        return Tenant(*rows[0]) if rows else None

    def tenants(self) -> list[Tenant]:
        rows = self._rows(select(*self._TENANT_COLUMNS).order_by(tenants_t.c.name))
        return [Tenant(*r) for r in rows]

    def set_tenant_status(self, tenant_id: str, status: str) -> None:
        with self._tx() as db:
            db.execute(update(tenants_t).where(tenants_t.c.id == tenant_id).values(status=status))

    def set_tenant_settings(self, tenant_id: str, settings: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute(
                update(tenants_t)
                .where(tenants_t.c.id == tenant_id)
                .values(settings=json.dumps(settings))
            )

    def tenant_settings(self, tenant_id: str) -> dict[str, Any]:
        rows = self._rows(select(tenants_t.c.settings).where(tenants_t.c.id == tenant_id))
        return dict(json.loads(rows[0][0])) if rows else {}

    # documents

    _DOC_COLUMNS = tuple(
        documents_t.c[name]
        for name in (
            "tenant_id",
            "doc_uid",
            "generation",
            "wrapped_key",
            "key_version",
            "sealed_meta",
            "chunk_count",
            "classification",
            "expires_at",
            "ingested_at",
            "hold",
            "retention_days",
        )
    )

    def document(self, tenant_id: str, doc_uid: str) -> DocumentRow | None:
        rows = self._rows(
            select(*self._DOC_COLUMNS).where(
                documents_t.c.tenant_id == tenant_id, documents_t.c.doc_uid == doc_uid
            )
        )
        return _doc(rows[0]) if rows else None

    def documents(self, tenant_id: str, doc_uids: Iterable[str] | None = None) -> list[DocumentRow]:
        if doc_uids is None:
            rows = self._rows(
                select(*self._DOC_COLUMNS)
                .where(documents_t.c.tenant_id == tenant_id)
                .order_by(documents_t.c.ingested_at, documents_t.c.doc_uid)
            )
            return [_doc(r) for r in rows]
        uids = list(dict.fromkeys(doc_uids))
        found: list[DocumentRow] = []
        # Batches keep every statement under SQLite's bound-parameter limit.
        for start in range(0, len(uids), 500):
            part = uids[start : start + 500]
            rows = self._rows(
                select(*self._DOC_COLUMNS).where(
                    documents_t.c.tenant_id == tenant_id, documents_t.c.doc_uid.in_(part)
                )
            )
            found.extend(_doc(r) for r in rows)
        return found

    def documents_with_tag(self, tenant_id: str, tag: str) -> list[str]:
        t = subject_tags_t
        rows = self._rows(
            select(t.c.doc_uid)
            .where(t.c.tenant_id == tenant_id, t.c.tag == tag)
            .order_by(t.c.doc_uid)
        )
        return [r[0] for r in rows]

    # journal-backed writes

    def _journal(
        self,
        db: Connection,
        tenant_id: str,
        kind: str,
        doc_uid: str | None,
        generation: int | None,
        now: int,
    ) -> int:
        result = db.execute(
            insert(journal_t)
            .values(
                tenant_id=tenant_id,
                kind=kind,
                doc_uid=doc_uid,
                generation=generation,
                created_at=now,
                owner=self.owner,
            )
            .returning(journal_t.c.id)
        )
        return int(result.scalar_one())

    def begin_ingest(self, tenant_id: str, doc_uid: str, generation: int, now: int) -> int:
        with self._tx() as db:
            return self._journal(db, tenant_id, "ingest", doc_uid, generation, now)

    def commit_ingest(self, journal_id: int, row: DocumentRow, tags: Iterable[str]) -> int:
        """Make ``row`` the document's current generation; return the 'gc' journal id that
        owes removal of the points of every other generation."""
        values = {
            "tenant_id": row.tenant_id,
            "doc_uid": row.doc_uid,
            "generation": row.generation,
            "wrapped_key": row.wrapped_key,
            "key_version": row.key_version,
            "sealed_meta": row.sealed_meta,
            "chunk_count": row.chunk_count,
            "classification": row.classification,
            "expires_at": row.expires_at,
            "ingested_at": row.ingested_at,
            "hold": int(row.hold),
            "retention_days": row.retention_days,
        }
        tag_rows = [{"tenant_id": row.tenant_id, "tag": t, "doc_uid": row.doc_uid} for t in tags]
        with self._tx() as db:
            db.execute(self._upsert(documents_t, values, ("tenant_id", "doc_uid")))
            db.execute(
                delete(subject_tags_t).where(
                    subject_tags_t.c.tenant_id == row.tenant_id,
                    subject_tags_t.c.doc_uid == row.doc_uid,
                )
            )
            if tag_rows:
                db.execute(
                    self._insert_ignore(subject_tags_t, ("tenant_id", "tag", "doc_uid")), tag_rows
                )
            db.execute(delete(journal_t).where(journal_t.c.id == journal_id))
            return self._journal(
                db, row.tenant_id, "gc", row.doc_uid, row.generation, row.ingested_at
            )

    def remove_documents(
        self, tenant_id: str, doc_uids: Sequence[str], now: int, *, operation_id: str | None = None
    ) -> list[int]:
        """Forget documents and their keys in one transaction; journal the store cleanup and a
        tenant-key rotation; mark ``operation_id`` committed in the same transaction. Returns
        the journal ids owed ('gc' per document, then 'rotate')."""
        ids: list[int] = []
        with self._tx() as db:
            if operation_id is not None:
                db.execute(
                    update(operations_t)
                    .where(operations_t.c.id == operation_id)
                    .values(state="committed")
                )
            for uid in doc_uids:
                db.execute(
                    delete(documents_t).where(
                        documents_t.c.tenant_id == tenant_id, documents_t.c.doc_uid == uid
                    )
                )
                db.execute(
                    delete(subject_tags_t).where(
                        subject_tags_t.c.tenant_id == tenant_id, subject_tags_t.c.doc_uid == uid
                    )
                )
                ids.append(self._journal(db, tenant_id, "gc", uid, None, now))
            ids.append(self._journal(db, tenant_id, "rotate", None, None, now))
        return ids

    def rewrap(self, tenant_id: str, updates: Sequence[tuple[str, bytes, int]]) -> None:
        """Replace wrapped data keys: (doc_uid, wrapped_key, key_version) per document."""
        if not updates:
            return
        stmt = (
            update(documents_t)
            .where(
                documents_t.c.tenant_id == bindparam("b_tenant"),
                documents_t.c.doc_uid == bindparam("b_uid"),
            )
            .values(wrapped_key=bindparam("b_key"), key_version=bindparam("b_version"))
        )
        with self._tx() as db:
            db.execute(
                stmt,
                [
                    {"b_tenant": tenant_id, "b_uid": uid, "b_key": w, "b_version": v}
                    for uid, w, v in updates
                ],
            )

    def journal(self) -> list[JournalEntry]:
        """The store work this process owes, oldest first. On SQLite that is every entry (one
        process owns an embedded data dir). On PostgreSQL it is this process's own entries plus
        those of processes that are gone, claimed for this one first, so a replica starting up
        never undoes another replica's ingest in flight and two replicas never redo one entry."""
        j = journal_t
        stmt = select(j.c.id, j.c.tenant_id, j.c.kind, j.c.doc_uid, j.c.generation)
        if not self._sqlite:
            self._claim_orphans(j)
            stmt = stmt.where(j.c.owner == self.owner)
        return [JournalEntry(*r) for r in self._rows(stmt.order_by(j.c.id))]

    def _claim_orphans(self, table: Table) -> None:
        """Take over the rows of ``table`` whose owner is gone (its advisory lock is free)."""
        with self._tx() as db:
            owners = db.execute(
                select(table.c.owner)
                .distinct()
                .where(or_(table.c.owner.is_(None), table.c.owner != self.owner))
            ).scalars()
            for owner in list(owners):
                if owner is not None:
                    key = {"k": _owner_key(owner)}
                    if not db.execute(text("SELECT pg_try_advisory_lock(:k)"), key).scalar():
                        continue  # alive: its work is its own
                    db.execute(text("SELECT pg_advisory_unlock(:k)"), key)
                # A replica claiming at the same time waits on these rows, then finds the
                # owner changed and takes nothing.
                match = table.c.owner.is_(None) if owner is None else table.c.owner == owner
                db.execute(update(table).where(match).values(owner=self.owner))

    def finish(self, journal_id: int) -> None:
        with self._tx() as db:
            db.execute(delete(journal_t).where(journal_t.c.id == journal_id))

    # retention: expiry, holds, deletion operations, offboarding (privrag.retention)

    def expired(self, tenant_id: str, now: int) -> list[DocumentRow]:
        """Documents past expiry, found through the (tenant_id, expires_at) index: the cost
        grows with what has expired, not with the size of the tenant."""
        rows = self._rows(
            select(*self._DOC_COLUMNS)
            .where(documents_t.c.tenant_id == tenant_id, documents_t.c.expires_at <= now)
            .order_by(documents_t.c.expires_at, documents_t.c.doc_uid)
        )
        return [_doc(r) for r in rows]

    def set_hold(self, tenant_id: str, doc_uid: str, hold: bool) -> None:
        with self._tx() as db:
            db.execute(
                update(documents_t)
                .where(documents_t.c.tenant_id == tenant_id, documents_t.c.doc_uid == doc_uid)
                .values(hold=int(hold))
            )

    def set_expiry(self, tenant_id: str, updates: Sequence[tuple[str, int]]) -> None:
        if not updates:
            return
        stmt = (
            update(documents_t)
            .where(
                documents_t.c.tenant_id == bindparam("b_tenant"),
                documents_t.c.doc_uid == bindparam("b_uid"),
            )
            .values(expires_at=bindparam("b_expires"))
        )
        with self._tx() as db:
            db.execute(
                stmt,
                [{"b_tenant": tenant_id, "b_uid": uid, "b_expires": exp} for uid, exp in updates],
            )

    def begin_operation(self, op: Operation) -> None:
        with self._tx() as db:
            db.execute(
                insert(operations_t).values(
                    id=op.id,
                    tenant_id=op.tenant_id,
                    kind=op.kind,
                    state=op.state,
                    plan=json.dumps(op.plan),
                    created_at=op.created_at,
                    owner=self.owner,
                )
            )

    def operations(self) -> list[Operation]:
        """Deletions this process owes (on PostgreSQL: its own and those of processes that are
        gone, claimed first; see ``journal``)."""
        o = operations_t
        stmt = select(o.c.id, o.c.tenant_id, o.c.kind, o.c.state, o.c.plan, o.c.created_at)
        if not self._sqlite:
            self._claim_orphans(o)
            stmt = stmt.where(o.c.owner == self.owner)
        rows = self._rows(stmt.order_by(o.c.created_at, o.c.id))
        return [Operation(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]

    def drop_operation(self, op_id: str) -> None:
        with self._tx() as db:
            db.execute(delete(operations_t).where(operations_t.c.id == op_id))

    def add_offboarding(self, request: Offboarding) -> None:
        with self._tx() as db:
            db.execute(
                insert(offboarding_t).values(
                    id=request.id,
                    tenant_id=request.tenant_id,
                    requested_by=request.requested_by,
                    requested_at=request.requested_at,
                    state=request.state,
                )
            )

    def offboarding(self, request_id: str) -> Offboarding | None:
        o = offboarding_t
        rows = self._rows(
            select(
                o.c.id,
                o.c.tenant_id,
                o.c.requested_by,
                o.c.requested_at,
                o.c.state,
                o.c.decided_by,
                o.c.decided_at,
            ).where(o.c.id == request_id)
        )
        return Offboarding(*rows[0]) if rows else None

    def decide_offboarding(self, request_id: str, state: str, by: str, now: int) -> None:
        with self._tx() as db:
            db.execute(
                update(offboarding_t)
                .where(offboarding_t.c.id == request_id)
                .values(state=state, decided_by=by, decided_at=now)
            )

    def purge_tenant(self, tenant_id: str) -> None:
        """Remove every row that names the tenant, in every table that has a tenant_id column
        (whoever added the table: ``metadata`` holds them all, and a test holds it equal to the
        migrated schema), then the tenant itself. Offboarding and operation records stay: they
        are the evidence."""
        keep = {"tenants", "offboarding", "operations"}
        with self._tx() as db:
            # Dependents first, so the foreign keys to tenants never see an orphan.
            for table in reversed(metadata.sorted_tables):
                if table.name not in keep and "tenant_id" in table.c:
                    db.execute(delete(table).where(table.c.tenant_id == tenant_id))
            db.execute(delete(tenants_t).where(tenants_t.c.id == tenant_id))

    # API keys (privrag.access): hashes only; kind 'tenant' or 'operator'.

    _KEY_COLUMNS = tuple(
        api_keys_t.c[name]
        for name in (
            "key_id",
            "key_hash",
            "kind",
            "tenant_id",
            "scopes",
            "label",
            "created_at",
            "revoked_at",
        )
    )

    def add_api_key(self, row: ApiKeyRow) -> None:
        with self._tx() as db:
            db.execute(
                insert(api_keys_t).values(
                    key_id=row.key_id,
                    key_hash=row.key_hash,
                    kind=row.kind,
                    tenant_id=row.tenant_id,
                    scopes=json.dumps(sorted(row.scopes)),
                    label=row.label,
                    created_at=row.created_at,
                    revoked_at=row.revoked_at,
                )
            )

    def api_key(self, key_id: str) -> ApiKeyRow | None:
        rows = self._rows(select(*self._KEY_COLUMNS).where(api_keys_t.c.key_id == key_id))
        return _api_key(rows[0]) if rows else None

    def api_keys(self, tenant_id: str | None = None) -> list[ApiKeyRow]:
        stmt = select(*self._KEY_COLUMNS).order_by(api_keys_t.c.created_at)
        if tenant_id is not None:
            stmt = stmt.where(api_keys_t.c.tenant_id == tenant_id)
        return [_api_key(r) for r in self._rows(stmt)]

    def revoke_api_key(self, key_id: str, now: int) -> bool:
        """Mark a key revoked; False when there is no such live key."""
        with self._tx() as db:
            result = db.execute(
                update(api_keys_t)
                .where(api_keys_t.c.key_id == key_id, api_keys_t.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            return result.rowcount > 0

    # models (training writes, privrag.registry reads): artifacts, lineage, activation history,
    # re-embedding jobs and the privacy ledger. Model weights live on disk; rows hold paths,
    # privacy parameters and the document ids (keyed hashes) each model was trained on.

    _MODEL_COLUMNS = tuple(
        models_t.c[name]
        for name in (
            "model_id",
            "tenant_id",
            "version",
            "created_at",
            "private",
            "epsilon",
            "delta",
            "path",
            "flagged",
        )
    )

    def add_model(self, row: ModelRow, doc_uids: Iterable[str]) -> None:
        """Register a trained model and its lineage (the doc_uids it saw) in one transaction."""
        lineage = [
            {"model_id": row.model_id, "tenant_id": row.tenant_id, "doc_uid": uid}
            for uid in doc_uids
        ]
        with self._tx() as db:
            db.execute(
                insert(models_t).values(
                    model_id=row.model_id,
                    tenant_id=row.tenant_id,
                    version=row.version,
                    created_at=row.created_at,
                    private=int(row.private),
                    epsilon=row.epsilon,
                    delta=row.delta,
                    path=row.path,
                    flagged=row.flagged,
                )
            )
            if lineage:
                db.execute(self._insert_ignore(model_lineage_t, ("model_id", "doc_uid")), lineage)

    def models(self, tenant_id: str) -> list[ModelRow]:
        rows = self._rows(
            select(*self._MODEL_COLUMNS)
            .where(models_t.c.tenant_id == tenant_id)
            .order_by(models_t.c.version)
        )
        return [_model(r) for r in rows]

    def model(self, tenant_id: str, model_id: str) -> ModelRow | None:
        rows = self._rows(
            select(*self._MODEL_COLUMNS).where(
                models_t.c.tenant_id == tenant_id, models_t.c.model_id == model_id
            )
        )
        return _model(rows[0]) if rows else None

    def model_lineage(self, model_id: str) -> list[str]:
        m = model_lineage_t
        rows = self._rows(select(m.c.doc_uid).where(m.c.model_id == model_id).order_by(m.c.doc_uid))
        return [r[0] for r in rows]

    def models_trained_on(self, tenant_id: str, doc_uids: Iterable[str]) -> list[str]:
        """Model ids whose training set included any of ``doc_uids`` (for erasure flags)."""
        m = model_lineage_t
        uids = list(dict.fromkeys(doc_uids))
        found: set[str] = set()
        for start in range(0, len(uids), 500):
            part = uids[start : start + 500]
            rows = self._rows(
                select(m.c.model_id)
                .distinct()
                .where(m.c.tenant_id == tenant_id, m.c.doc_uid.in_(part))
            )
            found.update(r[0] for r in rows)
        return sorted(found)

    def flag_models(self, tenant_id: str, model_ids: Iterable[str], reason: str) -> None:
        params = [{"b_tenant": tenant_id, "b_model": m, "b_reason": reason} for m in model_ids]
        if not params:
            return
        stmt = (
            update(models_t)
            .where(
                models_t.c.tenant_id == bindparam("b_tenant"),
                models_t.c.model_id == bindparam("b_model"),
            )
            .values(flagged=bindparam("b_reason"))
        )
        with self._tx() as db:
            db.execute(stmt, params)

    def activations(self, tenant_id: str) -> list[str | None]:
        """Activation history, oldest first; None stands for the packaged base model."""
        a = model_activations_t
        rows = self._rows(select(a.c.model_id).where(a.c.tenant_id == tenant_id).order_by(a.c.seq))
        return [r[0] for r in rows]

    def begin_reembed(self, job: ReembedJob) -> None:
        """Journal a re-embedding job; one per tenant at a time (Conflict otherwise)."""
        with self._tx() as db:
            db.execute(
                insert(reembed_jobs_t).values(
                    tenant_id=job.tenant_id,
                    action=job.action,
                    model_id=job.model_id,
                    cursor_at=job.cursor_at,
                    cursor_uid=job.cursor_uid,
                    started_at=job.started_at,
                )
            )

    def reembed_jobs(self, tenant_id: str | None = None) -> list[ReembedJob]:
        r = reembed_jobs_t
        stmt = select(
            r.c.tenant_id, r.c.action, r.c.model_id, r.c.cursor_at, r.c.cursor_uid, r.c.started_at
        )
        stmt = (
            stmt.where(r.c.tenant_id == tenant_id)
            if tenant_id is not None
            else stmt.order_by(r.c.started_at)
        )
        return [ReembedJob(*row) for row in self._rows(stmt)]

    def advance_reembed(self, tenant_id: str, cursor_at: int, cursor_uid: str) -> None:
        with self._tx() as db:
            db.execute(
                update(reembed_jobs_t)
                .where(reembed_jobs_t.c.tenant_id == tenant_id)
                .values(cursor_at=cursor_at, cursor_uid=cursor_uid)
            )

    def finish_reembed(self, tenant_id: str, now: int) -> None:
        """Every chunk now carries the job's model's vectors: record the switch and end the job
        in one transaction ('activate' appends to the history, 'rollback' pops its last entry)."""
        r, a = reembed_jobs_t, model_activations_t
        with self._tx() as db:
            # FOR UPDATE: a second replica finishing the same job waits, then finds it gone.
            row = db.execute(
                select(r.c.action, r.c.model_id).where(r.c.tenant_id == tenant_id).with_for_update()
            ).first()
            if row is None:
                return
            action, model_id = row
            if action == "activate":
                db.execute(
                    insert(a).values(tenant_id=tenant_id, model_id=model_id, activated_at=now)
                )
            else:
                last = select(func.max(a.c.seq)).where(a.c.tenant_id == tenant_id)
                db.execute(delete(a).where(a.c.seq == last.scalar_subquery()))
            db.execute(delete(r).where(r.c.tenant_id == tenant_id))

    def privacy_ledger(self, tenant_id: str) -> tuple[dict[str, Any], int] | None:
        """The tenant's serialized privacy ledger and its revision, or None if never charged."""
        p = privacy_ledger_t
        rows = self._rows(select(p.c.state, p.c.revision).where(p.c.tenant_id == tenant_id))
        return (dict(json.loads(rows[0][0])), int(rows[0][1])) if rows else None

    def save_privacy_ledger(self, tenant_id: str, state: dict[str, Any], revision: int) -> int:
        """Compare-and-set: write ``state`` only if the stored revision is still ``revision``
        (0 = none stored), so two concurrent charges cannot both pass the budget check."""
        p = privacy_ledger_t
        encoded = json.dumps(state, sort_keys=True)
        with self._tx() as db:
            # FOR UPDATE holds the row until commit; a first charge has no row to lock, and
            # of two racing first inserts the primary key lets one through (the other: Conflict).
            row = db.execute(
                select(p.c.revision).where(p.c.tenant_id == tenant_id).with_for_update()
            ).first()
            current = int(row[0]) if row else 0
            if current != revision:
                raise Conflict("the privacy ledger changed meanwhile; recompute the charge")
            if row is None:
                db.execute(
                    insert(p).values(tenant_id=tenant_id, state=encoded, revision=revision + 1)
                )
            else:
                db.execute(
                    update(p)
                    .where(p.c.tenant_id == tenant_id)
                    .values(state=encoded, revision=revision + 1)
                )
        return revision + 1


def _owner_key(owner: str) -> int:
    """The advisory lock key of an owner id: 60 bits of it, a positive bigint."""
    return int(owner[:15], 16)


def _url(target: Path | str, password: str | None) -> URL:
    if isinstance(target, Path):
        url = URL.create("sqlite+pysqlite", database=str(target))
    else:
        try:
            url = make_url(target)
        except ArgumentError as exc:
            raise StoreUnavailable("the catalog URL cannot be parsed") from exc
    backend = url.get_backend_name()
    if backend == "postgresql":
        # psycopg (3) is the one driver we ship; a bare postgresql:// means it too.
        url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise StoreUnavailable(f"unsupported catalog database: {backend}")
    if password is not None:
        url = url.set(password=password)
    return url


def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        # pre_ping: a replica survives a database restart or failover without a failed request.
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the folder of {url.database}") from exc
    engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver: the "begin" hook below decides how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            "secure_delete=ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN: a writer never fails halfway with SQLITE_BUSY
        # after reading, and the journal rows commit whole or not at all.
        writing = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


@dataclass(frozen=True)
class ApiKeyRow:
    key_id: str
    key_hash: bytes
    kind: str
    tenant_id: str | None
    scopes: frozenset[str]
    label: str
    created_at: int
    revoked_at: int | None


def _api_key(row: tuple[Any, ...]) -> ApiKeyRow:
    values = list(row)
    values[4] = frozenset(json.loads(values[4]))
    return ApiKeyRow(*values)


@dataclass(frozen=True)
class ModelRow:
    """A registered tenant model; ``path`` is relative to the data dir."""

    model_id: str
    tenant_id: str
    version: int
    created_at: int
    private: bool
    epsilon: float | None
    delta: float | None
    path: str
    flagged: str | None = None


@dataclass(frozen=True)
class ReembedJob:
    """Re-embed a tenant's chunks with ``model_id`` (None: the base model); documents are
    visited in (ingested_at, doc_uid) order and the cursor names the last one done."""

    tenant_id: str
    action: str
    model_id: str | None
    cursor_at: int
    cursor_uid: str
    started_at: int


def _model(row: tuple[Any, ...]) -> ModelRow:
    values = list(row)
    values[4] = bool(values[4])
    return ModelRow(*values)


def _doc(row: tuple[Any, ...]) -> DocumentRow:
    values = list(row)
    values[10] = bool(values[10])
    return DocumentRow(*values)
