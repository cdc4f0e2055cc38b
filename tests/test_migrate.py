"""Migrating an embedded data dir to the server backend: resumable, same answers, nothing readable.

The target is qdrant-client's local mode persisted to a directory (the same client API a cluster
serves), so "at rest" on the target side is a real set of files we can scan.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from qdrant_client import QdrantClient
from typer.testing import CliRunner

from privrag.cli import app
from privrag.errors import StoreUnavailable
from privrag.store import StoredPoint, VectorStore
from privrag.store.migrate import cursor_path, migrate_store
from privrag.store.server import ServerStore
from privrag.store.server_support import ServerStoreConfig
from tests.conftest import doc

QUERIES = ["Where does the rollout go?", "Who approved the budget?", "payroll schedule"]


def corpus(tenant: str, canary: str) -> list[Any]:
    return [
        doc(f"{tenant}-{i}", f"{tenant} note {i}: {text} Reference {canary}-{i}.")
        for i, text in enumerate(
            [
                "The rollout moves to the Frankfurt region next quarter.",
                "The budget was approved by the finance committee on Monday.",
                "Payroll closes on the fifth working day of each month.",
                "Contact jane.doe@example.com about the office move.",
                "The backup window is Sunday night between two and four.",
            ]
        )
    ]


def answers(rag: Any, tenant: str) -> list[list[tuple[str, str, float]]]:
    return [
        [(h.doc_id, h.text, round(h.score, 4)) for h in rag.query(tenant, q, k=4).hits]
        for q in QUERIES
    ]


class CrashAfter:
    """A target that dies after ``n`` upserts, like a migration killed part-way."""

    def __init__(self, inner: VectorStore, n: int) -> None:
        self._inner, self._left = inner, n

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def upsert(self, tenant_id: str, points: list[StoredPoint]) -> None:
        if self._left == 0:
            raise StoreUnavailable("killed")
        self._left -= 1
        self._inner.upsert(tenant_id, points)


def files_contain(root: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n!r}" for n in needles if n in data]
    return found


@pytest.mark.slow
def test_embedded_to_server_keeps_answers_and_leaves_nothing_readable(
    open_rag, tmp_path: Path, settings_for, scrubber, embedder, clock
) -> None:  # type: ignore[no-untyped-def]
    from privrag.service import PrivRAG

    data = tmp_path / "data"
    canaries = {"acme": f"CANARY{secrets.token_hex(6)}", "globex": f"CANARY{secrets.token_hex(6)}"}
    source = open_rag(data, chunk_tokens=24, chunk_overlap=4)
    for tenant, canary in canaries.items():
        source.tenants.create(tenant)
        source.ingest(tenant, corpus(tenant, canary))
    before = {tenant: answers(source, tenant) for tenant in canaries}
    tenant_ids = [t.id for t in source._runtime.catalog.tenants.all()]

    qdrant_dir = tmp_path / "qdrant"
    target = ServerStore(
        ServerStoreConfig(":memory:", placement_cache_s=0),
        dim=lambda: embedder.dim,
        client=QdrantClient(path=str(qdrant_dir)),
    )
    cursor = cursor_path(data, "http://cluster:6333")
    with pytest.raises(StoreUnavailable):
        migrate_store(
            source._runtime.store, CrashAfter(target, 2), tenant_ids, cursor_file=cursor, batch=2
        )
    assert cursor.exists()
    report = migrate_store(source._runtime.store, target, tenant_ids, cursor_file=cursor, batch=2)
    assert report[0].resumed and report[0].source_count == report[0].target_count > 2
    assert all(r.source_count == r.target_count for r in report)
    rerun = migrate_store(source._runtime.store, target, tenant_ids, cursor_file=cursor, batch=2)
    assert [r.copied for r in rerun] == [r.copied for r in report]  # nothing copied twice more
    source.close()

    server_rag = PrivRAG(
        settings_for(data, qdrant_url=":memory:", chunk_tokens=24, chunk_overlap=4),
        scrubber=scrubber,
        embedder=embedder,
        store=target,
        clock=clock,
    )
    try:
        for tenant in canaries:
            assert answers(server_rag, tenant) == before[tenant]
        # The answers are real: sealed chunks opened with the tenant's keys after the move.
        assert any("Frankfurt" in text for q in before["acme"] for _, text, _ in q)
    finally:
        server_rag.close()

    needles = [c.encode() for c in canaries.values()] + [b"Frankfurt", b"jane.doe", b"Payroll"]
    assert files_contain(data, needles) == []
    assert files_contain(qdrant_dir, needles) == []
    assert any(qdrant_dir.rglob("*")), "the target wrote its files"


def test_cli_migrate_copies_every_tenant(
    open_rag, tmp_path: Path, master_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    rag = open_rag(data)
    rag.tenants.create("acme")
    rag.tenants.create("globex")
    rag.ingest("acme", [doc("a1", "The rollout moves to Frankfurt.")])
    rag.close()
    monkeypatch.setenv("PRIVRAG_MASTER_KEY", master_key)
    result = CliRunner().invoke(app, ["migrate", "--to", ":memory:", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "acme: 1 points" in result.output and "globex: 0 points" in result.output


def test_cli_migrate_refuses_a_bad_target(tmp_path: Path, master_key: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PRIVRAG_MASTER_KEY", master_key)
    result = CliRunner().invoke(
        app, ["migrate", "--to", "qdrant:6333", "--data-dir", str(tmp_path / "d")]
    )
    assert result.exit_code != 0
    assert "PRIVRAG_QDRANT_URL" in result.output
