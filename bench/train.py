"""DP fine-tuning: throughput, a screen of training variants, and the end-to-end SciFact run.

1. Throughput (``--throughput``): the same model, objective, data and step count trained with
   DP-SGD (hooks, ghost clipping) and without privacy; examples/s and the ratios.
2. Screen (``--screen``): each variant trained at ε = 8 (replace-one, δ = 1e-6) directly on the
   raw SciFact abstracts (no service, no scrubbing: a cheaper proxy to choose a variant), and
   the non-private ceiling of each; SciFact test nDCG@10 over the full corpus before and after.
3. End to end (default): a tenant with ``--docs`` SciFact abstracts (default: all 5,183)
   ingested through the service and trained with ``TrainConfig`` (plus ``--variant``); nDCG@10
   on SciFact's 300 test queries before/after, ε, steps, wall time. ``--ceiling`` adds the
   non-private run (on a second tenant: it makes its ledger unbounded).

    python -m bench.train [--docs N] [--variant NAME] [--ceiling] [--screen] [--throughput]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

from bench.common import SHARED_DATA, temporary_rag
from bench.retrieval import dense_rankings, load_scifact, mean_ndcg

# Variants to screen (figures in the README's "When it helps"); "default" is TrainConfig().
VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "bias-crops": {
        "trainable": "bias",
        "layers": 6,
        "objective": "crops",
        "batch_size": 1024,
        "epochs": 2,
        "learning_rate": 1e-3,
    },
    "bias-cloze": {
        "trainable": "bias",
        "layers": 6,
        "objective": "inverse_cloze",
        "batch_size": 1024,
        "epochs": 2,
        "learning_rate": 1e-3,
    },
}


def scifact_ndcg(model: object, corpus: dict[str, str], queries: dict[str, str], qrels) -> float:
    return round(mean_ndcg(dense_rankings(model, corpus, queries), qrels), 4)


def raw_examples(corpus: dict[str, str], objective: str) -> Any:
    from privrag.models import TrainingRecord
    from privrag_training.dataset import examples_from_records

    records = [TrainingRecord("bench", i, i, "", (corpus[i],)) for i in sorted(corpus)]
    return examples_from_records(
        "bench", records, seed=0, holdout_fraction=0.05, objective=objective
    )


def fit(config: Any, examples: Any, *, private: bool) -> tuple[Any, dict[str, Any]]:
    """Train one variant on raw examples; returns the model and the run's figures."""
    import torch

    from privrag_training.dataset import pack
    from privrag_training.dp import (
        Plan,
        PrivateTrainer,
        batches_per_epoch,
        load_base,
        train_non_private,
        trainable_count,
        trainable_scorer,
    )
    from privrag_training.ledger import calibrate_noise
    from privrag_training.negatives import bank_texts, embed_bank

    model = load_base(torch.device("cpu"))
    scorer, _ = trainable_scorer(model, embed_bank(model, bank_texts(config.negatives)), config)
    data = pack(
        model.tokenizer,
        examples,
        query_tokens=config.query_tokens,
        context_tokens=config.context_tokens,
    )
    per_epoch = batches_per_epoch(len(examples), config.batch_size)
    steps = per_epoch * config.epochs
    figures: dict[str, Any] = {"trainable_parameters": trainable_count(scorer), "steps": steps}
    if private:
        sigma = calibrate_noise(
            epsilon=config.epsilon, delta=1e-6, sample_rate=1 / per_epoch, steps=steps
        )
        figures["noise_multiplier"] = round(sigma, 4)
        plan = Plan(1 / per_epoch, per_epoch, config.epochs, sigma, 1e-6)
        stats = PrivateTrainer(scorer, data, config, plan).run()
    else:
        stats = train_non_private(scorer, data, config, steps=steps)
    figures.update(
        seconds=round(stats.seconds, 1),
        first_loss=round(stats.first_loss, 4),
        last_loss=round(stats.last_loss, 4),
    )
    model.eval()
    return model, figures


def throughput(corpus: dict[str, str]) -> dict[str, float]:
    from privrag_training.config import TrainConfig

    examples = raw_examples(dict(sorted(corpus.items())[:160]), "inverse_cloze").train[:128]
    results: dict[str, float] = {}
    for name, private, mode in (
        ("non-private", False, "hooks"),
        ("dp-ghost", True, "ghost"),
        ("dp-hooks", True, "hooks"),
    ):
        config = TrainConfig(epochs=1, batch_size=32, grad_sample_mode=mode)
        _, figures = fit(config, examples, private=private)
        results[name] = round(len(examples) / figures["seconds"], 3)
        print(f"  {name:12s} {results[name]:.2f} ex/s", flush=True)
    results["ratio dp-hooks / non-private"] = round(results["dp-hooks"] / results["non-private"], 3)
    results["ratio dp-ghost / dp-hooks"] = round(results["dp-ghost"] / results["dp-hooks"], 3)
    return results


