"""The SDK's method names and answers over a local ``PrivRAG``: what lets each command have one
code path whether it runs on a data dir or, with ``--url``, against a server through
``privrag.Client``. Only the methods the CLI calls are here; each answers exactly what the
client's method of the same name does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from privrag.audit import VerifyReport
from privrag.errors import AccessDenied, KeyUnavailable
from privrag.models import Document, IngestReport, Tenant
from privrag.pii.policy import PiiPolicy
from privrag.retention import RetentionPolicy

if TYPE_CHECKING:
    from privrag.access import IssuedKey
    from privrag.service import DocumentInfo, PrivRAG, QueryResult, SweepResult


class LocalTenant:
    """One tenant's documents (what a tenant key reaches over HTTP)."""

    def __init__(self, rag: PrivRAG, tenant: str) -> None:
        rag.tenants.get(tenant)
        self._rag = rag
        self._tenant = tenant

    def ingest(self, documents: Sequence[Document]) -> list[IngestReport]:
        return self._rag.ingest(self._tenant, documents)

    def query(
        self,
        text: str,
        *,
        k: int = 5,
        classifications: Sequence[str] | None = None,
        mode: str = "hybrid",
        exclude_flags: Sequence[str] | None = None,
    ) -> QueryResult:
        return self._rag.query(
            self._tenant,
            text,
            k=k,
            classifications=classifications,
            mode=mode,
            exclude_flags=exclude_flags,
        )

    def list_documents(self) -> list[str]:
        return self._rag.list_documents(self._tenant)

    def get_document(self, doc_id: str) -> DocumentInfo:
        return self._rag.get_document(self._tenant, doc_id)

    def delete(self, doc_id: str) -> None:
        self._rag.delete(self._tenant, doc_id)

    def forget(self, subject: str, *, entity_type: str | None = None) -> SweepResult:
        return self._rag.forget(self._tenant, subject, entity_type=entity_type)


