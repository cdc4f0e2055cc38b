"""Limits: request rates (429 + Retry-After), body size (413), batch size and query length (422),
the per-key retrieval budget, and malformed bodies. Time moves on the test clock."""

from __future__ import annotations

import json

from tests.api.conftest import Api
from tests.api.test_auth import error

DOC = {"id": "d1", "text": "Shipping policy: parcels leave the warehouse within two days."}


def test_per_key_rate_limit_answers_429_with_retry_after_and_refills(serve_api, clock) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_rate_per_key=1.0, api_burst_per_key=3)
    client = api.tenant_client("acme")
    assert [client.get("/v1/documents").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/v1/documents")
    assert error(refused) == (429, "rate_limited")
    assert refused.headers["retry-after"] == "1"
    clock.advance(1.0)
    assert client.get("/v1/documents").status_code == 200
    assert (
        'privrag_rate_limit_hits_total{limit="request_rate"} 1.0'
        in api.operator.get("/metrics").text
    )


def test_per_tenant_rate_limit_spans_all_of_its_keys(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_rate_per_tenant=1.0, api_burst_per_tenant=2)
    first = api.tenant_client("acme")
    second = api.client(api.key("acme"))
    assert first.get("/v1/documents").status_code == 200
    assert second.get("/v1/documents").status_code == 200
    assert error(first.get("/v1/documents")) == (429, "rate_limited")
    other_tenant = api.tenant_client("globex")
    assert other_tenant.get("/v1/documents").status_code == 200


def test_oversized_body_is_413_before_parsing(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_max_body_bytes=4096)
    client = api.tenant_client("acme")
    big = {"documents": [{"id": "big", "text": "x" * 5000}]}
    assert error(client.post("/v1/documents", json=big)) == (413, "payload_too_large")

    def chunked():  # type: ignore[no-untyped-def]
        yield b'{"documents": [{"id": "big", "text": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}]}'

    response = client.post(
        "/v1/documents", content=chunked(), headers={"content-type": "application/json"}
    )
    assert error(response) == (413, "payload_too_large")


def test_too_many_documents_in_one_batch_is_422(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_max_batch_documents=2)
    client = api.tenant_client("acme")
    docs = [{"id": f"d{i}", "text": "hello there"} for i in range(3)]
    assert error(client.post("/v1/documents", json={"documents": docs})) == (422, "invalid_input")


def test_query_longer_than_the_limit_is_422(serve_api) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(max_query_chars=50)
    client = api.tenant_client("acme")
    assert error(client.post("/v1/query", json={"query": "q" * 51})) == (422, "invalid_input")


def test_invalid_json_is_422_invalid_json(api: Api) -> None:
    client = api.tenant_client("acme")
    response = client.post(
        "/v1/query",
        content=b'{"query": "unterminated',
        headers={"content-type": "application/json"},
    )
    assert error(response) == (422, "invalid_json")


def test_schema_violations_are_422_invalid_input_without_echoing_input(api: Api) -> None:
    client = api.tenant_client("acme")
    response = client.post("/v1/query", json={"query": "canary-5be1", "k": "lots"})
    assert error(response) == (422, "invalid_input")
    assert "canary-5be1" not in response.text


def test_retrieval_budget_brakes_a_key_with_metric_and_audit_event(serve_api, clock) -> None:  # type: ignore[no-untyped-def]
    api: Api = serve_api(api_retrieval_budget_per_hour=3)
    client = api.tenant_client("acme")
    docs = [{"id": f"d{i}", "text": f"Shipping note number {i} about parcels."} for i in range(4)]
    client.post("/v1/documents", json={"documents": docs})
    assert len(client.post("/v1/query", json={"query": "parcels", "k": 3}).json()["results"]) == 3
    refused = client.post("/v1/query", json={"query": "parcels", "k": 1})
    assert error(refused) == (429, "retrieval_budget_exhausted")
    assert int(refused.headers["retry-after"]) >= 1
    fresh_key = api.client(api.key("acme"))
    assert fresh_key.post("/v1/query", json={"query": "parcels", "k": 1}).status_code == 200
    clock.advance(3600)
    assert client.post("/v1/query", json={"query": "parcels", "k": 3}).status_code == 200
    metrics = api.operator.get("/metrics").text
    assert 'privrag_rate_limit_hits_total{limit="retrieval_budget"} 1.0' in metrics
    events = [json.loads(line) for line in api.audit_path.read_text().splitlines()]
    assert [e["event"] for e in events].count("retrieval_budget_exhausted") == 1
