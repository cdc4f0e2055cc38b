"""What one tenant holds, counted without opening a chunk: the data inventory behind the DPIA
report (``privrag.monitoring.report``) and the corpus size the runtime monitor measures
coverage against.

Counts come from the catalog rows and each document's sealed metadata (opened with that
tenant's keys only); no text, id or detected value leaves this module, only classes, entity
types, flag names, numbers and timestamps. Deletion receipts are summarised from the signed
receipt log (opaque ids and counts only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from privrag.models import NEVER_EXPIRES, Tenant

if TYPE_CHECKING:
    from privrag.runtime import Runtime


class Inventory:
    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime

    def corpus_size(self, tenant: Tenant) -> tuple[int, int]:
        """(live documents, live chunks) of the tenant: catalog rows only, no decryption."""
        now = self._rt.now()
        rows = [r for r in self._rt.catalog.documents.list(tenant.id) if r.expires_at > now]
        return len(rows), sum(r.chunk_count for r in rows)

    def collect(self, tenant: Tenant) -> dict[str, Any]:
        rt = self._rt
        now = rt.now()
        classes: dict[str, dict[str, int]] = {}
        entities: dict[str, int] = {}
        flags: dict[str, int] = {}
        expiries: list[int | None] = []
        flags_recorded = False
        held = overdue = 0
        for row in rt.catalog.documents.list(tenant.id):
            if row.expires_at <= now:
                overdue += 1
                continue
            counts = classes.setdefault(row.classification, {"documents": 0, "chunks": 0})
            counts["documents"] += 1
            counts["chunks"] += row.chunk_count
            held += int(row.hold)
            expiries.append(None if row.expires_at == NEVER_EXPIRES else row.expires_at)
            meta = rt.meta(tenant, row)
            for kind, count in dict(meta.get("entities", {})).items():
                entities[kind] = entities.get(kind, 0) + int(count)
            # Injection screening records flagged-chunk counts per flag where it runs.
            if "flags" in meta:
                flags_recorded = True
                for name, count in dict(meta["flags"]).items():
                    flags[name] = flags.get(name, 0) + int(count)
        receipts = []
        for line in rt.receipts.entries():
            receipt = line.get("receipt", {})
            if receipt.get("tenant_id") == tenant.id:
                receipts.append(
                    {
                        "receipt_id": receipt.get("receipt_id"),
                        "kind": receipt.get("kind"),
                        "completed_at": receipt.get("completed_at"),
                        "documents": len(receipt.get("documents", [])),
                        "chunks": receipt.get("chunks", 0),
                        "retrain_required": len(receipt.get("retrain_required", [])),
                    }
                )
        return {
            "now": now,
            "classes": classes,
            "entities": entities,
            "flags": flags if flags_recorded else None,
            "expiries": expiries,
            "held_documents": held,
            "overdue": overdue,
            "tenant_hold": rt.tenant_hold(tenant),
            "receipts": receipts,
        }