class LocalOperator:
    """What an operator key reaches over HTTP. ``operator_key`` names who acts where that is
    recorded (offboarding); elsewhere holding the data dir and its master key is enough."""

    def __init__(self, rag: PrivRAG, operator_key: str | None) -> None:
        self._rag = rag
        self._key = operator_key

    def _operator(self) -> str:
        principal = self._rag.access().authenticate(self._key)
        if not principal.is_operator:
            raise AccessDenied("an operator key is required")
        return str(principal.key_id)

    def create_tenant(self, name: str) -> Tenant:
        return self._rag.tenants.create(name)

    def list_tenants(self) -> list[Tenant]:
        return self._rag.tenants.list()

    def suspend_tenant(self, name: str) -> Tenant:
        return self._rag.tenants.suspend(name)

    def resume_tenant(self, name: str) -> Tenant:
        return self._rag.tenants.resume(name)

    def create_key(
        self, tenant: str, scopes: Iterable[str] = ("delete", "ingest", "query")
    ) -> IssuedKey:
        return self._rag.access().issue_tenant_key(self._rag.tenants.get(tenant), scopes)

    def list_keys(self, tenant: str | None = None) -> list[dict[str, Any]]:
        tenant_id = self._rag.tenants.get(tenant).id if tenant else None
        rows = self._rag.access().list_keys(tenant_id)
        return [
            {
                "key_id": r.key_id,
                "kind": r.kind,
                "tenant": tenant,
                "scopes": sorted(r.scopes),
                "label": r.label,
                "created_at": r.created_at,
                "revoked_at": r.revoked_at,
            }
            for r in rows
            if tenant or r.kind == "operator"
        ]

    def create_operator_key(self, label: str = "") -> IssuedKey:
        return self._rag.access().issue_operator_key(label)

    def revoke_key(self, key_id: str) -> None:
        self._rag.access().revoke(key_id)

    def retention(self, tenant: str) -> RetentionPolicy:
        return self._rag.tenants.retention(tenant)

    def update_retention(
        self,
        tenant: str,
        *,
        default_days: int | None = None,
        drop_default: bool = False,
        by_class: Mapping[str, int | None] | None = None,
        clear: bool = False,
    ) -> tuple[RetentionPolicy, int]:
        return self._rag.tenants.update_retention(
            tenant,
            default_days=default_days,
            drop_default=drop_default,
            by_class=by_class,
            clear=clear,
        )

    def pii_policy(self, tenant: str) -> PiiPolicy:
        return self._rag.tenants.pii_policy(tenant)

    def update_pii_policy(
        self,
        tenant: str,
        *,
        operator: str | None = None,
        add: Iterable[str] = (),
        drop: Iterable[str] = (),
    ) -> PiiPolicy:
        return self._rag.tenants.update_pii_policy(tenant, operator=operator, add=add, drop=drop)

    def hold_tenant(self, tenant: str, hold: bool = True) -> None:
        self._rag.tenants.set_hold(tenant, hold)

    def hold_document(self, tenant: str, doc_id: str, hold: bool = True) -> None:
        self._rag.hold(tenant, doc_id, hold)

    def holds(self) -> dict[str, Any]:
        names = [t.name for t in self._rag.tenants.list()]
        return {
            "tenants": [n for n in names if self._rag.tenants.held(n)],
            "documents": {n: ids for n in names if (ids := self._rag.held_documents(n))},
        }

    def forget_in(
        self, tenant: str, subject: str, *, entity_type: str | None = None
    ) -> SweepResult:
        return self._rag.forget(tenant, subject, entity_type=entity_type)

    def reveal(self, tenant: str, doc_id: str) -> dict[str, str]:
        self._operator()
        return self._rag.reveal(tenant, doc_id)

    def request_offboarding(self, tenant: str) -> str:
        return self._rag.request_offboarding(tenant, requested_by=self._operator())

    def approve_offboarding(self, request_id: str) -> dict[str, Any]:
        return self._rag.approve_offboarding(request_id, approved_by=self._operator())

    def cancel_offboarding(self, request_id: str) -> None:
        self._rag.cancel_offboarding(request_id, cancelled_by=self._operator())

    def pending_offboardings(self) -> list[dict[str, Any]]:
        return self._rag.pending_offboardings()

    def sweep(
        self,
        tenant: str | None = None,
        *,
        dry_run: bool = False,
        as_of: int | None = None,
        progress: Any = None,
    ) -> list[SweepResult]:
        return self._rag.sweep(tenant, dry_run=dry_run, as_of=as_of, progress=progress)

    def list_models(self, tenant: str) -> dict[str, Any]:
        found = self._rag.tenants.get(tenant)
        active_id = self._rag.models.active_model_id(found.id)
        models = [
            {
                "version": r.version,
                "model_id": r.model_id,
                "created_at": r.created_at,
                "private": r.private,
                "epsilon": r.epsilon,
                "delta": r.delta,
                "flagged": r.flagged,
                "active": r.model_id == active_id,
            }
            for r in self._rag.models.list(found.id)
        ]
        active = next((m["version"] for m in models if m["active"]), None)
        return {"active": active, "models": models}

    def activate_model(
        self, tenant: str, version: int, *, allow_non_private: bool = False
    ) -> dict[str, Any]:
        switch = self._rag.activate_model(tenant, version, allow_non_private=allow_non_private)
        return {"tenant": tenant, "version": switch.version, "chunks": switch.chunks}

    def rollback_model(self, tenant: str) -> dict[str, Any]:
        switch = self._rag.rollback_model(tenant)
        return {"tenant": tenant, "version": switch.version, "chunks": switch.chunks}

    def verify_model(self, tenant: str, version: int | None = None) -> dict[str, Any]:
        found = self._rag.tenants.get(tenant)
        models = self._rag.models
        if version is None:
            model_id = models.active_model_id(found.id)
            if model_id is None:
                return {"version": None, "ok": True, "problem": None, "card": None}
        else:
            model_id = models.by_version(found.id, version).model_id
        number = models.get(found.id, model_id).version
        try:
            card = models.verify(found.id, model_id)
        except KeyUnavailable as exc:
            return {"version": number, "ok": False, "problem": exc.message, "card": None}
        return {"version": number, "ok": True, "problem": None, "card": card}

    def model_card(self, tenant: str, version: int) -> dict[str, Any]:
        return self._rag.model_card(tenant, version)

    def rescrub(self, tenant: str, *, progress: Any = None) -> dict[str, Any]:
        return self._rag.rescrub(tenant, progress=progress).to_dict()

    def reprotect_vectors(self, tenant: str, *, progress: Any = None) -> dict[str, Any]:
        done = self._rag.reprotect_vectors(tenant, progress=progress)
        return {
            "tenant": tenant,
            "version": done.version,
            "rewritten": done.rewritten,
            "skipped": done.skipped,
            "finished": done.finished,
        }

    def verify_receipts(self) -> VerifyReport:
        return self._rag.verify_receipts()

    def verify_audit(self) -> VerifyReport:
        from privrag.audit import verify

        return verify(self._rag.settings.audit_path)
