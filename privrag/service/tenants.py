"""Tenants: create, list, suspend, and the per-tenant settings (retention, PII policy, hold).

``rag.tenants`` is the one way in; a tenant is looked up by name and everything below works on
its opaque id. A tenant being offboarded is already gone for every caller.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from contextlib import suppress
from typing import TYPE_CHECKING, cast

from privrag.errors import Conflict, InvalidInput, PrivragError, TenantNotFound
from privrag.ingest import validate
from privrag.models import Tenant
from privrag.pii import ALL_ENTITIES, PiiPolicy
from privrag.pii.policy import OPERATORS, Operator
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
        # Keys, then the shard, then the catalog row: the row is what makes the tenant exist,
        # so it never names a tenant whose keys or shard could not be made. On failure what
        # was made is removed; a crash in between leaves files under an id nothing names.
        try:
            rt.keyring.create_tenant(tenant.id)
            rt.store.ensure_tenant(tenant.id)
            rt.catalog.tenants.add(
                tenant, {"retention": (retention or RetentionPolicy()).to_dict()}
            )
        except BaseException:
            # The first failure is the one to report; a cleanup failing too changes nothing
            # the caller can act on (the leftovers are unnamed either way).
            with suppress(PrivragError, OSError):
                rt.store.drop_tenant(tenant.id)
            with suppress(PrivragError, OSError):
                rt.keyring.destroy_tenant(tenant.id)
            raise
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

    def update_retention(
        self,
        name: str,
        *,
        default_days: int | None = None,
        drop_default: bool = False,
        by_class: Mapping[str, int | None] | None = None,
        clear: bool = False,
    ) -> tuple[RetentionPolicy, int]:
        """Merge a change into the tenant's policy: what is not named is kept (``clear`` starts
        from an empty policy; a class mapped to None loses its rule). Returns the new policy
        and how many documents were re-dated."""
        current = RetentionPolicy() if clear else self.retention(name)
        days = None if drop_default else (default_days or current.default_days)
        classes = dict(current.by_class)
        for cls, value in (by_class or {}).items():
            if value is None:
                classes.pop(cls, None)
            else:
                classes[cls] = value
        policy = RetentionPolicy(default_days=days, by_class=classes)
        return policy, self.set_retention(name, policy)

    def update_pii_policy(
        self,
        name: str,
        *,
        operator: str | None = None,
        add: Iterable[str] = (),
        drop: Iterable[str] = (),
    ) -> PiiPolicy:
        """Merge a change into the tenant's PII policy. It applies to what is ingested and
        queried from now on; ``PrivRAG.rescrub`` brings stored documents up to it."""
        add, drop = frozenset(add), frozenset(drop)
        unknown = sorted((add | drop) - ALL_ENTITIES)
        if unknown:
            raise InvalidInput(
                f"unknown PII entity type {', '.join(unknown)}; known: {', '.join(sorted(ALL_ENTITIES))}"
            )
        if operator is not None and operator not in OPERATORS:
            raise InvalidInput(f"unknown PII operator {operator!r}; use one of {sorted(OPERATORS)}")
        current = self.pii_policy(name)
        policy = PiiPolicy(
            entities=(current.entities | add) - drop,
            operator=cast(Operator, operator or current.operator),
        )
        self.set_pii_policy(name, policy)
        return policy

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

    def held(self, name: str) -> bool:
        """Whether the whole tenant is under legal hold."""
        return self._rt.tenant_hold(self.get(name))

    def get(self, name: str) -> Tenant:
        tenant = self._rt.catalog.tenants.by_name(name) if isinstance(name, str) else None
        if tenant is None or tenant.status == "deleting":
            raise TenantNotFound(f"no tenant named {name!r}")
        return tenant
