"""PrivRAG: the one facade over tenants, ingestion, retrieval, deletion and models.

The API, the CLI and training call this and nothing below it. Every method names its tenant;
nothing is shared between tenants but the process. The facade resolves the tenant, then hands
the work to one part (tenants, documents, the ingest pipeline, retrieval, erasure, the model
registry), each built on the private ``Runtime`` rather than on the facade itself.

Crash safety: ingest is journaled (``privrag.ingest.pipeline``); delete, sweep, erasure and
offboarding go through ``privrag.retention.shredder`` (operation row -> one catalog transaction
-> journaled store work and key rotation -> signed receipt). Recovery on open redoes whatever
was journaled; every step is idempotent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privrag.access import Access
from privrag.audit import VerifyReport
from privrag.config import Settings
from privrag.crypto import Signer
from privrag.errors import Conflict
from privrag.ingest import validate
from privrag.ingest.pipeline import Pipeline
from privrag.ingest.reprotect import Reprotection, reprotect_tenant
from privrag.ingest.reprotect import cursor_path as reprotect_cursor
from privrag.ingest.rescrub import Rescrub, rescrub_tenant
from privrag.models import Document, IngestReport, Tenant, TrainingRecord
from privrag.privacy import PrivacyLedgers
from privrag.registry import ModelRegistry, Registered, Switch, register
from privrag.retention.shredder import Progress
from privrag.runtime import Runtime
from privrag.service.compaction import Compactor
from privrag.service.documents import Documents
from privrag.service.erasure import Erasure
from privrag.service.inventory import Inventory
from privrag.service.results import DocumentInfo, QueryResult, SweepResult
from privrag.service.retrieval import Retrieval
from privrag.service.tenants import Tenants
from privrag.store import VectorStore, open_store
from privrag.store.migrate import TenantMigration, cursor_path, migrate_store

if TYPE_CHECKING:
    from privrag.embed import Embedder
    from privrag.pii import Scrubber


class PrivRAG:
    def __init__(
        self,
        settings: Settings,
        *,
        scrubber: Scrubber | None = None,
        embedder: Embedder | None = None,
        store: VectorStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._runtime = rt = Runtime(
            settings, scrubber=scrubber, embedder=embedder, store=store, clock=clock
        )
        self.tenants = Tenants(rt)
        self.models = ModelRegistry(rt)
        self._privacy = PrivacyLedgers(rt)
        self._compactor = Compactor(rt, delay=settings.compact_delay_s)
        self._documents = Documents(rt, compactor=self._compactor)
        self._pipeline = Pipeline(rt)
        self._retrieval = Retrieval(rt)
        self._inventory = Inventory(rt)
        self._erasure = Erasure(rt, retention=lambda t: self.tenants.retention(t.name))
        self.recover()

    def close(self) -> None:
        """Flush and release the data dir; a second call does nothing."""
        self._compactor.close()
        self._runtime.close()

    def __enter__(self) -> PrivRAG:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # deployment

    def ready(self) -> bool:
        """Whether this instance can serve: open, catalog reachable, model loaded."""
        rt = self._runtime
        if rt.closed:
            return False
        rt.catalog.tenants.all()
        return bool(rt.embedder.dim)

    @property
    def signer(self) -> Signer:
        """The deployment's Ed25519 key: receipts, model cards and the audit head."""
        return self._runtime.signer

    def access(self, *, operator_key: str | None = None) -> Access:
        """Credentials over this deployment's catalog (``operator_key``: the env operator)."""
        return Access(self._runtime.catalog, clock=self._runtime.clock, operator_key=operator_key)

    def recover(self) -> None:
        """Finish or undo whatever a crashed process left (see ``privrag.retention.shredder``)."""
        with self._runtime.write:
            self._runtime.shredder.recover()

    def migrate_store(
        self, target: Settings, *, batch: int = 256
    ) -> list[tuple[str, TenantMigration]]:
        """Copy every tenant's points as stored to the store ``target`` names; resumable.
        Returns (tenant name, what moved) per tenant."""
        rt = self._runtime
        names = {t.id: t.name for t in rt.catalog.tenants.all()}
        destination = open_store(target, dim=rt.vector_dim)
        try:
            report = migrate_store(
                rt.store,
                destination,
                list(names),
                cursor_file=cursor_path(self.settings.data_dir, str(target.qdrant_url)),
                batch=batch,
            )
        finally:
            destination.close()
        return [(names[item.tenant_id], item) for item in report]

    @property
    def embedder(self) -> Embedder:
        """The packaged base model (loaded on first use)."""
        return self._runtime.embedder

    # models

    def warm_queries(self) -> None:
        """Serving: embed queries through ONNX Runtime once its export is built and checked
        (in the background; see ``privrag.embed``)."""
        self._runtime.warm_queries()

    def embedder_for(self, tenant: Tenant) -> Embedder:
        """The model that embeds this tenant's chunks and queries (one model per tenant, so
        query and document vectors always come from the same weights): the tenant's active
        model, its signature verified before it is first loaded, else the packaged base model."""
        return self.models.embedder(tenant.id, self.models.active_model_id(tenant.id))

    def activate_model(
        self,
        tenant_name: str,
        version: int,
        *,
        allow_non_private: bool = False,
        progress: Progress | None = None,
    ) -> Switch:
        """Serve ``tenant_name`` with its model ``version``: re-embed every chunk with it (a
        resumable job), then switch. Non-private or flagged models need ``allow_non_private``
        (an operator's override, recorded)."""
        tenant = self.tenants.get(tenant_name)
        return self.models.activate(
            tenant, version, allow_non_private=allow_non_private, progress=progress
        )

    def rollback_model(self, tenant_name: str, *, progress: Progress | None = None) -> Switch:
        """Switch back to the previously active eligible model (re-embedding like an
        activation); ineligible ones are passed over and listed in ``Switch.skipped``."""
        return self.models.rollback(self.tenants.get(tenant_name), progress=progress)

    def model_card(self, tenant_name: str, version: int) -> dict[str, Any]:
        """The verified card of the tenant's model ``version``."""
        return self.models.card(self.tenants.get(tenant_name).id, version)

    def register_model(
        self,
        tenant_name: str,
        *,
        save: Callable[[Path], None],
        card: dict[str, Any],
        doc_uids: Sequence[str],
    ) -> Registered:
        """Write, sign and register a new model version of the tenant (training calls this)."""
        return register(
            self._runtime, self.tenants.get(tenant_name), save=save, card=card, doc_uids=doc_uids
        )

    # privacy ledger

    def privacy_ledger(self, tenant_name: str) -> dict[str, Any] | None:
        """The tenant's privacy ledger as saved (None: nothing was ever charged)."""
        return self._privacy.read(self.tenants.get(tenant_name))

    def update_privacy_ledger(
        self,
        tenant_name: str,
        change: Callable[[dict[str, Any] | None], dict[str, Any]],
    ) -> dict[str, Any]:
        """Atomically replace the tenant's ledger with ``change(current)``; if ``change``
        raises (over budget, refused plan) nothing is written."""
        return self._privacy.update(self.tenants.get(tenant_name), change)

    # documents

    def ingest(self, tenant_name: str, documents: Sequence[Document]) -> list[IngestReport]:
        """Scrub, chunk, embed, seal and store ``documents``; same id replaces the old one.
        The batch is validated whole before anything is written (``privrag.ingest.pipeline``)."""
        tenant = self.tenants.get(tenant_name)
        return self._pipeline.run(
            tenant,
            documents,
            embedder=self.embedder_for(tenant),
            retention=self.tenants.retention(tenant.name),
        )

    def query(
        self,
        tenant_name: str | Tenant,
        text: str,
        *,
        k: int = 5,
        classifications: Sequence[str] | None = None,
        mode: str = "hybrid",
        exclude_flags: Sequence[str] | None = None,
    ) -> QueryResult:
        """The ``k`` best chunks for ``text``: ``mode`` dense (embeddings), sparse (the keyed
        BM25 index) or hybrid (both, fused by rank in the store). ``exclude_flags``
        (``["prompt_injection"]``) leaves flagged chunks out; every hit carries its flags.
        A ``Tenant`` row the caller read and checked in this request (the gateway's
        authentication reads it with the key) saves reading the tenant again."""
        tenant = tenant_name if isinstance(tenant_name, Tenant) else self.tenants.get(tenant_name)
        return self._retrieval.query(
            tenant,
            text,
            embedder=self.embedder_for(tenant),
            k=k,
            classifications=classifications,
            mode=mode,
            exclude_flags=exclude_flags,
        )

    def reprotect_vectors(
        self,
        tenant_name: str,
        *,
        batch: int = 256,
        stop_after: int | None = None,
        progress: Progress | None = None,
    ) -> Reprotection:
        """Move the tenant's vectors to a new vector key version: protects a tenant from before
        vector protection (and builds its lexical index), or rotates its vector key. Resumable:
        rerun after a crash. ``stop_after`` pages is for crash tests."""
        tenant = self.tenants.get(tenant_name)
        rt = self._runtime
        if rt.catalog.models.reembed_jobs(tenant.id):
            raise Conflict("a model switch is under way for this tenant; finish it first")
        embedder = self.embedder_for(tenant)
        return reprotect_tenant(
            tenant_id=tenant.id,
            store=rt.store,
            keyring=rt.keyring,
            catalog=rt.catalog,
            dim=embedder.dim,
            embed=embedder.embed,
            lock=rt.write,
            cursor_file=reprotect_cursor(self.settings.data_dir, tenant.id),
            batch=batch,
            stop_after=stop_after,
            progress=progress,
        )

    def rescrub(
        self,
        tenant_name: str,
        *,
        progress: Progress | None = None,
        stop_after: int | None = None,
    ) -> Rescrub:
        """Re-scrub the tenant's stored documents with its current PII policy (run it after a
        policy change): each becomes a new generation, re-embedded, with provenance naming the
        policy digest. Idempotent and resumable (``privrag.ingest.rescrub``); it cannot bring
        back text an earlier, stricter policy removed. ``stop_after`` is for crash tests."""
        tenant = self.tenants.get(tenant_name)
        if self._runtime.catalog.models.reembed_jobs(tenant.id):
            raise Conflict("a model switch is under way for this tenant; finish it first")
        return rescrub_tenant(
            self._runtime,
            tenant,
            embedder=self.embedder_for(tenant),
            progress=progress,
            stop_after=stop_after,
        )

    def get_document(self, tenant_name: str, doc_id: str) -> DocumentInfo:
        return self._documents.info(self.tenants.get(tenant_name), doc_id)

    def reveal(self, tenant_name: str, doc_id: str) -> dict[str, str]:
        """The original values behind a document's pseudonyms (reversible PII mode only; empty
        otherwise). Callers gate it: the API allows it to operators only, and audits it."""
        return self._documents.originals(self.tenants.get(tenant_name), doc_id)

    def document_uid(self, tenant_name: str, doc_id: str) -> str:
        """The opaque id a document has at rest (a keyed hash of its id): what audit lines
        name instead of the id, which may carry personal data."""
        validate.document_id(doc_id)
        return self._runtime.doc_uid(self.tenants.get(tenant_name), doc_id)

    def list_documents(self, tenant_name: str) -> list[str]:
        return self._documents.ids(self.tenants.get(tenant_name))

    def training_records(self, tenant_name: str) -> Iterator[TrainingRecord]:
        """Each live document of one tenant, as its scrubbed chunks in order, opened with that
        tenant's keys only. Every record names the tenant so a training job can assert it."""
        return self._documents.training_records(self.tenants.get(tenant_name))

    def delete(self, tenant_name: str, doc_id: str) -> dict[str, Any]:
        """Delete a document: its points, its data key, and (by rotating the tenant key) every
        copy of that key in old backups of the catalog. Returns the signed receipt."""
        return self._documents.delete(self.tenants.get(tenant_name), doc_id)

    def hold(self, tenant_name: str, doc_id: str, hold: bool = True) -> None:
        """Put a document under legal hold (or lift it): sweeps and erasure skip it."""
        self._documents.hold(self.tenants.get(tenant_name), doc_id, hold)

    def document_texts(
        self, tenant_name: str, doc_ids: Sequence[str]
    ) -> list[tuple[DocumentInfo, list[str]]]:
        """Live documents by id with their scrubbed chunk texts (what queries return anyway);
        unknown or expired ids are left out."""
        return self._documents.texts(self.tenants.get(tenant_name), list(doc_ids))

    def corpus_size(self, tenant_name: str) -> tuple[int, int]:
        """(live documents, live chunks) of the tenant, from the catalog alone (cheap)."""
        return self._inventory.corpus_size(self.tenants.get(tenant_name))

    def inventory(self, tenant_name: str) -> dict[str, Any]:
        """What the tenant holds, as counts (classes, entity types, flags, expiries, holds,
        deletion receipts); never a text, id or detected value."""
        return self._inventory.collect(self.tenants.get(tenant_name))

    def held_documents(self, tenant_name: str) -> list[str]:
        """Ids of the tenant's documents under legal hold."""
        return self._documents.held(self.tenants.get(tenant_name))

    # retention, erasure, offboarding

    def pending_offboardings(self) -> list[dict[str, Any]]:
        """Offboarding requests waiting for a second operator, oldest first."""
        return self._erasure.pending_offboardings()

    def plan_sweep(self, tenant_name: str, *, as_of: int | None = None) -> SweepResult:
        """What a sweep at ``as_of`` (default now) would delete and what it would skip as held:
        exactly what ``sweep`` then deletes, because both use one plan."""
        return self.sweep(tenant_name, dry_run=True, as_of=as_of)[0]

    def sweep(
        self,
        tenant_name: str | None = None,
        *,
        dry_run: bool = False,
        as_of: int | None = None,
        progress: Progress | None = None,
    ) -> list[SweepResult]:
        """Delete every expired, unheld document (one tenant or all), each tenant's deletion
        receipted. ``as_of`` is only allowed with ``dry_run``: a real sweep runs at now."""
        tenants = [self.tenants.get(tenant_name)] if tenant_name else self.tenants.list()
        return self._erasure.sweep(tenants, dry_run=dry_run, as_of=as_of, progress=progress)

    def forget(
        self, tenant_name: str, subject: str, *, entity_type: str | None = None
    ) -> SweepResult:
        """Erase every document that mentioned ``subject`` (an e-mail, a name, a phone number…),
        found through the keyed subject tags recorded at ingest: the value itself was never
        stored. Held documents are reported, not deleted."""
        return self._erasure.forget(self.tenants.get(tenant_name), subject, entity_type=entity_type)

    def request_offboarding(self, tenant_name: str, *, requested_by: str) -> str:
        """First of two steps to crypto-shred a tenant; returns the pending request id."""
        return self._erasure.request_offboarding(
            self.tenants.get(tenant_name), requested_by=requested_by
        )

    def cancel_offboarding(self, request_id: str, *, cancelled_by: str) -> None:
        self._erasure.cancel_offboarding(request_id, cancelled_by=cancelled_by)

    def approve_offboarding(self, request_id: str, *, approved_by: str) -> dict[str, Any]:
        """Second step, by a different operator: destroy every tenant key version, drop the
        shard, purge the catalog, and return the signed receipt. Irreversible."""
        return self._erasure.approve_offboarding(request_id, approved_by=approved_by)

    def verify_receipts(self) -> VerifyReport:
        return self._runtime.receipts.verify()
