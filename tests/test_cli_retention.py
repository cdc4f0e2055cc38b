"""Retention, erasure and offboarding as ops run them from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from privrag.cli import app

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, master_key: str, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PRIVRAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PRIVRAG_MASTER_KEY", master_key)
    monkeypatch.delenv("PRIVRAG_OPERATOR_KEY", raising=False)
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        "".join(
            json.dumps(d) + "\n"
            for d in [
                {"id": "short", "text": "Badge log for jo.short@example.com.", "retention_days": 1},
                {"id": "long", "text": "Employee handbook, chapter on holidays."},
            ]
        )
    )
    assert runner.invoke(app, ["tenant", "create", "acme"]).exit_code == 0
    assert runner.invoke(app, ["ingest", "--tenant", "acme", str(docs)]).exit_code == 0
    return tmp_path


def run(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_sweep_dry_run_as_of_then_real_sweep_then_verify(cli_env: Path) -> None:
    planned = run(
        "retention", "sweep", "--tenant", "acme", "--dry-run", "--as-of", "2099-01-01", "--json"
    )
    assert planned == {"deleted": ["short"], "held": [], "receipt": None}
    assert run("retention", "sweep", "--tenant", "acme", "--json")["deleted"] == []
    bad = runner.invoke(app, ["retention", "sweep", "--as-of", "2099-01-01"])
    assert bad.exit_code == 2 and "dry-run" in bad.stderr
    assert "receipts intact: 0" in runner.invoke(app, ["retention", "verify"]).output


@pytest.mark.slow
def test_forget_and_two_operator_offboarding(cli_env: Path) -> None:
    erased = run("forget", "--tenant", "acme", "--subject", "JO.SHORT@example.com", "--json")
    assert erased["deleted"] == ["short"] and erased["receipt"]["kind"] == "erasure"

    keys = []
    for label in ("alice", "bob"):
        result = runner.invoke(app, ["operator-key", "create", "--label", label])
        assert result.exit_code == 0
        keys.append(result.stdout.strip().splitlines()[-1])
    result = runner.invoke(app, ["tenant", "delete", "acme", "--operator-key", keys[0]])
    assert result.exit_code == 0
    request = result.stdout.split("pending offboarding request: ")[1].split()[0]
    same = runner.invoke(app, ["approve", request, "--operator-key", keys[0]])
    assert same.exit_code == 4 and "second operator" in same.stderr
    receipt = run("approve", request, "--operator-key", keys[1])
    assert receipt["kind"] == "offboarding"
    assert runner.invoke(app, ["tenant", "list"]).stdout.strip() == "no tenants"
    assert "receipts intact: 2" in runner.invoke(app, ["retention", "verify"]).output


@pytest.mark.slow
def test_reversible_policy_and_operator_reveal(cli_env: Path) -> None:
    policy = run("tenant", "pii-policy", "acme", "--operator", "reversible")
    assert policy["operator"] == "reversible"
    note = cli_env / "note.txt"
    note.write_text("Call back ria.vos@example.com about the parcel.")
    assert runner.invoke(app, ["ingest", "--tenant", "acme", str(note)]).exit_code == 0
    issued = runner.invoke(app, ["operator-key", "create", "--label", "alice"])
    key = issued.stdout.strip().splitlines()[-1]
    revealed = run("doc", "reveal", "--tenant", "acme", "note.txt", "--operator-key", key)
    assert list(revealed.values()) == ["ria.vos@example.com"]
    refused = runner.invoke(
        app, ["doc", "reveal", "--tenant", "acme", "note.txt", "--operator-key", "nope"]
    )
    assert refused.exit_code != 0 and "ria.vos" not in refused.output