def screen(corpus, queries, qrels, names: list[str], ceiling: bool) -> dict[str, Any]:
    import torch

    from privrag_training.config import TrainConfig
    from privrag_training.dp import load_base

    report: dict[str, Any] = {
        "base": scifact_ndcg(load_base(torch.device("cpu")), corpus, queries, qrels)
    }
    print(f"base nDCG@10 (raw text): {report['base']}", flush=True)
    for name in names:
        config = TrainConfig(epsilon=8.0, force=True, **VARIANTS[name])
        examples = raw_examples(corpus, config.objective).train
        for private in (True, False) if ceiling else (True,):
            model, figures = fit(config, examples, private=private)
            figures["ndcg@10"] = scifact_ndcg(model, corpus, queries, qrels)
            key = f"{name}/{'dp' if private else 'non-private'}"
            report[key] = figures
            print(key, json.dumps(figures), flush=True)
    return report


def end_to_end(corpus, queries, qrels, docs: int, variant: str, ceiling: bool) -> dict[str, Any]:
    from sentence_transformers import SentenceTransformer

    from privrag.models import Document
    from privrag.registry.artifacts import WEIGHTS, opened_weights, weights_key
    from privrag_training.config import TrainConfig
    from privrag_training.job import train
    from privrag_training.ledger import load_ledger

    chosen = sorted(corpus)
    random.Random(0).shuffle(chosen)
    chosen = chosen[:docs]
    report: dict[str, Any] = {"variant": variant, "documents": len(chosen)}
    started = time.perf_counter()
    with temporary_rag() as rag:
        tenants = [("dp", "scifact", True)] + (
            [("non-private", "ceiling", False)] if ceiling else []
        )
        for _, tenant, _ in tenants:
            rag.tenants.create(tenant)
            for start in range(0, len(chosen), 32):
                batch = chosen[start : start + 32]
                rag.ingest(tenant, [Document(id=i, text=corpus[i]) for i in batch])
        report["ingest_seconds"] = round(time.perf_counter() - started, 1)
        base = scifact_ndcg(rag.embedder.model, corpus, queries, qrels)
        report["scifact_ndcg@10_base"] = base
        print(f"ingested in {report['ingest_seconds']}s; base nDCG@10 {base}", flush=True)

        def progress(step: int, total: int, loss: float, eps: float) -> None:
            print(f"  step {step}/{total} loss {loss:.3f} ε {eps:.2f}", flush=True)

        for name, tenant, private in tenants:
            config = TrainConfig(epsilon=8.0, private=private, **VARIANTS[variant])
            t0 = time.perf_counter()
            result = train(rag, tenant, config, on_step=progress)
            card, privacy = result.card, result.card["privacy"]
            weights = result.path / WEIGHTS
            if card["weights_sealed"]:
                tenant_id = rag.tenants.get(tenant).id
                key = weights_key(rag._runtime.keyring, tenant_id, result.model_id)
                with opened_weights(
                    weights, key, tenant_id=tenant_id, model_id=result.model_id
                ) as plain:
                    tuned = SentenceTransformer(str(plain), device="cpu")
            else:
                tuned = SentenceTransformer(str(weights), device="cpu")
            report[name] = {
                "epsilon": privacy["epsilon"],
                "delta": privacy["delta"],
                "noise_multiplier": privacy["noise_multiplier"],
                "sample_rate": privacy["sample_rate"],
                "steps": privacy["steps"],
                "train_documents": card["dataset"]["train_documents"],
                "train_seconds": card["training"]["seconds"],
                "run_seconds": round(time.perf_counter() - t0, 1),
                "card_metrics": card["metrics"],
                "scifact_ndcg@10_before": base,
                "scifact_ndcg@10_after": scifact_ndcg(tuned, corpus, queries, qrels),
            }
            print(json.dumps({name: report[name]}, indent=2), flush=True)
        report["ledger"] = load_ledger(rag, rag.tenants.get("scifact")).to_dict()
    report["wall_seconds"] = round(time.perf_counter() - started, 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=0, help="0: all 5,183 abstracts")
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="default")
    parser.add_argument("--ceiling", action="store_true")
    parser.add_argument("--screen", nargs="*", choices=sorted(VARIANTS), default=None)
    parser.add_argument("--throughput", action="store_true")
    args = parser.parse_args()

    import torch

    corpus, queries, qrels = load_scifact(SHARED_DATA / "scifact")
    report: dict[str, Any] = {"cpu_threads": torch.get_num_threads()}
    if args.throughput:
        report["throughput_examples_per_s"] = throughput(corpus)
    if args.screen is not None:
        report["screen"] = screen(
            corpus, queries, qrels, args.screen or sorted(VARIANTS), args.ceiling
        )
    else:
        report["end_to_end"] = end_to_end(
            corpus, queries, qrels, args.docs or len(corpus), args.variant, args.ceiling
        )
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
