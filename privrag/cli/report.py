"""``privrag report``: a tenant's DPIA / data-inventory report, HTML (self-contained) and JSON.

Locally it reads the data dir; with ``--url`` it asks the server's operator route for it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from privrag.cli._common import DataDir, OperatorKeyOpt, TenantOpt, UrlOpt, errors, say, service
from privrag.errors import AccessDenied, InvalidInput, NotFound, StoreUnavailable


def _remote(url: str, operator_key: str | None, tenant: str) -> dict[str, Any]:
    import httpx

    if not operator_key:
        raise InvalidInput("--url needs --operator-key (or PRIVRAG_OPERATOR_KEY)")
    try:
        response = httpx.get(
            f"{url.rstrip('/')}/v1/admin/tenants/{tenant}/report",
            headers={"Authorization": f"Bearer {operator_key}"},
            timeout=300,
        )
    except httpx.HTTPError as exc:
        raise StoreUnavailable(f"cannot reach the server: {exc}") from exc
    if response.is_success:
        return dict(response.json())
    message = response.json().get("error", {}).get("message", response.reason_phrase)
    kind = {401: AccessDenied, 403: AccessDenied, 404: NotFound}.get(
        response.status_code, StoreUnavailable
    )
    raise kind(message)


def report(
    tenant: TenantOpt,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Write REPORT.html and REPORT.json here (a prefix)."),
    ] = Path("privrag-report"),
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Write the tenant's data protection report: what is stored, retention, access, training,
    deletions and the privacy checklist, as one self-contained HTML page and JSON.

    Example: privrag report --tenant acme --out reports/acme   (writes acme.html, acme.json)
    """
    from privrag.monitoring.html import render
    from privrag.monitoring.report import build_report

    if url:
        with errors():
            data = _remote(url, operator_key, tenant)
    else:
        with service(data_dir, create=False) as rag, errors():
            data = build_report(rag, tenant)
    html_path, json_path = out.with_suffix(".html"), out.with_suffix(".json")
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(render(data))
    json_path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    failing = [i["item"] for i in data["checklist"] if i["status"] == "fail"]
    say(f"wrote {html_path} and {json_path}; checklist: {len(failing)} failing")
    for item in failing:
        say(f"  fail: {item}")
