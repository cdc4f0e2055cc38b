"""The one-run gradient-canary audit: its bound is informative, honest runs stay under their
claim, and an under-noised run (noise, but less than claimed) is caught."""

from __future__ import annotations

import pytest

from privrag_training.audit import AuditFailure, check, epsilon_lower_bound
from privrag_training.job import train
from privrag_training.ledger import load_ledger
from tests.training.conftest import corpus, tiny


def test_all_guesses_right_give_a_positive_bound_and_chance_gives_none() -> None:
    assert epsilon_lower_bound(32, 32, m=128, delta=1e-6) > 2.0
    assert epsilon_lower_bound(16, 32, m=128, delta=1e-6) == 0.0


def test_a_thousand_canaries_can_certify_an_epsilon_above_five() -> None:
    # 64 text canaries could certify at most 2.32: no real bug at ε >= 3 could show.
    assert epsilon_lower_bound(64 // 2, 64 // 2, m=64, delta=1e-6) < 2.4
    assert epsilon_lower_bound(500, 500, m=1000, delta=1e-6) > 5.0


def test_a_bound_above_the_claim_fails_loudly() -> None:
    with pytest.raises(AuditFailure):
        check({"epsilon_lower": 2.5, "claimed_epsilon": 1.0})


CONTROL = {"epsilon": 1.0, "epochs": 2, "batch_size": 16, "audit_canaries": 1000}


@pytest.mark.slow
def test_the_honest_trainer_stays_under_its_claim(trained_rag) -> None:  # type: ignore[no-untyped-def]
    result = train(trained_rag, "acme", tiny(**CONTROL))
    audit = result.card["audit"]
    assert audit["canaries"] == 1000 and audit["guesses"] == 500
    assert audit["max_certifiable"] > 5.0
    assert audit["epsilon_lower"] <= result.card["privacy"]["epsilon"], audit


@pytest.mark.slow
def test_an_under_noised_run_is_caught(trained_rag) -> None:  # type: ignore[no-untyped-def]
    # The same run claiming the same ε, with 2 % of the calibrated noise: the kind of bug
    # (a wrong multiplier, a missing factor) that accounting alone never shows.
    trained_rag.tenants.create("control")
    trained_rag.ingest("control", corpus("control", 32, seed=11))
    with pytest.raises(AuditFailure) as caught:
        train(trained_rag, "control", tiny(**CONTROL), noise_scale=0.02)
    report = caught.value.report
    assert report["epsilon_lower"] > report["claimed_epsilon"] > 0, report
    ledger = load_ledger(trained_rag, trained_rag.tenants.get("control"))
    assert ledger.unbounded  # it ran without its claimed noise on the tenant's documents
