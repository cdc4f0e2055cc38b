"""``privrag redteam`` against a live server: every check passes on a default deployment (but
injection screening, until that lands), the canary tenants are offboarded by two operators, the
register is written as JSON and Markdown; and a positive control: with rate limits configured
off, the rate-limit check fails and the command exits non-zero."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from privrag.cli import app as cli
from tests.monitoring.conftest import Live

UNLIMITED = 10**6


def redteam(live: Live, second: str, out: Path) -> tuple[int, dict[str, Any], str]:
    result = CliRunner().invoke(
        cli,
        [
            "redteam",
            "--url",
            live.url,
            "--operator-key",
            live.operator_key,
            "--second-operator-key",
            second,
            "--out",
            str(out),
            "--burst",
            "150",
        ],
    )
    register = json.loads(out.with_suffix(".json").read_text())
    return result.exit_code, register, result.output


def second_operator(live: Live) -> str:
    return str(live.rag.access().issue_operator_key("second-operator").key)


def statuses(register: dict[str, Any]) -> dict[str, str]:
    return {f["check"]: f["status"] for f in register["findings"]}


def test_a_default_deployment_passes_and_the_canaries_are_offboarded(
    live_server: Any, tmp_path: Path
) -> None:
    live = live_server()
    code, register, output = redteam(live, second_operator(live), tmp_path / "register")
    seen = statuses(register)
    failed = {check for check, status in seen.items() if status == "fail"}
    assert not failed, output
    assert code == 0
    assert len(seen) >= 35
    for must in (
        "cross-tenant GET",
        "smuggled tenant (headers)",
        "semantic queries for the other tenant's canaries",
        "scope: query-only key ingests",
        "authentication: no key",
        "PII round trip (document: text, source, metadata)",
        "error shape: malformed JSON",
        "rate limit: a burst from one key is cut off",
        "retrieval budget: one query cannot ask past the cap",
        "cleanup: offboard redteam-a-",
        "cleanup: offboard redteam-b-",
    ):
        matching = [check for check in seen if check.startswith(must)]
        assert matching and all(seen[c] == "pass" for c in matching), must
    assert [t["name"] for t in live.operator.get("/v1/admin/tenants").json()["tenants"]] == []
    markdown = (tmp_path / "register.md").read_text()
    assert "| check | expected | observed | severity | status |" in markdown
    assert "| PASS |" in markdown


def test_limits_configured_off_fail_the_rate_limit_check(live_server: Any, tmp_path: Path) -> None:
    live = live_server(
        api_rate_per_key=UNLIMITED,
        api_burst_per_key=UNLIMITED,
        api_rate_per_tenant=UNLIMITED,
        api_burst_per_tenant=UNLIMITED,
    )
    code, register, output = redteam(live, second_operator(live), tmp_path / "register")
    assert code == 1
    assert statuses(register)["rate limit: a burst from one key is cut off"] == "fail"
    assert "FAIL [high] rate limit" in output
