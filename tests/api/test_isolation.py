"""Isolation over HTTP: tenant A's key can never read, list, delete or infer tenant B's
documents, whatever ids, headers or body fields it sends."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.api.test_auth import error

SECRET = {"id": "b-secret", "text": "Globex merger target is Initech; codename BLUEFIN."}


@pytest.fixture
def two_tenants(api: Api):  # type: ignore[no-untyped-def]
    a = api.tenant_client("acme")
    b = api.tenant_client("globex")
    assert b.post("/v1/documents", json={"documents": [SECRET]}).status_code == 200
    a.post("/v1/documents", json={"documents": [{"id": "a1", "text": "Acme picnic on Friday."}]})
    return a, b


def test_a_foreign_document_id_answers_404_exactly_like_a_missing_one(two_tenants) -> None:  # type: ignore[no-untyped-def]
    a, b = two_tenants
    foreign, missing = a.get("/v1/documents/b-secret"), a.get("/v1/documents/no-such-doc")
    assert error(foreign) == error(missing) == (404, "not_found")
    assert foreign.json()["error"]["message"].replace("b-secret", "X") == missing.json()["error"][
        "message"
    ].replace("no-such-doc", "X")
    assert error(a.delete("/v1/documents/b-secret")) == (404, "not_found")
    assert b.get("/v1/documents/b-secret").status_code == 200


def test_query_and_list_never_show_another_tenants_documents(two_tenants) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_tenants
    results = a.post("/v1/query", json={"query": "Globex merger BLUEFIN Initech", "k": 50})
    assert [r["doc_id"] for r in results.json()["results"]] == ["a1"]
    assert "BLUEFIN" not in results.text
    assert a.get("/v1/documents").json() == {"documents": ["a1"]}


@pytest.mark.parametrize(
    "body",
    [
        {"query": "merger", "tenant": "globex"},
        {"query": "merger", "tenant_id": "globex"},
        {"query": "merger", "filter": {"tenant": "globex"}},
    ],
)
def test_tenant_fields_in_query_bodies_are_rejected(two_tenants, body) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_tenants
    assert error(a.post("/v1/query", json=body)) == (422, "invalid_input")


def test_tenant_fields_in_ingest_bodies_are_rejected(two_tenants) -> None:  # type: ignore[no-untyped-def]
    a, b = two_tenants
    for body in (
        {"tenant": "globex", "documents": [{"id": "x", "text": "overwrite"}]},
        {"documents": [{"id": "b-secret", "text": "overwrite", "tenant": "globex"}]},
    ):
        assert error(a.post("/v1/documents", json=body)) == (422, "invalid_input")
    assert b.get("/v1/documents/b-secret").json()["content_hash"]


def test_headers_and_query_strings_naming_a_tenant_change_nothing(two_tenants) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_tenants
    response = a.get(
        "/v1/documents",
        params={"tenant": "globex"},
        headers={"X-Tenant": "globex", "X-Tenant-Id": "globex", "Host": "globex.local"},
    )
    assert response.json() == {"documents": ["a1"]}


def test_same_document_id_in_two_tenants_stays_two_documents(two_tenants, api: Api) -> None:  # type: ignore[no-untyped-def]
    a, b = two_tenants
    a.post("/v1/documents", json={"documents": [{"id": "b-secret", "text": "Acme's own note."}]})
    assert b.get("/v1/documents/b-secret").json()["source"] == ""
    a.delete("/v1/documents/b-secret")
    assert b.get("/v1/documents/b-secret").status_code == 200


@pytest.mark.parametrize("path", ["../globex/b-secret", "%2E%2E/b-secret", "b-secret%00", "*"])
def test_odd_ids_never_reach_another_tenant(two_tenants, path: str) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_tenants
    response = a.get(f"/v1/documents/{path}")
    assert response.status_code in (404, 422)
    assert "BLUEFIN" not in response.text
