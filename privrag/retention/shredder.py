"""Crash-safe deletion: the journal runner, tenant-key rotation, and receipted erasures.

Order of operations (each step idempotent, so a process killed anywhere and restarted
converges; ``recover`` replays what is owed):

1. ``operations`` row, state 'planned', naming exactly the documents to delete. A crash here
   deletes nothing: recovery drops the row.
2. One catalog transaction: delete the documents' rows (their wrapped data keys) and subject
   tags, journal a 'gc' per document and one 'rotate', mark the operation 'committed'. From
   here the documents are unreadable to the service (no key in the catalog).
3. Run the journal: delete the points; rotate the tenant key (new version, rewrap survivors,
   destroy old versions) so old backups of the catalog open nothing that was deleted.
4. Flag models trained on the deleted documents ``retrain_required`` (lineage), append the
   signed receipt (idempotent on the operation id), then drop the operation row.

Offboarding replaces 2-3 with: destroy every tenant key version (crypto-shred, first), drop the
shard, purge the tenant's catalog rows, delete its model directories.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from privrag.catalog import Catalog, DocumentRow, JournalEntry, Operation
from privrag.crypto import Keyring, WrappedKey
from privrag.models import Tenant
from privrag.registry.artifacts import delete_tenant_models
from privrag.retention.receipts import ReceiptLog
from privrag.store import VectorStore

Progress = Callable[[int, int], None]


class Shredder:
    def __init__(
        self,
        *,
        catalog: Catalog,
        store: VectorStore,
        keyring: Keyring,
        receipts: ReceiptLog,
        clock: Callable[[], float],
        data_dir: Path,
    ) -> None:
        self.data_dir = data_dir
        self.catalog = catalog
        self.store = store
        self.keyring = keyring
        self.receipts = receipts
        self.clock = clock

    def erase(
        self,
        tenant: Tenant,
        rows: Sequence[DocumentRow],
        *,
        kind: str,
        details: dict[str, Any] | None = None,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """Delete ``rows`` of ``tenant`` and return the signed receipt."""
        now = int(self.clock())
        uids = [r.doc_uid for r in rows]
        plan = {
            "tenant": tenant.name,
            "documents": [{"doc_uid": r.doc_uid, "chunks": r.chunk_count} for r in rows],
            "retrain_required": self.catalog.models.trained_on(tenant.id, uids),
            **(details or {}),
        }
        op = Operation(str(uuid.uuid4()), tenant.id, kind, "planned", plan, now)
        self.catalog.journal.begin_operation(op)
        journal_ids = self.catalog.documents.remove(tenant.id, uids, now, operation_id=op.id)
        self.run_journal(journal_ids, progress=progress)
        return self._finish(op)

    def offboard(self, tenant: Tenant, details: dict[str, Any]) -> dict[str, Any]:
        now = int(self.clock())
        rows = self.catalog.documents.list(tenant.id)
        plan = {
            "tenant": tenant.name,
            "documents": [{"doc_uid": r.doc_uid, "chunks": r.chunk_count} for r in rows],
            "retrain_required": [m.model_id for m in self.catalog.models.list(tenant.id)],
            **details,
        }
        op = Operation(str(uuid.uuid4()), tenant.id, "offboarding", "committed", plan, now)
        self.catalog.journal.begin_operation(op)
        self.catalog.tenants.set_status(tenant.id, "deleting")
        return self._complete_offboarding(op)

    def _complete_offboarding(self, op: Operation) -> dict[str, Any]:
        # Keys first: once they are gone nothing of the tenant opens, whatever else survives.
        self.keyring.destroy_tenant(op.tenant_id)
        self.store.drop_tenant(op.tenant_id)
        self.catalog.tenants.purge(op.tenant_id)
        delete_tenant_models(self.data_dir, op.tenant_id)
        request = op.plan["request_id"]
        self.catalog.offboarding.decide(request, "done", op.plan["approved_by"], int(self.clock()))
        return self._finish(op)

    def _finish(self, op: Operation) -> dict[str, Any]:
        # Lineage: models trained on what was deleted must be retrained (idempotent update).
        self.catalog.models.flag(op.tenant_id, op.plan["retrain_required"], "retrain_required")
        docs = op.plan.get("documents", [])
        receipt = {
            "receipt_id": op.id,
            "kind": op.kind,
            "tenant_id": op.tenant_id,
            "started_at": op.created_at,
            "completed_at": int(self.clock()),
            "chunks": sum(int(d["chunks"]) for d in docs),
            **op.plan,
        }
        signed = self.receipts.append(receipt)
        self.catalog.journal.drop_operation(op.id)
        return signed

    def recover(self) -> None:
        """Finish or undo whatever a killed process left behind."""
        self.run_journal([e.id for e in self.catalog.journal.pending()])
        for op in self.catalog.journal.operations():
            if op.kind == "offboarding":
                self._complete_offboarding(op)
            elif op.state == "planned":
                # Killed before the catalog transaction: nothing was deleted; a rerun replans.
                self.catalog.journal.drop_operation(op.id)
            else:
                self._finish(op)

    def run_journal(self, ids: Sequence[int], *, progress: Progress | None = None) -> None:
        wanted = set(ids)
        entries = [e for e in self.catalog.journal.pending() if e.id in wanted]
        done = 0
        for batch in _batches(entries):
            # Whole-document deletions of one tenant: one store write and one catalog commit
            # for the batch (rerun whole after a crash: deleting again deletes nothing).
            first = batch[0]
            self.store.delete_documents(first.tenant_id, [e.doc_uid or "" for e in batch])
            self.catalog.journal.finish(*(e.id for e in batch))
            done += len(batch)
            if progress is not None:
                progress(done, len(entries))
        for entry in (e for e in entries if not _whole_document(e)):
            if entry.kind == "ingest":
                assert entry.doc_uid is not None and entry.generation is not None
                self.store.delete_document(
                    entry.tenant_id, entry.doc_uid, only_generation=entry.generation
                )
            elif entry.kind == "gc":
                assert entry.doc_uid is not None
                self.store.delete_document(
                    entry.tenant_id, entry.doc_uid, except_generation=entry.generation
                )
            elif entry.kind == "rotate":
                self.rotate_tenant_key(entry.tenant_id)
            self.catalog.journal.finish(entry.id)
            done += 1
            if progress is not None:
                progress(done, len(entries))

    def rotate_tenant_key(self, tenant_id: str) -> None:
        """New tenant key version; rewrap every surviving data key; destroy older versions.

        Safe to rerun after a crash at any point: older versions are destroyed only after the
        catalog names the new version for every document."""
        if not self.keyring.keystore.exists(tenant_id):
            return
        version = self.keyring.keystore.add_version(tenant_id)
        rewrap = self.keyring.data_key_rewrapper(tenant_id, version)
        updates: list[tuple[str, bytes, int]] = []
        for row in self.catalog.documents.list(tenant_id):
            if row.key_version == version:
                continue
            old = WrappedKey(row.wrapped_key, row.key_version)
            new = rewrap(row.doc_uid, row.generation, old)
            updates.append((row.doc_uid, new.wrapped, new.version))
        self.catalog.documents.rewrap(tenant_id, updates)
        self.keyring.keystore.destroy_versions_below(tenant_id, version)


_BATCH = 500


def _whole_document(entry: JournalEntry) -> bool:
    return entry.kind == "gc" and entry.generation is None and entry.doc_uid is not None


def _batches(entries: Sequence[JournalEntry]) -> list[list[JournalEntry]]:
    """Whole-document gc entries grouped by tenant, at most ``_BATCH`` to a group."""
    by_tenant: dict[str, list[JournalEntry]] = {}
    for entry in entries:
        if _whole_document(entry):
            by_tenant.setdefault(entry.tenant_id, []).append(entry)
    return [
        group[i : i + _BATCH] for group in by_tenant.values() for i in range(0, len(group), _BATCH)
    ]
