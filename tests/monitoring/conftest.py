"""One live server per test module: uvicorn on a loopback port over a PrivRAG built from the
session's shared scrubber and embedder, a small generated corpus, and httpx clients."""

from __future__ import annotations

import base64
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from privrag.access import Access
from privrag.api import create_app
from privrag.api.server import BackgroundServer
from privrag.config import load_settings
from privrag.models import Document
from tests.conftest import Clock

TOPICS = {
    "billing": "invoice refund card payment charged twice amount credit note",
    "shipping": "parcel shipment courier delivery damaged tracking warehouse",
    "hr": "onboarding laptop hire contract leave payroll manager",
    "security": "password reset phishing token access review firewall",
    "legal": "contract clause renewal liability termination notice",
    "product": "feature release roadmap dashboard analytics export",
}


def corpus(count: int, *, seed: int = 5) -> list[Document]:
    """Short one-chunk documents, each about one topic, with a number that makes it distinct."""
    rng = random.Random(seed)
    names = sorted(TOPICS)
    docs = []
    for i in range(count):
        topic = names[i % len(names)]
        words = TOPICS[topic].split()
        rng.shuffle(words)
        text = f"Note {i} on {topic}: " + " ".join(words[:5]) + f". Reference {1000 + i}."
        docs.append(Document(id=f"{topic}-{i}", text=text, classification="internal"))
    return docs


@dataclass
class Live:
    url: str
    rag: Any
    operator_key: str
    clock: Clock
    server: BackgroundServer
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, key: str) -> httpx.Client:
        c = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
        self.clients.append(c)
        return c

    @property
    def operator(self) -> httpx.Client:
        return self.client(self.operator_key)

    def key(self, tenant: str, scopes: tuple[str, ...] = ("ingest", "query", "delete")) -> str:
        r = self.operator.post(f"/v1/admin/tenants/{tenant}/keys", json={"scopes": list(scopes)})
        assert r.status_code == 201, r.text
        return str(r.json()["key"])

    @property
    def audit_lines(self) -> list[str]:
        return Path(self.rag.settings.audit_path).read_text().splitlines()


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, scrubber: Any, embedder: Any
) -> Iterator[Any]:
    """``live_server(**settings)`` starts one server (stopped at the end of the module)."""
    from privrag.service import PrivRAG

    started: list[Live] = []

    def start(**overrides: object) -> Live:
        root = tmp_path_factory.mktemp("live")
        values: dict[str, object] = {
            "data_dir": root / "data",
            "keystore_dir": root / "keys",
            "master_key": base64.b64encode(os.urandom(32)).decode(),
            "audit_fsync": False,
        }
        values.update(overrides)
        clock = Clock()
        rag = PrivRAG(load_settings(**values), scrubber=scrubber, embedder=embedder, clock=clock)
        operator = Access(rag._runtime.catalog, clock=rag.clock).issue_operator_key("tests")
        server = BackgroundServer(create_app(rag.settings, rag=rag, clock=clock)).start()
        live = Live(server.url, rag, operator.key, clock, server)
        started.append(live)
        return live

    yield start
    for live in started:
        for c in live.clients:
            c.close()
        live.server.stop()
        live.rag.close()
