"""What a sweep or an erasure will delete: the one plan both the dry run and the real run use.

Held documents (a document hold, or a hold on the whole tenant) are never in ``doomed``; they are
reported as ``held``. Planning reads the catalog only and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from privrag.catalog import DocumentRow


@dataclass(frozen=True)
class Plan:
    doomed: tuple[DocumentRow, ...]
    held: tuple[DocumentRow, ...]


def split_held(rows: Sequence[DocumentRow], *, tenant_hold: bool) -> Plan:
    """(deletable, held): a tenant-wide hold holds everything."""
    held = tuple(r for r in rows if tenant_hold or r.hold)
    return Plan(doomed=tuple(r for r in rows if not (tenant_hold or r.hold)), held=held)
