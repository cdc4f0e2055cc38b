"""DP fine-tuning: throughput (DP vs non-private, same config) and one realistic SciFact run.

1. Throughput: the same model, objective, data and step count trained with DP-SGD (ghost
   clipping and hooks) and without privacy; examples/s and the ratios.
2. Realistic run: a tenant with ``--docs`` SciFact abstracts (default 600) ingested through the
   service, trained at ε = 8 with the default ``TrainConfig``; the card's held-out inverse-cloze
   metrics before/after, and nDCG@10 on SciFact's 300 test queries over the full 5,183-document
   corpus before/after (base MiniLM: 0.645 published). ``--ceiling`` adds the non-private run.

    python -m bench.train [--docs 600] [--ceiling] [--skip-throughput]
"""

from __future__ import annotations

import argparse
import json
import random
import time

from bench.common import SHARED_DATA, temporary_rag
from bench.retrieval import dense_rankings, load_scifact, mean_ndcg


def throughput(corpus: dict[str, str]) -> dict[str, float]:
    import torch

    from privrag.models import TrainingRecord
    from privrag_training.config import TrainConfig
    from privrag_training.dataset import examples_from_records, pack
    from privrag_training.dp import (
        Plan,
        load_base,
        sample_rate,
        train_non_private,
        train_private,
        trainable_scorer,
    )
    from privrag_training.ledger import calibrate_noise
    from privrag_training.negatives import bank_texts, embed_bank

    ids = sorted(corpus)[:160]
    records = [TrainingRecord("bench", i, i, "", (corpus[i],)) for i in ids]
    examples = examples_from_records(
        "bench", records, seed=0, holdout_fraction=0.01, max_holdout=1
    ).train[:128]
    results: dict[str, float] = {}
    for name in ("non-private", "dp-ghost", "dp-hooks"):
        mode = "hooks" if name == "dp-hooks" else "ghost"
        config = TrainConfig(epochs=1, batch_size=32, grad_sample_mode=mode)
        torch.manual_seed(0)
        model = load_base(torch.device("cpu"))
        bank = embed_bank(model, bank_texts(config.negatives))
        scorer, _ = trainable_scorer(model, bank, config)
        data = pack(model.tokenizer, examples, query_tokens=48, context_tokens=128)
        q = sample_rate(len(examples), config.batch_size)
        steps = config.epochs * round(1 / q)
        if name == "non-private":
            stats = train_non_private(scorer, data, config, steps=steps)
        else:
            sigma = calibrate_noise(epsilon=8.0, delta=1e-6, sample_rate=q, epochs=1)
            stats = train_private(scorer, data, config, Plan(q, steps, sigma, 1e-6))
        results[name] = round(stats.examples_per_second, 3)
        print(
            f"  {name:12s} {stats.examples_seen} examples in {stats.seconds:.1f}s "
            f"= {stats.examples_per_second:.2f} ex/s",
            flush=True,
        )
    results["ratio dp-ghost / non-private"] = round(results["dp-ghost"] / results["non-private"], 3)
    results["ratio dp-hooks / non-private"] = round(results["dp-hooks"] / results["non-private"], 3)
    results["ratio dp-ghost / dp-hooks"] = round(results["dp-ghost"] / results["dp-hooks"], 3)
    return results


def scifact_ndcg(model: object, corpus: dict[str, str], queries: dict[str, str], qrels) -> float:  # type: ignore[no-untyped-def]
    return round(mean_ndcg(dense_rankings(model, corpus, queries), qrels), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--ceiling", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()

    from sentence_transformers import SentenceTransformer

    from privrag.models import Document
    from privrag.registry import WEIGHTS
    from privrag_training.config import TrainConfig
    from privrag_training.job import train

    corpus, queries, qrels = load_scifact(SHARED_DATA / "scifact")
    report: dict[str, object] = {"cpu_threads": __import__("torch").get_num_threads()}
    if not args.skip_throughput:
        print("throughput (128 SciFact examples, batch 32, 2 layers, 176 tokens):", flush=True)
        report["throughput_examples_per_s"] = throughput(corpus)

    chosen = sorted(corpus)
    random.Random(0).shuffle(chosen)
    chosen = chosen[: args.docs]
    with temporary_rag() as rag:
        rag.tenants.create("scifact")
        started = time.perf_counter()
        for start in range(0, len(chosen), 32):
            batch = chosen[start : start + 32]
            rag.ingest("scifact", [Document(id=i, text=corpus[i]) for i in batch])
        report["ingest_seconds"] = round(time.perf_counter() - started, 1)
        print(f"ingested {len(chosen)} docs in {report['ingest_seconds']}s", flush=True)

        def progress(step: int, total: int, loss: float, eps: float) -> None:
            print(f"  step {step}/{total} loss {loss:.3f} ε {eps:.2f}", flush=True)

        runs = [("dp", TrainConfig(epsilon=8.0))]
        if args.ceiling:
            runs.append(("non-private", TrainConfig(epsilon=8.0, private=False)))
        base_ndcg = scifact_ndcg(rag.embedder.model, corpus, queries, qrels)
        report["scifact_ndcg@10_base"] = base_ndcg
        print(f"SciFact nDCG@10 base: {base_ndcg}", flush=True)
        for name, config in runs:
            result = train(rag, "scifact", config, on_step=progress)
            card = result.card
            tuned = SentenceTransformer(str(result.path / WEIGHTS), device="cpu")
            after = scifact_ndcg(tuned, corpus, queries, qrels)
            privacy = card["privacy"]
            report[name] = {
                "epsilon": privacy["epsilon"],
                "delta": privacy["delta"],
                "noise_multiplier": privacy["noise_multiplier"],
                "sample_rate": privacy["sample_rate"],
                "steps": privacy["steps"],
                "train_documents": card["dataset"]["train_documents"],
                "heldout_documents": card["dataset"]["heldout_documents"],
                "card_metrics": card["metrics"],
                "train_seconds": card["training"]["seconds"],
                "examples_per_second": card["training"]["examples_per_second"],
                "scifact_ndcg@10_before": base_ndcg,
                "scifact_ndcg@10_after": after,
            }
            print(json.dumps({name: report[name]}, indent=2), flush=True)
        report["ledger"] = (
            __import__("training.ledger", fromlist=["load_ledger"])
            .load_ledger(rag._runtime.catalog, rag.tenants.get("scifact").id)[0]
            .to_dict()
        )
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
