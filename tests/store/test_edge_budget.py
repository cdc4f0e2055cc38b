"""Many tenants in one process: open shards stay within the budget, every tenant still answers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import qdrant_edge as qe

from privrag.store import StoredPoint
from privrag.store.edge import EdgeStore
from privrag.store.edge_pool import ShardBudget, ShardCost, ShardPool

DIM = 8
TENANTS = 9
CAP = 3


def proc_status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


def maps() -> int:
    return len(Path("/proc/self/maps").read_text().splitlines())


def point(tenant: int) -> StoredPoint:
    vector = np.zeros(DIM)
    vector[tenant % DIM] = 1.0
    vector[(tenant + 1) % DIM] = 0.1 * (tenant + 1)
    return StoredPoint(
        id=f"00000000-0000-0000-0000-{tenant:012d}",
        vector=(vector / np.linalg.norm(vector)).tolist(),
        payload={"doc": f"doc-{tenant}", "gen": 1, "chunk": 0, "exp": 10**10, "cls": "internal"},
    )


def store(path: Path, **budget: float) -> EdgeStore:
    return EdgeStore(
        path, dim=lambda: DIM, hnsw_threshold_points=1000, budget=ShardBudget(**budget)
    )


def answers(s: EdgeStore, tenant: int) -> bool:
    hits = s.search(f"t{tenant}", point(tenant).vector, limit=1, now=0)
    return [h.id for h in hits] == [point(tenant).id]


def test_more_tenants_than_the_cap_stay_bounded_and_all_answer_also_from_a_fresh_process(
    tmp_path: Path,
) -> None:
    s = store(tmp_path / "shards", max_open=CAP)
    s.upsert("t0", [point(0)])  # warm the engine's process-wide state before measuring
    threads0, maps0 = proc_status("Threads"), maps()
    for t in range(1, TENANTS):
        s.upsert(f"t{t}", [point(t)])
        assert s.open_shards()["open"] <= CAP
    for t in range(TENANTS):
        assert answers(s, t), t
    assert s.open_shards()["open"] <= CAP
    # One search thread per open shard and ~65 maps each; always-open shards would need
    # TENANTS - 1 threads and ~65 maps each more than the first one did.
    assert proc_status("Threads") - threads0 <= CAP
    assert maps() - maps0 <= CAP * 80
    s.close()
    assert s.open_shards()["open"] == 0
    script = f"""
import json, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_edge_budget import answers, store, TENANTS, CAP
s = store(__import__("pathlib").Path({str(tmp_path / "shards")!r}), max_open=CAP)
ok = [answers(s, t) for t in reversed(range(TENANTS))]
print(json.dumps({{"ok": ok, "open": s.open_shards()["open"]}}))
s.close()
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result == {"ok": [True] * TENANTS, "open": CAP}


def test_idle_shards_close_at_the_next_call_and_reopen_on_demand() -> None:
    now = [0.0]
    closed: list[str] = []
    pool: ShardPool[str] = ShardPool(
        ShardBudget(idle_s=60), close=closed.append, clock=lambda: now[0]
    )

    def opener(key: str) -> Callable[[], tuple[str, ShardCost]]:
        return lambda: (key, ShardCost(maps=1, bytes=1))

    with pool.use("a", opener("a")) as handle:
        assert handle == "a"
    now[0] = 30
    with pool.use("b", opener("b")):
        now[0] = 100  # "b" is in use past the idle time: it stays open
        with pool.use("c", opener("c")):
            pass
        assert closed == ["a"]
    now[0] = 161
    with pool.use("c", opener("c")):
        pass
    assert closed == ["a", "b"] and pool.stats()["open"] == 1
    with pool.use("a", opener("a")) as handle:
        assert handle == "a"  # reopened on demand
    assert pool.stats()["open"] == 2


def test_the_maps_and_bytes_budgets_evict_as_well_as_the_count(tmp_path: Path) -> None:
    by_maps = store(tmp_path / "a", max_maps=50)
    by_bytes = store(tmp_path / "b", max_bytes=256 << 10)
    for t in range(4):
        by_maps.upsert(f"t{t}", [point(t)])
        by_bytes.upsert(f"t{t}", [point(t)])
    assert by_maps.open_shards()["open"] == 2  # 20 maps charged per small one-segment shard
    assert by_bytes.open_shards()["open"] < 4
    assert by_bytes.open_shards()["bytes"] <= 256 << 10 or by_bytes.open_shards()["open"] == 1
    by_maps.close()
    by_bytes.close()


def test_queries_racing_evictions_and_a_drop_never_see_a_closed_shard(tmp_path: Path) -> None:
    s = store(tmp_path / "shards", max_open=2)
    for t in range(5):
        s.upsert(f"t{t}", [point(t)])
    errors: list[BaseException] = []
    wrong: list[int] = []

    def hammer(offset: int) -> None:
        try:
            for i in range(12):
                t = (i + offset) % 4  # t4 is dropped meanwhile, the others must always answer
                if not answers(s, t):
                    wrong.append(t)
                s.count("t4")
        except BaseException as exc:  # reported below with its traceback
            errors.append(exc)

    workers = [threading.Thread(target=hammer, args=(n,)) for n in range(3)]
    for w in workers:
        w.start()
    s.drop_tenant("t4")
    for w in workers:
        w.join()
    assert not errors, errors[0]
    assert not wrong
    assert not (tmp_path / "shards" / "t4").exists()
    assert s.open_shards()["open"] <= 2
    s.close()


def test_a_shard_made_before_the_budget_opens_with_one_search_thread(tmp_path: Path) -> None:
    path = tmp_path / "shards" / "old"
    old = qe.EdgeShard.create(
        str(path),
        qe.EdgeConfig(
            vectors={"": qe.EdgeVectorParams(size=DIM, distance=qe.Distance.Cosine)},
            wal_enabled=False,
        ),
    )
    old.update(qe.UpdateOperation.upsert_points([qe.Point(point(3).id, point(3).vector, {})]))
    old.flush()
    old.close()
    s = store(tmp_path / "shards")
    threads0 = proc_status("Threads")
    assert s.count("old") == 1
    assert proc_status("Threads") - threads0 <= 1
    persisted = json.loads((path / "edge_config.json").read_text())
    assert persisted["max_search_threads"] == 1
    assert persisted["optimizers"]["max_segment_size"] == 20_000 * DIM * 4 // 1024  # bounded
    s.close()
