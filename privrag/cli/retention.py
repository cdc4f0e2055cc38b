"""``privrag retention …`` and ``forget``: sweeps, receipts, policies and erasure by subject."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag.cli._common import DataDir, TenantOpt, err, errors, out, parse_time, service
from privrag.errors import InvalidInput

app = typer.Typer(help="Retention sweeps and deletion receipts.", no_args_is_help=True)


@app.command("sweep")
def retention_sweep(
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="One tenant (default: all).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report, delete nothing.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="ISO 8601; with --dry-run only.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Delete expired documents (held ones are skipped and reported); sign a receipt.

    Example: privrag retention sweep --tenant acme --dry-run --as-of 2027-01-01 --json
    """
    with errors():
        moment = parse_time(as_of) if as_of is not None else None
        if moment is not None and not dry_run:
            raise InvalidInput("--as-of is only allowed with --dry-run")
    with (
        service(data_dir) as rag,
        errors(),
        Progress(
            TextColumn("sweeping"), BarColumn(), MofNCompleteColumn(), console=err, transient=True
        ) as progress,
    ):
        task = progress.add_task("steps", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        results = rag.sweep(tenant, dry_run=dry_run, as_of=moment, progress=advance)
    if as_json:
        payload: dict[str, Any] = (
            results[0].to_dict()
            if tenant
            else {"tenants": {r.tenant: r.to_dict() for r in results}}
        )
        sys.stdout.write(json.dumps(payload) + "\n")
        return
    verb = "would delete" if dry_run else "deleted"
    for result in results:
        out.print(
            f"{result.tenant}: {verb} {len(result.deleted)} documents, {len(result.held)} held",
            markup=False,
            highlight=False,
        )


@app.command("verify")
def retention_verify(data_dir: DataDir = None) -> None:
    """Check every deletion receipt's signature and the chain; any tampering fails.

    Example: privrag retention verify
    """
    with service(data_dir) as rag, errors():
        report = rag.verify_receipts()
    if not report.ok:
        err.print(f"receipts FAILED: {report.problem}", markup=False, highlight=False)
        raise typer.Exit(6)
    out.print(f"receipts intact: {report.count} receipts", markup=False, highlight=False)


@app.command("policy")
def retention_policy(
    tenant: TenantOpt,
    default_days: Annotated[
        int | None, typer.Option("--default-days", help="Keep documents this many days.")
    ] = None,
    class_days: Annotated[
        list[str] | None,
        typer.Option("--class-days", help="CLASS=DAYS, repeatable (e.g. public=365)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Show or change a tenant's retention policy (re-dates documents without an override).

    Example: privrag retention policy --tenant acme --default-days 90 --class-days restricted=30
    """
    from privrag.retention import RetentionPolicy

    with service(data_dir) as rag, errors():
        if default_days is not None or class_days:
            by_class: dict[str, int] = {}
            for item in class_days or []:
                name, _, days = item.partition("=")
                if not days.isdigit():
                    raise InvalidInput(f"--class-days takes CLASS=DAYS, not {item!r}")
                by_class[name] = int(days)
            policy = RetentionPolicy(default_days=default_days, by_class=by_class)
            changed = rag.tenants.set_retention(tenant, policy)
            out.print(f"policy set; {changed} documents re-dated", markup=False, highlight=False)
        sys.stdout.write(json.dumps(rag.tenants.retention(tenant).to_dict()) + "\n")


def forget(
    tenant: TenantOpt,
    subject: Annotated[str, typer.Option("--subject", help="The value to erase (e.g. an e-mail).")],
    entity_type: Annotated[
        str | None, typer.Option("--type", help="Entity type, e.g. EMAIL_ADDRESS (default: all).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Erase every document that mentioned a data subject; prints the signed receipt.

    Example: privrag forget --tenant acme --subject jane@example.com --type EMAIL_ADDRESS
    """
    with service(data_dir) as rag, errors():
        result = rag.forget(tenant, subject, entity_type=entity_type)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict()) + "\n")
        return
    out.print(
        f"erased {len(result.deleted)} documents, {len(result.held)} held",
        markup=False,
        highlight=False,
    )
