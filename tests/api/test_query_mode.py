"""The query ``mode`` over HTTP and the CLI: dense, sparse or hybrid; anything else refused."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

DOCS = [
    {"id": "bridge", "text": "The suspension bridge needs new zylonite cables before winter."},
    {"id": "ferry", "text": "Ferry crossings are cancelled when the swell exceeds four metres."},
]


@pytest.mark.parametrize("mode", ["dense", "sparse", "hybrid", None])
def test_each_mode_answers(api: Api, mode: str | None) -> None:
    client = api.tenant_client("acme")
    client.post("/v1/documents", json={"documents": DOCS})
    body = {"query": "zylonite cables", "k": 1} | ({"mode": mode} if mode else {})
    response = client.post("/v1/query", json=body)
    assert response.status_code == 200, response.text
    assert [r["doc_id"] for r in response.json()["results"]] == ["bridge"]


@pytest.mark.parametrize("mode", ["fuzzy", "", "HYBRID", 3])
def test_an_unknown_mode_is_a_422(api: Api, mode: object) -> None:
    client = api.tenant_client("acme")
    response = client.post("/v1/query", json={"query": "ferry", "mode": mode})
    assert response.status_code == 422


def test_the_cli_takes_a_mode_and_refuses_an_unknown_one(
    tmp_path, master_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from privrag.cli import app

    monkeypatch.setenv("PRIVRAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PRIVRAG_MASTER_KEY", master_key)
    runner = CliRunner()
    notes = tmp_path / "notes.jsonl"
    notes.write_text("".join(json.dumps(d) + "\n" for d in DOCS))
    assert runner.invoke(app, ["tenant", "create", "acme"]).exit_code == 0
    assert runner.invoke(app, ["ingest", "--tenant", "acme", str(notes)]).exit_code == 0
    result = runner.invoke(
        app, ["query", "--tenant", "acme", "zylonite", "--mode", "sparse", "--json", "-k", "1"]
    )
    assert result.exit_code == 0, result.output
    assert [r["doc_id"] for r in json.loads(result.stdout)["results"]] == ["bridge"]
    result = runner.invoke(app, ["query", "--tenant", "acme", "zylonite", "--mode", "fuzzy"])
    assert result.exit_code != 0 and "Traceback" not in result.output
