"""The privacy ledger composes runs under replace-one adjacency, refuses over budget, settles
failed runs to what ran, persists, never shrinks, and becomes unbounded after a non-private run."""

from __future__ import annotations

import json
import math

import dp_accounting
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opacus.accountants import PRVAccountant

from privrag.errors import BudgetExhausted, InvalidInput
from privrag_training.ledger import (
    DPEvent,
    PrivacyBudget,
    PrivacyLedger,
    calibrate_noise,
    change_ledger,
    compose_epsilon,
    load_ledger,
    set_budget_epsilon,
)

DELTA = 1e-6


def pld_epsilon(events: list[DPEvent], delta: float, *, replace_one: bool = True) -> float:
    """Google's dp-accounting PLD accountant at its default (finer) discretisation."""
    relation = dp_accounting.NeighboringRelation
    accountant = dp_accounting.pld.PLDAccountant(
        neighboring_relation=relation.REPLACE_ONE if replace_one else relation.ADD_OR_REMOVE_ONE
    )
    for e in events:
        accountant.compose(
            dp_accounting.PoissonSampledDpEvent(
                e.sample_rate, dp_accounting.GaussianDpEvent(e.noise_multiplier)
            ),
            e.steps,
        )
    return float(accountant.get_epsilon(delta))


def opacus_add_remove_epsilon(event: DPEvent, delta: float) -> float:
    """Opacus' PRV accountant: an independent implementation, for add/remove adjacency."""
    accountant = PRVAccountant()
    accountant.history = [(event.noise_multiplier, event.sample_rate, event.steps)]
    return float(accountant.get_epsilon(delta=delta))


def test_calibrated_noise_reaches_the_target_under_replace_one() -> None:
    sigma = calibrate_noise(epsilon=8.0, delta=DELTA, sample_rate=0.1, steps=20)
    event = DPEvent("run", sigma, 0.1, 20)
    ours = compose_epsilon([event], DELTA)
    assert 7.9 <= ours <= 8.0
    assert ours == pytest.approx(pld_epsilon([event], DELTA), rel=0.01)


def test_replace_one_costs_more_than_add_remove_for_the_same_run() -> None:
    # The audited run: q = 1/9, sigma = 0.752, 18 steps. Add/remove gave 7.98 (it
    # would hide N, which the card publishes); replace-one is what holds.
    event = DPEvent("run", 0.752, 1 / 9, 18)
    add_remove = opacus_add_remove_epsilon(event, DELTA)
    assert add_remove == pytest.approx(7.98, abs=0.02)
    assert compose_epsilon([event], DELTA) > add_remove + 1.0


def test_two_runs_compose_to_less_than_their_sum_but_more_than_either() -> None:
    a = DPEvent("a", 1.2, 0.25, 8)
    b = DPEvent("b", 0.9, 0.5, 4)
    both = compose_epsilon([a, b], DELTA)
    ea, eb = compose_epsilon([a], DELTA), compose_epsilon([b], DELTA)
    assert max(ea, eb) < both < ea + eb
    assert both == pytest.approx(pld_epsilon([a, b], DELTA), rel=0.01)


def test_a_run_that_would_exceed_the_budget_is_refused_and_nothing_is_charged() -> None:
    ledger = PrivacyLedger("t", budget=PrivacyBudget(epsilon=6.0, delta=DELTA))
    ledger = ledger.charge(DPEvent("a", 2.0, 0.5, 4))  # about 4.7 alone
    with pytest.raises(BudgetExhausted, match="over its budget"):
        ledger.charge(DPEvent("b", 1.5, 0.5, 8))
    assert len(ledger.events) == 1


def test_a_failed_run_keeps_exactly_the_steps_that_ran() -> None:
    ledger = PrivacyLedger("t", budget=PrivacyBudget(epsilon=50.0, delta=DELTA))
    ledger = ledger.charge(DPEvent("a", 1.0, 0.5, 4)).charge(DPEvent("b", 1.0, 0.5, 10))
    settled = ledger.settle("b", 3)
    assert [e.steps for e in settled.events] == [4, 3]
    assert settled.spent_epsilon == pytest.approx(
        compose_epsilon([DPEvent("a", 1.0, 0.5, 4), DPEvent("b", 1.0, 0.5, 3)], DELTA)
    )
    never_started = ledger.settle("b", 0)
    assert [e.run_id for e in never_started.events] == ["a"]
    assert never_started.spent_epsilon == pytest.approx(compose_epsilon(ledger.events[:1], DELTA))
    with pytest.raises(InvalidInput):
        ledger.settle("b", 11)  # a settlement never adds steps
    with pytest.raises(InvalidInput):
        ledger.settle("nope", 1)


