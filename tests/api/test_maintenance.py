"""Re-scrubbing after a PII policy change and vector re-protection run as ``202`` jobs with
progress over real HTTP, through the SDK and the CLI in client mode; both are idempotent and
resume after a crash."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from privrag import Client, Conflict
from privrag.cli import app
from privrag.models import Document
from tests.api.conftest import Api

runner = CliRunner()
MAC = "00:1A:2B:3C:4D:5E"
DOCS = [
    Document(id="net-1", text=f"The badge reader in hall B has MAC {MAC} and reboots nightly."),
    Document(id="net-2", text="The parking garage opens at seven; the barrier is slow."),
    Document(id="net-3", text=f"Replace the switch with MAC {MAC} before the audit."),
]


@pytest.fixture
def acme(api: Api) -> Iterator[Client]:
    """Tenant acme with three documents, two of them naming a MAC address (not PII by default);
    the operator's SDK client."""
    with Client(api.url, api.key_for("acme")) as tenant:
        tenant.ingest(DOCS)
    with Client(api.url, api.operator_key) as operator:
        yield operator


def texts(api: Api, doc_id: str) -> str:
    """The document's stored (scrubbed) chunks, joined."""
    return " ".join(api.rag.document_texts("acme", [doc_id])[0][1])


def test_a_policy_change_then_a_rescrub_job_scrubs_what_is_already_stored(
    api: Api, acme: Client
) -> None:
    assert MAC in texts(api, "net-1")
    before = api.rag.get_document("acme", "net-1")
    acme.update_pii_policy("acme", add=["MAC_ADDRESS"])
    response = api.operator.post("/v1/admin/tenants/acme/pii/rescrub")
    assert response.status_code == 202
    assert response.headers["location"] == f"/v1/admin/jobs/{response.json()['id']}"
    job = acme.wait(response.json()["id"])
    assert job.kind == "pii_rescrub" and (job.done, job.total) == (3, 3)
    assert job.result["rescrubbed"] == 3 and job.result["entities"] == {"MAC_ADDRESS": 2}
    for doc_id in ("net-1", "net-3"):
        assert MAC not in texts(api, doc_id)
    assert "<MAC_ADDRESS>" in texts(api, "net-1")
    # Provenance names the new policy, and the document keeps its date and its counts grow.
    after = api.rag.get_document("acme", "net-1")
    assert after.ingested_at == before.ingested_at and after.expires_at == before.expires_at
    assert after.entities.get("MAC_ADDRESS") == 1
    with Client(api.url, api.key_for("acme")) as tenant:
        hit = tenant.query("badge reader hall B", k=1, mode="dense").hits[0]
    assert hit.doc_id == "net-1" and MAC not in hit.text
    assert hit.provenance.scrubber_config == job.result["scrubber_config"]
    assert hit.provenance.scrubber_config != before_config(api)
    # Erasure by identifier reaches what the new policy found.
    assert sorted(acme.forget_in("acme", MAC).deleted) == ["net-1", "net-3"]


def before_config(api: Api) -> str:
    from privrag.pii import PiiPolicy

    return api.rag._runtime.scrubber.config_digest_for(PiiPolicy())


def test_a_rescrub_is_idempotent_and_resumes_after_a_crash(api: Api, acme: Client) -> None:
    acme.update_pii_policy("acme", add=["MAC_ADDRESS"])
    crashed = api.rag.rescrub("acme", stop_after=1)
    assert not crashed.finished and crashed.rescrubbed == 1
    resumed = acme.rescrub("acme")
    assert (resumed["rescrubbed"], resumed["unchanged"]) == (2, 1)
    again = acme.rescrub("acme")
    assert (again["rescrubbed"], again["unchanged"]) == (0, 3)
    assert api.rag._runtime.store.count(api.rag.tenants.get("acme").id) == 3


def test_a_looser_policy_cannot_bring_back_what_a_stricter_one_removed(
    api: Api, acme: Client
) -> None:
    acme.update_pii_policy("acme", add=["MAC_ADDRESS"])
    acme.rescrub("acme")
    acme.update_pii_policy("acme", drop=["MAC_ADDRESS"])
    assert acme.rescrub("acme")["rescrubbed"] == 3
    assert "<MAC_ADDRESS>" in texts(api, "net-1") and MAC not in texts(api, "net-1")


def test_reprotection_is_a_job_with_progress_and_keeps_answers(api: Api, acme: Client) -> None:
    with Client(api.url, api.key_for("acme")) as tenant:
        before = [h.doc_id for h in tenant.query("parking garage", k=3).hits]
        version = api.rag._runtime.keyring.vector_scheme(
            api.rag.tenants.get("acme").id, dim=api.rag.embedder.dim
        ).version
        seen: list[tuple[int, int | None]] = []
        done = acme.reprotect_vectors("acme", progress=lambda d, t: seen.append((d, t)))
        assert done["finished"] and done["rewritten"] == 3 and done["version"] == version + 1
        assert seen[-1] == (3, 3)
        assert tenant.query("parking garage", k=3).hits[0].doc_id == before[0]
    kinds = [j.kind for j in acme.jobs()]
    assert "vector_reprotect" in kinds


def test_maintenance_refuses_while_a_model_switch_is_under_way(api: Api, acme: Client) -> None:
    from privrag.catalog import ReembedJob

    tenant_id = api.rag.tenants.get("acme").id
    api.rag._runtime.catalog.models.begin_reembed(
        ReembedJob(tenant_id, "rollback", None, -1, "", 0)
    )
    with pytest.raises(Conflict, match="model switch"):
        acme.rescrub("acme")


def test_the_cli_runs_both_jobs_against_the_server(api: Api, acme: Client) -> None:
    env = {"PRIVRAG_URL": api.url, "PRIVRAG_OPERATOR_KEY": api.operator_key}
    code = runner.invoke(app, ["tenant", "pii-policy", "acme", "--add", "MAC_ADDRESS"], env=env)
    assert code.exit_code == 0
    result = runner.invoke(app, ["pii", "rescrub", "--tenant", "acme"], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "acme: 3 documents re-scrubbed (3 chunks; found MAC_ADDRESS 2), 0 already current\n"
    )
    result = runner.invoke(app, ["vectors", "reprotect", "--tenant", "acme", "--json"], env=env)
    assert result.exit_code == 0 and json.loads(result.stdout)["rewritten"] == 3
    result = runner.invoke(app, ["pii", "rescrub", "--tenant", "nobody"], env=env)
    assert result.exit_code != 0 and "nobody" in result.stderr
