"""Query one tenant: scrub the query like a document, embed it with the tenant's model, search
that tenant's shard, and open each hit with its document's key.

A point counts only if the catalog names its generation (a document being replaced, or one whose
key is gone, never answers); expiry is filtered in the store, so expired chunks never return even
before a sweep has run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from privrag.errors import InvalidInput
from privrag.ingest import validate
from privrag.ingest.codec import PointPayload, open_chunk
from privrag.ingest.protect import check_mode, query_vectors
from privrag.models import NEVER_EXPIRES, Hit, Provenance, Tenant
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
    ) -> QueryResult:
        rt = self._rt
        check_mode(mode)
        validate.text_content(text, what="query", max_chars=rt.settings.max_query_chars)
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= rt.settings.max_k:
            raise InvalidInput(f"k must be a whole number from 1 to {rt.settings.max_k}")
        hasher = rt.hasher(tenant)
        scrubbed = rt.scrubber.scrub(text, keyed_hash=hasher, policy=rt.pii_policy(tenant))
        scheme = rt.keyring.vector_scheme(tenant.id, dim=embedder.dim)
        dense, sparse = query_vectors(
            scheme, scrubbed.text, embedder.embed([scrubbed.text])[0], mode
        )
        found = rt.store.search(
            tenant.id,
            dense,
            sparse=sparse,
            limit=k + SPARE_CANDIDATES,
            now=rt.now(),
            classifications=list(classifications) if classifications is not None else None,
        )
        rows = {
            r.doc_uid: r
            for r in rt.catalog.documents.list(
                tenant.id, (p.payload.get(Field.DOC, "") for p in found)
            )
        }
        keys: dict[str, bytes] = {}
        hits: list[Hit] = []
        for point in found:
            payload = PointPayload.from_dict(point.payload)
            row = rows.get(payload.doc_uid)
            if row is None or row.generation != payload.generation:
                continue
            if row.doc_uid not in keys:
                keys[row.doc_uid] = rt.data_key(tenant, row)
            opened = open_chunk(keys[row.doc_uid], tenant.id, payload)
            # Expiry can change after ingest (policy change): the clear payload field is current.
            expiry = payload.expires_at
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
            query_hash=hasher.hexdigest("audit-query", scrubbed.text, 64),
        )