def test_a_budget_below_what_is_spent_is_refused(rag) -> None:  # type: ignore[no-untyped-def]
    tenant = rag.tenants.create("t")
    change_ledger(rag, tenant, lambda ledger: ledger.charge(DPEvent("a", 0.752, 1 / 9, 18)))
    with pytest.raises(InvalidInput, match="below the epsilon already spent"):
        set_budget_epsilon(rag, tenant, 4.0)  # ε ≈ 9.2 is spent
    assert load_ledger(rag, tenant).budget.epsilon == 16.0
    assert set_budget_epsilon(rag, tenant, 12.0).budget.epsilon == 12.0


def test_a_non_private_run_makes_the_ledger_unbounded_for_good() -> None:
    ledger = PrivacyLedger("t").charge(DPEvent("a", 1.0, 0.5, 4)).record_non_private("np")
    assert ledger.unbounded and ledger.spent_epsilon == math.inf
    assert ledger.remaining_epsilon == 0.0
    with pytest.raises(BudgetExhausted, match="unbounded"):
        ledger.charge(DPEvent("b", 5.0, 0.1, 1))
    with pytest.raises(InvalidInput):
        ledger.with_budget_epsilon(1000.0)
    state = json.loads(json.dumps(ledger.to_dict(), allow_nan=False))  # storable as strict JSON
    assert PrivacyLedger.from_dict(state) == ledger and state["unbounded"] is True
    assert "∞" in ledger.summary()


def test_a_ledger_written_under_add_remove_is_recomposed_upwards() -> None:
    event = DPEvent("a", 0.752, 1 / 9, 18)
    old = {
        "tenant_id": "t",
        "budget": {"epsilon": 16.0, "delta": DELTA},
        "accountant": "prv",
        "events": [event.to_dict()],
        "spent_epsilon": 7.991,
        "non_private_runs": [],
    }
    assert PrivacyLedger.from_dict(old).spent_epsilon == pytest.approx(
        compose_epsilon([event], DELTA)
    )


def test_concurrent_charges_both_count_and_the_ledger_survives_a_restart(
    open_rag, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    rag = open_rag(tmp_path / "data")
    tenant = rag.tenants.create("t")
    assert load_ledger(rag, tenant).spent_epsilon == 0.0
    raced: list[bool] = []

    def charge_a(ledger: PrivacyLedger) -> PrivacyLedger:
        if not raced:  # another writer commits "b" between this charge's read and its write
            raced.append(True)
            change_ledger(rag, tenant, lambda other: other.charge(DPEvent("b", 1.0, 0.5, 4)))
        return ledger.charge(DPEvent("a", 1.0, 0.5, 4))

    charged = change_ledger(rag, tenant, charge_a)
    assert [e.run_id for e in charged.events] == ["b", "a"]  # recomputed on the fresh state
    rag.close()

    again = open_rag(tmp_path / "data")
    assert load_ledger(again, again.tenants.get("t")) == charged


def test_a_refused_charge_writes_nothing(rag) -> None:  # type: ignore[no-untyped-def]
    tenant = rag.tenants.create("t")
    set_budget_epsilon(rag, tenant, 1.0)
    before = rag.privacy_ledger("t")
    with pytest.raises(BudgetExhausted):
        change_ledger(rag, tenant, lambda ledger: ledger.charge(DPEvent("a", 0.752, 1 / 9, 18)))
    assert rag.privacy_ledger("t") == before


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.7, 3.0), st.sampled_from([0.1, 0.25, 0.5]), st.integers(1, 10)),
        min_size=1,
        max_size=4,
    )
)
def test_spent_epsilon_never_decreases(runs: list[tuple[float, float, int]]) -> None:
    ledger = PrivacyLedger("t", budget=PrivacyBudget(epsilon=1000.0, delta=DELTA))
    spent = [0.0]
    for i, (sigma, q, steps) in enumerate(runs):
        ledger = ledger.charge(DPEvent(str(i), sigma, q, steps))
        spent.append(ledger.spent_epsilon)
    assert spent == sorted(spent)
    assert PrivacyLedger.from_dict(ledger.to_dict()) == ledger
