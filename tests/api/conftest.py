"""A real server per test: uvicorn on a free loopback port over a PrivRAG built from the shared
session components, driven with httpx. Rate limits run on the test clock (no sleeping)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from privrag.access import Access
from privrag.api import create_app
from privrag.api.server import BackgroundServer

ALL_SCOPES = ("delete", "ingest", "query")


@dataclass
class Api:
    url: str
    rag: Any
    operator_key: str
    data_dir: Path
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, key: str | None = None, **headers: str) -> httpx.Client:
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        client = httpx.Client(base_url=self.url, headers=headers, timeout=60)
        self.clients.append(client)
        return client

    @property
    def operator(self) -> httpx.Client:
        return self.client(self.operator_key)

    def tenant(self, name: str) -> None:
        response = self.operator.post("/v1/admin/tenants", json={"name": name})
        assert response.status_code == 201, response.text

    def key(self, tenant: str, scopes: tuple[str, ...] = ALL_SCOPES) -> str:
        response = self.operator.post(
            f"/v1/admin/tenants/{tenant}/keys", json={"scopes": list(scopes)}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["key"])

    def key_for(self, tenant: str, scopes: tuple[str, ...] = ALL_SCOPES) -> str:
        """A key of ``tenant``, creating the tenant on first use."""
        if self.rag._runtime.catalog.tenants.by_name(tenant) is None:
            self.tenant(tenant)
        return self.key(tenant, scopes)

    def tenant_client(self, tenant: str, scopes: tuple[str, ...] = ALL_SCOPES) -> httpx.Client:
        if self.rag._runtime.catalog.tenants.by_name(tenant) is None:
            self.tenant(tenant)
        return self.client(self.key(tenant, scopes))

    @property
    def audit_path(self) -> Path:
        return Path(self.rag.settings.audit_path)


@pytest.fixture
def serve_api(open_rag, tmp_path, clock) -> Iterator[Callable[..., Api]]:  # type: ignore[no-untyped-def]
    """``serve_api(**settings_overrides)`` starts a server; the default has generous limits."""
    running: list[tuple[BackgroundServer, Api]] = []

    def start(**overrides: object) -> Api:
        values: dict[str, object] = {"audit_fsync": False}
        values.update(overrides)
        data_dir = tmp_path / f"data{len(running)}"
        rag = open_rag(data_dir, **values)
        operator = Access(rag._runtime.catalog, clock=rag.clock).issue_operator_key("tests")
        app = create_app(rag.settings, rag=rag, clock=clock)
        server = BackgroundServer(app).start()
        api = Api(url=server.url, rag=rag, operator_key=operator.key, data_dir=data_dir)
        running.append((server, api))
        return api

    yield start
    for server, api in running:
        for client in api.clients:
            client.close()
        server.stop()


@pytest.fixture
def api(serve_api: Callable[..., Api]) -> Api:
    return serve_api()


@pytest.fixture
def captured_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog
