"""Training over HTTP, served by the training plugin's routes (entry point ``privrag.routes``): a
run is a ``202`` job with progress in steps, budgets are shown and set, models are listed,
shown, verified, activated and rolled back as jobs, through the SDK and the CLI in client mode.
After an activation (and a rollback) every re-embedded chunk names the model now serving in its
provenance."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from privrag import BudgetExhausted, Client, InvalidInput
from privrag.access import Access
from privrag.api import create_app
from privrag.api.server import BackgroundServer
from privrag.cli import app
from privrag.config import load_settings
from tests.training.conftest import corpus

# One tiny DP run (~35 s on two loaded cores) and one activation + rollback, shared by the module.
pytestmark = pytest.mark.slow
runner = CliRunner()
# The tiny run of tests/training/conftest.py::tiny, as the route's body.
TINY = {
    "force": True,
    "epsilon": 4.0,
    "epochs": 1,
    "layers": 1,
    "batch_size": 16,
    "query_tokens": 24,
    "context_tokens": 64,
    "negatives": 32,
}


@dataclass
class Served:
    url: str
    rag: Any
    operator_key: str
    tenant_key: str


@pytest.fixture(scope="module")
def served(tmp_path_factory, scrubber, embedder) -> Iterator[Served]:  # type: ignore[no-untyped-def]
    from privrag.service import PrivRAG

    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("train-http") / "data",
        master_key=base64.b64encode(os.urandom(32)).decode(),
        audit_fsync=False,
    )
    rag = PrivRAG(settings, scrubber=scrubber, embedder=embedder)
    rag.tenants.create("acme")
    rag.ingest("acme", corpus("acme", 24))
    access = Access(rag._runtime.catalog, clock=rag.clock)
    operator = access.issue_operator_key("tests").key
    tenant_key = access.issue_tenant_key(rag.tenants.get("acme"), ("query",)).key
    server = BackgroundServer(create_app(settings, rag=rag)).start()
    yield Served(server.url, rag, operator, tenant_key)
    server.stop()
    rag.close()


@pytest.fixture(scope="module")
def op(served: Served) -> Iterator[Client]:
    with Client(served.url, served.operator_key) as client:
        yield client


@pytest.fixture(scope="module")
def trained(served: Served, op: Client) -> dict[str, Any]:
    """One tiny run over HTTP: the 202 answer, the progress seen while polling, the result."""
    with httpx.Client(base_url=served.url, timeout=60) as http:
        answer = http.post(
            "/v1/admin/tenants/acme/train",
            json=TINY,
            headers={"Authorization": f"Bearer {served.operator_key}"},
        )
    seen: list[tuple[int, int | None]] = []
    job = op.wait(answer.json()["id"], progress=lambda done, total: seen.append((done, total)))
    return {"answer": answer, "seen": seen, "job": job}


def test_a_training_run_is_a_job_with_progress_in_steps(trained: dict[str, Any]) -> None:
    answer = trained["answer"]
    assert answer.status_code == 202
    assert answer.headers["location"] == f"/v1/admin/jobs/{answer.json()['id']}"
    job = trained["job"]
    assert (job.kind, job.status, job.tenant) == ("train", "succeeded", "acme")
    steps = job.result["card"]["privacy"]["steps"]
    assert steps > 0 and (job.done, job.total) == (steps, steps)
    assert trained["seen"][-1] == (steps, steps)
    assert job.result["card"]["privacy"]["private"] is True


def test_budgets_are_shown_and_set_over_http(trained: dict[str, Any], op: Client) -> None:
    ledger = op.budget("acme")
    assert ledger["tenant"] == "acme" and "tenant_id" not in ledger
    spent = ledger["spent_epsilon"]
    assert spent == pytest.approx(trained["job"].result["card"]["privacy"]["epsilon"], rel=1e-6)
    with pytest.raises(InvalidInput):
        op.set_budget("acme", spent / 2)
    assert op.set_budget("acme", 20.0)["budget"]["epsilon"] == 20.0
    assert op.budget("acme")["budget"]["epsilon"] == 20.0


def test_what_a_run_would_refuse_is_refused_before_a_job_starts(
    trained: dict[str, Any], op: Client
) -> None:
    jobs = len(op.jobs())
    with pytest.raises(InvalidInput, match="epsilon"):
        op.start_training("acme", **{**TINY, "epsilon": -1})
    with pytest.raises(InvalidInput):
        op.start_training("acme", **{**TINY, "learning_rates": 3})
    assert len(op.jobs()) == jobs


def test_a_run_over_budget_fails_its_job_with_the_budget_error(
    trained: dict[str, Any], op: Client
) -> None:
    spent = op.budget("acme")["spent_epsilon"]
    op.set_budget("acme", spent + 0.01)
    try:
        with pytest.raises(BudgetExhausted):
            op.train("acme", **TINY)
        assert op.budget("acme")["spent_epsilon"] == spent
    finally:
        op.set_budget("acme", 20.0)


def test_models_are_listed_shown_and_verified_over_http(
    trained: dict[str, Any], op: Client
) -> None:
    version = trained["job"].result["version"]
    listing = op.list_models("acme")
    assert [m["version"] for m in listing["models"]] == [version]
    assert op.model_card("acme", version) == trained["job"].result["card"]
    assert op.verify_model("acme", version)["ok"] is True


def test_after_activation_and_rollback_chunks_name_the_serving_model(
    served: Served, trained: dict[str, Any], op: Client
) -> None:
    version = trained["job"].result["version"]
    with Client(served.url, served.tenant_key) as tenant:
        base = tenant.query("parking garage", k=3)
        assert {h.provenance.embedding_model for h in base.hits} == {base.model_id}
        switch = op.activate_model("acme", version)
        assert switch["version"] == version
        after = tenant.query("parking garage", k=24)
        assert after.model_id.endswith(f"/v{version}")
        assert {h.provenance.embedding_model for h in after.hits} == {after.model_id}
        assert {h.provenance.embedding_digest for h in after.hits} == {after.model_digest}
        doc = served.rag.get_document("acme", after.hits[0].doc_id)
        assert (doc.embedding_model, doc.embedding_digest) == (after.model_id, after.model_digest)
        op.rollback_model("acme")
        back = tenant.query("parking garage", k=24)
        assert back.model_id == base.model_id
        assert {h.provenance.embedding_model for h in back.hits} == {base.model_id}


def test_the_cli_trains_shows_and_budgets_against_the_server(
    served: Served, trained: dict[str, Any]
) -> None:
    env = {"PRIVRAG_URL": served.url, "PRIVRAG_OPERATOR_KEY": served.operator_key}
    version = str(trained["job"].result["version"])
    result = runner.invoke(app, ["budget", "--tenant", "acme", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tenant"] == "acme"
    result = runner.invoke(app, ["budget", "--tenant", "acme"], env=env)
    assert result.exit_code == 0 and result.stdout.startswith("acme: spent ε=")
    result = runner.invoke(app, ["model", "show", "--tenant", "acme", version, "--json"], env=env)
    assert result.exit_code == 0 and json.loads(result.stdout) == trained["job"].result["card"]
    # Over budget: the job fails and the command exits with the budget error's code (8).
    result = runner.invoke(app, ["budget", "--tenant", "acme", "--set-epsilon", "0.001"], env=env)
    assert result.exit_code == 2
    with Client(served.url, served.operator_key) as client:
        spent = client.budget("acme")["spent_epsilon"]
    runner.invoke(app, ["budget", "--tenant", "acme", "--set-epsilon", str(spent + 0.01)], env=env)
    result = runner.invoke(app, ["train", "--tenant", "acme", "--force", "--epsilon", "4"], env=env)
    assert result.exit_code == BudgetExhausted.exit_code and "budget" in result.stderr
    runner.invoke(app, ["budget", "--tenant", "acme", "--set-epsilon", "20"], env=env)
