"""One training run, end to end, in the only order that keeps the guarantees.

1. Build the dataset through the service for one tenant (``training.dataset`` asserts it).
2. Fix the plan (sample rate, steps, calibrated noise) and charge it to the tenant's ledger,
   persisted, before any gradient is computed; refuse if the composition exceeds the budget.
3. Evaluate the base model on held-out documents; train (DP-SGD, or the flagged non-private
   ceiling); evaluate again; run the canary audit when asked and fail loudly if it contradicts
   the claimed epsilon.
4. Write the signed artifact and card, and record lineage in the catalog.
A failure after step 2 leaves the charge in place: the budget was spent the moment private
data was touched, whether or not a model came out.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from privrag.embed import BASE_MODEL_ID
from privrag.errors import InvalidInput
from privrag.service import PrivRAG
from privrag_training import audit as audit_mod
from privrag_training.config import TrainConfig
from privrag_training.dataset import examples_from_records, pack
from privrag_training.dp import (
    OPACUS_VERSION,
    Plan,
    StepCallback,
    device_for,
    load_base,
    sample_rate,
    train_non_private,
    train_private,
    trainable_scorer,
)
from privrag_training.evaluate import inverse_cloze_metrics
from privrag_training.ledger import (
    ACCOUNTANT,
    DPEvent,
    calibrate_noise,
    load_ledger,
    save_ledger,
)
from privrag_training.negatives import bank_digest, bank_texts, embed_bank
from privrag_training.registry import code_version, register

PRIVACY_UNIT = (
    "one document: each live document of the tenant contributes exactly one training example "
    "(one inverse-cloze pair from its first chunk), whatever its number of chunks"
)
ADJACENCY = "add/remove one document (Poisson sampling)"


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
    noise_multiplier_override: float | None = None,
) -> TrainResult:
    """Run one fine-tune for ``tenant_name``. ``noise_multiplier_override`` is for the audit's
    positive control only: it marks the run non-private and charges nothing."""
    tenant = rag.tenants.get(tenant_name)
    examples = examples_from_records(
        tenant.id,
        rag.training_records(tenant_name),
        seed=config.seed,
        holdout_fraction=config.holdout_fraction,
        max_holdout=config.max_holdout,
        max_examples=config.max_examples,
    )
    private = config.private and noise_multiplier_override is None
    canaries = (
        audit_mod.make_canaries(config.audit_canaries, seed=config.seed)
        if config.audit_canaries
        else None
    )
    train_set = list(examples.train) + (canaries.members if canaries else [])
    n = len(train_set)
    ledger, revision = load_ledger(rag._runtime.catalog, tenant.id)
    delta = config.delta if config.delta is not None else min(ledger.budget.delta, 1 / (10 * n))
    if delta >= 1 / n:
        raise InvalidInput(f"delta must be below 1/N = {1 / n:.3g} for N = {n} documents")
    rate = sample_rate(n, config.batch_size)
    steps = config.epochs * math.ceil(n / config.batch_size)
    run_id = uuid.uuid4().hex
    plan: Plan | None = None
    if private:
        sigma = calibrate_noise(
            epsilon=config.epsilon, delta=delta, sample_rate=rate, epochs=config.epochs
        )
        plan = Plan(sample_rate=rate, steps=steps, noise_multiplier=sigma, delta=delta)
        ledger = ledger.charge(DPEvent(run_id, sigma, rate, steps))
    else:
        ledger = ledger.record_non_private(run_id)
    save_ledger(rag._runtime.catalog, ledger, revision)

    torch.manual_seed(config.seed)
    device = device_for(config)
    model = load_base(device)
    base_digest = rag.embedder.digest
    metrics_before = inverse_cloze_metrics(model, examples.heldout)
    canary_before = audit_mod.similarities(model, canaries.examples) if canaries else None
    texts = bank_texts(config.negatives)
    bank = embed_bank(model, texts)
    scorer, layer_names = trainable_scorer(model, bank, config)
    data = pack(
        model.tokenizer,
        train_set,
        query_tokens=config.query_tokens,
        context_tokens=config.context_tokens,
    )
    if plan is not None:
        stats = train_private(scorer, data, config, plan, on_step=on_step)
    elif noise_multiplier_override is not None:
        positive_control = Plan(rate, steps, noise_multiplier_override, delta)
        stats = train_private(
            scorer,
            data,
            config,
            positive_control,
            on_step=on_step,
            noise_multiplier_override=noise_multiplier_override,
        )
    else:
        stats = train_non_private(scorer, data, config, steps=steps, on_step=on_step)
    model.eval()
    metrics_after = inverse_cloze_metrics(model, examples.heldout)
    claimed = stats.epsilon if private and stats.epsilon is not None else math.inf
    audit_report: dict[str, Any] | None = None
    if canaries is not None and canary_before is not None:
        after = audit_mod.similarities(model, canaries.examples)
        audit_report = audit_mod.score(canaries, canary_before, after, delta=delta)
        audit_report["claimed_epsilon"] = claimed if math.isfinite(claimed) else None
        audit_mod.check(audit_report, claimed)

    card: dict[str, Any] = {
        "created_at": int(rag.clock()),
        "tenant_name": tenant.name,
        "run_id": run_id,
        "base_model": {"id": BASE_MODEL_ID, "digest": base_digest},
        "trainable_layers": layer_names,
        "frozen": "embeddings and all lower encoder layers",
        "objective": {
            "kind": "inverse cloze vs fixed public negative bank (no in-batch negatives)",
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
            "epsilon": round(stats.epsilon, 6) if private and stats.epsilon is not None else None,
            "target_epsilon": config.epsilon if private else None,
            "delta": delta if private else None,
            "accountant": ACCOUNTANT,
            "noise_multiplier": plan.noise_multiplier if plan else noise_multiplier_override,
            "max_grad_norm": config.max_grad_norm
            if plan or noise_multiplier_override is not None
            else None,
            "clipping": "flat",
            "poisson_sampling": private or noise_multiplier_override is not None,
            "sample_rate": rate,
            "expected_batch_size": config.batch_size,
            "steps": stats.steps,
            "epochs": config.epochs,
            "grad_sample_mode": config.grad_sample_mode,
            "secure_rng": False,
            "ledger_after": {
                "spent_epsilon": ledger.spent_epsilon,
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
            "canaries_included": len(train_set) - len(examples.train),
            "manifest": examples.manifest(),
            "ids": "doc_uid = keyed hash of the document id; content_hash = keyed hash of text",
        },
        "metrics": {"before": metrics_before, "after": metrics_after},
        "audit": audit_report,
        "config": config.to_dict(),
        "code_version": code_version(),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(rag.clock())),
    }
    model_id, version, path = register(
        rag,
        tenant_id=tenant.id,
        model=model,
        card=card,
        # Held-out documents shaped the card's metrics, so erasure must be able to flag them too.
        doc_uids=[e.doc_uid for e in (*examples.train, *examples.heldout)],
    )
    return TrainResult(model_id, version, path, {**card, "model_id": model_id, "version": version})
