"""The privacy-ledger row: one serialized ledger per tenant, saved by compare-and-set on its
revision, so two concurrent charges (threads or replicas) cannot both pass the budget check."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select, update

from privrag.catalog._db import Database
from privrag.catalog.schema import privacy_ledger_t
from privrag.errors import Conflict


class PrivacyLedgers:
    def __init__(self, db: Database) -> None:
        self._db = db

    def load(self, tenant_id: str) -> tuple[dict[str, Any], int] | None:
        """The tenant's serialized privacy ledger and its revision, or None if never charged."""
        p = privacy_ledger_t
        rows = self._db.rows(select(p.c.state, p.c.revision).where(p.c.tenant_id == tenant_id))
        if not rows:
            return None
        found = rows[0]._mapping
        return dict(json.loads(found["state"])), int(found["revision"])

    def save(self, tenant_id: str, state: dict[str, Any], revision: int) -> int:
        """Compare-and-set: write ``state`` only if the stored revision is still ``revision``
        (0 = none stored), else ``Conflict``; return the new revision."""
        p = privacy_ledger_t
        encoded = json.dumps(state, sort_keys=True)
        with self._db.tx() as db:
            # FOR UPDATE holds the row until commit; a first charge has no row to lock, and
            # of two racing first inserts the primary key lets one through (the other: Conflict).
            row = db.execute(
                select(p.c.revision).where(p.c.tenant_id == tenant_id).with_for_update()
            ).first()
            current = int(row._mapping["revision"]) if row else 0
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
