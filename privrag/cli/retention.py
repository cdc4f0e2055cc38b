"""``privrag retention …`` and ``forget``: sweeps, receipts, policies and erasure by subject,
locally or (``--url``) against a running server, where a sweep runs as a job."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from privrag.cli._common import (
    ApiKeyOpt,
    DataDir,
    JsonOpt,
    LocalTenantOpt,
    OperatorKeyOpt,
    TenantOpt,
    UrlOpt,
    err,
    errors,
    operator_session,
    parse_time,
    plural,
    print_json,
    say,
    tenant_session,
    with_progress,
)
from privrag.errors import InvalidInput
from privrag.service.results import SweepResult

app = typer.Typer(help="Retention sweeps, policies and deletion receipts.", no_args_is_help=True)


@app.command("sweep")
def retention_sweep(
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="One tenant (default: all).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report, delete nothing.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="ISO 8601; with --dry-run only.")
    ] = None,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Delete expired documents (held ones are skipped and reported); sign a receipt.

    Example: privrag retention sweep --tenant acme --dry-run --as-of 2027-01-01 --json
    """
    with errors():
        moment = parse_time(as_of) if as_of is not None else None
        if moment is not None and not dry_run:
            raise InvalidInput("--as-of is only allowed with --dry-run")
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        results: list[SweepResult] = with_progress(
            "sweeping", lambda p: ops.sweep(tenant, dry_run=dry_run, as_of=moment, progress=p)
        )
    if as_json:
        payload: dict[str, Any] = (
            results[0].to_dict()
            if tenant
            else {"tenants": {r.tenant: r.to_dict() for r in results}}
        )
        print_json(payload)
        return
    verb = "would delete" if dry_run else "deleted"
    for result in results:
        say(
            f"{result.tenant}: {verb} {plural(len(result.deleted), 'document')}, {len(result.held)} held"
        )
    if not results:
        say("no tenants")


@app.command("verify")
def retention_verify(
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Check every deletion receipt's signature and the chain; exit 6 on any tampering.

    Example: privrag retention verify
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        report = ops.verify_receipts()
    if as_json:
        print_json(report)
    elif report.ok:
        say(f"receipts intact: {plural(report.count, 'receipt')}")
    else:
        err.print(f"receipts FAILED: {report.problem}", markup=False, highlight=False)
    if not report.ok:
        raise typer.Exit(6)


def _class_days(items: list[str]) -> dict[str, int | None]:
    by_class: dict[str, int | None] = {}
    for item in items:
        name, sep, days = item.partition("=")
        if not sep or not (days.isdigit() or days in ("", "none")):
            raise InvalidInput(
                f"--class-days takes CLASS=DAYS (or CLASS=none to drop), not {item!r}"
            )
        by_class[name] = int(days) if days.isdigit() else None
    return by_class


@app.command("policy")
def retention_policy(
    tenant: TenantOpt,
    default_days: Annotated[
        int | None, typer.Option("--default-days", help="Keep documents this many days.")
    ] = None,
    no_default: Annotated[
        bool, typer.Option("--no-default", help="Drop the default (classes keep theirs).")
    ] = False,
    class_days: Annotated[
        list[str] | None,
        typer.Option("--class-days", help="CLASS=DAYS, or CLASS=none to drop; repeatable."),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Start from an empty policy.")] = False,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Show or change a tenant's retention policy. A change is merged into the policy (what
    is not named is kept) and re-dates the documents without their own retention_days.

    Example: privrag retention policy --tenant acme --default-days 90 --class-days restricted=30
    """
    with errors():
        by_class = _class_days(class_days or [])
    changing = default_days is not None or no_default or bool(by_class) or clear
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        redated = None
        if changing:
            policy, redated = ops.update_retention(
                tenant,
                default_days=default_days,
                drop_default=no_default,
                by_class=by_class,
                clear=clear,
            )
        else:
            policy = ops.retention(tenant)
    if as_json:
        print_json({"policy": policy.to_dict(), "redated": redated})
        return
    if redated is not None:
        say(f"policy set; {plural(redated, 'document')} re-dated")
    print_json(policy.to_dict())


def forget(
    subject: Annotated[str, typer.Option("--subject", help="The value to erase (e.g. an e-mail).")],
    tenant: LocalTenantOpt = None,
    entity_type: Annotated[
        str | None, typer.Option("--type", help="Entity type, e.g. EMAIL_ADDRESS (default: all).")
    ] = None,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Erase every document that mentioned a data subject; prints the count (or, with --json,
    the signed receipt). With --url: a tenant key erases in its own tenant; --tenant with
    --operator-key erases in the named one.

    Example: privrag forget --tenant acme --subject jane@example.com --type EMAIL_ADDRESS
    """
    if url and tenant:
        with operator_session(data_dir, url, operator_key) as ops:
            result = ops.forget_in(tenant, subject, entity_type=entity_type)
    else:
        with tenant_session(tenant, data_dir, url, api_key, create=False) as session:
            result = session.forget(subject, entity_type=entity_type)
    if as_json:
        print_json(result.to_dict())
        return
    say(f"erased {plural(len(result.deleted), 'document')}, {len(result.held)} held")
