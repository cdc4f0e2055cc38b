"""A query's catalog round trips, counted on the engine: authentication reads the key and its
tenant together, and the query path does not read the tenant again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from tests.api.conftest import Api

NOTE = {"id": "n1", "text": "Refund the card of the customer in Leeds within five days."}
# Key + tenant (one join), the active model, the tenant's PII policy, the hits' documents.
QUERY_READS = 4


def test_a_query_reads_the_catalog_four_times_and_the_tenant_once(api: Api) -> None:
    client = api.tenant_client("acme")
    assert client.post("/v1/documents", json={"documents": [NOTE]}).status_code == 200
    # The first query also reads the corpus size for the monitor, then caches it for a minute.
    assert client.post("/v1/query", json={"query": "refund", "k": 2}).status_code == 200
    engine = api.rag._runtime.catalog._db.engine
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.post("/v1/query", json={"query": "refund", "k": 2})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.text
    assert [h["doc_id"] for h in response.json()["results"]] == ["n1"]
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len(reads) == QUERY_READS, reads
    tenant_reads = [s for s in reads if "FROM tenants" in s or "JOIN tenants" in s]
    assert len(tenant_reads) == 2, tenant_reads  # the key's join, and the PII policy's settings
    assert "api_keys" in tenant_reads[0]
    assert not any(s.startswith("SELECT tenants.id") for s in reads)
