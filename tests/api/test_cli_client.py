"""The CLI as a client of a running server (--url/--api-key), and the operator-key command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from privrag.access import Access
from privrag.cli import app
from tests.api.conftest import Api

runner = CliRunner()


def test_ingest_query_and_delete_over_http(api: Api, tmp_path: Path) -> None:
    api.tenant("acme")
    remote = ["--url", api.url, "--api-key", api.key("acme")]
    notes = tmp_path / "notes.jsonl"
    notes.write_text(
        json.dumps({"id": "n1", "text": "Write to bob@example.org about the invoice."}) + "\n"
    )
    result = runner.invoke(app, ["ingest", *remote, str(notes)])
    assert result.exit_code == 0, result.output
    assert "1 document, 1 chunk\n" in result.output and "EMAIL_ADDRESS 1" in result.output
    result = runner.invoke(app, ["query", *remote, "invoice", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [r["doc_id"] for r in payload["results"]] == ["n1"] and payload["model"]["digest"]
    assert runner.invoke(app, ["doc", "delete", *remote, "n1"]).exit_code == 0
    result = runner.invoke(app, ["doc", "delete", *remote, "n1"])
    assert result.exit_code == 3 and result.stderr.startswith("error: no document")


def test_remote_errors_are_clean_lines_with_exit_codes(api: Api) -> None:
    result = runner.invoke(app, ["query", "--url", api.url, "--api-key", "wrong", "hi"])
    assert result.exit_code == 4 and result.stderr.strip() == "error: missing or invalid API key"
    result = runner.invoke(app, ["query", "--url", api.url, "hi"], env={"PRIVRAG_API_KEY": ""})
    assert result.exit_code == 2 and "--api-key" in result.stderr


def test_operator_key_create_prints_a_key_once_and_stores_its_hash(
    tmp_path: Path, master_key: str
) -> None:
    data = tmp_path / "data"
    env = {"PRIVRAG_MASTER_KEY": master_key}
    result = runner.invoke(
        app, ["operator-key", "create", "--label", "alice", "--data-dir", str(data)], env=env
    )
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("prk_op")
    from privrag.catalog import Catalog

    catalog = Catalog(data / "catalog.db")
    try:
        principal = Access(catalog, clock=lambda: 0.0).authenticate(key)
        row = catalog.api_keys.get(principal.key_id)
    finally:
        catalog.close()
    assert principal.is_operator and principal.key_id == key.split("_")[1]
    assert row is not None and row.created_by is None  # made on the host: a root
