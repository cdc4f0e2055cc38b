"""``privrag train`` and ``privrag budget``: the training plugin's commands.

privrag never imports this package; its CLI loads the ``privrag.commands`` entry points, and this
module's ``register`` adds the two commands. Like every command, they call the service
(``privrag.PrivRAG``) and print a ``PrivragError`` as one line with the exit code its class
carries.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag import PrivragError, load_settings

if TYPE_CHECKING:
    from privrag import PrivRAG

out = Console()
err = Console(stderr=True)

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant name.")]
DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="PRIVRAG_DATA_DIR", help="Data directory."),
]


@contextmanager
def _service(data_dir: Path | None) -> Iterator[PrivRAG]:
    from privrag import PrivRAG

    try:
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        with PrivRAG(load_settings(**overrides)) as rag:
            yield rag
    except PrivragError as exc:
        err.print(f"error: {exc.message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


def train(
    tenant: TenantOpt,
    epsilon: Annotated[float, typer.Option("--epsilon", help="This run's epsilon.")] = 8.0,
    delta: Annotated[
        float | None, typer.Option("--delta", help="Default: min(ledger delta, 1/(10 N)).")
    ] = None,
    epochs: Annotated[int, typer.Option("--epochs")] = 2,
    layers: Annotated[int, typer.Option("--layers", help="Top encoder layers trained.")] = 2,
    trainable: Annotated[
        str, typer.Option("--trainable", help="all | bias (only bias terms: BitFit).")
    ] = "all",
    objective: Annotated[
        str, typer.Option("--objective", help="inverse_cloze | crops (two random spans).")
    ] = "inverse_cloze",
    audit_canaries: Annotated[
        int, typer.Option("--audit-canaries", help="One-run audit with M ≥ 1000 canaries.")
    ] = 0,
    non_private: Annotated[
        bool,
        typer.Option("--non-private", help="Utility ceiling: no DP; the ledger becomes unbounded."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Train a tenant below the minimum size anyway.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the model card.")] = False,
    data_dir: DataDir = None,
) -> None:
    """DP fine-tune the embedding model on one tenant's documents; charged to its ledger first.

    Example: privrag train --tenant acme --epsilon 8 --epochs 2 --audit-canaries 1000 --json
    """
    from privrag_training.config import TrainConfig
    from privrag_training.job import train as run

    with _service(data_dir) as rag:
        config = TrainConfig(
            epsilon=epsilon,
            delta=delta,
            epochs=epochs,
            layers=layers,
            trainable=trainable,
            objective=objective,
            audit_canaries=audit_canaries,
            private=not non_private,
            force=force,
        )
        rag.tenants.get(tenant)
        with Progress(
            TextColumn("training"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            console=err,
        ) as progress:
            task = progress.add_task("steps", total=None, status="")

            def on_step(step: int, total: int, loss: float, spent: float) -> None:
                progress.update(
                    task, completed=step, total=total, status=f"loss {loss:.3f}  ε {spent:.2f}"
                )

            result = run(rag, tenant, config, on_step=on_step)
    if as_json:
        sys.stdout.write(json.dumps(result.card, sort_keys=True) + "\n")
        return
    privacy = result.card["privacy"]
    eps = "∞ (non-private)" if privacy["epsilon"] is None else f"{privacy['epsilon']:.3f}"
    out.print(f"model v{result.version} for {tenant}: ε={eps} δ={privacy['delta']}")
    metrics = result.card["metrics"]
    out.print(f"held-out nDCG@10 {metrics['before']['ndcg@10']} -> {metrics['after']['ndcg@10']}")
    out.print(f"inspect with: privrag model show --tenant {tenant} {result.version}")
    out.print(f"activate with: privrag model activate --tenant {tenant} {result.version}")


def budget(
    tenant: TenantOpt,
    set_epsilon: Annotated[
        float | None,
        typer.Option("--set-epsilon", help="Change the tenant's total budget (not below spent)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Show (or change) a tenant's privacy budget: total, spent (composed), remaining.

    Example: privrag budget --tenant acme --set-epsilon 12
    """
    from privrag_training.ledger import load_ledger, set_budget_epsilon

    with _service(data_dir) as rag:
        found = rag.tenants.get(tenant)
        ledger = (
            set_budget_epsilon(rag, found, set_epsilon)
            if set_epsilon is not None
            else load_ledger(rag, found)
        )
    if as_json:
        sys.stdout.write(json.dumps(ledger.to_dict()) + "\n")
        return
    out.print(f"{tenant}: {ledger.summary()}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Entry point ``privrag.commands``: add ``train`` and ``budget`` to the ``privrag`` app."""
    app.command()(train)
    app.command()(budget)
