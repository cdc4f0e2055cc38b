"""Injection screening: recall and false-flag rate on the tuning set and, separately, on the
held-out set; the share of SciFact abstracts flagged; ingest throughput with screening on vs off.

    python -m bench.screen [--docs 64] [--runs 5] [--skip-throughput] [--show-errors]
        [--data ../shared/data/scifact/corpus.jsonl]

The tuning set (``bench.screen_corpus``) is what the weights were set on; the held-out set
(``bench/data/screen_heldout.jsonl``, built by ``bench/data/build_screen_heldout.py`` before the
screening code existed) is only reported. Throughput runs the whole ingest pipeline (scrub,
screen, chunk, embed, protect, seal, store) on the same documents with screening on and off,
alternating runs in one process, and prints the median of each.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from bench.common import SHARED_DATA, median, temporary_rag
from bench.corpus import documents
from bench.screen_corpus import tuning_set
from privrag.screening import screen

HELDOUT = Path(__file__).with_name("data") / "screen_heldout.jsonl"


def evaluate(name: str, rows: list[tuple[str, int, str]], show: bool) -> None:
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    flagged_benign = benign = 0
    for text, label, kind in rows:
        verdict = screen(text)
        if label:
            total[kind] += 1
            caught[kind] += verdict.injection
            if show and not verdict.injection:
                print(f"  missed [{kind}] {verdict.score:.3f} {verdict.reasons}: {text[:160]!r}")
        else:
            benign += 1
            flagged_benign += verdict.injection
            if show and verdict.injection:
                print(f"  false flag {verdict.score:.3f} {verdict.reasons}: {text[:160]!r}")
    positives = sum(total.values())
    recall = sum(caught.values()) / positives
    print(
        f"{name}: recall {recall:.1%} ({sum(caught.values())}/{positives}), false-flag rate "
        f"{flagged_benign / benign:.1%} ({flagged_benign}/{benign})"
    )
    print("  by kind: " + ", ".join(f"{k} {caught[k]}/{total[k]}" for k in sorted(total)))


def scifact(path: Path, show: bool) -> None:
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            texts.append(f"{row.get('title', '')}\n{row['text']}")
    start = time.perf_counter()
    flagged = [t for t in texts if screen(t).injection]
    secs = time.perf_counter() - start
    print(
        f"SciFact: {len(flagged)}/{len(texts)} abstracts flagged ({len(flagged) / len(texts):.2%}); "
        f"screening {len(texts) / secs:.0f} abstracts/s"
    )
    if show:
        for text in flagged:
            print(f"  flagged {screen(text).reasons}: {text[:160]!r}")


def throughput(docs_count: int, runs: int) -> None:
    docs = documents(docs_count)
    rates: dict[bool, list[float]] = {True: [], False: []}
    with temporary_rag() as rag:
        pipeline = rag._pipeline
        rag.tenants.create("warm")
        rag.ingest("warm", docs[:8])  # load the models before timing
        for run in range(runs):
            for on in (run % 2 == 0, run % 2 != 0):
                pipeline.screening = on
                name = f"r{run}{'on' if on else 'off'}"
                rag.tenants.create(name)
                start = time.perf_counter()
                for at in range(0, len(docs), 32):
                    rag.ingest(name, docs[at : at + 32])
                rates[on].append(len(docs) / (time.perf_counter() - start))
            print(f"run {run}: on {rates[True][-1]:.1f} docs/s, off {rates[False][-1]:.1f} docs/s")
        pipeline.screening = True
    on, off = median(rates[True]), median(rates[False])
    print(
        f"ingest, {len(docs)} docs, median of {runs}: screening on {on:.1f} docs/s, off "
        f"{off:.1f} docs/s, ratio {on / off:.3f} (drop {1 - on / off:.1%})"
    )
    # The same step timed alone (less exposed to load than whole-pipeline runs on a busy machine).
    start = time.perf_counter()
    for doc in docs:
        screen(doc.text)
    alone = (time.perf_counter() - start) / len(docs)
    print(
        f"screening alone: {alone * 1e3:.2f} ms a document, {alone * off:.2%} of a document's "
        "ingest time with screening off"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=64)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "scifact" / "corpus.jsonl")
    args = parser.parse_args()
    evaluate("tuning", [(e.text, e.label, e.kind) for e in tuning_set()], args.show_errors)
    held = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    evaluate("held-out", [(r["text"], r["label"], r["kind"]) for r in held], args.show_errors)
    scifact(args.data, args.show_errors)
    if not args.skip_throughput:
        throughput(args.docs, args.runs)


if __name__ == "__main__":
    main()
