"""``privrag redteam``: adversarial checks against a running deployment, with a register."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from privrag.cli._common import OperatorKey, UrlOpt, errors, say
from privrag.errors import InvalidInput


def redteam(
    operator_key: OperatorKey,
    url: UrlOpt = None,
    second_operator_key: Annotated[
        str | None,
        typer.Option(
            "--second-operator-key",
            envvar="PRIVRAG_SECOND_OPERATOR_KEY",
            help="Another person's operator key: approves the canary tenants' offboarding.",
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Register prefix: writes PREFIX.json and .md.")
    ] = Path("redteam-register"),
    burst: Annotated[int, typer.Option(help="Concurrent requests for the rate-limit check.")] = 300,
) -> None:
    """Attack a running deployment: cross-tenant reads, smuggled tenants, scopes, limits,
    injection screening, PII round trips, error shapes; then offboard the canary tenants and
    write the vulnerability register. Exits 1 when any check fails.

    Example: privrag redteam --url https://rag.internal --operator-key $ALICE --second-operator-key $BOB
    """
    from privrag.monitoring.redteam import run

    with errors():
        if not url:
            raise InvalidInput("redteam needs --url (or PRIVRAG_URL): it attacks a running server")
        register = run(url, operator_key, second_operator_key=second_operator_key, burst=burst)
    json_path, md_path = register.write(out)
    failed = register.failed
    say(f"{len(register.findings)} checks, {len(failed)} failed; register: {json_path}, {md_path}")
    for f in failed:
        say(f"  FAIL [{f.severity}] {f.check}: expected {f.expected}; observed {f.observed}")
    if failed:
        raise typer.Exit(1)
