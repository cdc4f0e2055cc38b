"""Runtime monitoring on SciFact: does a crawler key raise the exfiltration signal, and do the
300 real test queries from one key raise nothing?

Retrieves (k = 10) for the 300 test queries and for several crawlers over SciFact, then
replays each key's result ids and each query's relevance (the best hit's cosine) through
``privrag.monitoring.Monitor`` (the same object the API calls) on a simulated clock, with the
default policy. By default the results come from the
packaged MiniLM over whole abstracts (one id per abstract); ``--pipeline`` ingests SciFact
through privrag and queries it (scrubbing, chunking, hybrid retrieval, as the API would; an
hour and more on two cores). Crawlers: random words drawn from the SciFact corpus (the
crawler of the issue), from an unrelated corpus (the Presidio synthetic set), and from the
user's own queries (a crawler that talks like the user). Pacing: the user asks one query every
``--user-every`` seconds (12: all 300 within an hour; 60: a person reading the answers), a
crawler one every ``--crawler-every`` seconds; each stream is also replayed at the other
paces, to show which signal separates them.

    python -m bench.monitor [--pipeline] [--limit-docs N] [--crawler-every 1] [--user-every 12 60]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from prometheus_client import CollectorRegistry

from bench.common import SHARED_DATA, temporary_rag, timed
from bench.retrieval import load_scifact
from privrag.monitoring import Monitor, MonitorPolicy

WORD = re.compile(r"[a-z]{4,}")


def vocabulary(texts: list[str]) -> list[str]:
    return sorted({w for t in texts for w in WORD.findall(t.lower())})


def crawler_queries(words: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(words, 3)) for _ in range(count)]


Results = list[tuple[list[str], float | None]]


def replay(results: Results, every: float, corpus_chunks: int) -> dict[str, object]:
    """Feed one key's result lists through a fresh monitor; when (if ever) does it fire?"""
    now = [0.0]
    events: list[dict[str, object]] = []
    monitor = Monitor(
        MonitorPolicy(action="alert"),
        registry=CollectorRegistry(),
        clock=lambda: now[0],
        corpus_size=lambda _t: corpus_chunks,
        on_event=events.append,
        revoke=lambda _k: None,
    )
    first = None
    top = 0.0
    reading = None
    for i, (chunks, relevance) in enumerate(results):
        now[0] = i * every
        reading = monitor.observe_query(
            tenant="t", key_id="k", chunk_ids=chunks, relevance=relevance
        )
        top = max(top, reading.score)
        if events and first is None:
            first = (i + 1, events[0]["signals"])
    assert reading is not None
    return {
        "fired_at_query": first[0] if first else None,
        "signals": first[1] if first else [],
        "max_score": round(top, 3),
        "coverage": round(reading.coverage, 4),
        "distinct": reading.distinct,
        "weak_share": round(reading.weak_share, 3),
    }


