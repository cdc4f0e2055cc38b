"""What an adversary found on a live server and its data dir (issue #12), each closed and held
here over real HTTP on loopback: budgets, metrics labels, audit targets and signatures,
two-person rules, input edges, slow and broken clients, cost admission, tampered points,
file modes."""

from __future__ import annotations

import json
import socket
import stat
import struct
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from privrag.access import Access
from privrag.audit import head_path
from privrag.cli import app as cli
from privrag.ingest.codec import PointPayload, to_text
from privrag.store import Field
from tests.api.conftest import Api
from tests.api.test_auth import error

runner = CliRunner()


def audit_lines(api: Api, until: Any = None) -> list[dict[str, Any]]:
    """The audit log; with ``until(lines)``, waits for it: the gateway appends a request's line
    just after the answer has left."""
    deadline = time.monotonic() + 10
    while True:
        lines = [json.loads(line) for line in api.audit_path.read_text().splitlines()]
        if until is None or until(lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def ingest(client, docs: list[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/documents", json={"documents": docs})
    assert response.status_code == 200, response.text


NOTES = [
    {"id": f"n{i}", "text": f"Parcel note {i}: the courier left the parcel."} for i in range(12)
]


# 2. The retrieval budget is reserved before the search, per key and per tenant.


def test_concurrent_queries_never_exceed_the_retrieval_budget(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_retrieval_budget_per_hour=50)
    client = api.tenant_client("acme")
    ingest(client, NOTES)

    def query(_: int) -> int:
        response = client.post("/v1/query", json={"query": "parcel courier", "k": 10})
        return len(response.json()["results"]) if response.status_code == 200 else 0

    with ThreadPoolExecutor(max_workers=20) as pool:
        served = sum(pool.map(query, range(20)))
    assert 0 < served <= 50


def test_a_tenants_keys_share_one_retrieval_budget(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(
        api_retrieval_budget_per_hour=1_000, api_retrieval_budget_per_tenant_hour=25
    )
    keys = [api.tenant_client("acme") for _ in range(3)]
    ingest(keys[0], NOTES)
    served = 0
    for client in keys * 2:
        response = client.post("/v1/query", json={"query": "parcel", "k": 10})
        if response.status_code == 200:
            served += len(response.json()["results"])
        else:
            assert error(response) == (429, "retrieval_budget_exhausted")
    assert served <= 25
    other = api.tenant_client("globex")
    ingest(other, NOTES[:2])
    assert other.post("/v1/query", json={"query": "parcel", "k": 2}).status_code == 200


# 3 and 18. Metric labels are bounded; /metrics needs a credential.


def test_junk_methods_add_no_metric_series(api: Api) -> None:
    client = api.client()
    for i in range(30):
        client.request(f"JUNK{i}", "/healthz")
    metrics = api.operator.get("/metrics").text
    assert "JUNK" not in metrics
    methods = {
        line.split('method="')[1].split('"')[0]
        for line in metrics.splitlines()
        if 'method="' in line
    }
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"}
    assert "JUNK" not in api.audit_path.read_text()


def test_metrics_need_the_operator_key_or_the_metrics_token(serve_api) -> None:  # type: ignore[no-untyped-def]
    token = "m" * 40
    api: Api = serve_api(metrics_token=token)
    assert error(api.client().get("/metrics")) == (401, "unauthenticated")
    assert error(api.tenant_client("acme").get("/metrics")) == (403, "operator_only")
    assert api.client(token).get("/metrics").status_code == 200
    assert api.operator.get("/metrics").status_code == 200
    public: Api = serve_api(metrics_public=True)
    assert public.client().get("/metrics").status_code == 200


# 5 and 6. Operator actions name their target; who may revoke whom; two named operators.


def test_operator_actions_are_audited_with_their_target(api: Api) -> None:
    from privrag.pii import PiiPolicy

    acme = api.tenant_client("acme")
    api.rag.tenants.set_pii_policy("acme", PiiPolicy(operator="reversible"))
    ingest(acme, [{"id": "tickets/r1", "text": "Complaint from otto@example.com."}])
    created = api.operator.post("/v1/admin/tenants/acme/keys", json={"scopes": ["query"]}).json()
    assert api.operator.delete(f"/v1/admin/keys/{created['key_id']}").status_code == 200
    assert api.operator.post("/v1/admin/tenants/acme/suspend").status_code == 200
    revealed = api.operator.post("/v1/admin/tenants/acme/documents/tickets/r1/reveal")
    assert revealed.status_code == 200, revealed.text
    reveal_route = "POST /v1/admin/tenants/{name}/documents/{doc_id:path}/reveal"
    lines = audit_lines(api, lambda lines: any(e.get("route") == reveal_route for e in lines))
    by_route = {e["route"]: e for e in lines if e.get("status") in (200, 201)}
    uid = api.rag.document_uid("acme", "tickets/r1")
    reveal = by_route[reveal_route]
    assert reveal["target"] == {"tenant": "acme", "doc_uid": uid} and reveal["tenant"] == "acme"
    assert "tickets/r1" not in json.dumps(reveal) and "otto" not in api.audit_path.read_text()
    revoke = by_route["DELETE /v1/admin/keys/{key_id}"]
    assert revoke["target"] == {"tenant": "acme", "key_id": created["key_id"]}
    assert by_route["POST /v1/admin/tenants/{name}/suspend"]["target"] == {"tenant": "acme"}
    created_key = by_route["POST /v1/admin/tenants/{name}/keys"]["target"]
    assert created_key == {"tenant": "acme", "key_id": created["key_id"]}


def test_an_operator_revokes_tenant_keys_and_itself_never_another_operator(api: Api) -> None:
    access = Access(api.rag._runtime.catalog, clock=api.rag.clock)
    other = access.issue_operator_key("bob")
    assert error(api.operator.delete(f"/v1/admin/keys/{other.key_id}")) == (403, "access_denied")
    assert api.client(other.key).get("/v1/admin/tenants").status_code == 200
    assert api.client(other.key).delete(f"/v1/admin/keys/{other.key_id}").status_code == 200
    assert error(api.client(other.key).get("/v1/admin/tenants")) == (401, "unauthenticated")


def test_the_env_operator_key_is_no_approver_and_one_person_is_not_two(serve_api) -> None:  # type: ignore[no-untyped-def]
    env_key = "e" * 40
    api: Api = serve_api(operator_key=env_key)
    acme = api.tenant_client("acme")
    ingest(acme, [{"id": "a1", "text": "Quarterly numbers."}])
    access = Access(api.rag._runtime.catalog, clock=api.rag.clock)
    alice, alice_again, bob = (access.issue_operator_key(n) for n in ("alice", "alice", "bob"))
    shared = api.client(env_key)

    assert error(shared.post("/v1/admin/tenants/acme/deletion")) == (403, "operator_only")
    request_id = api.client(alice.key).post("/v1/admin/tenants/acme/deletion").json()["request_id"]
    assert error(shared.post(f"/v1/admin/deletions/{request_id}/approve")) == (403, "operator_only")
    second_alice = api.client(alice_again.key).post(f"/v1/admin/deletions/{request_id}/approve")
    assert error(second_alice) == (403, "access_denied")
    assert acme.get("/v1/documents/a1").status_code == 200
    approved = api.client(bob.key).post(f"/v1/admin/deletions/{request_id}/approve")
    assert approved.status_code == 200, approved.text

    def approved_line(e: dict[str, Any]) -> bool:
        return str(e.get("route")).endswith("/approve") and e.get("status") == 200

    line = [e for e in audit_lines(api, lambda ls: any(map(approved_line, ls))) if approved_line(e)]
    assert line[0]["target"] == {"tenant": "acme", "request_id": request_id}


# 8. Ingest is admitted by cost.


def test_ingest_is_admitted_by_characters_per_request_and_per_tenant(serve_api, clock) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(
        api_max_request_chars=1_000, api_ingest_chars_per_second=100, api_ingest_chars_burst=1_500
    )
    acme = api.tenant_client("acme")
    word = "parcel "
    big = [{"id": f"b{i}", "text": word * 86} for i in range(2)]  # 1,204 characters
    assert error(acme.post("/v1/documents", json={"documents": big})) == (422, "invalid_input")
    ingest(acme, [{"id": "ok1", "text": word * 128}])  # 896 characters
    refused = acme.post("/v1/documents", json={"documents": [{"id": "ok2", "text": word * 128}]})
    assert error(refused) == (429, "ingest_rate_limited")
    assert int(refused.headers["retry-after"]) >= 1
    ingest(api.tenant_client("globex"), [{"id": "g1", "text": word * 128}])
    clock.advance(10)
    ingest(acme, [{"id": "ok2", "text": word * 128}])


def test_ingest_runs_a_bounded_number_at_once(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_ingest_concurrency=1, api_ingest_queue=0, api_ingest_wait_s=0)
    clients = [api.tenant_client(name) for name in ("acme", "globex", "initech", "hooli")]
    text = "Maria Lopez met Jonas Berg and Priya Natarajan in Lisbon. " * 120

    def post(client) -> int:  # type: ignore[no-untyped-def]
        body = {"documents": [{"id": "long", "text": text}]}
        return int(client.post("/v1/documents", json=body).status_code)

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(post, clients))
    assert 200 in statuses and 429 in statuses
    assert set(statuses) <= {200, 429}


# 9, 12 and 19. Input edges: nothing stored that cannot be returned; strict types.


def test_metadata_that_could_not_be_returned_is_refused_at_ingest(api: Api) -> None:
    acme = api.tenant_client("acme")
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(256):
        node["a"] = {}
        node = node["a"]
    raw_surrogate = b'{"documents": [{"id": "s1", "text": "hello", "metadata": {"k": "\\ud800"}}]}'
    for response in (
        acme.post(
            "/v1/documents", json={"documents": [{"id": "d1", "text": "hi", "metadata": deep}]}
        ),
        acme.post(
            "/v1/documents", content=raw_surrogate, headers={"content-type": "application/json"}
        ),
        acme.post(
            "/v1/documents",
            content=raw_surrogate.replace(b'"hello"', b'"x\\udc00"'),
            headers={"content-type": "application/json"},
        ),
    ):
        assert error(response) == (422, "invalid_input")
    assert acme.get("/v1/documents").json()["documents"] == []
    ingest(acme, [{"id": "d2", "text": "hi", "metadata": {"a": {"b": [1, "é", None]}}}])
    assert acme.get("/v1/documents/d2").json()["metadata"] == {"a": {"b": [1, "é", None]}}


def test_names_and_ids_with_a_trailing_newline_are_refused(api: Api) -> None:
    assert error(api.operator.post("/v1/admin/tenants", json={"name": "acme\n"})) == (
        422,
        "invalid_input",
    )
    acme = api.tenant_client("acme")
    response = acme.post("/v1/documents", json={"documents": [{"id": "report\n", "text": "x y"}]})
    assert error(response) == (422, "invalid_input")
    # No route takes a newline in a path segment at all.
    assert acme.get("/v1/documents/report%0A").status_code in (404, 422)


@pytest.mark.parametrize(
    "body",
    [
        {"query": "parcel", "k": True},
        {"query": "parcel", "k": "5"},
        {"query": "parcel", "k": 2.0},
    ],
    ids=["bool-k", "string-k", "float-k"],
)
def test_query_fields_take_strict_json_types(api: Api, body: dict[str, Any]) -> None:
    assert error(api.tenant_client("acme").post("/v1/query", json=body)) == (422, "invalid_input")


def test_retention_days_true_is_refused_not_one_day(api: Api) -> None:
    acme = api.tenant_client("acme")
    doc = {"id": "r1", "text": "Keep me.", "retention_days": True}
    assert error(acme.post("/v1/documents", json={"documents": [doc]})) == (422, "invalid_input")


def test_the_document_limit_is_what_the_readme_says(api: Api) -> None:
    assert api.rag.settings.max_document_chars == 1_000_000
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "1,000,000 / 2,000 / 100" in readme


# 10 and 15. Clear payload fields are checked against the catalog; a bad point is skipped.


def _point(api: Api, tenant: str, doc_id: str) -> Any:
    runtime = api.rag._runtime
    tenant_row = api.rag.tenants.get(tenant)
    uid = runtime.doc_uid(tenant_row, doc_id)
    return tenant_row, uid, next(iter(runtime.store.points(tenant_row.id, doc_uid=uid)))


def test_an_edited_clear_classification_does_not_pass_the_filter(api: Api) -> None:
    acme = api.tenant_client("acme")
    ingest(
        acme,
        [
            {
                "id": "secret",
                "text": "Merger plan for the parcel business.",
                "classification": "restricted",
            },
            {"id": "open", "text": "Parcel opening hours.", "classification": "public"},
        ],
    )
    tenant, uid, _ = _point(api, "acme", "secret")
    api.rag._runtime.store.set_fields(tenant.id, uid, {Field.CLS: "public"})
    body = {"query": "merger parcel", "k": 5, "filter": {"classification": ["public"]}}
    found = acme.post("/v1/query", json=body).json()["results"]
    assert [hit["doc_id"] for hit in found] == ["open"]


def test_a_tampered_point_is_skipped_counted_and_audited_not_a_500(api: Api) -> None:
    acme = api.tenant_client("acme")
    ingest(acme, NOTES[:3])
    tenant, uid, point = _point(api, "acme", "n0")
    payload = PointPayload.from_dict(point.payload)
    broken = bytearray(payload.sealed)
    broken[-1] ^= 1
    api.rag._runtime.store.set_fields(tenant.id, uid, {Field.SEALED: to_text(bytes(broken))})
    response = acme.post("/v1/query", json={"query": "parcel courier", "k": 5})
    assert response.status_code == 200, response.text
    assert sorted(hit["doc_id"] for hit in response.json()["results"]) == ["n1", "n2"]
    assert "privrag_unreadable_points_total 1.0" in api.operator.get("/metrics").text
    lines = audit_lines(api, lambda ls: any("unreadable_points" in e for e in ls))
    query_lines = [e for e in lines if e["route"] == "POST /v1/query"]
    assert query_lines[-1]["unreadable_points"] == 1


# 4. A single delete leaves the shard files within the documented window.


def _shard_bytes(api: Api, tenant_id: str) -> bytes:
    """Every byte of the tenant's shard, read in one complete pass: the compactor may replace
    segment files while we walk them, so a pass that loses a file is taken again."""
    shard = api.data_dir / "shards" / tenant_id
    while True:
        try:
            return b"".join(p.read_bytes() for p in shard.rglob("*") if p.is_file())
        except FileNotFoundError:
            time.sleep(0.05)


def test_a_deleted_documents_vector_and_payload_leave_the_shard_files(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(compact_delay_s=0.5)
    acme = api.tenant_client("acme")
    ingest(acme, [{"id": "gone", "text": "Penguin colony census."}, {"id": "kept", "text": "Owl."}])
    tenant = api.rag.tenants.get("acme")
    uid = api.rag._runtime.doc_uid(tenant, "gone")
    points, _ = api.rag._runtime.store.scroll_points(tenant.id, limit=100)
    stored = next(p for p in points if p.payload[Field.DOC] == uid)
    vector = struct.pack("<8f", *stored.vector[:8])
    sealed = stored.payload[Field.SEALED][:48].encode()
    api.rag._runtime.store.compact(tenant.id)  # everything on disk, so the scan can see it
    assert vector in _shard_bytes(api, tenant.id) and sealed in _shard_bytes(api, tenant.id)
    assert acme.delete("/v1/documents/gone").status_code == 200
    deadline = time.monotonic() + 30
    while vector in _shard_bytes(api, tenant.id) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _shard_bytes(api, tenant.id)
    assert vector not in left and sealed not in left
    assert acme.post("/v1/query", json={"query": "owl", "k": 1}).status_code == 200


# 11. Failed authentication is throttled and its audit lines aggregated.


def test_a_flood_of_bad_keys_is_throttled_and_aggregated_in_the_audit(serve_api, clock) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_auth_failure_burst=5, api_auth_failures_per_second=1.0)
    good = api.tenant_client("acme")
    bad = api.client("prk_k0000000000000000_forged")
    codes = [error(bad.get("/v1/documents")) for _ in range(30)]
    assert codes[:5] == [(401, "unauthenticated")] * 5
    assert set(codes[5:]) == {(429, "auth_throttled")}
    assert error(good.get("/v1/documents")) == (429, "auth_throttled")
    lines = audit_lines(api)
    assert sum(1 for e in lines if e.get("status") == 401) == 5
    assert len([e for e in lines if e["event"] == "auth_throttled"]) == 1
    clock.advance(2)
    assert good.get("/v1/documents").status_code == 200
    metrics = api.operator.get("/metrics").text
    assert 'privrag_rate_limit_hits_total{limit="auth_failures"} 26.0' in metrics


# 13 and 14. Broken and slow clients.


def _raw(api: Api) -> socket.socket:
    host, port = api.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def test_a_body_cut_short_by_a_disconnect_is_not_ingested(api: Api) -> None:
    api.tenant("acme")
    acme_key = api.key("acme")
    body = json.dumps({"documents": [{"id": "half", "text": "A half-sent note about parcels."}]})
    sock = _raw(api)
    head = (
        "POST /v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {acme_key}\r\nContent-Length: {len(body) + 40}\r\n\r\n"
    )
    sock.sendall(head.encode() + body.encode())
    time.sleep(0.5)
    sock.close()
    audit_lines(api, lambda ls: any(e.get("status") == 499 for e in ls))
    assert any(
        e.get("status") == 499 and e.get("code") == "client_disconnected" for e in audit_lines(api)
    )
    assert api.client(acme_key).get("/v1/documents").json()["documents"] == []
    assert not any(
        e["route"] == "POST /v1/documents" and e["status"] == 200 for e in audit_lines(api)
    )


def test_slow_headers_are_cut_off_and_a_slow_body_is_408(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_header_timeout_s=1.0, api_body_timeout_s=1.0)
    sock = _raw(api)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    assert sock.recv(1024) == b""  # closed by the server, no answer
    assert time.monotonic() - started < 10
    sock.close()
    sock = _raw(api)
    sock.sendall(b"POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408")
    sock.close()


# 16. Everything the server creates in the data dir is private to its user.


def test_data_dir_files_are_created_0600_and_folders_0700(api: Api) -> None:
    acme = api.tenant_client("acme")
    ingest(acme, NOTES[:2])
    acme.post("/v1/query", json={"query": "parcel"})
    loose = []
    for path in [api.data_dir, *api.data_dir.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            loose.append(f"{path.relative_to(api.data_dir)} {mode:o}")
    assert loose == []
    names = {p.name for p in api.data_dir.rglob("*")}
    assert {"catalog.db", "audit.head", "edge_config.json"} <= names or api.rag.settings.catalog_url


# 17. The audit head is signed: a re-chained log with a rewritten head fails.


def test_removing_lines_rechaining_and_rewriting_the_head_fails_verification(
    api: Api, tmp_path: Path
) -> None:
    from privrag.audit.chain import Cursor, canonical

    client = api.tenant_client("acme")
    for _ in range(4):
        client.get("/v1/documents")
    pem = tmp_path / "signing.pem"
    pem.write_text(api.rag.signer.public_key_pem())
    ok = runner.invoke(
        cli, ["audit", "verify", "--path", str(api.audit_path), "--public-key", str(pem)]
    )
    assert ok.exit_code == 0, ok.output

    lines = audit_lines(api)
    kept = [e for i, e in enumerate(lines) if i not in (1, 2)]
    cursor, forged = Cursor(), []
    for seq, event in enumerate(kept, start=1):
        body = {k: v for k, v in event.items() if k not in ("hash", "prev")}
        record = cursor.link({**body, "seq": seq})
        record["hash"] = cursor.prev
        forged.append(canonical(record).decode())
    copy = tmp_path / "audit.jsonl"
    copy.write_text("".join(line + "\n" for line in forged))
    old_head = json.loads(head_path(api.audit_path).read_text())
    head_path(copy).write_text(json.dumps({**old_head, "seq": len(forged), "hash": cursor.prev}))
    result = runner.invoke(cli, ["audit", "verify", "--path", str(copy), "--public-key", str(pem)])
    assert result.exit_code == 6 and "signature" in result.output
