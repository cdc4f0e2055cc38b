"""Retention sweep cost: expired cohorts of 0.5%, 1% and 2% among >= 100k chunks.

Documents are written through the service's commit path (sealed, journaled, real Edge shard)
with random unit vectors (and random sparse vectors) in place of embeddings, so the store can
reach 100k chunks in minutes; scrubbing and embedding are not what this measures. The cohorts are
the first documents written, as they are when one retention period applies (what expires first
was written first). Each sweep's time is split into erase (find via the expiry index, delete
points, drop keys, receipt), tenant-key rotation (rewraps every surviving document key: grows
with the tenant, not with what expired) and compaction (physical removal from the segment
files). Each ``--segment-points`` value gets its own data dir, one after the other in one run.

    python -m bench.sweep [--docs 10000] [--chunks 10] [--segment-points 20000 ...]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from bench.common import temporary_rag
from privrag.ingest.pipeline import Pipeline, Prepared
from privrag.models import Document
from privrag.retention.shredder import Shredder
from privrag.store import SparseVector
from privrag.store.edge import EdgeStore

DAY = 86_400
COHORTS = ((1, 0.005), (2, 0.01), (3, 0.02))  # (expires after N days, fraction of documents)

spent: dict[str, float] = defaultdict(float)


def timed_method(cls: type, name: str, label: str) -> None:
    original = getattr(cls, name)

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    setattr(cls, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--chunks", type=int, default=10)
    parser.add_argument(
        "--segment-points",
        type=int,
        action="append",
        help="PRIVRAG_SHARD_SEGMENT_POINTS to measure (repeatable; default: the setting's)",
    )
    args = parser.parse_args()
    timed_method(Shredder, "rotate_tenant_key", "rotation")
    timed_method(EdgeStore, "compact", "compaction")
    for segment_points in args.segment_points or [None]:
        run(args.docs, args.chunks, segment_points)


def _segments(rag: object, tenant_id: str) -> int:
    store = rag._runtime.store  # type: ignore[attr-defined]
    with store._shard(tenant_id) as shard:
        return int(shard.info().segments_count)


def run(docs: int, chunks: int, segment_points: int | None) -> None:
    rng = np.random.default_rng(7)
    now = [1_790_000_000.0]
    overrides = {} if segment_points is None else {"shard_segment_points": segment_points}
    with temporary_rag(**overrides) as rag:
        print(f"segment bound: {rag._runtime.settings.shard_segment_points} points")
        rag.clock = rag._runtime.clock = lambda: now[0]
        rag._runtime.shredder.clock = rag.clock
        pipeline = Pipeline(rag._runtime)
        tenant = rag.tenants.create("bench")
        hasher = rag._runtime.hasher(tenant)
        embedder = rag.embedder_for(tenant)
        policy = rag.tenants.retention("bench")
        retention: list[int | None] = [None] * docs
        start = 0
        for days, fraction in COHORTS:
            count = int(docs * fraction)
            for i in range(start, start + count):
                retention[i] = days
            start += count
        text = "Sealed bench chunk. " * 4
        began = time.perf_counter()
        batch = []
        for i in range(docs):
            vectors = rng.standard_normal((chunks, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            item = Prepared(
                doc=Document(id=f"doc-{i}", text=text, retention_days=retention[i]),
                doc_uid=rag._runtime.doc_uid(tenant, f"doc-{i}"),
                scrubbed=text * chunks,
                entities={},
                tags=(),
                spans=[(k * len(text), (k + 1) * len(text)) for k in range(chunks)],
                vectors=vectors,
                sparse=[_sparse(rng) for _ in range(chunks)],
            )
            batch.append(
                pipeline.seal(
                    tenant,
                    hasher,
                    item,
                    embedder=embedder,
                    retention=policy,
                    scrubber_config="bench",
                )
            )
            if len(batch) == 100 or i == docs - 1:
                pipeline.store(tenant, batch)
                batch = []
        total = rag._runtime.store.count(tenant.id)
        print(
            f"wrote {docs} documents, {total} chunks in {time.perf_counter() - began:.0f} s, "
            f"{_segments(rag, tenant.id)} segments"
        )
        for days, fraction in COHORTS:
            now[0] = 1_790_000_000.0 + days * DAY + DAY / 2
            spent.clear()
            began = time.perf_counter()
            [result] = rag.sweep("bench")
            elapsed = time.perf_counter() - began
            chunks = result.receipt["chunks"] if result.receipt else 0
            erase = elapsed - spent["rotation"] - spent["compaction"]
            print(
                f"expired {fraction:.1%}: {len(result.deleted)} docs / {chunks} chunks of {total}: "
                f"sweep {elapsed:.2f} s = erase {erase:.2f} s + key rotation "
                f"{spent['rotation']:.2f} s + compaction {spent['compaction']:.2f} s "
                f"({_segments(rag, tenant.id)} segments after)"
            )
            total = rag._runtime.store.count(tenant.id)


def _sparse(rng: np.random.Generator) -> SparseVector:
    terms = np.unique(rng.integers(0, 2**32, size=12))
    return SparseVector(tuple(int(t) for t in terms), tuple(1.0 for _ in terms))


if __name__ == "__main__":
    main()
