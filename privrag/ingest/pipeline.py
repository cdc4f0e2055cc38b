"""The ingest pipeline: validate -> scrub -> chunk -> screen -> embed -> seal -> store, one batch
at a time. Screening judges each scrubbed chunk (``privrag.screening``); its flags are stored.

Crash safety is an order of operations backed by the catalog journal: journal 'ingest'
(generation g) -> upsert the points of g -> one catalog transaction makes g current and journals
'gc' -> delete the document's points of other generations -> finish. Points of a generation the
catalog does not name are never returned (their key is unknown), and recovery deletes them.
The whole batch is validated before anything is written; each document is then committed on its
own, so a failure part-way leaves earlier documents stored and later ones untouched, and a retry
of the batch converges.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from privrag.catalog import DocumentRow
from privrag.crypto import TenantHasher
from privrag.errors import InvalidInput
from privrag.ingest import validate
from privrag.ingest.chunking import token_windows
from privrag.ingest.codec import PointPayload, meta_context, seal_chunk, seal_json
from privrag.ingest.fields import scrub_fields
from privrag.ingest.protect import protect_chunks
from privrag.models import NEVER_EXPIRES, Document, IngestReport, Provenance, Tenant
from privrag.pii import PiiPolicy
from privrag.retention import RetentionPolicy, expires_at
from privrag.screening import PROMPT_INJECTION, Verdict, screen
from privrag.store import StoredPoint

if TYPE_CHECKING:
    from privrag.embed import Embedder
    from privrag.runtime import Runtime


@dataclass
class Prepared:
    """One document after scrubbing, chunking and embedding: nothing sealed or stored yet."""

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
    verdicts: list[Verdict | None] = field(default_factory=list)


@dataclass(frozen=True)
class Sealed:
    """One new generation of a document: its catalog row, points and subject tags."""

    row: DocumentRow
    points: list[StoredPoint]
    tags: tuple[str, ...]
    report: IngestReport


def flag_counts(verdicts: Sequence[Verdict | None]) -> dict[str, int]:
    flagged = sum(bool(v and v.injection) for v in verdicts)
    return {PROMPT_INJECTION: flagged} if flagged else {}


class Pipeline:
    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime
        self.screening = True  # off only to measure what screening costs (bench.screen)

    def run(
        self,
        tenant: Tenant,
        documents: Sequence[Document],
        *,
        embedder: Embedder,
        retention: RetentionPolicy,
    ) -> list[IngestReport]:
        """Store ``documents`` for ``tenant``; the same id replaces the old document. One
        ``embedder`` for the whole batch, so vectors and the provenance naming them agree."""
        rt = self._rt
        validate.documents(documents, max_chars=rt.settings.max_document_chars)
        hasher = rt.hasher(tenant)
        policy = rt.pii_policy(tenant)
        scrubber_config = rt.scrubber.config_digest_for(policy)
        documents = scrub_fields(rt.scrubber, documents, keyed_hash=hasher, policy=policy)
        prepared = self.prepare(tenant, hasher, documents, embedder, policy=policy)
        with rt.write:
            writing = rt.keyring.vector_scheme(tenant.id, dim=embedder.dim, writing=True)
            if any(p.vector_key != writing.version for p in prepared):
                # A vector key rotation began or ended meanwhile: protect under the key in use.
                prepared = self.prepare(tenant, hasher, documents, embedder, policy=policy)
            sealed = [
                self.seal(
                    tenant,
                    hasher,
                    item,
                    embedder=embedder,
                    retention=retention,
                    scrubber_config=scrubber_config,
                )
                for item in prepared
            ]
            self.store(tenant, sealed)
        return [item.report for item in sealed]

    def prepare(
        self,
        tenant: Tenant,
        hasher: TenantHasher,
        documents: Sequence[Document],
        embedder: Embedder,
        *,
        policy: PiiPolicy,
    ) -> list[Prepared]:
        """Scrub (before anything else sees the text), chunk by tokens, embed in one batch."""
        rt = self._rt
        results = rt.scrubber.scrub_batch(
            [d.text for d in documents], keyed_hash=hasher, policy=policy
        )
        prepared: list[Prepared] = []
        for doc, res in zip(documents, results, strict=True):
            spans = token_windows(
                embedder.token_offsets(res.text),
                size=rt.settings.chunk_tokens,
                overlap=rt.settings.chunk_overlap,
            )
            if not spans:
                raise InvalidInput(f"document {doc.id!r} has no text left to index")
            prepared.append(
                Prepared(
                    doc=doc,
                    doc_uid=rt.doc_uid(tenant, doc.id),
                    scrubbed=res.text,
                    entities=res.entity_counts(),
                    tags=tuple(sorted({t.tag for t in res.subject_tags})),
                    spans=spans,
                    originals=res.originals,
                )
            )
        texts = [p.scrubbed[a:b] for p in prepared for a, b in p.spans]
        for p in prepared:
            p.verdicts = [screen(p.scrubbed[a:b]) if self.screening else None for a, b in p.spans]
        scheme = rt.keyring.vector_scheme(tenant.id, dim=embedder.dim, writing=True)
        vectors, sparse = protect_chunks(scheme, texts, embedder.embed(texts))
        offset = 0
        for p in prepared:
            p.vectors = vectors[offset : offset + len(p.spans)]
            p.sparse = sparse[offset : offset + len(p.spans)]
            p.vector_key = scheme.version
            offset += len(p.spans)
        return prepared

    def seal(
        self,
        tenant: Tenant,
        hasher: TenantHasher,
        item: Prepared,
        *,
        embedder: Embedder,
        retention: RetentionPolicy,
        scrubber_config: str,
    ) -> Sealed:
        """A new generation of one document: fresh data key, sealed chunks and metadata."""
        rt = self._rt
        now = rt.now()
        doc = item.doc
        generation = secrets.randbits(48) + 1
        previous = rt.catalog.documents.get(tenant.id, item.doc_uid)
        hold = previous.hold if previous is not None else False
        key, wrapped = rt.keyring.new_data_key(tenant.id, item.doc_uid, generation)
        expiry = expires_at(
            ingested_at=now,
            classification=doc.classification,
            override_days=doc.retention_days,
            policy=retention,
            default_days=rt.settings.default_retention_days,
        )
        base: dict[str, Any] = {
            "doc_id": doc.id,
            "source": doc.source,
            "ingested_at": now,
            "scrubber_version": rt.scrubber.version,
            "scrubber_config": scrubber_config,
            **embedder.provenance(),
            "classification": doc.classification,
            "expires_at": None if expiry == NEVER_EXPIRES else expiry,
        }
        points: list[StoredPoint] = []
        for index, ((start, end), vector) in enumerate(zip(item.spans, item.vectors, strict=True)):
            text = item.scrubbed[start:end]
            verdict = item.verdicts[index] if item.verdicts else None
            flags = (PROMPT_INJECTION,) if verdict is not None and verdict.injection else ()
            provenance = Provenance(
                chunk_index=index,
                content_hash=hasher.hexdigest("content", text, 64),
                **base,
            )
            sealed = seal_chunk(
                key,
                tenant_id=tenant.id,
                doc_uid=item.doc_uid,
                generation=generation,
                index=index,
                text=text,
                provenance=provenance.to_dict(),
                flags=flags,
            )
            point_id = uuid.UUID(
                bytes=hasher(f"point/{item.doc_uid}/{generation}", b"%d" % index)[:16]
            )
            payload = PointPayload(
                doc_uid=item.doc_uid,
                generation=generation,
                chunk=index,
                expires_at=expiry,
                classification=doc.classification,
                hold=hold,
                sealed=sealed,
                vector_key=item.vector_key,
                flags=flags,
                screen_score=None if verdict is None else verdict.score,
            )
            points.append(
                StoredPoint(
                    id=str(point_id),
                    vector=vector.tolist(),
                    payload=payload.to_dict(),
                    sparse=item.sparse[index],
                )
            )
        meta = seal_json(
            key,
            {
                **base,
                "metadata": doc.metadata,
                "content_hash": hasher.hexdigest("content", item.scrubbed, 64),
                "entities": item.entities,
                "chunks": len(points),
                # Per flag, how many of this document's chunks carry it (the DPIA report's count).
                "flags": flag_counts(item.verdicts),
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
            expires_at=expiry,
            ingested_at=now,
            hold=hold,
            retention_days=doc.retention_days,
        )
        report = IngestReport(
            doc_id=doc.id,
            chunks=len(points),
            entities=item.entities,
            replaced=previous is not None,
            flagged=flag_counts(item.verdicts).get(PROMPT_INJECTION, 0),
        )
        return Sealed(row=row, points=points, tags=item.tags, report=report)

    def store(self, tenant: Tenant, batch: Sequence[Sealed]) -> None:
        """Journal every generation, upsert all points at once (one flush), then commit each
        document on its own and drop the points of the generations it replaced."""
        rt = self._rt
        journal_ids = [
            rt.catalog.journal.begin_ingest(
                tenant.id, s.row.doc_uid, s.row.generation, s.row.ingested_at
            )
            for s in batch
        ]
        rt.store.upsert(tenant.id, [p for s in batch for p in s.points])
        for item, journal_id in zip(batch, journal_ids, strict=True):
            gc_id = rt.catalog.journal.commit_ingest(journal_id, item.row, item.tags)
            if item.report.replaced:
                rt.store.delete_document(
                    tenant.id, item.row.doc_uid, except_generation=item.row.generation
                )
            rt.catalog.journal.finish(gc_id)
