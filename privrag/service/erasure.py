"""Deletion workflows over the shredder: retention sweeps, erasure by data subject, and
offboarding a tenant by two different operators (different labels and different root keys: a key
minted over the API is its minter's).

Each plans with ``privrag.retention.plan`` (so a dry run predicts the real run exactly), deletes
through ``privrag.retention.shredder`` (crash-safe, receipted) under the write lock, and compacts
the shard afterwards so deleted payloads leave the segment files.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from privrag.catalog import Offboarding
from privrag.errors import AccessDenied, Conflict, InvalidInput, NotFound
from privrag.ingest import validate
from privrag.models import Tenant
from privrag.pii import ALL_ENTITIES, subject_tag
from privrag.retention import RetentionPolicy
from privrag.retention.plan import Plan, split_held
from privrag.retention.shredder import Progress
from privrag.service.results import SweepResult

if TYPE_CHECKING:
    from privrag.runtime import Runtime


class Erasure:
    def __init__(self, runtime: Runtime, *, retention: Callable[[Tenant], RetentionPolicy]) -> None:
        self._rt = runtime
        self._retention = retention

    def _result(self, tenant: Tenant, plan: Plan) -> SweepResult:
        return SweepResult(
            tenant=tenant.name,
            deleted=self._rt.doc_ids(tenant, list(plan.doomed)),
            held=self._rt.doc_ids(tenant, list(plan.held)),
            receipt=None,
        )

    def plan_sweep(self, tenant: Tenant, *, as_of: int | None = None) -> Plan:
        now = self._rt.now() if as_of is None else as_of
        expired = self._rt.catalog.documents.expired(tenant.id, now)
        return split_held(expired, tenant_hold=self._rt.tenant_hold(tenant))

    def sweep(
        self,
        tenants: Sequence[Tenant],
        *,
        dry_run: bool,
        as_of: int | None,
        progress: Progress | None,
    ) -> list[SweepResult]:
        if as_of is not None and not dry_run:
            raise InvalidInput("--as-of is only allowed with --dry-run")
        rt = self._rt
        results = []
        for tenant in tenants:
            with rt.write:
                plan = self.plan_sweep(tenant, as_of=as_of)
                result = self._result(tenant, plan)
                if dry_run:
                    results.append(result)
                    continue
                if plan.doomed:
                    receipt = rt.shredder.erase(
                        tenant,
                        plan.doomed,
                        kind="retention_sweep",
                        details={
                            "policy": self._retention(tenant).to_dict(),
                            "held": [r.doc_uid for r in plan.held],
                        },
                        progress=progress,
                    )
                    result = replace(result, receipt=receipt)
                results.append(result)
                # Also removes what single deletes left in segment files (already unreadable:
                # their keys are gone).
                rt.store.compact(tenant.id)
        return results

    def forget(self, tenant: Tenant, subject: str, *, entity_type: str | None) -> SweepResult:
        rt = self._rt
        validate.text_content(subject, what="subject", max_chars=1000)
        if entity_type is not None and entity_type not in ALL_ENTITIES:
            raise InvalidInput(f"unknown PII entity type {entity_type!r}")
        hasher = rt.hasher(tenant)
        types = [entity_type] if entity_type else sorted(rt.pii_policy(tenant).entities)
        uids: set[str] = set()
        for kind in types:
            uids.update(
                rt.catalog.documents.with_tag(tenant.id, subject_tag(hasher, kind, subject))
            )
        with rt.write:
            plan = split_held(
                rt.catalog.documents.list(tenant.id, sorted(uids)),
                tenant_hold=rt.tenant_hold(tenant),
            )
            result = self._result(tenant, plan)
            if plan.doomed:
                receipt = rt.shredder.erase(
                    tenant,
                    plan.doomed,
                    kind="erasure",
                    details={"held": [r.doc_uid for r in plan.held], "entity_types": types},
                )
                rt.store.compact(tenant.id)
                result = replace(result, receipt=receipt)
        return result

    def request_offboarding(self, tenant: Tenant, *, requested_by: str) -> str:
        validate.text_content(requested_by, what="operator", max_chars=200)
        request_id = uuid.uuid4().hex
        self._rt.catalog.offboarding.add(
            Offboarding(request_id, tenant.id, requested_by, self._rt.now(), "pending", None, None)
        )
        return request_id

    def pending_offboardings(self) -> list[dict[str, Any]]:
        names = {t.id: t.name for t in self._rt.catalog.tenants.all()}
        return [
            {
                "request_id": r.id,
                "tenant": names.get(r.tenant_id, ""),
                "requested_by": r.requested_by,
                "requested_at": r.requested_at,
            }
            for r in self._rt.catalog.offboarding.pending()
        ]

    def _person(self, operator_id: str) -> tuple[str, str]:
        """Who is behind an operator key: its label, else the key itself (two keys with one
        label are one person to the two-person rule)."""
        row = self._rt.catalog.api_keys.get(operator_id)
        return ("label", row.label) if row is not None and row.label else ("key", operator_id)

    def _root(self, operator_id: str) -> str:
        """The key an operator key was minted from, followed up to one made on the host (or the
        env operator): whoever holds a key can mint more over the API with any label, so a key
        and everything minted from it, directly or not, are one person."""
        root, seen = operator_id, {operator_id}
        row = self._rt.catalog.api_keys.get(root)
        while row is not None and row.created_by is not None and row.created_by not in seen:
            root = row.created_by
            seen.add(root)
            row = self._rt.catalog.api_keys.get(root)
        return root

    def _pending(self, request_id: str) -> Offboarding:
        catalog = self._rt.catalog
        request = catalog.offboarding.get(request_id) if isinstance(request_id, str) else None
        if request is None or request.state != "pending":
            raise NotFound(f"no pending offboarding request {request_id!r}")
        return request

    def cancel_offboarding(self, request_id: str, *, cancelled_by: str) -> None:
        request = self._pending(request_id)
        self._rt.catalog.offboarding.decide(request.id, "cancelled", cancelled_by, self._rt.now())

    def approve_offboarding(self, request_id: str, *, approved_by: str) -> dict[str, Any]:
        rt = self._rt
        request = self._pending(request_id)
        if self._person(approved_by) == self._person(request.requested_by):
            raise AccessDenied("offboarding needs a second operator: the requester cannot approve")
        if self._root(approved_by) == self._root(request.requested_by):
            raise AccessDenied(
                "offboarding needs a second operator: this key and the requester's descend from "
                "one key, and keys minted over the API count as their minter; approve with an "
                "operator key created on the host (privrag operator-key create --label NAME)"
            )
        tenant = rt.catalog.tenants.by_id(request.tenant_id)
        if tenant is None:
            raise NotFound(f"no pending offboarding request {request_id!r}")
        if rt.tenant_hold(tenant) or any(r.hold for r in rt.catalog.documents.list(tenant.id)):
            raise Conflict(f"tenant {tenant.name!r} has documents under legal hold")
        with rt.write:
            return rt.shredder.offboard(
                tenant,
                {
                    "request_id": request.id,
                    "requested_by": request.requested_by,
                    "approved_by": approved_by,
                },
            )
