"""PII bench: `python -m bench.pii` measures the scrubber against its targets and stock Presidio.

1. Presidio's synthetic set (../shared/data/presidio_synth_dataset_v2.json): span-level precision,
   recall and F2 per entity type. Spans match when they have the same type and an IoU of at least
   0.5 over their non-space characters; adjacent gold pieces of one street address (and the city,
   region and postcode pieces between them, which the set labels GPE / ZIP_CODE) are merged into
   one address first, across separators, quote marks and the set's "???" bullets.
2. A generated business corpus (bench/pii_corpus.py): value-level leak rate (a PII value survives
   verbatim, or its digits survive as a digit sequence) and keep rate (ordinary business words that
   survive). The detectors were tuned on it: it is a regression check, not a result.
2b. Faker corpora (bench/pii_heldout.py), DEV and HELD-OUT splits with disjoint locales, seeds and
   template families, each family reported on its own, for privrag and stock Presidio side by
   side. Leaks are counted on the output with obfuscation undone (NFKC, invisible characters
   dropped), a person leaks if any of their name words (3+ letters) survives as a word, and an
   e-mail if its local part survives.
3. Throughput, ours vs stock Presidio (AnalyzerEngine defaults + AnonymizerEngine on the same
   offline spaCy model), on the business corpus and on SciFact abstracts, in the same run.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections import Counter, defaultdict
from typing import Any

from bench import (
    pii_fresh,
    pii_fresh2,
    pii_fresh3,
    pii_fresh4,
    pii_fresh5,
    pii_fresh6,
    pii_heldout,
)
from bench.common import SHARED_DATA
from bench.pii_corpus import generate
from bench.stock import stock_engines, stock_scrub
from privrag.pii import Scrubber
from privrag.pii.name_training import pin_hash_seed

PRESIDIO_SET = SHARED_DATA / "presidio_synth_dataset_v2.json"
SCIFACT = SHARED_DATA / "scifact" / "corpus.jsonl"

# Dataset label -> our type. Labels not listed are not personal data under our default policy.
COUNTED = {
    "PERSON": "PERSON",
    "STREET_ADDRESS": "STREET_ADDRESS",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN_CODE",
    "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_DRIVER_LICENSE": "DRIVER_LICENSE",
}
IGNORED = ["GPE", "ORGANIZATION", "DATE_TIME", "TITLE", "AGE", "NRP", "DOMAIN_NAME", "ZIP_CODE"]
ADDRESS_PARTS = {"GPE", "ZIP_CODE", "STREET_ADDRESS"}
IOU = 0.5
EMBEDDER_CHUNKS_PER_S = 155.0  # issue 7's figure for the embedder on 2 cores

# Between pieces of one address: separators, quote marks ("> ") and the set's mojibake bullets
# ("??? ", a non-ASCII bullet that became question marks).
_GAP = re.compile(r"^[\s,.;:>?\-]*$")
_DIGIT_RUN = re.compile(r"\d[\d\s().+/-]*\d")


def f_beta(p: float, r: float, beta: float = 2.0) -> float:
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


def _chars(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if not text[i].isspace()}


def _gold_spans(
    sample: dict[str, Any],
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    text = sample["full_text"]
    spans = sorted(
        (s["entity_type"], s["start_position"], s["end_position"]) for s in sample["spans"]
    )
    spans.sort(key=lambda s: s[1])
    # Merge runs of address pieces that contain at least one STREET_ADDRESS.
    merged: list[list[Any]] = []
    for label, start, end in spans:
        last = merged[-1] if merged else None
        if (
            last is not None
            and label in ADDRESS_PARTS
            and last[0] in ADDRESS_PARTS
            and _GAP.match(text[last[2] : start])
            and "STREET_ADDRESS" in {label, last[0]} | last[3]
        ):
            last[2] = end
            last[3].add(label)
            last[0] = "STREET_ADDRESS"
            continue
        merged.append([label, start, end, {label}])
    counted = [(COUNTED[m[0]], m[1], m[2]) for m in merged if m[0] in COUNTED]
    ignored = [(m[0], m[1], m[2]) for m in merged if m[0] not in COUNTED]
    return counted, ignored


def presidio_eval(scrubber: Scrubber) -> float:
    samples = json.loads(PRESIDIO_SET.read_text())
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors: dict[str, list[str]] = defaultdict(list)
    for sample in samples:
        text = sample["full_text"]
        gold, ignored = _gold_spans(sample)
        predicted = [(e.type, e.start, e.end) for e in scrubber.analyze(text)]
        used: set[int] = set()
        for g_type, g_start, g_end in gold:
            g_chars = _chars(text, g_start, g_end)
            best, best_iou = -1, 0.0
            for i, (p_type, p_start, p_end) in enumerate(predicted):
                if i in used or p_type != g_type:
                    continue
                p_chars = _chars(text, p_start, p_end)
                iou = len(g_chars & p_chars) / max(1, len(g_chars | p_chars))
                if iou > best_iou:
                    best, best_iou = i, iou
            if best_iou >= IOU:
                used.add(best)
                tp[g_type] += 1
            else:
                fn[g_type] += 1
                errors[f"FN {g_type}"].append(repr(text[g_start:g_end]))
        for i, (p_type, p_start, p_end) in enumerate(predicted):
            if i in used:
                continue
            # An address prediction over a city or postcode the set labels GPE / ZIP_CODE.
            if p_type == "STREET_ADDRESS" and any(
                label in ADDRESS_PARTS and p_start < e and s < p_end for label, s, e in ignored
            ):
                continue
            fp[p_type] += 1
            errors[f"FP {p_type}"].append(repr(text[p_start:p_end]))
    print("== 1. Presidio synthetic set (1,500 sentences), span-level, IoU >= 0.5 ==")
    print("counted labels (dataset -> ours):", ", ".join(f"{k}->{v}" for k, v in COUNTED.items()))
    print("ignored labels (not personal data under the default policy):", ", ".join(IGNORED))
    print("predictions of our other types (SECRET, NATIONAL_ID, ...) count as false positives")
    print(f"{'type':<16}{'gold':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'prec':>8}{'recall':>8}{'F2':>8}")
    for t in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        print(
            f"{t:<16}{tp[t] + fn[t]:>6}{tp[t]:>6}{fp[t]:>6}{fn[t]:>6}{p:>8.3f}{r:>8.3f}{f_beta(p, r):>8.3f}"
        )
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p = all_tp / (all_tp + all_fp)
    r = all_tp / (all_tp + all_fn)
    f2 = f_beta(p, r)
    print(
        f"{'overall':<16}{all_tp + all_fn:>6}{all_tp:>6}{all_fp:>6}{all_fn:>6}{p:>8.3f}{r:>8.3f}{f2:>8.3f}"
    )
    print(f"Presidio published: default F2 0.618, tuned 0.845; ours {f2:.3f} (target >= 0.90)")
    if _VERBOSE:
        for key in sorted(errors):
            print(f"  {key}: {len(errors[key])}: {', '.join(errors[key][:25])}")
    return f2


def _leaked(value: str, scrubbed: str) -> bool:
    if value in scrubbed:
        return True
    digits = re.sub(r"\D", "", value)
    if len(digits) < 6:
        return False
    return any(digits in re.sub(r"\D", "", run) for run in _DIGIT_RUN.findall(scrubbed))


def business_eval(
    scrubber: Scrubber, n_docs: int, seed: int
) -> tuple[float, float, dict[str, float]]:
    docs = generate(n_docs, seed=seed)
    results = scrubber.scrub_batch([d.text for d in docs])
    total: Counter[str] = Counter()
    leaked: Counter[str] = Counter()
    kept = keep_total = 0
    examples: dict[str, list[str]] = defaultdict(list)
    lost: list[str] = []
    for doc, result in zip(docs, results, strict=True):
        for entity_type, value in doc.pii:
            total[entity_type] += 1
            if _leaked(value, result.text):
                leaked[entity_type] += 1
                examples[entity_type].append(f"{doc.kind}/{doc.locale}: {value!r}")
        for word in doc.keep:
            keep_total += 1
            if word in result.text:
                kept += 1
            else:
                lost.append(f"{doc.kind}/{doc.locale}: {word!r}")
    overall = sum(leaked.values()) / sum(total.values())
    keep_rate = kept / keep_total
    print(f"\n== 2. Business corpus ({n_docs} generated documents, seed {seed}) ==")
    print(f"{'type':<16}{'values':>8}{'leaked':>8}{'leak rate':>11}")
    per_type: dict[str, float] = {}
    for t in sorted(total):
        per_type[t] = leaked[t] / total[t]
        print(f"{t:<16}{total[t]:>8}{leaked[t]:>8}{per_type[t]:>11.2%}")
    print(f"{'overall':<16}{sum(total.values()):>8}{sum(leaked.values()):>8}{overall:>11.2%}"
          "   (target <= 1% overall, <= 2% per type)")  # fmt: skip
    print(f"keep rate: {kept}/{keep_total} = {keep_rate:.2%}   (target >= 97%)")
    if _VERBOSE:
        for t, vals in sorted(examples.items()):
            print(f"  leaked {t}: {'; '.join(vals[:12])}")
        print(f"  lost keep words: {'; '.join(lost[:40])}")
    return overall, keep_rate, per_type


_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))


def _leaked_strict(entity_type: str, value: str, out: str) -> bool:
    if entity_type == "PERSON":
        return any(
            re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out, re.IGNORECASE)
            for w in re.findall(r"[^\W\d_]{3,}", value)
        )
    if entity_type == "EMAIL_ADDRESS":
        local = value.split("@")[0]
        return len(local) >= 4 and local.lower() in out.lower()
    return _leaked(value, out)


SPLITS = {
    "dev": "DEV (tuned on)",
    "heldout": "HELD-OUT-SEEN (held out until its leaks were read on 2026-12-03)",
    "fresh": "HELD-OUT-FRESH (measured once untuned on 2026-12-03, then its leaks were read)",
    "fresh2": "HELD-OUT-FRESH-2 (measured untuned, then its leaks were read on 2026-12-03)",
    "fresh3": "HELD-OUT-FRESH-3 (measured untuned, then its leaks were read on 2026-12-03)",
    "fresh4": "HELD-OUT-FRESH-4 (measured untuned, then its leaks were read on 2026-12-03)",
    "fresh5": "HELD-OUT-FRESH-5 (measured untuned; its leaks not read)",
    "fresh6": "HELD-OUT-FRESH-6 (never looked at while tuning)",
}

UNSEEN = "fresh6"
# Splits whose leaks nobody has read: the unseen one, and FRESH-5, measured untuned before it.
NEVER_PRINTED = {"fresh5", UNSEEN}


_GENERATORS = {
    "fresh": pii_fresh.generate,
    "fresh2": pii_fresh2.generate,
    "fresh3": pii_fresh3.generate,
    "fresh4": pii_fresh4.generate,
    "fresh5": pii_fresh5.generate,
    "fresh6": pii_fresh6.generate,
}


def generated_eval(scrubber: Scrubber, split: str, per_family: int, stock: Any) -> None:
    generate_split = _GENERATORS.get(split)
    if generate_split is None:
        corpora = pii_heldout.generate(split, per_family)
    else:
        corpora = generate_split(per_family)
    print(f"\n== 2b. Faker corpus, {SPLITS[split]} ({per_family} docs per family) ==")
    print(f"{'family':<16}{'type':<16}{'values':>7}{'ours':>9}{'stock':>9}")
    split_total: Counter[str] = Counter()
    split_leaked: Counter[str] = Counter()
    split_stock: Counter[str] = Counter()
    for family, docs in corpora.items():
        ours_out = [_clean(r.text) for r in scrubber.scrub_batch([d.text for d in docs])]
        stock_out = [_clean(stock(d.text)) for d in docs] if stock else ours_out
        total: Counter[str] = Counter()
        leaked: Counter[str] = Counter()
        leaked_stock: Counter[str] = Counter()
        kept = keep_total = 0
        examples: list[str] = []
        for doc, out, st in zip(docs, ours_out, stock_out, strict=True):
            for entity_type, value in doc.pii:
                total[entity_type] += 1
                if _leaked_strict(entity_type, value, out):
                    leaked[entity_type] += 1
                    examples.append(f"{entity_type}/{doc.locale}: {value!r}")
                if _leaked_strict(entity_type, value, st):
                    leaked_stock[entity_type] += 1
            for word in doc.keep:
                keep_total += 1
                kept += word in out
        for t in sorted(total):
            print(f"{family:<16}{t:<16}{total[t]:>7}{leaked[t] / total[t]:>9.1%}"
                  f"{leaked_stock[t] / total[t]:>9.1%}")  # fmt: skip
        n = sum(total.values())
        keep = f"{kept / keep_total:.1%}" if keep_total else "n/a"
        print(f"{family:<16}{'ALL':<16}{n:>7}{sum(leaked.values()) / n:>9.1%}"
              f"{sum(leaked_stock.values()) / n:>9.1%}   keep {keep}")  # fmt: skip
        split_total.update(total)
        split_leaked.update(leaked)
        split_stock.update(leaked_stock)
        # The leaks of splits nobody has read are never printed: reading them is tuning on them.
        if _VERBOSE and split not in NEVER_PRINTED:
            print("   leaks:", "; ".join(examples[:_LEAKS_SHOWN]))
    for t in sorted(split_total):
        print(f"{'all families':<16}{t:<16}{split_total[t]:>7}"
              f"{split_leaked[t] / split_total[t]:>9.1%}{split_stock[t] / split_total[t]:>9.1%}")  # fmt: skip
    n = sum(split_total.values())
    print(f"{'all families':<16}{'ALL':<16}{n:>7}{sum(split_leaked.values()) / n:>9.1%}"
          f"{sum(split_stock.values()) / n:>9.1%}")  # fmt: skip


def _rate(fn: Any, texts: list[str]) -> float:
    start = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - start)


def speed(scrubber: Scrubber, n_short: int, n_long: int, seed: int) -> float:
    analyzer, anonymizer = stock_engines()

    def stock(texts: list[str]) -> None:
        for text in texts:
            stock_scrub(analyzer, anonymizer, text)

    def ours(texts: list[str]) -> None:
        scrubber.scrub_batch(texts)

    short = [d.text for d in generate(n_short, seed=seed + 1)]
    corpora = [(f"business docs (~{sum(map(len, short)) // len(short)} chars)", short)]
    if SCIFACT.exists() and n_long:
        with SCIFACT.open() as fh:
            rows = [json.loads(line) for _, line in zip(range(n_long), fh, strict=False)]
        long = [f"{r['title']}\n{r['text']}" for r in rows]
        corpora.append((f"SciFact abstracts (~{sum(map(len, long)) // len(long)} chars)", long))
    print("\n== 3. Throughput, same texts, same process (docs/s) ==")
    stock(short[:5])
    ours(short[:5])
    ratios = []
    for label, texts in corpora:
        theirs_rate = _rate(stock, texts)
        ours_rate = _rate(ours, texts)
        ratios.append(ours_rate / theirs_rate)
        print(f"{label:<42} stock {theirs_rate:7.1f}  ours {ours_rate:7.1f}  "
              f"ratio {ours_rate / theirs_rate:5.2f}x  (target >= 3x)")  # fmt: skip
    ours_short = _rate(ours, short)
    print(f"ours on business docs {ours_short:.1f} docs/s vs embedder ~{EMBEDDER_CHUNKS_PER_S:.0f} "
          f"chunks/s (issue 7 figure): {ours_short / EMBEDDER_CHUNKS_PER_S:.2f}x")  # fmt: skip
    return min(ratios)


_VERBOSE = False
_LEAKS_SHOWN = 40


def main() -> None:
    global _VERBOSE
    # Without a fixed hash seed the DEV split was different text in every run (9 of its 280
    # documents differed between two runs).
    pin_hash_seed("bench.pii")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=540, help="business documents to generate")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--speed-short", type=int, default=300)
    parser.add_argument("--speed-long", type=int, default=120)
    parser.add_argument("--per-family", type=int, default=70, help="Faker docs per family")
    parser.add_argument(
        "--skip", choices=["presidio", "business", "generated", "speed"], action="append"
    )
    parser.add_argument("--split", choices=list(SPLITS), action="append", help="Faker splits")
    parser.add_argument("-v", "--verbose", action="store_true", help="print errors and leaks")
    parser.add_argument(
        "--base-ner", action="store_true", help="the base spaCy NER, without our name weights"
    )
    args = parser.parse_args()
    _VERBOSE = args.verbose
    skip = set(args.skip or [])
    start = time.perf_counter()
    scrubber = Scrubber(names=None) if args.base_ner else Scrubber()
    print(
        f"{scrubber.version}  config {scrubber.config_digest[:12]}  (load {time.perf_counter() - start:.1f}s)\n"
    )
    if "presidio" not in skip:
        presidio_eval(scrubber)
    if "business" not in skip:
        business_eval(scrubber, args.docs, args.seed)
    if "generated" not in skip:
        analyzer, anonymizer = stock_engines()

        def stock(text: str) -> str:
            return stock_scrub(analyzer, anonymizer, text)

        for split in args.split or list(SPLITS):
            generated_eval(scrubber, split, args.per_family, stock)
    if "speed" not in skip:
        speed(scrubber, args.speed_short, args.speed_long, args.seed)


if __name__ == "__main__":
    main()
