"""privrag.Client and privrag.AsyncClient against a real server on loopback: typed answers (the
service's own value objects), the service's own error classes, retries that honour Retry-After,
and long operations as jobs."""

from __future__ import annotations

import asyncio

import pytest

import privrag
from privrag import Document, errors
from privrag.retention import RetentionPolicy
from tests.api.conftest import Api

DAY = 86_400


def operator(api: Api) -> privrag.Client:
    return privrag.Client(api.url, api.operator_key, max_retries=0)


def tenant_client(api: Api, name: str) -> privrag.Client:
    with operator(api) as op:
        if name not in [t.name for t in op.list_tenants()]:
            op.create_tenant(name)
        key = op.create_key(name).key
    return privrag.Client(api.url, key, max_retries=0)


def test_tenant_key_calls_answer_with_the_services_value_objects(api: Api) -> None:
    with tenant_client(api, "acme") as acme:
        reports = acme.ingest(
            [Document(id="t-1", text="Maria (maria@example.com) wants a refund.")]
        )
        assert reports == [privrag.IngestReport("t-1", 1, {"EMAIL_ADDRESS": 1, "PERSON": 1}, False)]
        result = acme.query("refund request", k=3)
        assert isinstance(result, privrag.QueryResult) and result.model_digest
        hit = result.hits[0]
        assert isinstance(hit.provenance, privrag.Provenance)
        assert "maria@example.com" not in hit.text and hit.provenance.doc_id == "t-1"
        info = acme.get_document("t-1")
        assert isinstance(info, privrag.DocumentInfo) and info.chunks == 1
        assert acme.list_documents() == ["t-1"]
        acme.delete("t-1")
        with pytest.raises(privrag.NotFound, match="no document"):
            acme.get_document("t-1")


def test_errors_come_back_as_the_same_classes_a_local_call_raises(api: Api) -> None:
    stranger = privrag.Client(api.url, "prk_nope_nope", max_retries=0)
    with stranger, pytest.raises(errors.Unauthenticated):
        stranger.list_documents()
    with tenant_client(api, "acme") as acme:
        with pytest.raises(privrag.InvalidInput):
            acme.query("x", k=0)
        with pytest.raises(privrag.InvalidInput, match="unknown PII entity type"):
            acme.forget("jane@example.com", entity_type="FOO")
    with operator(api) as op:
        with pytest.raises(privrag.TenantNotFound):
            op.retention("nobody")
        with pytest.raises(privrag.InvalidInput, match="FOO"):
            op.update_pii_policy("acme", add=["FOO"])


def test_a_429_is_retried_after_the_servers_retry_after(serve_api, clock) -> None:  # type: ignore[no-untyped-def]
    api = serve_api(api_rate_per_key=1.0, api_burst_per_key=1)
    waited: list[float] = []

    def sleep(seconds: float) -> None:  # the server's rate clock moves instead of the test sleeping
        waited.append(seconds)
        clock.advance(seconds)

    with privrag.Client(api.url, api.operator_key, max_retries=2, sleep=sleep) as op:
        op.create_tenant("acme")
        assert [t.name for t in op.list_tenants()] == ["acme"]
    assert waited and all(w >= 1 for w in waited)
    clock.advance(1)
    with privrag.Client(api.url, api.operator_key, max_retries=0) as impatient:
        impatient.list_tenants()
        with pytest.raises(errors.RateLimited) as caught:
            impatient.list_tenants()
    assert caught.value.retry_after >= 1


def test_a_sweep_runs_as_a_job_with_dry_run_as_of_and_progress(api: Api, clock) -> None:  # type: ignore[no-untyped-def]
    with tenant_client(api, "acme") as acme:
        acme.ingest(
            [
                Document(id="old", text="Quarterly numbers for the board.", retention_days=1),
                Document(id="kept", text="The office moves in spring."),
            ]
        )
    with operator(api) as op:
        as_of = int(clock() + 2 * DAY)
        preview = op.sweep("acme", dry_run=True, as_of=as_of)
        assert [(r.tenant, r.deleted, r.receipt) for r in preview] == [("acme", ["old"], None)]
        clock.advance(2 * DAY)
        job = op.start_sweep("acme")
        assert job.kind == "sweep" and job.status in ("queued", "running", "succeeded")
        seen: list[tuple[int, int | None]] = []
        done = op.wait(job, poll=0.05, progress=lambda d, t: seen.append((d, t)))
        assert done.status == "succeeded" and done.result["tenants"]["acme"]["deleted"] == ["old"]
        assert seen and op.job(job.id).finished
        assert job.id in [j.id for j in op.jobs()]
        with pytest.raises(privrag.InvalidInput, match="dry_run"):
            op.start_sweep("acme", as_of=as_of)
        assert op.verify_receipts().ok and op.verify_receipts().count == 1


