"""Tenants: create, list, suspend, and the per-tenant settings (retention, PII policy, hold).

``rag.tenants`` is the one way in; a tenant is looked up by name and everything below works on
its opaque id. A tenant being offboarded is already gone for every caller.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from privrag.errors import Conflict, TenantNotFound
from privrag.ingest import validate
from privrag.models import Tenant
from privrag.pii import PiiPolicy
from privrag.retention import RetentionPolicy, expires_at
from privrag.store import Field

if TYPE_CHECKING:
    from privrag.runtime import Runtime


class Tenants:
    """``rag.tenants.create(name)`` / ``.list()`` / ``.get(name)``."""

    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime

    def create(self, name: str, *, retention: RetentionPolicy | None = None) -> Tenant:
        rt = self._rt
        validate.tenant_name(name)
        if rt.catalog.tenants.by_name(name) is not None:
            raise Conflict(f"tenant {name!r} exists already")
        tenant = Tenant(id=uuid.uuid4().hex, name=name, created_at=rt.now())
        # Keys first: a catalog row never names a tenant whose keys do not exist.
        rt.keyring.create_tenant(tenant.id)
        rt.catalog.tenants.add(tenant, {"retention": (retention or RetentionPolicy()).to_dict()})
        rt.store.ensure_tenant(tenant.id)
        return tenant

    def list(self) -> list[Tenant]:
        return self._rt.catalog.tenants.all()

    def suspend(self, name: str) -> Tenant:
        """Kill switch: the tenant's credentials stop working at once; nothing is deleted."""
        tenant = self.get(name)
        self._rt.catalog.tenants.set_status(tenant.id, "suspended")
        return self.get(name)

    def resume(self, name: str) -> Tenant:
        tenant = self.get(name)
        self._rt.catalog.tenants.set_status(tenant.id, "active")
        return self.get(name)

    def retention(self, name: str) -> RetentionPolicy:
        tenant = self.get(name)
        return RetentionPolicy.from_dict(
            self._rt.catalog.tenants.settings(tenant.id).get("retention")
        )

    def set_retention(self, name: str, policy: RetentionPolicy) -> int:
        """Change the tenant's policy and re-date every document that has no per-document
        override. Returns how many documents were re-dated; rerunning after a crash converges."""
        rt = self._rt
        tenant = self.get(name)
        settings = rt.catalog.tenants.settings(tenant.id)
        settings["retention"] = policy.to_dict()
        with rt.write:
            rt.catalog.tenants.set_settings(tenant.id, settings)
            updates = []
            for row in rt.catalog.documents.list(tenant.id):
                if row.retention_days is not None:
                    continue
                expiry = expires_at(
                    ingested_at=row.ingested_at,
                    classification=row.classification,
                    override_days=None,
                    policy=policy,
                    default_days=rt.settings.default_retention_days,
                )
                if expiry != row.expires_at:
                    # Store first: queries filter on the point's expiry, sweeps on the catalog's.
                    rt.store.set_fields(tenant.id, row.doc_uid, {Field.EXP: expiry})
                    updates.append((row.doc_uid, expiry))
            rt.catalog.documents.set_expiry(tenant.id, updates)
        return len(updates)

    def pii_policy(self, name: str) -> PiiPolicy:
        return self._rt.pii_policy(self.get(name))

    def set_pii_policy(self, name: str, policy: PiiPolicy) -> None:
        """What counts as PII for this tenant and how it is replaced; applies to what is
        ingested (and queried) from now on."""
        tenant = self.get(name)
        settings = self._rt.catalog.tenants.settings(tenant.id)
        settings["pii_policy"] = policy.to_dict()
        self._rt.catalog.tenants.set_settings(tenant.id, settings)

    def set_hold(self, name: str, hold: bool) -> None:
        """Legal hold on the whole tenant: no sweep, erasure or offboarding deletes anything."""
        tenant = self.get(name)
        settings = self._rt.catalog.tenants.settings(tenant.id)
        settings["hold"] = bool(hold)
        self._rt.catalog.tenants.set_settings(tenant.id, settings)

    def get(self, name: str) -> Tenant:
        tenant = self._rt.catalog.tenants.by_name(name) if isinstance(name, str) else None
        if tenant is None or tenant.status == "deleting":
            raise TenantNotFound(f"no tenant named {name!r}")
        return tenant
