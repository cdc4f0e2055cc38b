"""Removing one example moves the clipped gradient sum by at most C with the real loss and model;
the in-batch-negatives loss (kept only for this test) moves it by more."""

from __future__ import annotations

import pytest
import torch

from privrag_training.dataset import Example, pack
from privrag_training.dp import load_base, trainable_scorer
from privrag_training.negatives import bank_texts, embed_bank
from privrag_training.objective import (
    InverseClozeScorer,
    in_batch_negatives_logits,
    per_example_loss,
)
from tests.training.conftest import tiny

C = 0.05  # small enough that every per-example gradient is clipped


def clipped_sum(
    scorer: InverseClozeScorer, ids: torch.Tensor, real: torch.Tensor, *, in_batch: bool
) -> torch.Tensor:
    """Σ_i clip_C(∇ loss_i), each loss_i computed on the whole batch as training does."""
    params = [p for p in scorer.parameters() if p.requires_grad]
    if in_batch:
        logits = in_batch_negatives_logits(scorer, ids, real)
        losses = torch.nn.functional.cross_entropy(
            logits, torch.arange(ids.shape[0]), reduction="none"
        )
    else:
        losses = per_example_loss(scorer(ids, real))
    total = torch.zeros(sum(p.numel() for p in params))
    for i in range(ids.shape[0]):
        grads = torch.autograd.grad(losses[i], params, retain_graph=True)
        flat = torch.cat([g.reshape(-1) for g in grads])
        total += flat * min(1.0, C / (float(flat.norm()) + 1e-12))
    return total


@pytest.fixture(scope="module")
def setup():  # type: ignore[no-untyped-def]
    torch.manual_seed(0)
    config = tiny(negatives=16, query_tokens=16, context_tokens=32)
    model = load_base(torch.device("cpu"))
    scorer, _ = trainable_scorer(model, embed_bank(model, bank_texts(16)), config)
    scorer.eval()  # no dropout: the gradients must be deterministic to compare them
    words = [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "theta",
        "kappa",
        "lambda",
        "sigma",
        "omega",
    ]
    examples = [
        Example(f"d{i}", "", f"{words[i]} {words[i + 1]} notes", " ".join(words[i:] + words[:i]))
        for i in range(6)
    ]
    data = pack(model.tokenizer, examples, query_tokens=16, context_tokens=32)
    return scorer, data.tensors


@pytest.mark.slow
def test_removing_any_one_example_moves_the_clipped_sum_by_at_most_c(setup) -> None:  # type: ignore[no-untyped-def]
    scorer, (ids, real) = setup
    full = clipped_sum(scorer, ids, real, in_batch=False)
    keep = torch.ones(ids.shape[0], dtype=torch.bool)
    for i in range(ids.shape[0]):
        mask = keep.clone()
        mask[i] = False
        without = clipped_sum(scorer, ids[mask], real[mask], in_batch=False)
        assert float((full - without).norm()) <= C * (1 + 1e-4)


@pytest.mark.slow
def test_in_batch_negatives_break_the_bound(setup) -> None:  # type: ignore[no-untyped-def]
    scorer, (ids, real) = setup
    full = clipped_sum(scorer, ids, real, in_batch=True)
    keep = torch.ones(ids.shape[0], dtype=torch.bool)
    moved = []
    for i in range(ids.shape[0]):
        mask = keep.clone()
        mask[i] = False
        moved.append(
            float((full - clipped_sum(scorer, ids[mask], real[mask], in_batch=True)).norm())
        )
    assert max(moved) > 1.05 * C  # deterministic here: ~1.11·C; the bound allows at most C
