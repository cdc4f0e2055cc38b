"""The privacy ledger composes runs, refuses over budget, persists, and never shrinks."""

from __future__ import annotations

import dp_accounting
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privrag.catalog import Catalog
from privrag.errors import BudgetExhausted, Conflict
from privrag_training.ledger import (
    DPEvent,
    PrivacyBudget,
    PrivacyLedger,
    calibrate_noise,
    compose_epsilon,
    load_ledger,
    save_ledger,
)

DELTA = 1e-6


def pld_epsilon(events: list[DPEvent], delta: float) -> float:
    """Google's dp-accounting PLD accountant: an implementation independent of Opacus."""
    accountant = dp_accounting.pld.PLDAccountant()
    for e in events:
        accountant.compose(
            dp_accounting.PoissonSampledDpEvent(
                e.sample_rate, dp_accounting.GaussianDpEvent(e.noise_multiplier)
            ),
            e.steps,
        )
    return float(accountant.get_epsilon(delta))


def test_reported_epsilon_matches_an_independent_accountant_within_one_percent() -> None:
    sigma = calibrate_noise(epsilon=8.0, delta=DELTA, sample_rate=0.1, epochs=2)
    event = DPEvent("run", sigma, 0.1, 20)
    ours = compose_epsilon([event], DELTA)
    assert ours <= 8.0
    assert ours == pytest.approx(pld_epsilon([event], DELTA), rel=0.01)


def test_two_runs_compose_to_less_than_their_sum_but_more_than_either() -> None:
    a = DPEvent("a", 1.2, 0.25, 8)
    b = DPEvent("b", 0.9, 0.5, 4)
    both = compose_epsilon([a, b], DELTA)
    ea, eb = compose_epsilon([a], DELTA), compose_epsilon([b], DELTA)
    assert max(ea, eb) < both < ea + eb
    assert both == pytest.approx(pld_epsilon([a, b], DELTA), rel=0.01)


def test_a_run_that_would_exceed_the_budget_is_refused_and_nothing_is_charged() -> None:
    ledger = PrivacyLedger("t", budget=PrivacyBudget(epsilon=5.0, delta=DELTA))
    ledger = ledger.charge(DPEvent("a", 2.0, 0.5, 4))  # about 2.9 alone
    with pytest.raises(BudgetExhausted, match="over its budget"):
        ledger.charge(DPEvent("b", 1.5, 0.5, 8))
    assert len(ledger.events) == 1


def test_the_ledger_survives_a_restart_and_refuses_stale_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    catalog = Catalog(tmp_path / "catalog.db")
    ledger, revision = load_ledger(catalog, "t")
    assert (ledger.spent_epsilon, revision) == (0.0, 0)
    charged = ledger.charge(DPEvent("a", 1.0, 0.5, 4))
    save_ledger(catalog, charged, revision)
    with pytest.raises(Conflict):  # a concurrent charge computed against revision 0
        save_ledger(catalog, ledger.charge(DPEvent("b", 1.0, 0.5, 4)), revision)
    catalog.close()

    reopened = Catalog(tmp_path / "catalog.db")
    again, revision = load_ledger(reopened, "t")
    assert again == charged and revision == 1
    reopened.close()


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
