"""Credentials: the tenant comes from the key and nowhere else; scopes, revocation, kill switch."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

DOC = {"id": "a1", "text": "Acme quarterly plan: expand the Lisbon office."}


def error(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "request_id"}
    assert body["error"]["request_id"] == response.headers["x-request-id"]
    return response.status_code, body["error"]["code"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}, {"Authorization": ""}],
    ids=["missing", "unknown", "wrong-scheme", "empty"],
)
def test_missing_or_invalid_key_is_401(api: Api, headers: dict[str, str]) -> None:
    response = api.client(**headers).post("/v1/query", json={"query": "plan"})
    assert error(response) == (401, "unauthenticated")


def test_a_forged_key_with_a_real_key_id_is_401(api: Api) -> None:
    api.tenant("acme")
    real = api.key("acme")
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    assert error(api.client(forged).get("/v1/documents")) == (401, "unauthenticated")


def test_keys_are_stored_only_as_hashes(api: Api) -> None:
    api.tenant("acme")
    key = api.key("acme")
    row = api.rag._runtime.catalog.api_keys.get(key.split("_", 2)[1])
    assert row is not None and row.key_hash != key.encode() and len(row.key_hash) == 32
    stored = b"".join(p.read_bytes() for p in api.data_dir.glob("catalog.db*"))
    assert key.split("_", 2)[2].encode() not in stored


def test_missing_scope_is_403_insufficient_scope(api: Api) -> None:
    reader = api.tenant_client("acme", scopes=("query",))
    assert error(reader.post("/v1/documents", json={"documents": [DOC]})) == (
        403,
        "insufficient_scope",
    )
    assert error(reader.delete("/v1/documents/a1")) == (403, "insufficient_scope")


def test_unknown_or_reserved_scopes_are_refused_422(api: Api) -> None:
    api.tenant("acme")
    for scopes in (["read-everything"], ["admin"], []):
        response = api.operator.post("/v1/admin/tenants/acme/keys", json={"scopes": scopes})
        assert error(response) == (422, "invalid_input")


def test_revocation_is_immediate(api: Api) -> None:
    api.tenant("acme")
    created = api.operator.post("/v1/admin/tenants/acme/keys", json={"scopes": ["query"]}).json()
    client = api.client(created["key"])
    assert client.get("/v1/documents").status_code == 200
    assert api.operator.delete(f"/v1/admin/keys/{created['key_id']}").json() == {
        "revoked": created["key_id"]
    }
    assert error(client.get("/v1/documents")) == (401, "unauthenticated")
    assert error(api.operator.delete(f"/v1/admin/keys/{created['key_id']}")) == (404, "not_found")


def test_key_creation_shows_the_key_once_with_its_id_and_scopes(api: Api) -> None:
    api.tenant("acme")
    response = api.operator.post(
        "/v1/admin/tenants/acme/keys", json={"scopes": ["query", "ingest"]}
    )
    body = response.json()
    assert response.status_code == 201 and set(body) == {"key_id", "key", "scopes", "tenant"}
    assert body["scopes"] == ["ingest", "query"] and body["tenant"] == "acme"
    secret = body["key"].split("_", 2)[2]
    assert len(secret) >= 43  # 32 random bytes, url-safe base64
    assert body["key"] not in api.operator.get("/v1/admin/tenants").text


def test_admin_routes_need_the_operator_credential(api: Api) -> None:
    tenant_key = api.tenant_client("acme")
    assert error(tenant_key.get("/v1/admin/tenants")) == (403, "operator_only")
    assert error(tenant_key.post("/v1/admin/tenants", json={"name": "evil"})) == (
        403,
        "operator_only",
    )
    assert error(api.client().get("/v1/admin/tenants")) == (401, "unauthenticated")


def test_operator_keys_cannot_touch_documents(api: Api) -> None:
    response = api.operator.post("/v1/query", json={"query": "plan"})
    assert error(response) == (403, "access_denied")


def test_env_operator_key_works(serve_api) -> None:  # type: ignore[no-untyped-def]
    env_key = "o" * 40
    api = serve_api(operator_key=env_key)
    response = api.client(env_key).post("/v1/admin/tenants", json={"name": "acme"})
    assert response.status_code == 201


def test_kill_switch_suspends_every_key_at_once_and_deletes_nothing(api: Api) -> None:
    client = api.tenant_client("acme")
    other = api.client(api.key("acme", ("query",)))
    client.post("/v1/documents", json={"documents": [DOC]})
    suspended = api.operator.post("/v1/admin/tenants/acme/suspend")
    assert suspended.json()["status"] == "suspended"
    for c in (client, other):
        assert error(c.get("/v1/documents/a1")) == (403, "tenant_suspended")
        assert error(c.post("/v1/query", json={"query": "plan"})) == (403, "tenant_suspended")
    assert api.operator.post("/v1/admin/tenants/acme/resume").json()["status"] == "active"
    assert client.get("/v1/documents/a1").status_code == 200


def test_admin_errors_for_unknown_and_duplicate_tenants(api: Api) -> None:
    api.tenant("acme")
    assert error(api.operator.post("/v1/admin/tenants", json={"name": "acme"})) == (
        409,
        "conflict",
    )
    assert error(api.operator.post("/v1/admin/tenants/ghost/suspend")) == (
        404,
        "tenant_not_found",
    )
    assert error(api.operator.post("/v1/admin/tenants", json={"name": "Bad Name!"})) == (
        422,
        "invalid_input",
    )
