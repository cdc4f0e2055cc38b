"""Retrieval quality on BEIR SciFact through the whole privrag pipeline (scrubbing on).

Prints nDCG@10 on the 300 test queries for: plain MiniLM on unscrubbed text (the published
0.645 baseline, recomputed here), and privrag (scrub -> chunk -> embed -> seal -> Edge store,
query scrubbed too; a document ranks by its best chunk). ``--with-stock`` adds plain MiniLM on
text scrubbed by stock Presidio (the issue's 0.580 figure).

    python -m bench.retrieval [--limit-queries N] [--with-stock]
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.common import SHARED_DATA, temporary_rag, timed
from bench.stock import stock_engines, stock_scrub

PUBLISHED = 0.645


def load_scifact(root: Path) -> tuple[dict[str, str], dict[str, str], dict[str, set[str]]]:
    corpus = {}
    for line in (root / "corpus.jsonl").read_text().splitlines():
        rec = json.loads(line)
        corpus[rec["_id"]] = f"{rec['title']} {rec['text']}".strip()
    queries = {}
    for line in (root / "queries_test.jsonl").read_text().splitlines():
        rec = json.loads(line)
        queries[rec["_id"]] = rec["text"]
    qrels: dict[str, set[str]] = defaultdict(set)
    for line in (root / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        qid, did, score = line.split("\t")
        if int(score) > 0:
            qrels[qid].add(did)
    return corpus, queries, qrels


def ndcg_at_10(ranking: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranking[:10]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return dcg / ideal if ideal else 0.0


def mean_ndcg(rankings: dict[str, list[str]], qrels: dict[str, set[str]]) -> float:
    return float(np.mean([ndcg_at_10(rankings[q], qrels[q]) for q in rankings]))


def dense_rankings(model, corpus: dict[str, str], queries: dict[str, str]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    ids = list(corpus)
    docs = model.encode([corpus[i] for i in ids], batch_size=64, normalize_embeddings=True)
    qids = list(queries)
    qs = model.encode([queries[q] for q in qids], batch_size=64, normalize_embeddings=True)
    scores = qs @ docs.T
    top = np.argsort(-scores, axis=1)[:, :10]
    return {q: [ids[j] for j in top[i]] for i, q in enumerate(qids)}


def stock_scrub_all(texts: list[str]) -> list[str]:
    analyzer, anonymizer = stock_engines()
    return [stock_scrub(analyzer, anonymizer, text) for text in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "scifact")
    parser.add_argument("--limit-queries", type=int, default=0)
    parser.add_argument("--with-stock", action="store_true")
    args = parser.parse_args()

    corpus, queries, qrels = load_scifact(args.data)
    if args.limit_queries:
        queries = dict(list(queries.items())[: args.limit_queries])
    print(f"SciFact: {len(corpus)} documents, {len(queries)} test queries")

    with temporary_rag() as rag:
        model = rag.embedder.model
        plain, secs = timed(lambda: mean_ndcg(dense_rankings(model, corpus, queries), qrels))
        print(
            f"plain MiniLM, unscrubbed:      nDCG@10 = {plain:.4f}  (published {PUBLISHED})  [{secs:.0f} s]"
        )

        from privrag.models import Document

        rag.tenants.create("scifact")
        docs = [Document(id=f"d{i}", text=t, classification="public") for i, t in corpus.items()]

        def ingest() -> None:
            for start in range(0, len(docs), 256):
                rag.ingest("scifact", docs[start : start + 256])

        _, secs = timed(ingest)
        print(f"privrag ingest: {len(docs)} docs in {secs:.0f} s ({len(docs) / secs:.1f} docs/s)")

        def run_queries() -> dict[str, list[str]]:
            rankings = {}
            for qid, text in queries.items():
                ranked: list[str] = []
                for hit in rag.query("scifact", text, k=100).hits:
                    did = hit.doc_id[1:]
                    if did not in ranked:
                        ranked.append(did)
                rankings[qid] = ranked[:10]
            return rankings

        rankings, secs = timed(run_queries)
        ours = mean_ndcg(rankings, qrels)
        print(f"privrag, scrubbed end to end:  nDCG@10 = {ours:.4f}  [{secs:.0f} s for queries]")
        print(f"ratio privrag / plain: {ours / plain:.3f}")

        if args.with_stock:
            ids = list(corpus)
            scrubbed = dict(zip(ids, stock_scrub_all([corpus[i] for i in ids]), strict=True))
            qids = list(queries)
            qscrubbed = dict(zip(qids, stock_scrub_all([queries[q] for q in qids]), strict=True))
            stock = mean_ndcg(dense_rankings(model, scrubbed, qscrubbed), qrels)
            print(f"plain MiniLM, stock Presidio:  nDCG@10 = {stock:.4f}")


if __name__ == "__main__":
    main()
