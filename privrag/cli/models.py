"""``privrag train``, ``budget`` and ``model …``: DP fine-tunes, privacy budgets, serving models."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag.cli._common import (
    DataDir,
    JsonOpt,
    OperatorKeyOpt,
    TenantOpt,
    UrlOpt,
    err,
    errors,
    operator_session,
    out,
    plural,
    print_json,
    say,
    service,
)

app = typer.Typer(help="A tenant's fine-tuned models: list, activate, roll back, verify.")


def train(
    tenant: TenantOpt,
    epsilon: Annotated[float, typer.Option("--epsilon", help="This run's epsilon.")] = 8.0,
    delta: Annotated[
        float | None, typer.Option("--delta", help="Default: min(ledger delta, 1/(10 N)).")
    ] = None,
    epochs: Annotated[int, typer.Option("--epochs")] = 2,
    layers: Annotated[int, typer.Option("--layers", help="Top encoder layers trained.")] = 2,
    max_examples: Annotated[int | None, typer.Option("--max-examples")] = None,
    audit_canaries: Annotated[
        int, typer.Option("--audit-canaries", help="One-run audit with M canaries (M % 4 == 0).")
    ] = 0,
    non_private: Annotated[
        bool, typer.Option("--non-private", help="Utility ceiling: no DP, never activatable.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the model card.")] = False,
    data_dir: DataDir = None,
) -> None:
    """DP fine-tune the embedding model on one tenant's documents; charged to its ledger first.

    Example: privrag train --tenant acme --epsilon 8 --epochs 2 --audit-canaries 64 --json
    """
    from privrag_training.config import TrainConfig
    from privrag_training.job import train as run

    with errors():
        config = TrainConfig(
            epsilon=epsilon,
            delta=delta,
            epochs=epochs,
            layers=layers,
            max_examples=max_examples,
            audit_canaries=audit_canaries,
            private=not non_private,
        )
    with service(data_dir) as rag, errors():
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
        out.print(
            f"held-out nDCG@10 {metrics['before']['ndcg@10']} -> {metrics['after']['ndcg@10']}"
        )
        out.print(f"activate with: privrag model activate --tenant {tenant} {result.version}")


def budget(
    tenant: TenantOpt,
    set_epsilon: Annotated[
        float | None, typer.Option("--set-epsilon", help="Change the tenant's total budget.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Show (or change) a tenant's privacy budget: total, spent (composed), remaining.

    Example: privrag budget --tenant acme --set-epsilon 12
    """
    from privrag_training.ledger import load_ledger, save_ledger

    with service(data_dir) as rag, errors():
        found = rag.tenants.get(tenant)
        ledger, revision = load_ledger(rag._runtime.catalog, found.id)
        if set_epsilon is not None:
            ledger = ledger.with_budget_epsilon(set_epsilon)
            save_ledger(rag._runtime.catalog, ledger, revision)
        state = ledger.to_dict()
        if as_json:
            sys.stdout.write(json.dumps(state) + "\n")
            return
        out.print(
            f"{tenant}: spent ε={state['spent_epsilon']:.3f} of {state['budget']['epsilon']:g} "
            f"(δ={state['budget']['delta']:g}, {state['accountant']}), "
            f"remaining {state['remaining_epsilon']:.3f}; {len(state['events'])} DP runs, "
            f"{len(state['non_private_runs'])} non-private",
            markup=False,
            highlight=False,
        )


@app.command("list")
def model_list(
    tenant: TenantOpt,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """List a tenant's models; '*' marks the one serving queries.

    Example: privrag model list --tenant acme
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        listing = ops.list_models(tenant)
    if as_json:
        print_json(listing)
        return
    say(f"{'*' if listing['active'] is None else ' '} base  packaged all-MiniLM-L6-v2")
    for m in listing["models"]:
        eps = "non-private" if not m["private"] else f"ε={m['epsilon']:.3f} δ={m['delta']:g}"
        flag = f"  FLAGGED: {m['flagged']}" if m["flagged"] else ""
        say(f"{'*' if m['active'] else ' '} v{m['version']}  {eps}{flag}")


def _switched(tenant: str, switch: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(switch)
        return
    name = "the base model" if switch["version"] is None else f"v{switch['version']}"
    say(f"{tenant} now served by {name} ({plural(switch['chunks'], 'chunk')} re-embedded)")


@app.command("activate")
def model_activate(
    version: int,
    tenant: TenantOpt,
    allow_non_private: Annotated[
        bool, typer.Option("--allow-non-private", help="Override for non-private or flagged.")
    ] = False,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Serve the tenant's queries with model VERSION (re-embeds its chunks; rerun to resume;
    over --url a job the command waits for).

    Example: privrag model activate --tenant acme 3
    """
    with operator_session(data_dir, url, operator_key) as ops:
        switch = ops.activate_model(tenant, version, allow_non_private=allow_non_private)
    _switched(tenant, switch, as_json)


@app.command("rollback")
def model_rollback(
    tenant: TenantOpt,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Go back to the previously active model (re-embeds its chunks; rerun to resume).

    Example: privrag model rollback --tenant acme
    """
    with operator_session(data_dir, url, operator_key) as ops:
        switch = ops.rollback_model(tenant)
    _switched(tenant, switch, as_json)


@app.command("verify")
def model_verify(
    tenant: TenantOpt,
    version: Annotated[int | None, typer.Option("--version", help="Default: active.")] = None,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Check the signature over a model's weights and card; exit 6 if it does not verify.

    Example: privrag model verify --tenant acme
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        report = ops.verify_model(tenant, version)
    if as_json:
        print_json(report)
    elif report["version"] is None:
        say("the packaged base model is active (verified by its package)")
    elif report["ok"]:
        say(f"v{report['version']} verified: signature matches weights and card")
    else:
        err.print(f"model v{report['version']} FAILED: {report['problem']}", markup=False)
    if not report["ok"]:
        raise typer.Exit(6)
