"""A plain backup of the data dir (``cp -a``, as an operator makes one) carries no key material,
so restoring it after a delete does not bring the deleted document back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from privrag.access import Access
from privrag.api import create_app
from privrag.api.server import BackgroundServer
from privrag.errors import KeyUnavailable

GONE = {"id": "gone", "text": "The doomed memo about emperor penguins and their colony."}
KEPT = {"id": "kept", "text": "A memo on barn owls hunting at dusk."}


class Served:
    """One PrivRAG and its server over ``data``; ``stop()`` releases the data dir."""

    def __init__(self, open_rag, data: Path, clock) -> None:  # type: ignore[no-untyped-def]
        # No master key given: the deployment generates one on first run, as ``make demo`` does.
        self.rag = open_rag(data, master_key=None, audit_fsync=False)
        self.app = create_app(self.rag.settings, rag=self.rag, clock=clock)
        self.server = BackgroundServer(self.app).start()

    def client(self, key: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        )

    def stop(self) -> None:
        self.server.stop()
        self.rag.close()


def key_material(folder: Path) -> list[str]:
    names = ("master.key", "signing.key")
    return [str(p) for p in folder.rglob("*") if p.name in names or p.name.startswith("tenant-")]


def test_restoring_a_cp_a_backup_after_a_delete_does_not_bring_the_document_back(
    open_rag, catalog_dbs, tmp_path: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    data, backup = tmp_path / "data", tmp_path / "backup"
    served = Served(open_rag, data, clock)
    operator = Access(served.rag._runtime.catalog, clock=served.rag.clock).issue_operator_key()
    admin = served.client(operator.key)
    assert admin.post("/v1/admin/tenants", json={"name": "acme"}).status_code == 201
    key = admin.post("/v1/admin/tenants/acme/keys", json={"scopes": ["ingest", "query", "delete"]})
    tenant_key = key.json()["key"]
    acme = served.client(tenant_key)
    assert acme.post("/v1/documents", json={"documents": [GONE, KEPT]}).status_code == 200
    settings = served.rag.settings
    for client in (admin, acme):
        client.close()
    served.stop()

    subprocess.run(["cp", "-a", str(data), str(backup)], check=True)
    catalog_dbs.copy(data, backup)
    assert key_material(backup) == []
    assert key_material(settings.resolved_keystore_dir.parent)  # the keys exist, elsewhere

    served = Served(open_rag, data, clock)
    with served.client(tenant_key) as acme:
        assert acme.delete("/v1/documents/gone").status_code == 200
    served.stop()

    shutil.rmtree(data)
    subprocess.run(["cp", "-a", str(backup), str(data)], check=True)
    catalog_dbs.restore(backup, data)
    served = Served(open_rag, data, clock)
    with served.client(tenant_key) as acme:
        found = acme.post("/v1/query", json={"query": "emperor penguins colony", "k": 10})
        assert found.status_code == 200, found.text
        assert all(hit["doc_id"] != "gone" for hit in found.json()["results"])
        assert "penguin" not in found.text
        document = acme.get("/v1/documents/gone")
        assert document.status_code != 200 and "penguin" not in document.text
    runtime = served.rag._runtime
    tenant = served.rag.tenants.get("acme")
    row = runtime.row(tenant, "gone")
    with pytest.raises(KeyUnavailable):
        runtime.data_key(tenant, row)
    served.stop()
