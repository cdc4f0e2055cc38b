"""kill -9 at every durable step of a sweep and of an ingest: a restart plus a rerun converges.

Nothing half-deleted stays readable, nothing outside the plan is deleted, the other tenant is
untouched, and the receipts verify and match exactly what was deleted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import doc

DAY = 86_400
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def template(open_rag, tmp_path: Path, clock):  # type: ignore[no-untyped-def]
    data = tmp_path / "template"
    rag = open_rag(data, keystore_dir=keys_of(data))
    rag.tenants.create("alpha")
    rag.tenants.create("beta")
    rag.ingest(
        "alpha",
        [
            doc(f"exp-{i}", f"Expiring memo {i} about the quarterly audit.", retention_days=1)
            for i in range(8)
        ]
        + [doc(f"keep-{i}", f"Lasting memo {i} about the annual report.") for i in range(4)],
    )
    rag.hold("alpha", "exp-0")
    rag.ingest("beta", [doc(f"b-{i}", f"Beta memo {i}.", retention_days=1) for i in range(3)])
    rag.close()
    return data


def keys_of(data: Path) -> Path:
    """Each copy of the deployment has its keystore beside (never inside) its data dir."""
    return data.parent / f"{data.name}-keys"


def copy_deployment(template: Path, name: str) -> Path:
    """The data dir and its keystore, copied together as one deployment's state."""
    data = template.parent / name
    shutil.copytree(template, data)
    shutil.copytree(keys_of(template), keys_of(data))
    return data


def run_worker(
    data: Path, master_key: str, action: str, kill_at: int, now: float
) -> tuple[int, int]:
    count_file = data.parent / f"count-{kill_at}"
    env = {
        **os.environ,
        "PRIVRAG_MASTER_KEY": master_key,
        "PRIVRAG_KEYSTORE_DIR": str(keys_of(data)),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.e2e.crash_worker",
            str(data),
            str(now),
            action,
            str(kill_at),
            str(count_file),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    steps = int(count_file.read_text()) if count_file.exists() else -1
    return proc.returncode, steps


def kill_points(total: int, wanted: int) -> list[int]:
    if total <= wanted:
        return list(range(1, total + 1))
    return sorted({1 + round(i * (total - 1) / (wanted - 1)) for i in range(wanted)})


def check_sweep_converged(rag) -> None:  # type: ignore[no-untyped-def]
    alpha = rag.tenants.get("alpha")
    assert sorted(rag.list_documents("alpha")) == ["exp-0"] + [f"keep-{i}" for i in range(4)]
    assert sorted(rag.list_documents("beta")) == [f"b-{i}" for i in range(3)]
    for name in ("alpha", "beta"):
        tenant = rag.tenants.get(name)
        for row in rag._runtime.catalog.documents.list(tenant.id):
            assert rag._runtime.store.count(tenant.id, doc_uid=row.doc_uid) == row.chunk_count
        for doc_id in rag.list_documents(name):
            rag.get_document(name, doc_id)
    assert (
        rag._runtime.catalog.journal.pending() == []
        and rag._runtime.catalog.journal.operations() == []
    )
    assert rag.verify_receipts().ok
    lines = rag._runtime.receipts.entries()
    deleted = [d["doc_uid"] for line in lines for d in line["receipt"]["documents"]]
    expected = {rag._runtime.doc_uid(alpha, f"exp-{i}") for i in range(1, 8)}
    assert sorted(deleted) == sorted(expected)  # each exactly once, nothing else
    assert sum(line["receipt"]["chunks"] for line in lines) == 7


@pytest.mark.slow
def test_a_sweep_killed_at_any_step_converges(
    open_rag, template: Path, master_key: str, clock
) -> None:  # type: ignore[no-untyped-def]
    now = clock.now + 2 * DAY
    full = copy_deployment(template, "full")
    code, total = run_worker(full, master_key, "sweep", 0, now)
    assert code == 0 and total >= 8
    clock.now = now
    rag = open_rag(full, keystore_dir=keys_of(full))
    check_sweep_converged(rag)
    rag.close()

    points = kill_points(total, 12)
    assert len(points) >= 10
    for kill_at in points:
        data = copy_deployment(template, f"kill-{kill_at}")
        code, _ = run_worker(data, master_key, "sweep", kill_at, now)
        assert code == -signal.SIGKILL, f"worker was not killed at step {kill_at}"
        rag = open_rag(data, keystore_dir=keys_of(data))
        rag.sweep("alpha")
        check_sweep_converged(rag)
        rag.close()


@pytest.mark.slow
def test_an_ingest_killed_at_any_step_converges(
    open_rag, template: Path, master_key: str, clock
) -> None:  # type: ignore[no-untyped-def]
    now = clock.now
    full = copy_deployment(template, "full")
    code, total = run_worker(full, master_key, "ingest", 0, now)
    assert code == 0 and total >= 5
    for kill_at in kill_points(total, 4):
        data = copy_deployment(template, f"kill-{kill_at}")
        code, _ = run_worker(data, master_key, "ingest", kill_at, now)
        assert code == -signal.SIGKILL
        rag = open_rag(data, keystore_dir=keys_of(data))
        alpha = rag.tenants.get("alpha")
        # Whatever committed is whole; whatever did not left no points behind.
        for row in rag._runtime.catalog.documents.list(alpha.id):
            assert rag._runtime.store.count(alpha.id, doc_uid=row.doc_uid) == row.chunk_count
        assert rag._runtime.store.count(alpha.id) == sum(
            r.chunk_count for r in rag._runtime.catalog.documents.list(alpha.id)
        )
        assert rag._runtime.catalog.journal.pending() == []
        # A retry of the whole batch converges on the full result.
        rag.ingest(
            "alpha", [doc(f"new-{i}", f"Fresh memo {i} about the harbour.") for i in range(3)]
        )
        rag.ingest("alpha", [doc("keep-0", "Replacement text for the first kept memo.")])
        ids = set(rag.list_documents("alpha"))
        assert {"new-0", "new-1", "new-2", "keep-0"} <= ids and len(ids) == 15
        assert rag.get_document("alpha", "keep-0").chunks == 1
        assert sorted(rag.list_documents("beta")) == [f"b-{i}" for i in range(3)]
        rag.close()
