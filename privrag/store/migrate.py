"""Copy an embedded data dir's vectors into another store (a Qdrant cluster), resumably.

Points move exactly as stored: same ids, same vectors, same payloads. Payloads are already
sealed under per-document keys, so nothing is opened, re-embedded or re-encrypted on the way,
and the catalog and keystore stay where they are (the data dir, or wherever they are pointed).
Progress is a cursor file in the data dir, written atomically after every page: a rerun skips
finished tenants and resumes the others from their last page (upserts are idempotent, so a page
copied twice is harmless). The source must be quiet while this runs; the CLI holds the data-dir
lock, so no API process can write to it meanwhile.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from privrag.errors import StoreUnavailable
from privrag.files import read_state, write_state
from privrag.store.protocol import VectorStore


@dataclass(frozen=True)
class TenantMigration:
    tenant_id: str
    copied: int
    source_count: int
    target_count: int
    resumed: bool


def cursor_path(data_dir: Path, target: str) -> Path:
    """One cursor per target, so migrating to a second cluster starts from scratch."""
    digest = hashlib.sha256(target.encode()).hexdigest()[:16]
    return data_dir / "migrate" / f"cursor-{digest}.json"


def migrate_store(
    source: VectorStore,
    target: VectorStore,
    tenant_ids: Sequence[str],
    *,
    cursor_file: Path,
    batch: int = 256,
    progress: Callable[[str, int], None] | None = None,
) -> list[TenantMigration]:
    """Copy every listed tenant's points from ``source`` to ``target``; returns per-tenant
    counts. Raises ``StoreUnavailable`` if a finished tenant's counts differ."""
    state = read_state(cursor_file)
    report = []
    for tenant_id in tenant_ids:
        entry = state.setdefault(tenant_id, {"offset": None, "done": False, "copied": 0})
        resumed = bool(entry["copied"]) or bool(entry["done"])
        if not entry["done"]:
            target.ensure_tenant(tenant_id)
            offset = entry["offset"]
            while True:
                page, offset = source.scroll_points(tenant_id, offset=offset, limit=batch)
                target.upsert(tenant_id, page)
                entry["copied"] += len(page)
                entry["offset"] = offset
                entry["done"] = offset is None
                write_state(cursor_file, state)
                if progress is not None:
                    progress(tenant_id, entry["copied"])
                if offset is None:
                    break
        source_count, target_count = source.count(tenant_id), target.count(tenant_id)
        if source_count != target_count:
            raise StoreUnavailable(
                f"tenant {tenant_id}: {source_count} points in the source, {target_count} in "
                "the target after copying"
            )
        report.append(
            TenantMigration(tenant_id, int(entry["copied"]), source_count, target_count, resumed)
        )
    return report
