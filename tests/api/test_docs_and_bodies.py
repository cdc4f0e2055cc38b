"""``/docs`` works offline (its assets come from this server), and a JSON body is read as JSON
whatever Content-Type the client declared (curl ``-d`` declares a form)."""

from __future__ import annotations

import re

import httpx

from tests.api.conftest import Api


def test_docs_loads_every_asset_from_the_server_itself(api: Api) -> None:
    page = httpx.get(f"{api.url}/docs")
    assert page.status_code == 200 and "swagger" in page.text.lower()
    urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page.text)
    assert urls and not [u for u in urls if u.startswith(("http:", "https:", "//"))]
    assets = [u for u in urls if u.startswith("/docs/assets/")]
    assert len(assets) == 3
    for path in assets:
        response = httpx.get(f"{api.url}{path}")
        assert response.status_code == 200 and len(response.content) > 500, path
    assert httpx.get(f"{api.url}/docs/assets/../../pyproject.toml").status_code == 404
    assert "/docs" not in httpx.get(f"{api.url}/openapi.json").json()["paths"]


def test_a_json_body_sent_as_a_form_is_read_as_json(api: Api) -> None:
    # What `curl -sH "$OP" -d '{"name":"acme"}' .../v1/admin/tenants` sends.
    response = httpx.post(
        f"{api.url}/v1/admin/tenants",
        content=b'{"name":"acme"}',
        headers={
            "Authorization": f"Bearer {api.operator_key}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 201, response.text
    plain = httpx.post(
        f"{api.url}/v1/admin/tenants",
        content=b"name=globex",
        headers={"Authorization": f"Bearer {api.operator_key}"},
    )
    assert plain.status_code == 422 and plain.json()["error"]["code"] == "invalid_json"


def test_a_multipart_body_is_refused_with_415_saying_what_to_send(api: Api) -> None:
    response = httpx.post(
        f"{api.url}/v1/admin/tenants",
        files={"name": ("x", b"acme")},
        headers={"Authorization": f"Bearer {api.operator_key}"},
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]["message"]
