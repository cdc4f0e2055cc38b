"""``privrag model …``: a tenant's fine-tuned models (``train`` and ``budget`` come from the
``privrag_training`` plugin)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag.cli._common import DataDir, TenantOpt, err, errors, out, service

app = typer.Typer(
    help="A tenant's fine-tuned models: list, show, activate, roll back, verify.",
    no_args_is_help=True,
)


@contextmanager
def _bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, advanced by a ``(done, total)`` callback."""
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@app.command("show")
def model_show(
    version: int,
    tenant: TenantOpt,
    as_json: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Print a model's verified card: its guarantee (ε, δ, unit, adjacency), run and audit.

    Example: privrag model show --tenant acme 3
    """
    from privrag.registry import describe_card

    with service(data_dir) as rag, errors():
        card = rag.model_card(tenant, version)
    if as_json:
        sys.stdout.write(json.dumps(card, sort_keys=True) + "\n")
        return
    out.print(describe_card(card), markup=False, highlight=False)


@app.command("list")
def model_list(tenant: TenantOpt, data_dir: DataDir = None) -> None:
    """List a tenant's models; '*' marks the one serving queries.

    Example: privrag model list --tenant acme
    """
    with service(data_dir) as rag, errors():
        found = rag.tenants.get(tenant)
        active = rag.models.active_model_id(found.id)
        out.print(f"{'*' if active is None else ' '} base  packaged all-MiniLM-L6-v2")
        for row in rag.models.list(found.id):
            eps = "non-private" if not row.private else f"ε={row.epsilon:.3f} δ={row.delta:g}"
            flag = f"  FLAGGED: {row.flagged}" if row.flagged else ""
            mark = "*" if row.model_id == active else " "
            out.print(f"{mark} v{row.version}  {eps}{flag}", markup=False, highlight=False)


@app.command("activate")
def model_activate(
    version: int,
    tenant: TenantOpt,
    allow_non_private: Annotated[
        bool, typer.Option("--allow-non-private", help="Override for non-private or flagged.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Serve the tenant's queries with model VERSION (re-embeds its chunks; rerun to resume).

    Example: privrag model activate --tenant acme 3
    """
    with service(data_dir) as rag, errors(), _bar("re-embedding") as progress:
        switch = rag.activate_model(
            tenant, version, allow_non_private=allow_non_private, progress=progress
        )
        out.print(f"{tenant} now served by v{switch.version} ({switch.chunks} chunks re-embedded)")


@app.command("rollback")
def model_rollback(tenant: TenantOpt, data_dir: DataDir = None) -> None:
    """Go back to the previously active model (re-embeds its chunks; rerun to resume).

    Example: privrag model rollback --tenant acme
    """
    with service(data_dir) as rag, errors(), _bar("re-embedding") as progress:
        switch = rag.rollback_model(tenant, progress=progress)
        name = "the base model" if switch.version is None else f"v{switch.version}"
        out.print(f"{tenant} now served by {name} ({switch.chunks} chunks re-embedded)")


@app.command("verify")
def model_verify(
    tenant: TenantOpt,
    version: Annotated[int | None, typer.Option("--version", help="Default: active.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Check the signature over a model's weights and card; exit 1 if it does not verify.

    Example: privrag model verify --tenant acme
    """
    with service(data_dir) as rag, errors():
        found = rag.tenants.get(tenant)
        if version is None:
            model_id = rag.models.active_model_id(found.id)
            if model_id is None:
                out.print("the packaged base model is active (verified by its package)")
                return
        else:
            model_id = rag.models.by_version(found.id, version).model_id
        card = rag.models.verify(found.id, model_id)
        out.print(f"v{card['version']} verified: signature matches weights and card")
