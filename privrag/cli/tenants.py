"""``privrag tenant …``, ``approve`` and ``cancel``: tenants, their settings and keys, and
offboarding by two different operators. Every command runs locally or, with ``--url``, against
a running server as the operator whose key is given."""

from __future__ import annotations

from typing import Annotated

import typer

from privrag.cli._common import (
    DataDir,
    JsonOpt,
    OperatorKey,
    OperatorKeyOpt,
    UrlOpt,
    operator_session,
    plural,
    print_json,
    say,
)

app = typer.Typer(help="Tenants, their policies, holds and keys.", no_args_is_help=True)
Scopes = Annotated[
    list[str] | None,
    typer.Option("--scope", help="ingest, query, delete (repeatable; default all)."),
]


@app.command("create")
def tenant_create(
    name: str,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Create a tenant with its own keys and shard.

    Example: privrag tenant create acme
    """
    with operator_session(data_dir, url, operator_key) as ops:
        tenant = ops.create_tenant(name)
    if as_json:
        print_json({"name": tenant.name, "status": tenant.status, "created_at": tenant.created_at})
        return
    say(f"created tenant {tenant.name}")


@app.command("list")
def tenant_list(
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """List tenants and their status.

    Example: privrag tenant list
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        tenants = ops.list_tenants()
    if as_json:
        print_json({"tenants": [{"name": t.name, "status": t.status} for t in tenants]})
        return
    for tenant in tenants:
        say(f"{tenant.name}\t{tenant.status}")
    if not tenants:
        say("no tenants")


@app.command("suspend")
def tenant_suspend(
    name: str,
    resume: Annotated[bool, typer.Option("--resume", help="Lift the suspension.")] = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Kill switch: every key of the tenant stops working at once (--resume lifts it).

    Example: privrag tenant suspend acme
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        tenant = ops.resume_tenant(name) if resume else ops.suspend_tenant(name)
    say(f"{tenant.name}\t{tenant.status}")


@app.command("hold")
def tenant_hold(
    name: str,
    release: Annotated[bool, typer.Option("--release", help="Lift the hold.")] = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Legal hold on a whole tenant: nothing of it is deleted until lifted.

    Example: privrag tenant hold acme
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        ops.hold_tenant(name, not release)
    say(f"{name}: hold {'lifted' if release else 'set'}")


@app.command("holds")
def tenant_holds(
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """List every legal hold: held tenants and held documents.

    Example: privrag tenant holds --json
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        holds = ops.holds()
    if as_json:
        print_json(holds)
        return
    for name in holds["tenants"]:
        say(f"{name}\t(whole tenant)")
    for name, ids in holds["documents"].items():
        for doc_id in ids:
            say(f"{name}\t{doc_id}")
    if not holds["tenants"] and not holds["documents"]:
        say("no holds")


@app.command("pii-policy")
def tenant_pii_policy(
    name: str,
    operator: Annotated[
        str | None, typer.Option(help="placeholder | pseudonym | hash | reversible")
    ] = None,
    add: Annotated[list[str] | None, typer.Option("--add", help="Entity type to add.")] = None,
    drop: Annotated[list[str] | None, typer.Option("--drop", help="Entity type to drop.")] = None,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Show or change what counts as PII for a tenant and how it is replaced (prints JSON).

    A change applies to what is ingested and queried from now on; to bring stored documents
    up to it, run `privrag pii rescrub --tenant NAME` afterwards.

    Example: privrag tenant pii-policy acme --operator pseudonym --add DATE_TIME
    """
    changing = operator is not None or bool(add) or bool(drop)
    with operator_session(data_dir, url, operator_key, create=changing) as ops:
        if changing:
            policy = ops.update_pii_policy(name, operator=operator, add=add or (), drop=drop or ())
        else:
            policy = ops.pii_policy(name)
    print_json(policy.to_dict())


@app.command("key")
def tenant_key(
    name: str,
    scope: Scopes = None,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Create an API key for a tenant; the key is printed once (only its hash is kept).

    Example: privrag tenant key acme --scope query
    """
    with operator_session(data_dir, url, operator_key) as ops:
        issued = ops.create_key(name, scope or ("delete", "ingest", "query"))
    say(f"key id: {issued.key_id}  scopes: {', '.join(issued.scopes)}")
    say(issued.key)


@app.command("keys")
def tenant_keys(
    name: str,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """List a tenant's API keys (ids, scopes, revoked or not; never the keys).

    Example: privrag tenant keys acme
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        keys = ops.list_keys(name)
    print_keys(keys, as_json)


def print_keys(keys: list[dict[str, object]], as_json: bool) -> None:
    if as_json:
        print_json({"keys": keys})
        return
    for key in keys:
        state = "revoked" if key["revoked_at"] else "live"
        scopes = ",".join(str(s) for s in key["scopes"])  # type: ignore[attr-defined]
        say(f"{key['key_id']}\t{state}\t{scopes}\t{key['label']}")
    if not keys:
        say("no keys")


@app.command("delete")
def tenant_delete(
    name: str,
    operator_key: OperatorKey,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
) -> None:
    """Request crypto-shredding of a tenant; another operator must approve the printed id.

    Example: privrag tenant delete acme --operator-key $ALICE_KEY
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        request = ops.request_offboarding(name)
    if as_json:
        print_json({"request_id": request})
        return
    say(f"pending offboarding request: {request}")
    say("approve with: privrag approve ID (by a different operator)")


@app.command("pending")
def tenant_pending(
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """List offboarding requests waiting for a second operator.

    Example: privrag tenant pending
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        pending = ops.pending_offboardings()
    if as_json:
        print_json({"deletions": pending})
        return
    for item in pending:
        say(f"{item['request_id']}\t{item['tenant']}\trequested by {item['requested_by']}")
    say(f"{plural(len(pending), 'pending request')}")


def approve(
    request_id: str, operator_key: OperatorKey, data_dir: DataDir = None, url: UrlOpt = None
) -> None:
    """Approve a pending tenant deletion (a different operator than the requester). Irreversible.
    Prints the signed receipt as JSON.

    Example: privrag approve 3f2a... --operator-key $BOB_KEY
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        receipt = ops.approve_offboarding(request_id)
    print_json(receipt)


def cancel(
    request_id: str,
    operator_key: OperatorKey,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
) -> None:
    """Cancel a pending tenant deletion.

    Example: privrag cancel 3f2a... --operator-key $ALICE_KEY
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        ops.cancel_offboarding(request_id)
    if as_json:
        print_json({"cancelled": request_id})
        return
    say(f"cancelled {request_id}")
