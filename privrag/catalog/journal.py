"""The crash-safety rows: the ingest/store-work journal and deletion operations.

A journal row is written *before* the vector store is touched and removed (``finish``) only after
the store work is done, so a restart knows exactly which points to remove and which rotation to
finish (see ``service.PrivRAG.recover``). Entries and operations name the process that owes them
(``owner``); on PostgreSQL a process sees only its own and those of processes that are gone,
claimed for it first, so replicas never recover each other's work in flight.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert, select

from privrag.catalog._db import Database
from privrag.catalog.schema import documents_t, journal_t, operations_t, subject_tags_t

if TYPE_CHECKING:
    from privrag.catalog.rows import DocumentRow


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


def record(
    db: Connection,
    owner: str,
    tenant_id: str,
    kind: str,
    doc_uid: str | None,
    generation: int | None,
    now: int,
) -> int:
    """Add a journal entry inside the caller's transaction; return its id."""
    result = db.execute(
        insert(journal_t)
        .values(
            tenant_id=tenant_id,
            kind=kind,
            doc_uid=doc_uid,
            generation=generation,
            created_at=now,
            owner=owner,
        )
        .returning(journal_t.c.id)
    )
    return int(result.scalar_one())


class Journal:
    def __init__(self, db: Database) -> None:
        self._db = db

    def begin_ingest(self, tenant_id: str, doc_uid: str, generation: int, now: int) -> int:
        with self._db.tx() as db:
            return record(db, self._db.owner, tenant_id, "ingest", doc_uid, generation, now)

    def commit_ingest(self, journal_id: int, row: DocumentRow, tags: Iterable[str]) -> int:
        """Make ``row`` the document's current generation (with its subject ``tags``), end the
        'ingest' entry, and return the 'gc' journal id that owes removal of the points of every
        other generation: one transaction."""
        values = asdict(row)
        values["hold"] = int(row.hold)
        tag_rows = [{"tenant_id": row.tenant_id, "tag": t, "doc_uid": row.doc_uid} for t in tags]
        with self._db.tx() as db:
            db.execute(self._db.upsert(documents_t, values, ("tenant_id", "doc_uid")))
            db.execute(
                delete(subject_tags_t).where(
                    subject_tags_t.c.tenant_id == row.tenant_id,
                    subject_tags_t.c.doc_uid == row.doc_uid,
                )
            )
            if tag_rows:
                db.execute(
                    self._db.insert_ignore(subject_tags_t, ("tenant_id", "tag", "doc_uid")),
                    tag_rows,
                )
            db.execute(delete(journal_t).where(journal_t.c.id == journal_id))
            return record(
                db,
                self._db.owner,
                row.tenant_id,
                "gc",
                row.doc_uid,
                row.generation,
                row.ingested_at,
            )

    def pending(self) -> list[JournalEntry]:
        """The store work this process owes, oldest first. On SQLite that is every entry (one
        process owns an embedded data dir). On PostgreSQL it is this process's own entries plus
        those of processes that are gone, claimed for this one first, so a replica starting up
        never undoes another replica's ingest in flight and two replicas never redo one entry."""
        j = journal_t
        stmt = select(j.c.id, j.c.tenant_id, j.c.kind, j.c.doc_uid, j.c.generation)
        if not self._db.sqlite:
            self._db.claim_orphans(j)
            stmt = stmt.where(j.c.owner == self._db.owner)
        return [JournalEntry(**r._mapping) for r in self._db.rows(stmt.order_by(j.c.id))]

    def finish(self, *journal_ids: int) -> None:
        with self._db.tx() as db:
            db.execute(delete(journal_t).where(journal_t.c.id.in_(journal_ids)))

    def begin_operation(self, op: Operation) -> None:
        with self._db.tx() as db:
            db.execute(
                insert(operations_t).values(
                    id=op.id,
                    tenant_id=op.tenant_id,
                    kind=op.kind,
                    state=op.state,
                    plan=json.dumps(op.plan),
                    created_at=op.created_at,
                    owner=self._db.owner,
                )
            )

    def operations(self) -> list[Operation]:
        """Deletions this process owes (on PostgreSQL: its own and those of processes that are
        gone, claimed first; see ``pending``)."""
        o = operations_t
        stmt = select(o.c.id, o.c.tenant_id, o.c.kind, o.c.state, o.c.plan, o.c.created_at)
        if not self._db.sqlite:
            self._db.claim_orphans(o)
            stmt = stmt.where(o.c.owner == self._db.owner)
        rows = self._db.rows(stmt.order_by(o.c.created_at, o.c.id))
        return [Operation(**{**r._mapping, "plan": json.loads(r._mapping["plan"])}) for r in rows]

    def drop_operation(self, op_id: str) -> None:
        with self._db.tx() as db:
            db.execute(delete(operations_t).where(operations_t.c.id == op_id))
