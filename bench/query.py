"""Query latency: privrag (scrub query -> embed -> Edge search -> open sealed chunks) vs the stock
pipeline (Presidio scrub -> embed -> qdrant-client local search), same corpus, one run.

    python -m bench.query [--docs 500] [--queries 200]
"""

from __future__ import annotations

import argparse

from bench.common import median, percentile, temporary_rag, timed
from bench.corpus import documents, queries
from bench.stock import StockPipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    docs = documents(args.docs)
    texts = queries(args.queries)
    with temporary_rag() as rag:
        pipeline = StockPipeline(rag.embedder.model)
        rag.tenants.create("bench")
        for start in range(0, len(docs), 64):
            rag.ingest("bench", docs[start : start + 64])
        pipeline.ingest(docs)
        ours: list[float] = []
        stock: list[float] = []
        # Interleave so both see the same machine noise.
        for text in texts:
            ours.append(timed(lambda text=text: rag.query("bench", text, k=5))[1] * 1000)
            stock.append(timed(lambda text=text: pipeline.query(text, k=5))[1] * 1000)
        pipeline.close()
    for name, values in (("privrag", ours), ("stock", stock)):
        print(
            f"{name:8s} p50 {median(values):6.1f} ms   p99 {percentile(values, 99):6.1f} ms   "
            f"({len(values)} queries over {len(docs)} docs)"
        )
    print(f"ratio p50 privrag/stock: {median(ours) / median(stock):.2f}")


if __name__ == "__main__":
    main()
