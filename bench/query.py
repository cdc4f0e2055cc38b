"""Query latency: privrag (scrub query -> embed -> protect -> Edge search -> open sealed chunks) vs
the stock pipeline (Presidio scrub -> embed -> qdrant-client local search), same corpus, one run.

Also side by side: privrag as it was before vector protection (a benchmark-mode data dir with
protection off, dense queries) against privrag now (protection on, hybrid queries), for query
p50 and for ingest throughput (both ingest the same batches, interleaved); and hybrid queries
embedded by ONNX Runtime (the default) against the same queries embedded by PyTorch.

    python -m bench.query [--docs 500] [--queries 200]
"""

from __future__ import annotations

import argparse

from bench.common import median, percentile, temporary_rag, timed
from bench.corpus import documents, queries
from bench.stock import StockPipeline
from privrag.ingest.protect import protect_chunks
from privrag.models import Document


def protect_step_seconds(rag, docs: list[Document]) -> float:  # type: ignore[no-untyped-def]
    """Seconds the protect step takes for ``docs`` (chunk texts approximated by whole texts)."""
    tenant = rag.tenants.get("bench")
    texts = [d.text for d in docs]
    vectors = rag.embedder.embed(texts)
    scheme = rag._runtime.keyring.vector_scheme(tenant.id, dim=rag.embedder.dim, writing=True)
    return timed(lambda: protect_chunks(scheme, texts, vectors))[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    docs = documents(args.docs)
    texts = queries(args.queries)
    with (
        temporary_rag() as rag,
        temporary_rag(vector_protection="off", benchmark_mode=True) as before,
    ):
        before._runtime._embedder = rag.embedder
        before._runtime._scrubber = rag._runtime.scrubber
        pipeline = StockPipeline(rag.embedder.model)
        ingest: dict[str, float] = {"before": 0.0, "now": 0.0}
        rag.tenants.create("bench")
        before.tenants.create("bench")
        for start in range(0, len(docs), 64):
            batch = docs[start : start + 64]
            for name, target in (("now", rag), ("before", before)):
                ingest[name] += timed(lambda t=target, b=batch: t.ingest("bench", b))[1]
        pipeline.ingest(docs)
        protect_s = protect_step_seconds(rag, docs)
        from privrag.embed import Embedder

        onnx_embedder = rag._runtime.embedder
        onnx_embedder.warm_queries(wait=True)  # as a server does at start
        torch_embedder = Embedder(query_backend="torch")

        def with_torch_queries(text: str) -> object:
            rag._runtime._embedder = torch_embedder
            try:
                return rag.query("bench", text, k=5)
            finally:
                rag._runtime._embedder = onnx_embedder

        runs: dict[str, list[float]] = {
            "hybrid": [],
            "torch": [],
            "dense": [],
            "before": [],
            "stock": [],
        }
        # Interleave so all see the same machine noise.
        for text in texts:
            for name, call in (
                ("hybrid", lambda text=text: rag.query("bench", text, k=5)),
                ("torch", lambda text=text: with_torch_queries(text)),
                ("dense", lambda text=text: rag.query("bench", text, k=5, mode="dense")),
                ("before", lambda text=text: before.query("bench", text, k=5, mode="dense")),
                ("stock", lambda text=text: pipeline.query(text, k=5)),
            ):
                runs[name].append(timed(call)[1] * 1000)
        pipeline.close()
    labels = {
        "hybrid": "privrag hybrid, protected",
        "torch": "privrag hybrid, PyTorch queries",
        "dense": "privrag dense, protected",
        "before": "privrag dense, unprotected (before)",
        "stock": "stock",
    }
    for name, values in runs.items():
        print(
            f"{labels[name]:36s} p50 {median(values):6.1f} ms   p99 {percentile(values, 99):6.1f} ms"
            f"   ({len(values)} queries over {len(docs)} docs)"
        )
    print(f"query embedding: {onnx_embedder.query_runtime}")
    print(f"ratio p50 privrag hybrid/stock: {median(runs['hybrid']) / median(runs['stock']):.2f}")
    print(
        f"ratio p50 ONNX Runtime queries / PyTorch queries: "
        f"{median(runs['hybrid']) / median(runs['torch']):.2f}"
    )
    print(
        f"ratio p50 hybrid+protection / dense before: "
        f"{median(runs['hybrid']) / median(runs['before']):.2f} (target <= 1.3)"
    )
    print(
        f"ingest {len(docs)} docs: now {len(docs) / ingest['now']:.1f} docs/s, protection off "
        f"{len(docs) / ingest['before']:.1f} docs/s, ratio {ingest['before'] / ingest['now']:.2f}"
    )
    # The off data dir still builds the lexical index; time the whole protect step (transform
    # and keyed BM25) on its own to see what it adds to an ingest from before this change.
    print(
        f"protect step alone: {protect_s:.2f} s of {ingest['now']:.1f} s ingest; throughput vs "
        f"before the change ~{1 - protect_s / ingest['now']:.2f}x (target >= 0.9)"
    )


if __name__ == "__main__":
    main()
