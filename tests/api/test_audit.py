"""The audit log: one hash-chained line per request, no raw text; any single edited, removed
or swapped line is caught by ``privrag audit verify``; no canary text reaches any log."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from privrag.api.app import JsonLogFormatter
from privrag.audit import AuditLog, head_path
from privrag.cli import app
from privrag.errors import StoreUnavailable
from tests.api.conftest import Api

runner = CliRunner()
CANARY_DOC = "zqx-canary-doc-7781"
CANARY_QUERY = "zqx-canary-query-4410"


def busy_log(api: Api) -> Path:
    client = api.tenant_client("acme")
    doc = {"id": "c1", "text": f"Internal memo {CANARY_DOC} about budgets for Mary Smith."}
    client.post("/v1/documents", json={"documents": [doc]})
    client.post("/v1/query", json={"query": f"budgets {CANARY_QUERY} mary@example.com"})
    client.get("/v1/documents/c1")
    client.post("/v1/query", json={"query": CANARY_QUERY, "k": "bad"})
    client.get("/healthz")
    return api.audit_path


def verify(path: Path, api: Api) -> tuple[int, str]:
    """``privrag audit verify`` with the deployment's public key: chain and signed head."""
    pem = path.parent / "signing.pub.pem"
    pem.write_text(api.rag.signer.public_key_pem())
    result = runner.invoke(app, ["audit", "verify", "--path", str(path), "--public-key", str(pem)])
    return result.exit_code, result.output


def test_every_request_appends_one_chained_line_with_ids_only(api: Api) -> None:
    path = busy_log(api)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    queries = [e for e in lines if e["route"] == "POST /v1/query" and e["status"] == 200]
    assert len(queries) == 1
    entry = queries[0]
    assert entry["tenant"] == "acme" and entry["key_id"].startswith("k")
    assert entry["chunks"] and len(entry["query_hash"]) == 64 and "@" in entry["model"]
    assert {"time", "request_id", "latency_ms", "seq", "prev", "hash"} <= set(entry)
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))
    assert verify(path, api) == (0, f"audit log intact: {len(lines)} lines\n")


def tampered(path: Path, tmp: Path, change: Callable[[list[str]], list[str]]) -> Path:
    tmp.mkdir()
    copy = tmp / "audit.jsonl"
    shutil.copy(head_path(path), head_path(copy))
    lines = path.read_text().splitlines()
    copy.write_text("".join(line + "\n" for line in change(lines)))
    return copy


def _edit(lines: list[str]) -> list[str]:
    record = json.loads(lines[2])
    record["status"] = 200 if record["status"] != 200 else 404
    return [*lines[:2], json.dumps(record, sort_keys=True, separators=(",", ":")), *lines[3:]]


TAMPERING: dict[str, Callable[[list[str]], list[str]]] = {
    "edit": _edit,
    "delete-first": lambda lines: lines[1:],
    "delete-middle": lambda lines: [*lines[:2], *lines[3:]],
    "delete-last": lambda lines: lines[:-1],
    "swap": lambda lines: [lines[0], lines[2], lines[1], *lines[3:]],
    "duplicate": lambda lines: [*lines[:3], lines[2], *lines[3:]],
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_any_single_tampered_line_is_detected(api: Api, tmp_path: Path, how: str) -> None:
    path = busy_log(api)
    code, output = verify(tampered(path, tmp_path / how, TAMPERING[how]), api)
    assert code == 6 and "audit log FAILED" in output


def test_no_canary_text_in_audit_or_server_logs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    path = busy_log(api)
    formatter = JsonLogFormatter()
    server_logs = "\n".join(formatter.format(r) for r in caplog.records)
    assert '"event": "request"' in server_logs
    everything = path.read_text() + head_path(path).read_text() + server_logs
    for canary in (CANARY_DOC, CANARY_QUERY, "Mary Smith", "mary@example.com", "budgets"):
        assert canary not in everything


def test_an_answer_leaves_only_once_its_audit_line_is_written(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = api.tenant_client("acme")
    client.post("/v1/documents", json={"documents": [{"id": "d1", "text": "Quarterly budgets."}]})
    reached, release = threading.Event(), threading.Event()
    append = AuditLog.append

    def held(self: AuditLog, event: dict[str, Any]) -> dict[str, Any]:
        if event.get("route") == "POST /v1/query":
            reached.set()
            release.wait(30)
        return append(self, event)

    monkeypatch.setattr(AuditLog, "append", held)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(client.post, "/v1/query", json={"query": "budgets"})
        assert reached.wait(30)
        time.sleep(0.5)
        assert not answer.done()  # the hits wait while the line is not yet written
        release.set()
        response = answer.result(timeout=30)
    assert response.status_code == 200 and response.json()["results"]
    # The line is in the file the moment the answer is: nothing is left to land after it.
    lines = [json.loads(line) for line in api.audit_path.read_text().splitlines()]
    assert response.headers["x-request-id"] in {e.get("request_id") for e in lines}


def test_an_answer_whose_audit_line_cannot_be_written_is_withheld(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = api.tenant_client("acme")
    client.post("/v1/documents", json={"documents": [{"id": "d1", "text": "Quarterly budgets."}]})
    assert client.post("/v1/query", json={"query": "budgets"}).json()["results"]

    def broken(self: AuditLog, event: dict[str, Any]) -> dict[str, Any]:
        raise StoreUnavailable("cannot write the audit log")

    monkeypatch.setattr(AuditLog, "append", broken)
    response = client.post("/v1/query", json={"query": "budgets"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "store_unavailable"
    assert "results" not in response.json() and "budgets" not in response.text.lower()
    assert response.headers["x-request-id"] == response.json()["error"]["request_id"]
    # Probes carry no tenant data: they still answer, so the outage stays observable.
    assert client.get("/healthz").status_code == 200
    monkeypatch.undo()
    assert client.post("/v1/query", json={"query": "budgets"}).status_code == 200
