"""The one-run canary audit: honest runs stay under their claim, a no-noise run does not."""

from __future__ import annotations

import pytest

from privrag_training.audit import AuditFailure, check, epsilon_lower_bound
from privrag_training.job import train
from tests.training.conftest import tiny


def test_all_guesses_right_give_a_positive_bound_and_chance_gives_none() -> None:
    assert epsilon_lower_bound(32, 32, m=128, delta=1e-6) > 2.0
    assert epsilon_lower_bound(16, 32, m=128, delta=1e-6) == 0.0


def test_a_bound_above_the_claim_fails_loudly() -> None:
    with pytest.raises(AuditFailure):
        check({"epsilon_lower": 2.5}, claimed_epsilon=1.0)


@pytest.mark.slow
def test_the_honest_trainer_stays_under_its_claim(trained_rag) -> None:  # type: ignore[no-untyped-def]
    result = train(trained_rag, "acme", tiny(epsilon=2.0, audit_canaries=32, seed=1))
    audit = result.card["audit"]
    assert audit["canaries"] == 32 and audit["guesses"] == 16
    assert audit["epsilon_lower"] <= result.card["privacy"]["epsilon"], audit


@pytest.mark.slow
def test_a_run_without_noise_gives_a_clearly_positive_lower_bound(trained_rag) -> None:  # type: ignore[no-untyped-def]
    # No noise and a clip norm no gradient reaches, so nothing hides membership; canaries are
    # two thirds of the tiny training set. One trained layer and a learning rate low enough
    # that the bank loss does not saturate (3e-3 drove it to ~1e-6 and erased every per-canary
    # difference) measured the cleanest separation of included from excluded canaries.
    config = tiny(
        audit_canaries=32,
        batch_size=64,
        epochs=6,
        learning_rate=1e-4,
        max_grad_norm=100.0,
        layers=1,
        max_examples=8,
        seed=2,
    )
    result = train(trained_rag, "globex", config, noise_multiplier_override=0.0)
    assert result.card["privacy"]["private"] is False
    audit = result.card["audit"]
    assert audit["epsilon_lower"] > 0.5, audit
