"""One tenant's stored documents: metadata, live chunks, holds and deletion.

Every method takes a resolved ``Tenant`` and reaches only that tenant's rows, points and keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from privrag.errors import Conflict, NotFound
from privrag.models import NEVER_EXPIRES, Tenant, TrainingRecord
from privrag.screening import filter_hit_text
from privrag.service.results import DocumentInfo
from privrag.store import Field

if TYPE_CHECKING:
    from privrag.runtime import Runtime
    from privrag.service.compaction import Compactor


class Documents:
    def __init__(self, runtime: Runtime, *, compactor: Compactor) -> None:
        self._rt = runtime
        self._compactor = compactor

    def info(self, tenant: Tenant, doc_id: str) -> DocumentInfo:
        row = self._rt.row(tenant, doc_id)
        meta = self._rt.meta(tenant, row)
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
            # Documents stored before the precision was recorded were all embedded in fp32.
            embedding_precision=meta.get("embedding_precision", "fp32"),
        )

    def originals(self, tenant: Tenant, doc_id: str) -> dict[str, str]:
        return dict(self._rt.meta(tenant, self._rt.row(tenant, doc_id)).get("originals", {}))

    def ids(self, tenant: Tenant) -> list[str]:
        return self._rt.doc_ids(tenant, self._rt.catalog.documents.list(tenant.id))

    def texts(self, tenant: Tenant, doc_ids: list[str]) -> list[tuple[DocumentInfo, list[str]]]:
        """Each live document of ``doc_ids`` with its scrubbed chunks in order; unknown and
        expired ids are left out (expired is gone, as for queries). The texts pass the output
        filter's redaction, like query hits."""
        rt = self._rt
        now = rt.now()
        found = []
        for doc_id in dict.fromkeys(doc_ids):
            try:
                row = rt.row(tenant, doc_id)
            except NotFound:
                continue
            if row.expires_at > now:
                chunks = [
                    filter_hit_text(text, scope=tenant.id).text
                    for _, text in rt.live_chunks(tenant, row)
                ]
                found.append((self.info(tenant, doc_id), chunks))
        return found

    def held(self, tenant: Tenant) -> list[str]:
        rows = [r for r in self._rt.catalog.documents.list(tenant.id) if r.hold]
        return self._rt.doc_ids(tenant, rows)

    def training_records(self, tenant: Tenant) -> Iterator[TrainingRecord]:
        """Each live document, as its scrubbed chunks in order, opened with this tenant's keys
        only. Every record names the tenant so a training job can assert it."""
        now = self._rt.now()
        for row in self._rt.catalog.documents.list(tenant.id):
            if row.expires_at <= now:
                continue
            meta = self._rt.meta(tenant, row)
            yield TrainingRecord(
                tenant_id=tenant.id,
                doc_id=meta["doc_id"],
                doc_uid=row.doc_uid,
                content_hash=meta["content_hash"],
                chunks=tuple(text for _, text in self._rt.live_chunks(tenant, row)),
            )

    def delete(self, tenant: Tenant, doc_id: str) -> dict[str, Any]:
        rt = self._rt
        row = rt.row(tenant, doc_id)
        if row.hold or rt.tenant_hold(tenant):
            raise Conflict(f"document {doc_id!r} is under legal hold")
        with rt.write:
            receipt = rt.shredder.erase(tenant, [row], kind="delete")
        # The points are unreadable now; compaction takes their bytes out of the files.
        self._compactor.schedule(tenant.id)
        return receipt

    def hold(self, tenant: Tenant, doc_id: str, hold: bool) -> None:
        rt = self._rt
        row = rt.row(tenant, doc_id)
        with rt.write:
            rt.store.set_fields(tenant.id, row.doc_uid, {Field.HOLD: hold})
            rt.catalog.documents.set_hold(tenant.id, row.doc_uid, hold)
