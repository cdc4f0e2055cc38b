"""Offboarding requests: asked by one operator, decided (approved, cancelled, done) by another.
They outlive the tenant's purge as evidence."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from privrag.catalog._db import Database
from privrag.catalog.schema import offboarding_t


@dataclass(frozen=True)
class Offboarding:
    id: str
    tenant_id: str
    requested_by: str
    requested_at: int
    state: str
    decided_by: str | None
    decided_at: int | None


_COLUMNS = tuple(offboarding_t.c[name] for name in Offboarding.__dataclass_fields__)


class Offboardings:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, request: Offboarding) -> None:
        with self._db.tx() as db:
            db.execute(
                insert(offboarding_t).values(
                    id=request.id,
                    tenant_id=request.tenant_id,
                    requested_by=request.requested_by,
                    requested_at=request.requested_at,
                    state=request.state,
                )
            )

    def get(self, request_id: str) -> Offboarding | None:
        rows = self._db.rows(select(*_COLUMNS).where(offboarding_t.c.id == request_id))
        return Offboarding(**rows[0]._mapping) if rows else None

    def pending(self) -> list[Offboarding]:
        rows = self._db.rows(
            select(*_COLUMNS)
            .where(offboarding_t.c.state == "pending")
            .order_by(offboarding_t.c.requested_at)
        )
        return [Offboarding(**r._mapping) for r in rows]

    def decide(self, request_id: str, state: str, by: str, now: int) -> None:
        with self._db.tx() as db:
            db.execute(
                update(offboarding_t)
                .where(offboarding_t.c.id == request_id)
                .values(state=state, decided_by=by, decided_at=now)
            )
