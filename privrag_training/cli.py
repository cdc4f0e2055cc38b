"""``privrag train`` and ``privrag budget``: the training plugin's commands.

privrag never imports this package; its CLI loads the ``privrag.commands`` entry points, and this
module's ``register`` adds the two commands. Like every command, they call the service
(``privrag.PrivRAG``), or with ``--url`` the server's training routes through ``privrag.Client``
(``privrag_training.routes``), and print a ``PrivragError`` as one line with the exit code its
class carries.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag import InvalidInput, PrivragError, load_settings

if TYPE_CHECKING:
    from privrag import Client, PrivRAG

out = Console()
err = Console(stderr=True)

TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant name.")]
DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="PRIVRAG_DATA_DIR", help="Data directory."),
]
UrlOpt = Annotated[
    str | None, typer.Option("--url", envvar="PRIVRAG_URL", help="Use the server at this URL.")
]
OperatorKeyOpt = Annotated[
    str | None,
    typer.Option("--operator-key", envvar="PRIVRAG_OPERATOR_KEY", help="Operator key for --url."),
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


@contextmanager
def _client(url: str, operator_key: str | None) -> Iterator[Client]:
    """Client mode: the server's training routes (``privrag_training.routes``), as an operator."""
    from privrag import Client

    try:
        if not operator_key:
            raise InvalidInput("--url needs --operator-key (or PRIVRAG_OPERATOR_KEY)")
        with Client(url, operator_key) as client:
            yield client
    except PrivragError as exc:
        err.print(f"error: {exc.message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


@contextmanager
def _steps() -> Iterator[Callable[[int, int | None, str], None]]:
    with Progress(
        TextColumn("training"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        console=err,
    ) as progress:
        task = progress.add_task("steps", total=None, status="")

        def update(step: int, total: int | None, status: str) -> None:
            progress.update(task, completed=step, total=total, status=status)

        yield update


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
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """DP fine-tune the embedding model on one tenant's documents; charged to its ledger first.

    Over --url the run is a job on the server, which the command waits for.

    Example: privrag train --tenant acme --epsilon 8 --epochs 2 --audit-canaries 1000 --json
    """
    options: dict[str, Any] = {
        "epsilon": epsilon,
        "delta": delta,
        "epochs": epochs,
        "layers": layers,
        "trainable": trainable,
        "objective": objective,
        "audit_canaries": audit_canaries,
        "non_private": non_private,
        "force": force,
    }
    if url:
        with _client(url, operator_key) as client, _steps() as update:
            answer = client.train(
                tenant, progress=lambda step, total: update(step, total, ""), **options
            )
        version, card = int(answer["version"]), dict(answer["card"])
    else:
        from privrag_training.job import train as run
        from privrag_training.routes import TrainRequest

        with _service(data_dir) as rag:
            config = TrainRequest(**options).config()
            rag.tenants.get(tenant)
            with _steps() as update:

                def on_step(step: int, total: int, loss: float, spent: float) -> None:
                    update(step, total, f"loss {loss:.3f}  ε {spent:.2f}")

                result = run(rag, tenant, config, on_step=on_step)
        version, card = result.version, result.card
    if as_json:
        sys.stdout.write(json.dumps(card, sort_keys=True) + "\n")
        return
    privacy = card["privacy"]
    eps = "∞ (non-private)" if privacy["epsilon"] is None else f"{privacy['epsilon']:.3f}"
    out.print(f"model v{version} for {tenant}: ε={eps} δ={privacy['delta']}")
    metrics = card["metrics"]
    out.print(f"held-out nDCG@10 {metrics['before']['ndcg@10']} -> {metrics['after']['ndcg@10']}")
    out.print(f"inspect with: privrag model show --tenant {tenant} {version}")
    out.print(f"activate with: privrag model activate --tenant {tenant} {version}")


def budget(
    tenant: TenantOpt,
    set_epsilon: Annotated[
        float | None,
        typer.Option("--set-epsilon", help="Change the tenant's total budget (not below spent)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Show (or change) a tenant's privacy budget: total, spent (composed), remaining.

    Example: privrag budget --tenant acme --set-epsilon 12
    """
    if url:
        with _client(url, operator_key) as client:
            answer = (
                client.set_budget(tenant, set_epsilon)
                if set_epsilon is not None
                else client.budget(tenant)
            )
    else:
        from privrag_training.ledger import load_ledger, set_budget_epsilon
        from privrag_training.routes import ledger_answer

        with _service(data_dir) as rag:
            found = rag.tenants.get(tenant)
            ledger = (
                set_budget_epsilon(rag, found, set_epsilon)
                if set_epsilon is not None
                else load_ledger(rag, found)
            )
        answer = ledger_answer(ledger, tenant)
    if as_json:
        sys.stdout.write(json.dumps({k: v for k, v in answer.items() if k != "summary"}) + "\n")
        return
    out.print(f"{tenant}: {answer['summary']}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Entry point ``privrag.commands``: add ``train`` and ``budget`` to the ``privrag`` app."""
    app.command()(train)
    app.command()(budget)
