"""``privrag model …``: a tenant's fine-tuned models (``train`` and ``budget`` come from the
``privrag_training`` plugin)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from privrag.cli._common import (
    DataDir,
    JsonOpt,
    OperatorKeyOpt,
    TenantOpt,
    UrlOpt,
    err,
    operator_session,
    plural,
    print_json,
    say,
)

app = typer.Typer(
    help="A tenant's fine-tuned models: list, show, activate, roll back, verify.",
    no_args_is_help=True,
)


@app.command("show")
def model_show(
    version: int,
    tenant: TenantOpt,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Print a model's verified card: its guarantee (ε, δ, unit, adjacency), run and audit.

    Example: privrag model show --tenant acme 3
    """
    from privrag.registry import describe_card

    with operator_session(data_dir, url, operator_key, create=False) as ops:
        card = ops.model_card(tenant, version)
    if as_json:
        print_json(card)
        return
    say(describe_card(card))


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
