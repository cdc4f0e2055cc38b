"""Retention sweep cost: expired cohorts of 0.5%, 1% and 2% among >= 100k chunks.

Documents are written through the service's commit path (sealed, journaled, real Edge shard)
with random unit vectors in place of embeddings, so the store can reach 100k chunks in minutes;
scrubbing and embedding are not what this measures. Each sweep's time is split into erase
(find via the expiry index, delete points, drop keys, receipt), tenant-key rotation (rewraps
every surviving document key: grows with the tenant, not with what expired) and compaction.

    python -m bench.sweep [--docs 10000] [--chunks 10]
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
    args = parser.parse_args()
    timed_method(Shredder, "rotate_tenant_key", "rotation")
    timed_method(EdgeStore, "compact", "compaction")
    rng = np.random.default_rng(7)
    now = [1_790_000_000.0]
    with temporary_rag(hnsw_threshold_points=50_000) as rag:
        rag.clock = rag._runtime.clock = lambda: now[0]
        rag._runtime.shredder.clock = rag.clock
        pipeline = Pipeline(rag._runtime)
        tenant = rag.tenants.create("bench")
        hasher = rag._runtime.hasher(tenant)
        embedder = rag.embedder_for(tenant)
        policy = rag.tenants.retention("bench")
        retention: list[int | None] = [None] * args.docs
        start = 0
        for days, fraction in COHORTS:
            count = int(args.docs * fraction)
            for i in range(start, start + count):
                retention[i] = days
            start += count
        text = "Sealed bench chunk. " * 4
        began = time.perf_counter()
        batch = []
        for i in range(args.docs):
            vectors = rng.standard_normal((args.chunks, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            item = Prepared(
                doc=Document(id=f"doc-{i}", text=text, retention_days=retention[i]),
                doc_uid=rag._runtime.doc_uid(tenant, f"doc-{i}"),
                scrubbed=text * args.chunks,
                entities={},
                tags=(),
                spans=[(k * len(text), (k + 1) * len(text)) for k in range(args.chunks)],
                vectors=vectors,
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
            if len(batch) == 100 or i == args.docs - 1:
                pipeline.store(tenant, batch)
                batch = []
        total = rag._runtime.store.count(tenant.id)
        print(f"wrote {args.docs} documents, {total} chunks in {time.perf_counter() - began:.0f} s")
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
                f"{spent['rotation']:.2f} s + compaction {spent['compaction']:.2f} s"
            )
            total = rag._runtime.store.count(tenant.id)


if __name__ == "__main__":
    main()
