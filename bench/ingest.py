"""Ingest throughput: privrag (scrub -> chunk -> embed -> seal -> Edge) vs the stock pipeline,
on the same generated corpus in one run; medians over several runs, ratio printed.

    python -m bench.ingest [--docs 200] [--runs 3]
"""

from __future__ import annotations

import argparse

from bench.common import median, temporary_rag, timed
from bench.corpus import documents
from bench.stock import StockPipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    docs = documents(args.docs)
    ours: list[float] = []
    stock: list[float] = []
    with temporary_rag() as rag:
        pipeline = StockPipeline(rag.embedder.model)
        for run in range(args.runs):
            name = f"run{run}"
            rag.tenants.create(name)

            def ours_run(name: str = name) -> None:
                for start in range(0, len(docs), 64):
                    rag.ingest(name, docs[start : start + 64])

            _, secs = timed(ours_run)
            ours.append(len(docs) / secs)
            _, secs = timed(lambda: pipeline.ingest(docs))
            stock.append(len(docs) / secs)
            print(f"run {run}: privrag {ours[-1]:.1f} docs/s, stock {stock[-1]:.1f} docs/s")
        pipeline.close()
    print(
        f"median over {args.runs} runs, {len(docs)} docs: privrag {median(ours):.1f} docs/s, "
        f"stock {median(stock):.1f} docs/s, ratio {median(ours) / median(stock):.2f}x"
    )


if __name__ == "__main__":
    main()
