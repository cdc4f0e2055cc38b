"""Document rows (wrapped data key, sealed metadata, what selection needs in the clear), their
subject tags, expiry and holds. Forgetting documents journals the store cleanup and a tenant-key
rotation in the same transaction that removes the rows (see ``privrag.catalog.journal``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, bindparam, delete, select, update

from privrag.catalog._db import Database
from privrag.catalog.journal import record
from privrag.catalog.rows import DocumentRow
from privrag.catalog.schema import documents_t, operations_t, subject_tags_t

_COLUMNS = tuple(documents_t.c[name] for name in DocumentRow.__dataclass_fields__)
# Batches keep every statement under SQLite's bound-parameter limit.
_BATCH = 500
# Every query reads its hits' rows: one statement built once (its cache key is computed once),
# not a new select per call.
_BY_UIDS = select(*_COLUMNS).where(
    documents_t.c.tenant_id == bindparam("tenant_id"),
    documents_t.c.doc_uid.in_(bindparam("uids", expanding=True)),
)


def _doc(row: Row[Any]) -> DocumentRow:
    values = dict(row._mapping)
    values["hold"] = bool(values["hold"])
    return DocumentRow(**values)


class Documents:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, tenant_id: str, doc_uid: str) -> DocumentRow | None:
        rows = self._db.rows(
            select(*_COLUMNS).where(
                documents_t.c.tenant_id == tenant_id, documents_t.c.doc_uid == doc_uid
            )
        )
        return _doc(rows[0]) if rows else None

    def list(
        self, tenant_id: str, doc_uids: Iterable[str] | None = None
    ) -> builtins.list[DocumentRow]:
        """The tenant's documents by (ingested_at, doc_uid), or those of ``doc_uids`` (unordered;
        unknown ids are left out)."""
        if doc_uids is None:
            rows = self._db.rows(
                select(*_COLUMNS)
                .where(documents_t.c.tenant_id == tenant_id)
                .order_by(documents_t.c.ingested_at, documents_t.c.doc_uid)
            )
            return [_doc(r) for r in rows]
        uids = builtins.list(dict.fromkeys(doc_uids))
        found: builtins.list[DocumentRow] = []
        for start in range(0, len(uids), _BATCH):
            part = uids[start : start + _BATCH]
            rows = self._db.rows(_BY_UIDS, {"tenant_id": tenant_id, "uids": part})
            found.extend(_doc(r) for r in rows)
        return found

    def with_tag(self, tenant_id: str, tag: str) -> builtins.list[str]:
        """The doc_uids that carry subject ``tag``, sorted."""
        t = subject_tags_t
        rows = self._db.rows(
            select(t.c.doc_uid)
            .where(t.c.tenant_id == tenant_id, t.c.tag == tag)
            .order_by(t.c.doc_uid)
        )
        return [r._mapping["doc_uid"] for r in rows]

    def tags(self, tenant_id: str, doc_uid: str) -> builtins.list[str]:
        """The subject tags of one document, sorted."""
        t = subject_tags_t
        rows = self._db.rows(
            select(t.c.tag)
            .where(t.c.tenant_id == tenant_id, t.c.doc_uid == doc_uid)
            .order_by(t.c.tag)
        )
        return [r._mapping["tag"] for r in rows]

    def set_meta(self, tenant_id: str, doc_uid: str, generation: int, sealed_meta: bytes) -> None:
        """Replace a generation's sealed metadata (a model switch names the new model in it);
        a generation that is no longer current is left alone."""
        with self._db.tx() as db:
            db.execute(
                update(documents_t)
                .where(
                    documents_t.c.tenant_id == tenant_id,
                    documents_t.c.doc_uid == doc_uid,
                    documents_t.c.generation == generation,
                )
                .values(sealed_meta=sealed_meta)
            )

    def expired(self, tenant_id: str, now: int) -> builtins.list[DocumentRow]:
        """Documents past expiry, found through the (tenant_id, expires_at) index: the cost
        grows with what has expired, not with the size of the tenant."""
        rows = self._db.rows(
            select(*_COLUMNS)
            .where(documents_t.c.tenant_id == tenant_id, documents_t.c.expires_at <= now)
            .order_by(documents_t.c.expires_at, documents_t.c.doc_uid)
        )
        return [_doc(r) for r in rows]

    def set_hold(self, tenant_id: str, doc_uid: str, hold: bool) -> None:
        with self._db.tx() as db:
            db.execute(
                update(documents_t)
                .where(documents_t.c.tenant_id == tenant_id, documents_t.c.doc_uid == doc_uid)
                .values(hold=int(hold))
            )

    def set_expiry(self, tenant_id: str, updates: Sequence[tuple[str, int]]) -> None:
        """(doc_uid, expires_at) per document, in one transaction."""
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
        with self._db.tx() as db:
            db.execute(
                stmt,
                [{"b_tenant": tenant_id, "b_uid": uid, "b_expires": exp} for uid, exp in updates],
            )

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
        with self._db.tx() as db:
            db.execute(
                stmt,
                [
                    {"b_tenant": tenant_id, "b_uid": uid, "b_key": w, "b_version": v}
                    for uid, w, v in updates
                ],
            )

    def remove(
        self, tenant_id: str, doc_uids: Sequence[str], now: int, *, operation_id: str | None = None
    ) -> builtins.list[int]:
        """Forget documents and their keys in one transaction; journal the store cleanup and a
        tenant-key rotation; mark ``operation_id`` committed in the same transaction. Returns
        the journal ids owed ('gc' per document, then 'rotate')."""
        ids: builtins.list[int] = []
        owner = self._db.owner
        with self._db.tx() as db:
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
                ids.append(record(db, owner, tenant_id, "gc", uid, None, now))
            ids.append(record(db, owner, tenant_id, "rotate", None, None, now))
        return ids
