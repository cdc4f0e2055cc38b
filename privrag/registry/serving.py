"""Serving a tenant's models: the serving rule, the embedder cache, and model switches.

Serving rule, applied on every load, activation and rollback: a model that is non-private or
flagged (``retrain_required``, set when documents it saw are erased) does not serve unless an
operator overrode that model. A tenant whose active model becomes ineligible falls back to the
base model (a resumable re-embedding, like a rollback) and the fallback is reported to
``on_event`` for the audit log.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privrag.catalog import DocumentRow, ModelRow, ReembedJob
from privrag.errors import AccessDenied, Conflict, InvalidInput, KeyUnavailable, NotFound
from privrag.ingest.codec import (
    PointPayload,
    meta_context,
    open_chunk,
    open_json,
    seal_chunk,
    seal_json,
)
from privrag.ingest.protect import protect_chunks
from privrag.models import Tenant
from privrag.registry.artifacts import (
    WEIGHTS,
    delete_tenant_models,
    is_sealed,
    opened_weights,
    verify_model,
    weights_key,
)
from privrag.store import StoredPoint

if TYPE_CHECKING:
    from privrag.embed import Embedder
    from privrag.runtime import Runtime

OVERRIDES = "model_overrides"  # tenant setting: {model_id: reason the operator accepted}
Progress = Callable[[int, int], None]
EventSink = Callable[[dict[str, Any]], Any]
_log = logging.getLogger("privrag.registry")


@dataclass(frozen=True)
class Switch:
    """What an activation or rollback did: the model now serving and how many chunks moved."""

    tenant: str
    model_id: str | None  # None: the packaged base model
    version: int | None
    documents: int
    chunks: int
    skipped: tuple[int, ...] = field(default=())  # versions a rollback passed over (ineligible)


class ModelRegistry:
    """The serving side of the registry for one deployment (``register`` writes a version), the
    per-tenant embedder cache, and activation / rollback as a resumable re-embedding job.

    Query and chunk vectors must come from the same model, so switching a tenant's model
    re-embeds every chunk first (points keep their ids and payloads; only vectors change) and
    records the switch only when the last chunk is done. The job is journaled in the catalog
    with a cursor over documents in (ingested_at, doc_uid) order: rerunning the same activation
    or rollback after a crash resumes where it stopped. While it runs, the old model still
    serves queries, and chunks already moved rank against it less well: retrieval quality dips
    for the duration, isolation and correctness do not.
    """

    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime
        # Where serving decisions are reported (the API points it at its audit log).
        self.on_event: EventSink = _log_event
        self._loaded: dict[str, Embedder] = {}
        self._lock = threading.RLock()

    def list(self, tenant_id: str) -> list[ModelRow]:
        return self._rt.catalog.models.list(tenant_id)

    def get(self, tenant_id: str, model_id: str) -> ModelRow:
        row = self._rt.catalog.models.get(tenant_id, model_id)
        if row is None:
            raise NotFound(f"no model {model_id!r}")
        return row

    def by_version(self, tenant_id: str, version: int) -> ModelRow:
        for row in self._rt.catalog.models.list(tenant_id):
            if row.version == version:
                return row
        raise NotFound(f"no model version {version}")

    def active_model_id(self, tenant_id: str) -> str | None:
        history = self._rt.catalog.models.activations(tenant_id)
        return history[-1] if history else None

    def path(self, row: ModelRow) -> Path:
        return self._rt.settings.data_dir / row.path

    def verify(self, tenant_id: str, model_id: str) -> dict[str, Any]:
        row = self.get(tenant_id, model_id)
        card = verify_model(self.path(row), self._rt.signer)
        if card.get("model_id") != model_id or card.get("tenant_id") != tenant_id:
            raise KeyUnavailable(f"model {model_id!r}: its card names another model or tenant")
        return card

    def card(self, tenant_id: str, version: int) -> dict[str, Any]:
        """The verified card of model ``version`` (``privrag model show``)."""
        return self.verify(tenant_id, self.by_version(tenant_id, version).model_id)

    # the serving rule

    def overrides(self, tenant_id: str) -> dict[str, str]:
        return dict(self._rt.catalog.tenants.settings(tenant_id).get(OVERRIDES, {}))

    def ineligible(self, tenant_id: str, row: ModelRow) -> str | None:
        """Why ``row`` may not serve without an operator's override (None: it may)."""
        reasons = []
        if not row.private:
            reasons.append("trained without differential privacy")
        if row.flagged:
            reasons.append(f"flagged {row.flagged}")
        if not reasons:
            return None
        reason = "; ".join(reasons)
        return None if self.overrides(tenant_id).get(row.model_id) == reason else reason

    def override(self, tenant_id: str, version: int) -> str:
        """An operator accepts model ``version`` as it is now (non-private and/or flagged): it
        may serve. A later, different flag needs a new override. Returns what was accepted."""
        row = self.by_version(tenant_id, version)
        reason = self.ineligible(tenant_id, row)
        if reason is None:
            raise InvalidInput(f"model version {version} needs no override")
        settings = self._rt.catalog.tenants.settings(tenant_id)
        settings[OVERRIDES] = {**settings.get(OVERRIDES, {}), row.model_id: reason}
        self._rt.catalog.tenants.set_settings(tenant_id, settings)
        self.on_event(
            {
                "event": "model.override",
                "tenant_id": tenant_id,
                "model_id": row.model_id,
                "version": version,
                "reason": reason,
            }
        )
        return reason

    def load(
        self,
        tenant_id: str,
        model_id: str,
        *,
        device: str,
        batch_size: int,
        query_backend: str,
        precision: str = "auto",
    ) -> Embedder:
        """Verify, then load; the embedder's ``model_id`` names tenant and version."""
        from privrag.embed import Embedder  # heavy: loaded only when a tenant model serves

        row = self.get(tenant_id, model_id)
        self.verify(tenant_id, model_id)
        weights = self.path(row) / WEIGHTS
        name = f"privrag/{tenant_id}/v{row.version}"
        options: dict[str, Any] = {
            "batch_size": batch_size,
            "query_backend": query_backend,
            "precision": precision,
        }
        if not is_sealed(weights):
            return Embedder(weights, model_id=name, device=device, **options)
        key = weights_key(self._rt.keyring, tenant_id, model_id)
        with opened_weights(weights, key, tenant_id=tenant_id, model_id=model_id) as plain:
            embedder = Embedder(plain, model_id=name, device=device, **options)
            _ = embedder.digest  # read while the opened files exist
        return embedder

    def embedder(self, tenant_id: str, model_id: str | None) -> Embedder:
        """The embedder of ``model_id`` (None: the base model), verified once per process. An
        active model that may no longer serve (see the module docstring) is replaced by the
        base model first."""
        if model_id is None:
            return self._rt.embedder
        with self._lock:
            row = self.get(tenant_id, model_id)
            if self.ineligible(tenant_id, row) is not None:
                self.fall_back(tenant_id)
                return self._rt.embedder
            if model_id not in self._loaded:
                self._loaded[model_id] = self.load(
                    tenant_id,
                    model_id,
                    device=self._rt.settings.embed_device,
                    batch_size=self._rt.settings.embed_batch_size,
                    query_backend=self._rt.settings.embed_query_backend,
                    precision=self._rt.settings.embed_precision,
                )
                if self._rt.fast_queries:
                    self._loaded[model_id].warm_queries()
            return self._loaded[model_id]

    def fall_back(self, tenant_id: str, *, progress: Progress | None = None) -> Switch | None:
        """If the tenant's active model may not serve, switch the tenant to the base model and
        report it; None when nothing had to change. Call it after flagging models (sweep,
        erasure) so that no query waits for the re-embedding."""
        with self._lock:
            model_id = self.active_model_id(tenant_id)
            if model_id is None:
                return None
            row = self.get(tenant_id, model_id)
            reason = self.ineligible(tenant_id, row)
            if reason is None:
                return None
            tenant = self._rt.catalog.tenants.by_id(tenant_id)
            if tenant is None:
                raise NotFound("no such tenant")
            self._loaded.pop(model_id, None)
            switch = self._switch(tenant, "fallback", None, progress=progress)
            self.on_event(
                {
                    "event": "model.fallback",
                    "tenant_id": tenant_id,
                    "model_id": model_id,
                    "version": row.version,
                    "reason": reason,
                    "now_serving": "base",
                    "chunks": switch.chunks,
                }
            )
            return switch

    def activate(
        self,
        tenant: Tenant,
        version: int,
        *,
        allow_non_private: bool = False,
        progress: Progress | None = None,
    ) -> Switch:
        """Switch to model ``version``. A non-private or flagged model needs
        ``allow_non_private``, which records the operator's override for that model."""
        row = self.by_version(tenant.id, version)
        reason = self.ineligible(tenant.id, row)
        if reason is not None:
            if not allow_non_private:
                raise AccessDenied(
                    f"model version {version} is {reason}; serving it needs an explicit override"
                )
            self.override(tenant.id, version)
        self.verify(tenant.id, row.model_id)
        return self._switch(tenant, "activate", row.model_id, progress=progress)

    def rollback(self, tenant: Tenant, *, progress: Progress | None = None) -> Switch:
        """Back to the most recent earlier model that may serve (the base model at the bottom);
        models that are now non-private without override or flagged are passed over."""
        pending = self._rt.catalog.models.reembed_jobs(tenant.id)
        if pending and pending[0].action == "rollback":
            return self._switch(tenant, "rollback", pending[0].model_id, progress=progress)
        history = self._rt.catalog.models.activations(tenant.id)
        if not history:
            raise InvalidInput("the tenant already uses the base model; nothing to roll back")
        current = history[-1]
        skipped: list[int] = []
        target: str | None = None  # the base model, when no earlier model may serve
        for candidate in reversed(history[:-1]):
            if candidate is None:
                break
            if candidate == current:
                continue
            row = self.get(tenant.id, candidate)
            if self.ineligible(tenant.id, row) is None:
                target = candidate
                break
            if row.version not in skipped:
                skipped.append(row.version)
        switch = self._switch(tenant, "rollback", target, progress=progress)
        return Switch(
            switch.tenant,
            switch.model_id,
            switch.version,
            switch.documents,
            switch.chunks,
            tuple(skipped),
        )

    def delete_tenant(self, tenant_id: str) -> None:
        """Offboarding: forget the tenant's loaded models and delete their directories."""
        with self._lock:
            for row in self._rt.catalog.models.list(tenant_id):
                self._loaded.pop(row.model_id, None)
            delete_tenant_models(self._rt.settings.data_dir, tenant_id)

    def _switch(
        self,
        tenant: Tenant,
        action: str,
        model_id: str | None,
        *,
        progress: Progress | None = None,
    ) -> Switch:
        pending = self._rt.catalog.models.reembed_jobs(tenant.id)
        if pending:
            job = pending[0]
            if (job.action, job.model_id) != (action, model_id):
                raise Conflict(
                    "another model switch is under way for this tenant; rerun it to finish first"
                )
        else:
            job = ReembedJob(tenant.id, action, model_id, -1, "", int(self._rt.clock()))
            self._rt.catalog.models.begin_reembed(job)
        embedder = self.embedder(tenant.id, model_id)
        rows = self._rt.catalog.documents.list(tenant.id)
        documents = chunks = 0
        for done, row in enumerate(rows, start=1):
            if (row.ingested_at, row.doc_uid) <= (job.cursor_at, job.cursor_uid):
                continue
            with self._rt.write:
                current = self._rt.catalog.documents.get(tenant.id, row.doc_uid)
                if current is not None:
                    chunks += self._reembed_document(tenant, current, embedder)
                self._rt.catalog.models.advance_reembed(tenant.id, row.ingested_at, row.doc_uid)
            documents += 1
            if progress is not None:
                progress(done, len(rows))
        with self._rt.write:
            self._rt.catalog.models.finish_reembed(tenant.id, int(self._rt.clock()))
        version = self.get(tenant.id, model_id).version if model_id is not None else None
        return Switch(tenant.name, model_id, version, documents, chunks)

    def _reembed_document(self, tenant: Tenant, row: DocumentRow, embedder: Embedder) -> int:
        """Re-embed one document's live chunks and re-seal each with provenance naming
        ``embedder``: vector, lexical vector, sealed chunk and marker in one upsert per point,
        then the document's sealed metadata. Idempotent, so a rerun after a crash is safe."""
        rt = self._rt
        key = rt.data_key(tenant, row)
        found: list[tuple[PointPayload, str, dict[str, Any]]] = []
        for point in rt.store.points(tenant.id, doc_uid=row.doc_uid):
            payload = PointPayload.from_dict(point.payload)
            if payload.generation == row.generation:
                found.append((payload, point.id, open_chunk(key, tenant.id, payload)))
        found.sort(key=lambda item: item[0].chunk)
        named = embedder.provenance()
        if found:
            texts = [str(opened["text"]) for _, _, opened in found]
            scheme = rt.keyring.vector_scheme(tenant.id, dim=embedder.dim, writing=True)
            dense, sparse = protect_chunks(scheme, texts, embedder.embed(texts))
            points = []
            for i, (payload, point_id, opened) in enumerate(found):
                sealed = seal_chunk(
                    key,
                    tenant_id=tenant.id,
                    doc_uid=row.doc_uid,
                    generation=row.generation,
                    index=payload.chunk,
                    text=texts[i],
                    provenance={**opened["provenance"], **named},
                    flags=tuple(opened.get("flags", ())),
                )
                moved = replace(payload, sealed=sealed, vector_key=scheme.version)
                points.append(StoredPoint(point_id, dense[i].tolist(), moved.to_dict(), sparse[i]))
            rt.store.upsert(tenant.id, points)
        aad = meta_context(tenant.id, row.doc_uid, row.generation)
        meta = {**open_json(key, row.sealed_meta, aad), **named}
        rt.catalog.documents.set_meta(
            tenant.id, row.doc_uid, row.generation, seal_json(key, meta, aad)
        )
        return len(found)


def _log_event(event: dict[str, Any]) -> None:
    _log.warning("model serving event: %s", json.dumps(event, sort_keys=True))
