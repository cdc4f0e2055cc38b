"""``privrag tenant …``, ``approve`` and ``cancel``: tenants, their settings, and offboarding by
two different operators."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from privrag.cli._common import DataDir, OperatorKey, errors, operator, out, service

app = typer.Typer(help="Create and list tenants.", no_args_is_help=True)


@app.command("create")
def tenant_create(name: str, data_dir: DataDir = None) -> None:
    """Create a tenant with its own keys and shard.

    Example: privrag tenant create acme
    """
    with service(data_dir) as rag, errors():
        tenant = rag.tenants.create(name)
        out.print(f"created tenant {tenant.name}")


@app.command("list")
def tenant_list(data_dir: DataDir = None) -> None:
    """List tenants.

    Example: privrag tenant list
    """
    with service(data_dir) as rag, errors():
        for tenant in rag.tenants.list():
            out.print(f"{tenant.name}\t{tenant.status}")


@app.command("hold")
def tenant_hold(
    name: str,
    release: Annotated[bool, typer.Option("--release", help="Lift the hold.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Legal hold on a whole tenant: nothing of it is deleted until lifted.

    Example: privrag tenant hold acme
    """
    with service(data_dir) as rag, errors():
        rag.tenants.set_hold(name, not release)
        out.print(f"{name}: hold {'lifted' if release else 'set'}", markup=False, highlight=False)


@app.command("pii-policy")
def tenant_pii_policy(
    name: str,
    operator: Annotated[
        str | None,
        typer.Option(help="placeholder | pseudonym | hash | reversible"),
    ] = None,
    add: Annotated[list[str] | None, typer.Option("--add", help="Entity type to add.")] = None,
    drop: Annotated[list[str] | None, typer.Option("--drop", help="Entity type to drop.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Show or change what counts as PII for a tenant and how it is replaced.

    Example: privrag tenant pii-policy acme --operator pseudonym --add DATE_TIME
    """
    from privrag.pii import PiiPolicy

    with service(data_dir) as rag, errors():
        policy = rag.tenants.pii_policy(name)
        if operator is not None or add or drop:
            policy = PiiPolicy(
                entities=(policy.entities | set(add or [])) - set(drop or []),
                operator=operator or policy.operator,  # type: ignore[arg-type]
            )
            rag.tenants.set_pii_policy(name, policy)
        sys.stdout.write(json.dumps(policy.to_dict()) + "\n")


@app.command("delete")
def tenant_delete(name: str, operator_key: OperatorKey, data_dir: DataDir = None) -> None:
    """Request crypto-shredding of a tenant; another operator must approve the printed id.

    Example: privrag tenant delete acme --operator-key $ALICE_KEY
    """
    with service(data_dir) as rag, errors():
        request = rag.request_offboarding(name, requested_by=operator(rag, operator_key))
        out.print(f"pending offboarding request: {request}", markup=False, highlight=False)
        out.print("approve with: privrag approve ID (by a different operator)", markup=False)


def approve(request_id: str, operator_key: OperatorKey, data_dir: DataDir = None) -> None:
    """Approve a pending tenant deletion (a different operator than the requester). Irreversible.

    Example: privrag approve 3f2a... --operator-key $BOB_KEY
    """
    with service(data_dir) as rag, errors():
        receipt = rag.approve_offboarding(request_id, approved_by=operator(rag, operator_key))
    sys.stdout.write(json.dumps(receipt) + "\n")


def cancel(request_id: str, operator_key: OperatorKey, data_dir: DataDir = None) -> None:
    """Cancel a pending tenant deletion.

    Example: privrag cancel 3f2a... --operator-key $ALICE_KEY
    """
    with service(data_dir) as rag, errors():
        rag.cancel_offboarding(request_id, cancelled_by=operator(rag, operator_key))
        out.print(f"cancelled {request_id}", markup=False, highlight=False)
