"""Re-scrub a tenant's stored documents with its current PII policy: a resumable job.

A PII policy change applies to what is ingested afterwards; this job brings what is already
stored up to it. Each document is opened chunk by chunk (its original text is gone: only the
scrubbed chunks were kept), each chunk is scrubbed again with the tenant's current policy and
written as a new generation of the document, exactly as a re-ingest would be and through the
same journal (``Pipeline.store``): fresh data key, re-sealed chunks whose provenance names the
new scrubber config (the policy digest) and the model that embedded them, vectors re-embedded
and re-protected, lexical vectors rebuilt, the document's subject tags extended by what the new
policy found (old tags stay, so erasure by identifier keeps working). ``ingested_at``, expiry,
class and hold are kept. A document whose provenance already names the current scrubber config
is skipped, so the job is idempotent and a rerun after a crash resumes where it stopped; a crash
inside one document is undone or finished by ordinary ingest recovery.

What it cannot do: bring back text an earlier, stricter policy removed (a placeholder stays a
placeholder), nor see PII split across two chunks' boundary that the whole-document scrub at
ingest would have seen (chunks overlap, which narrows that gap).
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from privrag.ingest.codec import PointPayload, meta_context, open_chunk, seal_chunk, seal_json
from privrag.ingest.pipeline import Pipeline, Sealed, flag_counts
from privrag.ingest.protect import protect_chunks
from privrag.models import IngestReport, Tenant
from privrag.screening import PROMPT_INJECTION, screen
from privrag.store import StoredPoint

if TYPE_CHECKING:
    from privrag.catalog import DocumentRow
    from privrag.embed import Embedder
    from privrag.runtime import Runtime

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Rescrub:
    """What a re-scrub did: documents looked at, rewritten and already current."""

    tenant: str
    scrubber_config: str  # the digest of the policy (and detectors) now applied
    documents: int
    rescrubbed: int
    unchanged: int
    chunks: int
    entities: dict[str, int]  # what the new policy found in text already stored
    finished: bool

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rescrub_tenant(
    rt: Runtime,
    tenant: Tenant,
    *,
    embedder: Embedder,
    progress: Progress | None = None,
    stop_after: int | None = None,
) -> Rescrub:
    """Run (or resume) the job; ``stop_after`` documents rewritten is for crash tests."""
    policy = rt.pii_policy(tenant)
    digest = rt.scrubber.config_digest_for(policy)
    pipeline = Pipeline(rt)
    rows = rt.catalog.documents.list(tenant.id)
    rescrubbed = unchanged = chunks = 0
    found: Counter[str] = Counter()
    for done, listed in enumerate(rows, start=1):
        if stop_after is not None and rescrubbed >= stop_after:
            return Rescrub(
                tenant.name, digest, done - 1, rescrubbed, unchanged, chunks, dict(found), False
            )
        with rt.write:
            row = rt.catalog.documents.get(tenant.id, listed.doc_uid)
            sealed = None if row is None else _rescrub(rt, tenant, row, digest, embedder)
            if sealed is None:
                unchanged += row is not None
            else:
                pipeline.store(tenant, [sealed])
                rescrubbed += 1
                chunks += sealed.report.chunks
                found.update(sealed.report.entities)
        if progress is not None:
            progress(done, len(rows))
    return Rescrub(tenant.name, digest, len(rows), rescrubbed, unchanged, chunks, dict(found), True)


def _rescrub(
    rt: Runtime, tenant: Tenant, row: DocumentRow, digest: str, embedder: Embedder
) -> Sealed | None:
    """The document's next generation under the current policy; None if it is already current."""
    meta = rt.meta(tenant, row)
    if meta.get("scrubber_config") == digest:
        return None
    key = rt.data_key(tenant, row)
    opened: list[tuple[int, dict[str, Any]]] = []
    for point in rt.store.points(tenant.id, doc_uid=row.doc_uid):
        payload = PointPayload.from_dict(point.payload)
        if payload.generation == row.generation:
            opened.append((payload.chunk, open_chunk(key, tenant.id, payload)))
    opened.sort(key=lambda item: item[0])
    if not opened:
        return None
    hasher = rt.hasher(tenant)
    results = rt.scrubber.scrub_batch(
        [str(chunk["text"]) for _, chunk in opened], keyed_hash=hasher, policy=rt.pii_policy(tenant)
    )
    texts = [r.text for r in results]
    scheme = rt.keyring.vector_scheme(tenant.id, dim=embedder.dim, writing=True)
    dense, sparse = protect_chunks(scheme, texts, embedder.embed(texts))
    generation = secrets.randbits(48) + 1
    new_key, wrapped = rt.keyring.new_data_key(tenant.id, row.doc_uid, generation)
    named = {
        "scrubber_version": rt.scrubber.version,
        "scrubber_config": digest,
        **embedder.provenance(),
    }
    points: list[StoredPoint] = []
    verdicts = [screen(text) for text in texts]
    for (index, chunk), text, vector, lexical, verdict in zip(
        opened, texts, dense, sparse, verdicts, strict=True
    ):
        flags = (PROMPT_INJECTION,) if verdict.injection else ()
        provenance = {
            **chunk["provenance"],
            **named,
            "content_hash": hasher.hexdigest("content", text, 64),
        }
        blob = seal_chunk(
            new_key,
            tenant_id=tenant.id,
            doc_uid=row.doc_uid,
            generation=generation,
            index=index,
            text=text,
            provenance=provenance,
            flags=flags,
        )
        point_id = uuid.UUID(bytes=hasher(f"point/{row.doc_uid}/{generation}", b"%d" % index)[:16])
        payload = PointPayload(
            doc_uid=row.doc_uid,
            generation=generation,
            chunk=index,
            expires_at=row.expires_at,
            classification=row.classification,
            hold=row.hold,
            sealed=blob,
            vector_key=scheme.version,
            flags=flags,
            screen_score=verdict.score,
        )
        points.append(StoredPoint(str(point_id), vector.tolist(), payload.to_dict(), lexical))
    entities: Counter[str] = Counter()
    for result in results:
        entities.update(result.entity_counts())
    originals = dict(meta.get("originals", {}))
    for result in results:
        originals.update(dict(result.originals))
    new_meta = {
        **meta,
        **named,
        # The whole scrubbed text was never kept: the hash now covers the chunks as stored.
        "content_hash": hasher.hexdigest("content", "\x00".join(texts), 64),
        "entities": dict(Counter(meta.get("entities", {})) + entities),
        "chunks": len(points),
        "flags": flag_counts(verdicts),
        "originals": originals,
    }
    tags = set(rt.catalog.documents.tags(tenant.id, row.doc_uid))
    tags.update(t.tag for r in results for t in r.subject_tags)
    return Sealed(
        row=replace(
            row,
            generation=generation,
            wrapped_key=wrapped.wrapped,
            key_version=wrapped.version,
            sealed_meta=seal_json(
                new_key, new_meta, meta_context(tenant.id, row.doc_uid, generation)
            ),
            chunk_count=len(points),
        ),
        points=points,
        tags=tuple(sorted(tags)),
        report=IngestReport(
            doc_id=str(meta["doc_id"]),
            chunks=len(points),
            entities=dict(entities),
            replaced=True,
            flagged=sum(v.injection for v in verdicts),
        ),
    )
