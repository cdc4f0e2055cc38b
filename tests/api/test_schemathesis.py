"""Property-based conformance: schemathesis generates requests from ``/openapi.json`` and every
answer must be a non-5xx with a declared status, content type and body schema.

Bounded: ``MAX_EXAMPLES`` per operation over the parametrised operations gives well over 1,000
requests. Tenant routes run with an all-scope tenant key, admin routes with the operator key.
Run alone with ``python -m pytest tests/api/test_schemathesis.py -m slow``.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from privrag.api.app import openapi_schema
from tests.api.conftest import Api

MAX_EXAMPLES = 120
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SENT: list[int] = []


@pytest.fixture
def conformance(serve_api):  # type: ignore[no-untyped-def]
    api: Api = serve_api(
        api_rate_per_key=1e6,
        api_burst_per_key=1_000_000,
        api_rate_per_tenant=1e6,
        api_burst_per_tenant=1_000_000,
        api_retrieval_budget_per_hour=10_000_000,
        max_document_chars=20_000,
    )
    api.tenant("acme")
    tenant_key = api.key("acme")
    api.tenant_client("acme").post(
        "/v1/documents", json={"documents": [{"id": "seed", "text": "A seeded note."}]}
    )
    assert api.client().get("/openapi.json").json() == openapi_schema()
    return api, tenant_key


# The served document equals this one (asserted above); loading it at collection time lets
# schemathesis parametrise one test per operation.
schema = schemathesis.openapi.from_dict(openapi_schema())


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_conforms_to_its_own_openapi_schema(case, conformance) -> None:  # type: ignore[no-untyped-def]
    api, tenant_key = conformance
    key = api.operator_key if case.path.startswith("/v1/admin") else tenant_key
    case.call_and_validate(
        base_url=api.url, headers={"Authorization": f"Bearer {key}"}, checks=CHECKS
    )
    SENT.append(1)
