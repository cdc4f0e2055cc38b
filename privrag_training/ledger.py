"""Privacy accounting per tenant: pure composition functions plus one small serializable ledger.

Each DP run is a Poisson-subsampled Gaussian mechanism ``(noise_multiplier, sample_rate, steps)``.
A tenant's ledger holds every such event ever run on that tenant's data and a budget
``(epsilon, delta)`` at a fixed delta; the spent epsilon is the composition of all events (PRV
accountant), never their naive sum. A run is charged before it starts: its event is composed
with the history and refused with ``BudgetExhausted`` if the total would exceed the budget.
Spent epsilon only grows (deleting documents refunds nothing: the released models already
carry whatever they learned). Persistence is a compare-and-set on the catalog row, so two
concurrent charges cannot both pass.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from opacus.accountants import PRVAccountant, RDPAccountant
from opacus.accountants.utils import get_noise_multiplier

from privrag.catalog import Catalog
from privrag.errors import BudgetExhausted, InvalidInput

ACCOUNTANT = "prv"
DEFAULT_BUDGET_EPSILON = 16.0
DEFAULT_BUDGET_DELTA = 1e-6


@dataclass(frozen=True)
class PrivacyBudget:
    epsilon: float = DEFAULT_BUDGET_EPSILON
    delta: float = DEFAULT_BUDGET_DELTA

    def __post_init__(self) -> None:
        if not (self.epsilon > 0 and math.isfinite(self.epsilon)):
            raise InvalidInput("a budget epsilon must be a positive number")
        if not 0 < self.delta < 1:
            raise InvalidInput("a budget delta must be in (0, 1)")


@dataclass(frozen=True)
class DPEvent:
    """One DP-SGD run: ``steps`` Poisson-subsampled Gaussian steps."""

    run_id: str
    noise_multiplier: float
    sample_rate: float
    steps: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def compose_epsilon(events: Sequence[DPEvent], delta: float, accountant: str = ACCOUNTANT) -> float:
    """Epsilon at ``delta`` of all ``events`` composed (0 for none)."""
    if not events:
        return 0.0
    acc = PRVAccountant() if accountant == "prv" else RDPAccountant()
    acc.history = [(e.noise_multiplier, e.sample_rate, e.steps) for e in events]
    with quiet_accounting():
        return float(acc.get_epsilon(delta=delta))


@contextmanager
def quiet_accounting() -> Iterator[None]:
    """Silence one Opacus warning: its RDP bound (used inside PRV to size the domain, and in the
    noise search at very small noise) says the best order is the largest one tried. The value
    is then looser, never smaller, so the upper bound stays valid."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Optimal order is the largest alpha", category=UserWarning
        )
        yield


def calibrate_noise(
    *, epsilon: float, delta: float, sample_rate: float, epochs: int, accountant: str = ACCOUNTANT
) -> float:
    """The smallest noise multiplier with which one run of ``epochs`` reaches ``epsilon`` —
    the same function and arguments Opacus' ``make_private_with_epsilon`` uses."""
    try:
        with quiet_accounting():
            sigma = get_noise_multiplier(
                target_epsilon=epsilon,
                target_delta=delta,
                sample_rate=sample_rate,
                epochs=epochs,
                accountant=accountant,
            )
        return float(sigma)
    except ValueError as exc:
        raise InvalidInput(f"cannot calibrate noise for epsilon={epsilon}: {exc}") from exc


@dataclass(frozen=True)
class PrivacyLedger:
    tenant_id: str
    budget: PrivacyBudget = field(default_factory=PrivacyBudget)
    events: tuple[DPEvent, ...] = ()
    spent_epsilon: float = 0.0
    non_private_runs: tuple[str, ...] = ()

    @property
    def remaining_epsilon(self) -> float:
        return max(0.0, self.budget.epsilon - self.spent_epsilon)

    def charge(self, event: DPEvent) -> PrivacyLedger:
        """This ledger with ``event`` added, or ``BudgetExhausted`` if the composition of every
        run so far and this one would exceed the budget."""
        total = compose_epsilon((*self.events, event), self.budget.delta)
        if total > self.budget.epsilon:
            raise BudgetExhausted(
                f"this run would bring the tenant's spent epsilon to {total:.3f} "
                f"(at delta={self.budget.delta:g}), over its budget of "
                f"{self.budget.epsilon:g}; {self.spent_epsilon:.3f} is spent already"
            )
        return replace(
            self, events=(*self.events, event), spent_epsilon=max(self.spent_epsilon, total)
        )

    def record_non_private(self, run_id: str) -> PrivacyLedger:
        return replace(self, non_private_runs=(*self.non_private_runs, run_id))

    def with_budget_epsilon(self, epsilon: float) -> PrivacyLedger:
        return replace(self, budget=PrivacyBudget(epsilon=epsilon, delta=self.budget.delta))

    def to_dict(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "budget": {"epsilon": self.budget.epsilon, "delta": self.budget.delta},
            "accountant": ACCOUNTANT,
            "events": [e.to_dict() for e in self.events],
            "spent_epsilon": self.spent_epsilon,
            "remaining_epsilon": self.remaining_epsilon,
            "non_private_runs": list(self.non_private_runs),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrivacyLedger:
        return cls(
            tenant_id=data["tenant_id"],
            budget=PrivacyBudget(**data["budget"]),
            events=tuple(DPEvent(**e) for e in data["events"]),
            spent_epsilon=float(data["spent_epsilon"]),
            non_private_runs=tuple(data.get("non_private_runs", ())),
        )


def load_ledger(catalog: Catalog, tenant_id: str) -> tuple[PrivacyLedger, int]:
    """The tenant's ledger and its revision (a fresh default ledger at revision 0)."""
    stored = catalog.privacy.load(tenant_id)
    if stored is None:
        return PrivacyLedger(tenant_id=tenant_id), 0
    state, revision = stored
    return PrivacyLedger.from_dict(state), revision


def save_ledger(catalog: Catalog, ledger: PrivacyLedger, revision: int) -> int:
    return catalog.privacy.save(ledger.tenant_id, ledger.to_dict(), revision)
