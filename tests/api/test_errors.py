"""One error shape from one table; nothing internal ever leaves, not even on a crash."""

from __future__ import annotations

import pytest

from privrag.errors import KeyUnavailable, StoreUnavailable
from tests.api.conftest import Api
from tests.api.test_auth import error


def test_unknown_routes_and_methods_use_the_error_shape(api: Api) -> None:
    assert error(api.client().get("/v2/anything")) == (404, "not_found")
    assert error(api.client().put("/v1/query", json={})) == (405, "method_not_allowed")


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (RuntimeError("boom at /srv/privrag/secret_module.py line 12"), (500, "internal")),
        (KeyUnavailable("tenant key v3 destroyed in /srv/keys"), (500, "key_unavailable")),
        (StoreUnavailable("cannot open the catalog at /srv/data"), (503, "store_unavailable")),
    ],
)
def test_failures_answer_generic_messages_without_internals(
    api: Api, monkeypatch: pytest.MonkeyPatch, raised: Exception, expected: tuple[int, str]
) -> None:
    client = api.tenant_client("acme")

    def fail(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(api.rag, "list_documents", fail)
    response = client.get("/v1/documents")
    assert error(response) == expected
    for leak in ("/srv", "Traceback", "RuntimeError", "secret_module", "boom", "v3"):
        assert leak not in response.text
