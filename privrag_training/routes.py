"""The training plugin's operator routes: training runs as jobs, and the privacy budget.

privrag never imports this package; its API loads the ``privrag.routes`` entry points at start
and this module's ``register`` declares, under ``/v1/admin/tenants/{name}``: ``POST /train`` (a
job: ``202``, progress in steps, the model card as its result), ``GET /budget`` and ``PUT
/budget``. A config the run would refuse (bad epsilon, unknown objective) is refused at once,
before a job starts; what only the run can find out (over budget, a tenant too small) fails the
job with the same error code the CLI's exit code comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from privrag_training.config import TrainConfig

if TYPE_CHECKING:
    from privrag import PrivRAG


class TrainRequest(BaseModel):
    """The ``privrag train`` options; unset fields take ``TrainConfig``'s defaults."""

    model_config = ConfigDict(extra="forbid")
    epsilon: float = 8.0
    delta: float | None = None
    epochs: int = 2
    layers: int = 2
    trainable: str = "all"
    objective: str = "inverse_cloze"
    audit_canaries: int = 0
    non_private: bool = False
    force: bool = False
    batch_size: int | None = None
    query_tokens: int | None = None
    context_tokens: int | None = None
    negatives: int | None = None

    def config(self) -> TrainConfig:
        values = self.model_dump(exclude={"non_private"}, exclude_none=True)
        if self.delta is None:
            values["delta"] = None
        return TrainConfig(**values, private=not self.non_private)


class BudgetChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    epsilon: float = Field(gt=0, description="The tenant's new total epsilon (not below spent).")


def ledger_answer(ledger: Any, tenant: str) -> dict[str, Any]:
    """The ledger as the routes and ``privrag budget --json`` give it: named by tenant (tenant
    ids are internal), with the one-line summary."""
    answer = {k: v for k, v in ledger.to_dict().items() if k != "tenant_id"}
    return {"tenant": tenant, **answer, "summary": ledger.summary()}


def start_training(
    rag: PrivRAG, tenant: str, body: TrainRequest | None
) -> Callable[[Callable[[int, int], None]], dict[str, Any]]:
    from privrag_training.job import train

    config = (body or TrainRequest()).config()

    def work(progress: Callable[[int, int], None]) -> dict[str, Any]:
        def on_step(step: int, total: int, _loss: float, _spent: float) -> None:
            progress(step, total)

        result = train(rag, tenant, config, on_step=on_step)
        return {"version": result.version, "model_id": result.model_id, "card": result.card}

    return work


def show_budget(rag: PrivRAG, tenant: str, _body: None) -> dict[str, Any]:
    from privrag_training.ledger import load_ledger

    return ledger_answer(load_ledger(rag, rag.tenants.get(tenant)), tenant)


def change_budget(rag: PrivRAG, tenant: str, body: BudgetChange) -> dict[str, Any]:
    from privrag_training.ledger import set_budget_epsilon

    return ledger_answer(set_budget_epsilon(rag, rag.tenants.get(tenant), body.epsilon), tenant)


def register(routes: Any) -> None:
    """Entry point ``privrag.routes``: declare the routes on the API's ``PluginRoutes``."""
    routes.job(
        "/train",
        kind="train",
        summary="DP fine-tune the tenant's embedding model as a job; charged to its ledger",
        body=TrainRequest,
    )(start_training)
    routes.read("GET", "/budget", summary="The tenant's privacy budget: total, spent, remaining")(
        show_budget
    )
    routes.read(
        "PUT", "/budget", summary="Change the tenant's total privacy budget", body=BudgetChange
    )(change_budget)
