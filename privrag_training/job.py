"""One training run, end to end, in the only order that keeps the guarantees.

1. Build the dataset through the service for one tenant (``training.dataset`` asserts it); each
   document's role comes from its own keyed id. Refuse tenants too small for DP to help.
2. Fix the plan (sample rate, steps, calibrated noise), check it against the budget, and
   prepare everything that can refuse (model, data, Opacus, sampler length, canaries).
3. Charge the plan to the tenant's ledger, persisted, before the first step; a non-private run
   makes the ledger unbounded instead. Nothing that refused in 1-2 was charged.
4. Train. A run that fails after k steps settles its charge to those k steps (it spent them;
   it did not spend the rest). Evaluate; run the canary audit when asked and fail loudly if it
   contradicts the claimed epsilon.
5. Write the signed artifact and card (non-private weights sealed under the tenant's key), and
   record lineage in the catalog.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from privrag import InvalidInput, PrivRAG
from privrag_training import audit as audit_mod
from privrag_training.config import TrainConfig
from privrag_training.dataset import examples_from_records, pack
from privrag_training.dp import (
    OPACUS_VERSION,
    Plan,
    PrivateTrainer,
    StepCallback,
    StoppedEarly,
    TrainStats,
    batches_per_epoch,
    device_for,
    load_base,
    secret_generator,
    train_non_private,
    trainable_count,
    trainable_scorer,
)
from privrag_training.evaluate import inverse_cloze_metrics
from privrag_training.ledger import (
    ACCOUNTANT,
    DPEvent,
    calibrate_noise,
    change_ledger,
    compose_epsilon,
    load_ledger,
)
from privrag_training.negatives import bank_digest, bank_texts, embed_bank
from privrag_training.provenance import code_version

PRIVACY_UNIT = (
    "one document: each live document of the tenant contributes exactly one training example "
    "(one pair from its first chunk), whatever its number of chunks. Not one person: a person "
    "named in k documents is protected only at group level, about k times epsilon"
)
ADJACENCY = (
    "replace one document (Poisson sampling); add/remove would hide the number of training "
    "documents, which this card and the catalog's lineage publish"
)
RANDOMNESS = (
    "Poisson masks, noise and audit canaries from torch generators seeded with 64 bits of "
    "os.urandom, never recorded; noise drawn as in Opacus secure_mode (four Gaussians); "
    "the config seed only picks each document's query span"
)


@dataclass(frozen=True)
class TrainResult:
    model_id: str
    version: int
    path: Path
    card: dict[str, Any]


def train(
    rag: PrivRAG,
    tenant_name: str,
    config: TrainConfig,
    *,
    on_step: StepCallback | None = None,
    noise_scale: float = 1.0,
) -> TrainResult:
    """Run one fine-tune for ``tenant_name``. ``noise_scale`` < 1 is the audit's positive control
    only: the run claims the calibrated epsilon but adds less noise, so it counts as
    non-private on the ledger and an honest audit must catch it."""
    if not 0 < noise_scale <= 1:
        raise InvalidInput("noise_scale must be in (0, 1]")
    control = noise_scale < 1
    private = config.private and not control
    tenant = rag.tenants.get(tenant_name)
    examples = examples_from_records(
        tenant.id,
        rag.training_records(tenant_name),
        seed=config.seed,
        holdout_fraction=config.holdout_fraction,
        objective=config.objective,
    )
    n = len(examples.train)
    if config.private and n < config.min_documents and not config.force:
        raise InvalidInput(
            f"the tenant has {n} training documents, fewer than {config.min_documents}: below "
            "that size DP fine-tuning has not measurably helped retrieval, and the budget would "
            "be spent for nothing. Nothing was charged; force the run to train anyway"
        )
    if config.audit_canaries and not config.private:
        raise InvalidInput("the canary audit needs a run with noise")
    ledger = load_ledger(rag, tenant)
    delta = config.delta if config.delta is not None else min(ledger.budget.delta, 1 / (10 * n))
    if delta >= 1 / n:
        raise InvalidInput(f"delta must be below 1/N = {1 / n:.3g} for N = {n} documents")
    per_epoch = batches_per_epoch(n, config.batch_size)
    rate = 1.0 / per_epoch
    run_id = uuid.uuid4().hex
    plan: Plan | None = None
    event: DPEvent | None = None
    if config.private:
        sigma = calibrate_noise(
            epsilon=config.epsilon, delta=delta, sample_rate=rate, steps=per_epoch * config.epochs
        )
        plan = Plan(rate, per_epoch, config.epochs, sigma, delta)
        event = DPEvent(run_id, sigma, rate, plan.steps)
        if private:
            ledger.charge(event)  # refuses over budget before anything is loaded

    device = device_for(config)
    model = load_base(device)
    base_digest = rag.embedder.digest
    metrics_before = inverse_cloze_metrics(model, examples.heldout)
    texts = bank_texts(config.negatives)
    bank = embed_bank(model, texts)
    scorer, trained_names = trainable_scorer(model, bank, config)
    data = pack(
        model.tokenizer,
        examples.train,
        query_tokens=config.query_tokens,
        context_tokens=config.context_tokens,
    )
    canaries = (
        audit_mod.GradientCanaries(
            config.audit_canaries,
            trainable_count(scorer),
            clip=config.max_grad_norm,
            generator=secret_generator(device),
        )
        if config.audit_canaries
        else None
    )
    trainer = (
        PrivateTrainer(scorer, data, config, plan, canaries=canaries, noise_scale=noise_scale)
        if plan is not None
        else None
    )

    charged = event if private else None
    ledger = change_ledger(
        rag,
        tenant,
        lambda current: (
            current.charge(charged) if charged is not None else current.record_non_private(run_id)
        ),
    )

    stats: TrainStats
    try:
        if trainer is not None:
            stats = trainer.run(on_step)
        else:
            stats = train_non_private(
                scorer, data, config, steps=per_epoch * config.epochs, on_step=on_step
            )
    except StoppedEarly as stopped:
        if private:
            ran = stopped.steps
            ledger = change_ledger(rag, tenant, lambda current: current.settle(run_id, ran))
        raise stopped.__cause__ or stopped from None
    model.eval()
    metrics_after = inverse_cloze_metrics(model, examples.heldout)
    epsilon = compose_epsilon([event], delta) if event is not None else None
    audit_report: dict[str, Any] | None = None
    if canaries is not None and epsilon is not None:
        audit_report = audit_mod.score(canaries, delta=delta, claimed=round(epsilon, 6))
        audit_mod.check(audit_report)

    card: dict[str, Any] = {
        "created_at": int(rag.clock()),
        "tenant_name": tenant.name,
        "run_id": run_id,
        "base_model": {"id": rag.embedder.model_id, "digest": base_digest},
        "trainable_layers": trained_names,
        "trainable_parameters": trainable_count(scorer),
        "frozen": "embeddings and all lower encoder layers"
        + ("; every weight matrix (bias-only)" if config.trainable == "bias" else ""),
        "objective": {
            "kind": f"{config.objective} vs fixed public negative bank (no in-batch negatives)",
            "temperature": config.temperature,
            "negatives": config.negatives,
            "negative_bank_digest": bank_digest(texts),
            "query_tokens": config.query_tokens,
            "context_tokens": config.context_tokens,
        },
        "privacy": {
            "private": private,
            "unit": PRIVACY_UNIT,
            "adjacency": ADJACENCY,
            "epsilon": round(epsilon, 6) if private and epsilon is not None else None,
            "target_epsilon": config.epsilon if private else None,
            "delta": delta if private else None,
            "accountant": ACCOUNTANT,
            "noise_multiplier": plan.noise_multiplier * noise_scale if plan else None,
            "max_grad_norm": config.max_grad_norm if plan else None,
            "clipping": "flat" if plan else None,
            "poisson_sampling": plan is not None,
            "sample_rate": rate,
            "expected_batch_size": config.batch_size,
            "steps": stats.steps,
            "epochs": config.epochs,
            "grad_sample_mode": config.grad_sample_mode,
            "randomness": RANDOMNESS,
            "positive_control": {"noise_scale": noise_scale} if control else None,
            "ledger_after": {
                "spent_epsilon": None if ledger.unbounded else ledger.spent_epsilon,
                "unbounded": ledger.unbounded,
                "budget_epsilon": ledger.budget.epsilon,
                "delta": ledger.budget.delta,
            },
            "not_covered": "held-out metrics below are computed on private documents outside DP",
        },
        "training": {
            "opacus_version": OPACUS_VERSION,
            "torch_version": torch.__version__,
            "device": str(device),
            "learning_rate": config.learning_rate,
            "optimizer": "adam",
            "seed": config.seed,
            "first_loss": stats.first_loss,
            "last_loss": stats.last_loss,
            "examples_per_second": round(stats.examples_per_second, 3),
            "seconds": round(stats.seconds, 2),
        },
        "dataset": {
            "train_documents": len(examples.train),
            "heldout_documents": len(examples.heldout),
            "split": f"held out iff a hash of the keyed doc id < {config.holdout_fraction}",
            "manifest": examples.manifest(),
            "ids": "doc_uid = keyed hash of the document id; content_hash = keyed hash of text",
        },
        "metrics": {"before": metrics_before, "after": metrics_after},
        "audit": audit_report,
        "config": config.to_dict(),
        "code_version": code_version(),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(rag.clock())),
    }
    registered = rag.register_model(
        tenant.name,
        save=lambda directory: model.save(str(directory)),
        card=card,
        # Held-out documents shaped the card's metrics, so erasure must be able to flag them too.
        doc_uids=[e.doc_uid for e in (*examples.train, *examples.heldout)],
    )
    return TrainResult(registered.model_id, registered.version, registered.path, registered.card)
