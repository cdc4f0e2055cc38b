"""The CLI as a user runs it: real commands in a subprocess-free Typer runner, real components."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from privrag.cli import app

runner = CliRunner()


def all_commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for cmd in group.registered_commands:
        found.append((*prefix, cmd.name or cmd.callback.__name__))  # type: ignore[union-attr]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None and sub.name is not None
        found.append((*prefix, sub.name))
        found.extend(all_commands(sub.typer_instance, (*prefix, sub.name)))
    return found


@pytest.mark.parametrize("command", all_commands(app), ids=" ".join)
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    is_group = any(g.name == command[-1] for g in app.registered_groups)
    assert is_group or "Example: privrag" in result.output


@pytest.fixture
def cli_env(tmp_path: Path, master_key: str, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PRIVRAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PRIVRAG_MASTER_KEY", master_key)
    return tmp_path


@pytest.mark.slow
def test_create_ingest_query_delete_round_trip(cli_env: Path) -> None:
    notes = cli_env / "notes.jsonl"
    notes.write_text(
        json.dumps({"id": "n1", "text": "Contact Bob Example at bob@example.org about invoices."})
        + "\n"
        + json.dumps({"id": "n2", "text": "Invoices are paid within thirty days."})
        + "\n"
    )
    assert runner.invoke(app, ["tenant", "create", "acme"]).exit_code == 0
    assert "acme" in runner.invoke(app, ["tenant", "list"]).output
    result = runner.invoke(app, ["ingest", "--tenant", "acme", str(notes)])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output and "EMAIL_ADDRESS 1" in result.output
    result = runner.invoke(
        app, ["query", "--tenant", "acme", "invoice contact", "--json", "-k", "2"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {r["doc_id"] for r in payload["results"]} == {"n1", "n2"}
    assert all("bob@example.org" not in r["text"] for r in payload["results"])
    assert set(payload["results"][0]) == {
        "doc_id",
        "chunk_id",
        "text",
        "score",
        "provenance",
        "flags",
    }
    assert runner.invoke(app, ["doc", "delete", "--tenant", "acme", "n1"]).exit_code == 0
    result = runner.invoke(app, ["doc", "delete", "--tenant", "acme", "n1"])
    assert result.exit_code == 3 and "error: no document" in result.stderr


def test_errors_are_one_clean_line_and_a_non_zero_exit(cli_env: Path) -> None:
    empty = cli_env / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["ingest", "--tenant", "acme", str(empty)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {empty}: file is empty"
    result = runner.invoke(app, ["query", "--tenant", "nobody", "hello"])
    assert result.exit_code == 3 and "Traceback" not in result.output


def test_scrub_reads_and_writes_jsonl_in_order() -> None:
    lines = [{"text": "Write to ann.lee@example.com today."}, {"text": "Nothing personal here."}]
    stdin = "".join(json.dumps(x) + "\n" for x in lines)
    result = runner.invoke(app, ["scrub"], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert out[0]["text"] == "Write to <EMAIL_ADDRESS> today."
    assert out[0]["entities"] == [{"type": "EMAIL_ADDRESS", "start": 9, "end": 28}]
    assert out[1] == {"text": "Nothing personal here.", "entities": []}


def test_scrub_refuses_lines_without_text() -> None:
    result = runner.invoke(app, ["scrub"], input='{"body": "x"}\n')
    assert result.exit_code == 2 and "line 1" in result.stderr
