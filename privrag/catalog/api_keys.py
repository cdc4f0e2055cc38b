"""API key rows (``privrag.access``): hashes only, never a key; kind 'tenant' (bound to one
tenant) or 'operator'. Revoking marks a row, so a key id is never reused, and ``created_by`` (the
operator key that minted a key over the API; None for a root made on the host) always names a
row that is still there, or the env operator's id."""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, insert, select, update

from privrag.catalog._db import Database
from privrag.catalog.schema import api_keys_t, tenants_t
from privrag.models import Tenant


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
    created_by: str | None = None


_COLUMNS = tuple(api_keys_t.c[name] for name in ApiKeyRow.__dataclass_fields__)


def _api_key(row: Row[Any]) -> ApiKeyRow:
    values = dict(row._mapping)
    values["scopes"] = frozenset(json.loads(values["scopes"]))
    return ApiKeyRow(**values)


class ApiKeys:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, row: ApiKeyRow) -> None:
        with self._db.tx() as db:
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
                    created_by=row.created_by,
                )
            )

    def get(self, key_id: str) -> ApiKeyRow | None:
        rows = self._db.rows(select(*_COLUMNS).where(api_keys_t.c.key_id == key_id))
        return _api_key(rows[0]) if rows else None

    def resolve(self, key_id: str) -> tuple[ApiKeyRow, Tenant | None] | None:
        """The key row and the tenant it is bound to, read together in one round trip (every
        request reads both, so revocation and suspension take effect on the next request)."""
        tenant_columns = (
            tenants_t.c.id,
            tenants_t.c.name,
            tenants_t.c.created_at,
            tenants_t.c.status,
        )
        stmt = (
            select(*_COLUMNS, *(c.label(f"owner_{c.name}") for c in tenant_columns))
            .select_from(api_keys_t.outerjoin(tenants_t, tenants_t.c.id == api_keys_t.c.tenant_id))
            .where(api_keys_t.c.key_id == key_id)
        )
        rows = self._db.rows(stmt)
        if not rows:
            return None
        values = dict(rows[0]._mapping)
        tenant_values = {c.name: values.pop(f"owner_{c.name}") for c in tenant_columns}
        values["scopes"] = frozenset(json.loads(values["scopes"]))
        tenant = Tenant(**tenant_values) if tenant_values["id"] is not None else None
        return ApiKeyRow(**values), tenant

    def list(self, tenant_id: str | None = None) -> builtins.list[ApiKeyRow]:
        """Every key (or the tenant's), oldest first, revoked ones included."""
        stmt = select(*_COLUMNS).order_by(api_keys_t.c.created_at)
        if tenant_id is not None:
            stmt = stmt.where(api_keys_t.c.tenant_id == tenant_id)
        return [_api_key(r) for r in self._db.rows(stmt)]

    def revoke(self, key_id: str, now: int) -> bool:
        """Mark a key revoked; False when there is no such live key."""
        with self._db.tx() as db:
            result = db.execute(
                update(api_keys_t)
                .where(api_keys_t.c.key_id == key_id, api_keys_t.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            return result.rowcount > 0
