"""Query one tenant: scrub the query like a document, embed it with the tenant's model, search
that tenant's shard, and open each hit with its document's key.

A point counts only if the catalog names its generation (a document being replaced, or one whose
key is gone, never answers); expiry is filtered in the store, so expired chunks never return even
before a sweep has run. The clear payload fields (class, expiry) are not authenticated, so the
filters are checked again against the catalog row, which decides. A point that does not open
(tampered, or its key destroyed) is skipped and counted in ``QueryResult.unreadable``: one bad
point never fails the tenant's every query.

Every hit passes the output filter (``privrag.screening.filter_hit_text``) before it is returned:
secrets redacted, URLs, e-mail-like strings and code named in ``Hit.flags`` beside the
``prompt_injection`` flag read from the sealed chunk. ``exclude_flags`` leaves flagged chunks out
in the store, checked again against the sealed flags.

``QueryResult.relevance`` is the cosine of the query and its best hit, read from the protected
vectors the store returns with the hits (in every mode): the runtime monitor's content signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from privrag.catalog import DocumentRow
from privrag.errors import InvalidInput, KeyUnavailable
from privrag.ingest import validate
from privrag.ingest.codec import PointPayload, open_chunk
from privrag.ingest.protect import check_mode, query_vectors
from privrag.models import NEVER_EXPIRES, Hit, Provenance, Tenant
from privrag.screening import STORED_FLAGS, filter_hit_text
from privrag.service.results import QueryResult
from privrag.store import Field

if TYPE_CHECKING:
    from privrag.embed import Embedder
    from privrag.runtime import Runtime

# A few spare candidates cover points of a generation being replaced right now.
SPARE_CANDIDATES = 8


class Retrieval:
    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime

    def query(
        self,
        tenant: Tenant,
        text: str,
        *,
        embedder: Embedder,
        k: int,
        classifications: Sequence[str] | None,
        mode: str,
        exclude_flags: Sequence[str] | None = None,
    ) -> QueryResult:
        rt = self._rt
        check_mode(mode)
        excluded = check_flags(exclude_flags)
        validate.text_content(text, what="query", max_chars=rt.settings.max_query_chars)
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= rt.settings.max_k:
            raise InvalidInput(f"k must be a whole number from 1 to {rt.settings.max_k}")
        hasher = rt.hasher(tenant)
        scrubbed = rt.scrubber.scrub(text, keyed_hash=hasher, policy=rt.pii_policy(tenant))
        scheme = rt.keyring.vector_scheme(tenant.id, dim=embedder.dim)
        embedded = embedder.embed_query(scrubbed.text)
        dense, sparse = query_vectors(scheme, scrubbed.text, embedded, mode)
        # How well the best hit matches, in the protected space whatever the mode: the monitor's
        # content signal (a crawler's random words match nothing well).
        probe = dense if dense is not None else scheme.dense_query(embedded, scrubbed.text)
        now = rt.now()
        found = rt.store.search(
            tenant.id,
            dense,
            sparse=sparse,
            limit=k + SPARE_CANDIDATES,
            now=now,
            classifications=list(classifications) if classifications is not None else None,
            exclude_flags=sorted(excluded) or None,
            with_vectors=True,
        )
        rows = {
            r.doc_uid: r
            for r in rt.catalog.documents.list(
                tenant.id, (p.payload.get(Field.DOC, "") for p in found)
            )
        }
        keys: dict[str, bytes | None] = {}
        data_key = rt.data_keys(tenant)
        hits: list[Hit] = []
        matched: list[Sequence[float]] = []
        unreadable = 0
        for point in found:
            try:
                payload = PointPayload.from_dict(point.payload)
            except (KeyError, TypeError, ValueError):
                unreadable += 1
                continue
            row = rows.get(payload.doc_uid)
            if row is None or row.generation != payload.generation:
                continue
            if not _admitted(row, classifications, now):
                continue
            if row.doc_uid not in keys:
                try:
                    keys[row.doc_uid] = data_key(row)
                except KeyUnavailable:
                    keys[row.doc_uid] = None
            key = keys[row.doc_uid]
            try:
                opened = None if key is None else open_chunk(key, tenant.id, payload)
            except KeyUnavailable:
                opened = None
            if opened is None:
                unreadable += 1
                continue
            # The sealed flags decide (the clear ones only serve the store's filter); a chunk
            # stored before screening has neither and counts as unflagged.
            stored = tuple(opened.get("flags") or ())
            if excluded.intersection(stored):
                continue
            shown = filter_hit_text(opened["text"], scope=tenant.id)
            # Expiry can change after ingest (policy change): the catalog row is current.
            expiry = row.expires_at
            provenance = Provenance(
                **{
                    **opened["provenance"],
                    "expires_at": None if expiry == NEVER_EXPIRES else expiry,
                }
            )
            hits.append(
                Hit(
                    doc_id=provenance.doc_id,
                    chunk_id=point.id,
                    text=shown.text,
                    score=point.score,
                    provenance=provenance,
                    flags=tuple(sorted({*stored, *shown.flags})),
                )
            )
            if point.vector:
                matched.append(point.vector)
            if len(hits) == k:
                break
        return QueryResult(
            hits=hits,
            model_id=embedder.model_id,
            model_digest=embedder.digest,
            query_entities=scrubbed.entity_counts(),
            query_hash=hasher.hexdigest("audit-query", scrubbed.text, 64),
            unreadable=unreadable,
            relevance=_best_cosine(probe, matched),
        )


def check_flags(flags: Sequence[str] | None) -> frozenset[str]:
    """The flags a query may exclude: those stored on chunks (output flags are not stored)."""
    if flags is None:
        return frozenset()
    if isinstance(flags, str) or not all(isinstance(f, str) for f in flags):
        raise InvalidInput("exclude_flags must be a list of flag names")
    unknown = set(flags) - STORED_FLAGS
    if unknown:
        raise InvalidInput(
            f"cannot exclude {sorted(unknown)}: only {sorted(STORED_FLAGS)} are stored on chunks"
        )
    return frozenset(flags)


def _best_cosine(
    query: Sequence[float] | np.ndarray, vectors: list[Sequence[float]]
) -> float | None:
    if not vectors:
        return None
    q = np.asarray(query, dtype=np.float64)
    m = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(m, axis=1) * np.linalg.norm(q)
    return float(np.max(m @ q / np.maximum(norms, 1e-12)))


def _admitted(row: DocumentRow, classifications: Sequence[str] | None, now: int) -> bool:
    """The store's filters, checked again against the catalog row."""
    if row.expires_at <= now:
        return False
    return classifications is None or row.classification in classifications
