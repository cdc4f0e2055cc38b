"""Tenant rows and their settings (a JSON object per tenant); ``purge`` removes a tenant's rows
from every table at once, keeping the offboarding and operation records as evidence."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select, update

from privrag.catalog._db import Database
from privrag.catalog.schema import metadata, tenants_t
from privrag.models import Tenant

_COLUMNS = (tenants_t.c.id, tenants_t.c.name, tenants_t.c.created_at, tenants_t.c.status)


class Tenants:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, tenant: Tenant, settings: dict[str, Any]) -> None:
        with self._db.tx() as db:
            db.execute(
                insert(tenants_t).values(
                    id=tenant.id,
                    name=tenant.name,
                    created_at=tenant.created_at,
                    status=tenant.status,
                    settings=json.dumps(settings),
                )
            )

    def by_name(self, name: str) -> Tenant | None:
        rows = self._db.rows(select(*_COLUMNS).where(tenants_t.c.name == name))
        return Tenant(**rows[0]._mapping) if rows else None

    def by_id(self, tenant_id: str) -> Tenant | None:
        rows = self._db.rows(select(*_COLUMNS).where(tenants_t.c.id == tenant_id))
        return Tenant(**rows[0]._mapping) if rows else None

    def all(self) -> list[Tenant]:
        """Every tenant, by name."""
        rows = self._db.rows(select(*_COLUMNS).order_by(tenants_t.c.name))
        return [Tenant(**r._mapping) for r in rows]

    def set_status(self, tenant_id: str, status: str) -> None:
        with self._db.tx() as db:
            db.execute(update(tenants_t).where(tenants_t.c.id == tenant_id).values(status=status))

    def settings(self, tenant_id: str) -> dict[str, Any]:
        """The tenant's settings; {} for an unknown tenant."""
        rows = self._db.rows(select(tenants_t.c.settings).where(tenants_t.c.id == tenant_id))
        return dict(json.loads(rows[0]._mapping["settings"])) if rows else {}

    def set_settings(self, tenant_id: str, settings: dict[str, Any]) -> None:
        with self._db.tx() as db:
            db.execute(
                update(tenants_t)
                .where(tenants_t.c.id == tenant_id)
                .values(settings=json.dumps(settings))
            )

    def purge(self, tenant_id: str) -> None:
        """Remove every row that names the tenant, in every table that has a tenant_id column
        (whoever added the table: ``metadata`` holds them all, and a test holds it equal to the
        migrated schema), then the tenant itself, in one transaction. Offboarding and operation
        records stay: they are the evidence."""
        keep = {"tenants", "offboarding", "operations"}
        with self._db.tx() as db:
            # Dependents first, so the foreign keys to tenants never see an orphan.
            for table in reversed(metadata.sorted_tables):
                if table.name not in keep and "tenant_id" in table.c:
                    db.execute(delete(table).where(table.c.tenant_id == tenant_id))
            db.execute(delete(tenants_t).where(tenants_t.c.id == tenant_id))