def relevance_summary(results: Results, floor: float) -> str:
    scores = sorted(r for _, r in results if r is not None)
    if not scores:
        return "no relevance"
    weak = sum(r < floor for r in scores) / len(scores)
    mid, p5 = scores[len(scores) // 2], scores[len(scores) // 20]
    return f"relevance median {mid:.3f}, 5th pct {p5:.3f}, below {floor:g}: {weak:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "scifact")
    parser.add_argument(
        "--limit-docs",
        type=int,
        default=0,
        help="a smaller corpus: the judged abstracts and others up to N (coverage figures then "
        "differ; relevance figures are what this is for)",
    )
    parser.add_argument("--crawler-queries", type=int, default=200)
    parser.add_argument("--crawler-every", type=float, default=1.0)
    parser.add_argument(
        "--user-every", type=float, nargs="+", default=[12.0, 60.0], help="seconds, one row each"
    )
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument(
        "--results", type=Path, help="reuse (or, if missing, save) the retrieved ids here"
    )
    parser.add_argument(
        "--pipeline",
        action="store_true",
        help="results from the whole privrag pipeline (scrub, chunk, hybrid; slow) instead of "
        "plain MiniLM over whole abstracts",
    )
    args = parser.parse_args()

    corpus, queries, qrels = load_scifact(args.data)
    if args.limit_docs:
        # Every judged abstract stays (the test queries keep their answers), then others.
        judged = {d for docs in qrels.values() for d in docs}
        kept = [d for d in corpus if d in judged]
        kept += [d for d in corpus if d not in judged][: max(0, args.limit_docs - len(kept))]
        corpus = {d: corpus[d] for d in kept}
    from privrag.models import Document

    docs = [Document(id=f"d{i}", text=t, classification="public") for i, t in corpus.items()]
    n_chunks = 0
    synth = json.loads((args.data.parent / "presidio_synth_dataset_v2.json").read_text())
    streams = {
        "crawler, SciFact words": crawler_queries(
            vocabulary(list(corpus.values())), args.crawler_queries, 1
        ),
        "crawler, unrelated words": crawler_queries(
            vocabulary([r["full_text"] for r in synth]), args.crawler_queries, 2
        ),
        "crawler, the user's words": crawler_queries(
            vocabulary(list(queries.values())), args.crawler_queries, 3
        ),
    }
    if args.results and args.results.exists():
        saved = json.loads(args.results.read_text())
        n_chunks, user, crawled = saved["n_chunks"], saved["user"], saved["crawled"]
        print(f"SciFact: {n_chunks} ids, results from {args.results}")
    elif args.pipeline:
        with temporary_rag() as rag:
            rag.tenants.create("scifact")
            _, secs = timed(
                lambda: [rag.ingest("scifact", docs[s : s + 256]) for s in range(0, len(docs), 256)]
            )
            n_docs, n_chunks = rag.corpus_size("scifact")
            print(f"SciFact: {n_docs} documents, {n_chunks} chunks, ingested in {secs:.0f} s")

            def run(texts: list[str]) -> Results:
                out: Results = []
                for q in texts:
                    result = rag.query("scifact", q, k=args.k)
                    out.append(([h.chunk_id for h in result.hits], result.relevance))
                return out

            user = run(list(queries.values()))
            crawled = {name: run(texts) for name, texts in streams.items()}
    else:
        import numpy as np

        from privrag.embed import Embedder

        embedder = Embedder()
        ids = list(corpus)
        matrix, secs = timed(lambda: np.asarray(embedder.embed([corpus[i] for i in ids])))
        n_chunks = len(ids)
        print(f"SciFact: {n_chunks} abstracts embedded whole (plain MiniLM) in {secs:.0f} s")

        def run(texts: list[str]) -> Results:
            scores = np.asarray(embedder.embed(texts)) @ matrix.T
            top = np.argsort(-scores, axis=1)[:, : args.k]
            return [([ids[j] for j in row], float(scores[i, row[0]])) for i, row in enumerate(top)]

        user = run(list(queries.values()))
        crawled = {name: run(texts) for name, texts in streams.items()}

    if args.results and not args.results.exists():
        args.results.write_text(
            json.dumps({"n_chunks": n_chunks, "user": user, "crawled": crawled})
        )
    rows = [(f"SciFact test queries ({len(user)})", user, every) for every in args.user_every]
    rows.append(("SciFact test queries", user, args.crawler_every))
    for name, results in crawled.items():
        for every in (args.crawler_every, *args.user_every):
            rows.append((name, results, every))
    policy = MonitorPolicy()
    print(f"policy: {policy}")
    print(f"{'SciFact test queries':55s} {relevance_summary(user, policy.relevance_floor)}")
    for name, results in crawled.items():
        print(f"{name:55s} {relevance_summary(results, policy.relevance_floor)}")
    for label, results, every in rows:
        print(f"{label + f', one per {every:g} s':55s} {replay(results, every, n_chunks)}")


if __name__ == "__main__":
    main()