def test_retention_changes_merge_instead_of_replacing(api: Api) -> None:
    with operator(api) as op:
        op.create_tenant("acme")
        policy, _ = op.update_retention("acme", by_class={"restricted": 30})
        policy, _ = op.update_retention("acme", default_days=365)
        assert policy == RetentionPolicy(default_days=365, by_class={"restricted": 30})
        policy, _ = op.update_retention("acme", by_class={"public": 7})
        assert policy == RetentionPolicy(365, {"public": 7, "restricted": 30})
        policy, _ = op.update_retention("acme", drop_default=True, by_class={"public": None})
        assert policy == RetentionPolicy(None, {"restricted": 30})
        policy, _ = op.update_retention("acme", clear=True, default_days=10)
        assert op.retention("acme") == policy == RetentionPolicy(10, {})


def test_holds_keys_and_pending_offboardings_are_listed(api: Api) -> None:
    with tenant_client(api, "acme") as acme:
        acme.ingest([Document(id="contract-17", text="Signed lease for the warehouse.")])
    with operator(api) as op:
        op.create_tenant("globex")
        op.hold_document("acme", "contract-17")
        op.hold_tenant("globex")
        assert op.holds() == {"tenants": ["globex"], "documents": {"acme": ["contract-17"]}}
        op.hold_document("acme", "contract-17", hold=False)
        op.hold_tenant("globex", hold=False)
        assert op.holds() == {"tenants": [], "documents": {}}

        keys = op.list_keys("acme")
        assert len(keys) == 1 and keys[0]["scopes"] == ["delete", "ingest", "query"]
        assert "key" not in keys[0] and keys[0]["revoked_at"] is None
        second = op.create_operator_key("bob")
        assert second.key_id in [k["key_id"] for k in op.list_keys()]
        with pytest.raises(errors.AccessDenied):  # another operator's key: only on the host
            op.revoke_key(second.key_id)
        with privrag.Client(api.url, second.key, max_retries=0) as bob:
            bob.revoke_key(second.key_id)  # an operator may revoke its own key
            with pytest.raises(errors.Unauthenticated):
                bob.list_tenants()

        request_id = op.request_offboarding("globex")
        assert [(p["request_id"], p["tenant"]) for p in op.pending_offboardings()] == [
            (request_id, "globex")
        ]
        op.cancel_offboarding(request_id)
        assert op.pending_offboardings() == []


def test_model_switches_are_jobs_refused_up_front_when_the_version_is_unknown(api: Api) -> None:
    with operator(api) as op:
        op.create_tenant("acme")
        assert op.list_models("acme") == {"active": None, "models": []}
        with pytest.raises(privrag.NotFound):
            op.start_activation("acme", 3)
        with pytest.raises(privrag.InvalidInput, match="base model"):
            op.rollback_model("acme")  # the job fails; wait() raises its error
        assert op.verify_model("acme")["ok"] is True


def test_the_async_client_speaks_the_same_api(api: Api) -> None:
    with tenant_client(api, "acme") as sync:
        key = sync._http.headers["Authorization"].removeprefix("Bearer ")

    async def run() -> tuple[list[privrag.IngestReport], privrag.QueryResult]:
        async with privrag.AsyncClient(api.url, key, max_retries=0) as acme:
            reports = await acme.ingest([Document(id="a-1", text="Invoice 7 is overdue.")])
            result = await acme.query("overdue invoice")
            with pytest.raises(privrag.NotFound):
                await acme.get_document("missing")
            return reports, result

    reports, result = asyncio.run(run())
    assert reports[0].doc_id == "a-1" and result.hits[0].doc_id == "a-1"
