"""``privrag redteam``: adversarial checks against a running deployment, safe before a release.

The run makes two canary tenants (random names, ``redteam-a-…`` and ``redteam-b-…``) with keys
and a few canary documents carrying unique tokens and fake PII, probes the deployment from
outside (``privrag.monitoring.probes``), then removes its tenants by two-operator offboarding
(the first operator key requests, the second approves; with one key the request is left pending
and the register says so). It touches nothing else: no other tenant, key or setting.

Every check becomes one row of the vulnerability register: check, expected, observed, severity
and status (pass, fail, skip). ``Register.failed`` is what the command's exit code follows.
"""

from __future__ import annotations

import secrets

import httpx

from privrag.client import Client
from privrag.errors import PrivragError
from privrag.monitoring import probes
from privrag.monitoring.register import Canary, Register


def _canary(tenant: str, op: Client) -> Canary:
    token = f"CANARY{secrets.token_hex(6).upper()}"
    tail = secrets.randbelow(9000) + 1000
    pii = {
        "name": secrets.choice(["Ingrid Halvorsen", "Tomasz Wierzbicki", "Aiyana Redcloud"]),
        "email": f"canary.{secrets.token_hex(4)}@example.com",
        "phone": f"+1 415 555 {tail:04d}",
    }
    op.create_tenant(tenant)
    keys = {
        "full": op.create_key(tenant, ("delete", "ingest", "query")).key,
        "query": op.create_key(tenant, ("query",)).key,
        "limits": op.create_key(tenant, ("query",)).key,
    }
    return Canary(tenant, token, keys, f"rt-{secrets.token_hex(4)}", pii)


def run(
    url: str,
    operator_key: str,
    *,
    second_operator_key: str | None = None,
    burst: int = 300,
    timeout: float = 60.0,
) -> Register:
    """Run every check against ``url``; always tries to clean up what it created."""
    register = Register(url)
    suffix = secrets.token_hex(3)
    names = (f"redteam-a-{suffix}", f"redteam-b-{suffix}")
    created: list[str] = []
    with Client(url, operator_key, max_retries=0, timeout=timeout) as op:
        try:
            canaries = []
            for name in names:
                created.append(name)
                canaries.append(_canary(name, op))
            a, b = canaries
            for canary in canaries:
                with Client(url, canary.keys["full"], max_retries=0, timeout=timeout) as c:
                    c.ingest(canary.documents())
            with httpx.Client(base_url=url.rstrip("/"), timeout=timeout) as http:
                probes.run_all(register, http, a, b, burst=burst)
        except PrivragError as exc:
            register.add(
                "setup",
                False,
                expected="canary tenants, keys and documents are created",
                observed=f"{exc.code}: {exc.message}",
                severity="high",
            )
        finally:
            _clean_up(register, op, url, created, second_operator_key, timeout)
    return register


def _clean_up(
    register: Register,
    op: Client,
    url: str,
    tenants: list[str],
    second_operator_key: str | None,
    timeout: float,
) -> None:
    for tenant in tenants:
        try:
            for key in op.list_keys(tenant):
                if key.get("revoked_at") is None:
                    op.revoke_key(key["key_id"])
            request_id = op.request_offboarding(tenant)
        except PrivragError as exc:
            register.add(
                f"cleanup: offboard {tenant}",
                False,
                expected="the canary tenant's keys are revoked and its offboarding requested",
                observed=f"{exc.code}: {exc.message}",
                severity="medium",
            )
            continue
        if second_operator_key is None:
            register.add(
                f"cleanup: offboard {tenant}",
                None,
                expected="a second operator approves the offboarding",
                observed=f"no --second-operator-key: request {request_id} awaits approval",
                severity="info",
            )
            continue
        try:
            with Client(url, second_operator_key, max_retries=0, timeout=timeout) as second:
                second.approve_offboarding(request_id)
            gone = tenant not in {t.name for t in op.list_tenants()}
            register.add(
                f"cleanup: offboard {tenant}",
                gone,
                expected="two operators offboard the canary tenant; it no longer exists",
                observed="offboarded" if gone else "tenant still listed after approval",
                severity="medium",
            )
        except PrivragError as exc:
            register.add(
                f"cleanup: offboard {tenant}",
                False,
                expected="a second operator approves the offboarding",
                observed=f"{exc.code}: {exc.message} (request {request_id})",
                severity="medium",
            )
