"""Retrieval quality on BEIR SciFact through the whole privrag pipeline (scrubbing on).

Prints nDCG@10 on the 300 test queries for: plain MiniLM on unscrubbed text (the published
0.645 baseline, recomputed here; when chunks embed in bf16, in fp32 too, beside it), and privrag
(scrub -> chunk -> embed -> protect -> seal -> Edge store, query scrubbed too; a document ranks
by its best chunk) side by side: dense with vector protection off (a benchmark-mode data dir),
dense with protection on, sparse (the keyed BM25 index) and hybrid (both, RRF k=60 in the
store). Both data dirs embed each chunk once (a memo).
Then the identification attack on each data dir's shard files (bench/attack.py) with K = 0, 10,
100, 1000 known (text, vector) pairs. ``--with-stock`` adds plain MiniLM on text scrubbed by stock
Presidio (the issue's 0.580 figure).

    python -m bench.retrieval [--limit-queries N] [--with-stock]
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.attack import identify, read_shard
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


def vector_rankings(
    embedder, ids: list[str], docs: np.ndarray, queries: dict[str, str]
) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    qids = list(queries)
    top = np.argsort(-(embedder.embed([queries[q] for q in qids]) @ docs.T), axis=1)[:, :10]
    return {q: [ids[j] for j in top[i]] for i, q in enumerate(qids)}


def stock_scrub_all(texts: list[str]) -> list[str]:
    analyzer, anonymizer = stock_engines()
    return [stock_scrub(analyzer, anonymizer, text) for text in texts]


class CachedEmbedder:
    """The packaged embedder with a text -> vector memo, so the unprotected and the protected
    data dirs (same scrubbed chunks) embed each chunk once; everything else runs as usual."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self._inner = inner
        self._memo: dict[str, np.ndarray] = {}

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._inner, name)

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            self._memo.update(zip(missing, self._inner.embed(missing), strict=True))
        return np.stack([self._memo[t] for t in texts]) if texts else self._inner.embed([])


def pipeline_rankings(rag, queries: dict[str, str], mode: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    rankings = {}
    for qid, text in queries.items():
        ranked: list[str] = []
        for hit in rag.query("scifact", text, k=100, mode=mode).hits:
            did = hit.doc_id[1:]
            if did not in ranked:
                ranked.append(did)
        rankings[qid] = ranked[:10]
    return rankings


def attack_rates(rag, corpus: dict[str, str], plain: np.ndarray) -> dict[int, float]:  # type: ignore[no-untyped-def]
    """The identification attack on this data dir's shard files (no keys): each stored chunk
    matched to the nearest of the corpus's plain MiniLM embeddings, with K known pairs."""
    tenant = rag.tenants.get("scifact")
    ids = list(corpus)
    runtime = rag._runtime
    index = {runtime.doc_uid(tenant, f"d{i}"): n for n, i in enumerate(ids)}
    runtime.store.close()  # flushes; the attacker reads the files as they are on disk
    points = list(read_shard(runtime.settings.shards_dir / tenant.id).values())
    truth = np.array([index[uid] for uid, _ in points])
    stored = np.stack([vector for _, vector in points])
    order = np.random.default_rng(0).permutation(len(points))
    rates = {}
    for k in (0, 10, 100, 1000):
        known, test = order[:k], order[k:]
        found = identify(
            stored[test],
            plain,
            known_stored=stored[known] if k else None,
            known_plain=plain[truth[known]] if k else None,
        )
        rates[k] = float(np.mean(found == truth[test]))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "scifact")
    parser.add_argument("--limit-queries", type=int, default=0)
    parser.add_argument("--limit-docs", type=int, default=0, help="smoke runs only")
    parser.add_argument("--with-stock", action="store_true")
    args = parser.parse_args()

    corpus, queries, qrels = load_scifact(args.data)
    if args.limit_queries:
        queries = dict(list(queries.items())[: args.limit_queries])
    if args.limit_docs:
        corpus = dict(list(corpus.items())[: args.limit_docs])
    print(f"SciFact: {len(corpus)} documents, {len(queries)} test queries")
    from privrag.models import Document

    docs = [Document(id=f"d{i}", text=t, classification="public") for i, t in corpus.items()]

    with (
        temporary_rag(vector_protection="off", benchmark_mode=True) as raw,
        temporary_rag() as rag,
    ):
        model = rag.embedder.model
        plain_vectors, secs = timed(lambda: rag.embedder.embed([corpus[i] for i in corpus]))
        # The attack's candidates double as the plain baseline: one encoding of the corpus.
        plain = mean_ndcg(
            vector_rankings(rag.embedder, list(corpus), plain_vectors, queries), qrels
        )
        print(
            f"plain MiniLM, unscrubbed:      nDCG@10 = {plain:.4f}  (published {PUBLISHED})  [{secs:.0f} s]"
        )
        if rag.embedder.precision != "fp32":
            # Chunks embed in bf16 here (privrag/embed.py): the same line in fp32, side by side.
            from privrag.embed import Embedder

            exact = Embedder(precision="fp32")
            exact_vectors, secs = timed(lambda: exact.embed([corpus[i] for i in corpus]))
            ranked = vector_rankings(exact, list(corpus), exact_vectors, queries)
            reference = mean_ndcg(ranked, qrels)
            print(
                f"plain MiniLM, unscrubbed, fp32: nDCG@10 = {reference:.4f}  "
                f"({rag.embedder.precision} - fp32 = {plain - reference:+.4f}, target within "
                f"0.002)  [{secs:.0f} s]"
            )
        embedder = CachedEmbedder(rag.embedder)
        for target in (raw, rag):
            target._runtime._embedder = embedder
            target.tenants.create("scifact")

            def ingest(target=target) -> None:  # type: ignore[no-untyped-def]
                for start in range(0, len(docs), 256):
                    target.ingest("scifact", docs[start : start + 256])

            _, secs = timed(ingest)
            print(
                f"privrag ingest: {len(docs)} docs in {secs:.0f} s ({len(docs) / secs:.1f} docs/s)"
            )

        results = {}
        for label, target, mode in (
            ("dense, protection off", raw, "dense"),
            ("dense, protection on", rag, "dense"),
            ("sparse (keyed BM25)", rag, "sparse"),
            ("hybrid, protection on", rag, "hybrid"),
        ):
            rankings, secs = timed(lambda t=target, m=mode: pipeline_rankings(t, queries, m))
            results[label] = mean_ndcg(rankings, qrels)
            print(f"privrag {label:24s} nDCG@10 = {results[label]:.4f}  [{secs:.0f} s]")
        loss = results["dense, protection off"] - results["dense, protection on"]
        print(f"dense loss from protection: {loss:+.4f} (target <= 0.005)")
        print(f"hybrid / plain MiniLM: {results['hybrid, protection on'] / max(plain, 1e-9):.3f}")

        for label, target in (("protection off", raw), ("protection on", rag)):
            rates = attack_rates(target, corpus, plain_vectors)
            shown = ", ".join(f"K={k}: {r:.1%}" for k, r in rates.items())
            print(f"identification attack, {label}: {shown}")

        if args.with_stock:
            ids = list(corpus)
            scrubbed = dict(zip(ids, stock_scrub_all([corpus[i] for i in ids]), strict=True))
            qids = list(queries)
            qscrubbed = dict(zip(qids, stock_scrub_all([queries[q] for q in qids]), strict=True))
            stock = mean_ndcg(dense_rankings(model, scrubbed, qscrubbed), qrels)
            print(f"plain MiniLM, stock Presidio:  nDCG@10 = {stock:.4f}")


if __name__ == "__main__":
    main()
