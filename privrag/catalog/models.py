"""Tenant models (training writes, ``privrag.registry`` reads): artifact rows, lineage (the doc_uids
each model was trained on, for erasure flags), activation history and re-embedding jobs. Weights
live on disk; rows hold paths and privacy parameters. A re-embedding job is one per tenant, and
finishing it records the switch and ends the job in one transaction."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, insert, select, update

from privrag.catalog._db import Database
from privrag.catalog.schema import model_activations_t, model_lineage_t, models_t, reembed_jobs_t


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


_COLUMNS = tuple(models_t.c[name] for name in ModelRow.__dataclass_fields__)
_JOB_COLUMNS = tuple(reembed_jobs_t.c[name] for name in ReembedJob.__dataclass_fields__)
# Batches keep every statement under SQLite's bound-parameter limit.
_BATCH = 500


def _model(row: Row[Any]) -> ModelRow:
    values = dict(row._mapping)
    values["private"] = bool(values["private"])
    return ModelRow(**values)


class Models:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, row: ModelRow, doc_uids: Iterable[str]) -> None:
        """Register a trained model and its lineage (the doc_uids it saw) in one transaction."""
        lineage = [
            {"model_id": row.model_id, "tenant_id": row.tenant_id, "doc_uid": uid}
            for uid in doc_uids
        ]
        with self._db.tx() as db:
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
                db.execute(
                    self._db.insert_ignore(model_lineage_t, ("model_id", "doc_uid")), lineage
                )

    def list(self, tenant_id: str) -> builtins.list[ModelRow]:
        """The tenant's models by version."""
        rows = self._db.rows(
            select(*_COLUMNS).where(models_t.c.tenant_id == tenant_id).order_by(models_t.c.version)
        )
        return [_model(r) for r in rows]

    def get(self, tenant_id: str, model_id: str) -> ModelRow | None:
        rows = self._db.rows(
            select(*_COLUMNS).where(
                models_t.c.tenant_id == tenant_id, models_t.c.model_id == model_id
            )
        )
        return _model(rows[0]) if rows else None

    def lineage(self, model_id: str) -> builtins.list[str]:
        """The doc_uids the model was trained on, sorted."""
        m = model_lineage_t
        rows = self._db.rows(
            select(m.c.doc_uid).where(m.c.model_id == model_id).order_by(m.c.doc_uid)
        )
        return [r._mapping["doc_uid"] for r in rows]

    def trained_on(self, tenant_id: str, doc_uids: Iterable[str]) -> builtins.list[str]:
        """Model ids whose training set included any of ``doc_uids`` (for erasure flags)."""
        m = model_lineage_t
        uids = builtins.list(dict.fromkeys(doc_uids))
        found: set[str] = set()
        for start in range(0, len(uids), _BATCH):
            part = uids[start : start + _BATCH]
            rows = self._db.rows(
                select(m.c.model_id)
                .distinct()
                .where(m.c.tenant_id == tenant_id, m.c.doc_uid.in_(part))
            )
            found.update(r._mapping["model_id"] for r in rows)
        return sorted(found)

    def flag(self, tenant_id: str, model_ids: Iterable[str], reason: str) -> None:
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
        with self._db.tx() as db:
            db.execute(stmt, params)

    def activations(self, tenant_id: str) -> builtins.list[str | None]:
        """Activation history, oldest first; None stands for the packaged base model."""
        a = model_activations_t
        rows = self._db.rows(
            select(a.c.model_id).where(a.c.tenant_id == tenant_id).order_by(a.c.seq)
        )
        return [r._mapping["model_id"] for r in rows]

    def begin_reembed(self, job: ReembedJob) -> None:
        """Journal a re-embedding job; one per tenant at a time (Conflict otherwise)."""
        with self._db.tx() as db:
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

    def reembed_jobs(self, tenant_id: str | None = None) -> builtins.list[ReembedJob]:
        """The tenant's pending job (a list of at most one), or every tenant's by start time."""
        r = reembed_jobs_t
        stmt = select(*_JOB_COLUMNS)
        stmt = (
            stmt.where(r.c.tenant_id == tenant_id)
            if tenant_id is not None
            else stmt.order_by(r.c.started_at)
        )
        return [ReembedJob(**row._mapping) for row in self._db.rows(stmt)]

    def advance_reembed(self, tenant_id: str, cursor_at: int, cursor_uid: str) -> None:
        with self._db.tx() as db:
            db.execute(
                update(reembed_jobs_t)
                .where(reembed_jobs_t.c.tenant_id == tenant_id)
                .values(cursor_at=cursor_at, cursor_uid=cursor_uid)
            )

    def finish_reembed(self, tenant_id: str, now: int) -> None:
        """Every chunk now carries the job's model's vectors: record the switch and end the job
        in one transaction ('activate' appends to the history, 'rollback' pops its last entry)."""
        r, a = reembed_jobs_t, model_activations_t
        with self._db.tx() as db:
            # FOR UPDATE: a second replica finishing the same job waits, then finds it gone.
            row = db.execute(
                select(r.c.action, r.c.model_id).where(r.c.tenant_id == tenant_id).with_for_update()
            ).first()
            if row is None:
                return
            action, model_id = row._mapping["action"], row._mapping["model_id"]
            if action == "activate":
                db.execute(
                    insert(a).values(tenant_id=tenant_id, model_id=model_id, activated_at=now)
                )
            else:
                last = select(func.max(a.c.seq)).where(a.c.tenant_id == tenant_id)
                db.execute(delete(a).where(a.c.seq == last.scalar_subquery()))
            db.execute(delete(r).where(r.c.tenant_id == tenant_id))
