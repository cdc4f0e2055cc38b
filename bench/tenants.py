"""Many tenants in one embedded data dir: query latency over random tenants against the latency
over 10 tenants, and what the process holds (RSS, threads, maps, open shards), measured in a fresh
process that opens the data dir and answers any tenant.

Every tenant is made and filled through the service (scrub, embed, seal, upsert: nothing is
copied between tenants), a few short documents each. Building is resumable: ``--dir`` keeps the
data dir, keystore and master key, and a rerun adds the tenants still missing, so a large N can
be built in several sittings (on the loaded 2-core dev machine a tenant took ~6 s to build, most
of it fsyncs of the new shard, so 10,000 take hours there). Measuring interleaves the two workloads query by query so both see
the same machine noise.

    python -m bench.tenants [--tenants 10000] [--docs 3] [--queries 300] [--dir DIR]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import median, percentile, timed
from bench.corpus import documents, queries

HOT = 10


class _TimedStore:
    """Seconds of the last store search (shard open if needed + search), apart from embedding,
    whose noise on a shared machine would otherwise hide what the tenant count costs."""

    last = 0.0

    @classmethod
    def wrap(cls, store: Any) -> Any:
        search = store.search

        def timed_search(*args: Any, **kwargs: Any) -> Any:
            found, cls.last = timed(lambda: search(*args, **kwargs))
            return found

        store.search = timed_search
        return store


def _settings(root: Path, **overrides: Any) -> Any:
    from privrag.config import load_settings

    key_file = root / "master.key"
    if not key_file.exists():
        key_file.write_text(base64.b64encode(os.urandom(32)).decode())
    return load_settings(
        data_dir=root / "data",
        keystore_dir=root / "keys",
        master_key=key_file.read_text().strip(),
        **overrides,
    )


def name(i: int) -> str:
    return f"t{i:05d}"


def build(root: Path, tenants: int, docs_per_tenant: int) -> None:
    from privrag.service import PrivRAG

    pool = documents(64)
    with PrivRAG(_settings(root)) as rag:
        have = {t.name for t in rag.tenants.list()}
        start = time.perf_counter()
        made = 0
        for i in range(tenants):
            if name(i) in have:
                continue
            rag.tenants.create(name(i))
            picked = [pool[(i * docs_per_tenant + j) % len(pool)] for j in range(docs_per_tenant)]
            rag.ingest(name(i), picked)
            made += 1
            if made % 100 == 0:
                rate = made / (time.perf_counter() - start)
                print(f"  built {i + 1}/{tenants} tenants ({rate:.1f}/s)", flush=True)


def _proc(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return -1


def measure(root: Path, tenants: int, count: int, max_open: int | None) -> dict[str, Any]:
    """Run in a fresh process: open the data dir, answer tenants, report latencies and holdings."""
    from privrag.service import PrivRAG
    from privrag.store.edge import EdgeStore
    from privrag.store.edge_pool import ShardBudget

    overrides = {} if max_open is None else {"shard_max_open": max_open}
    opened_at = time.perf_counter()
    settings = _settings(root, **overrides)
    # Built here, not by the service, so the bench can read the pool's figures.
    store = EdgeStore(
        settings.shards_dir,
        dim=lambda: 384,
        hnsw_threshold_points=settings.hnsw_threshold_points,
        budget=ShardBudget(max_open=settings.shard_max_open),
    )
    rag = PrivRAG(settings, store=_TimedStore.wrap(store))
    rng = random.Random(5)
    pool = queries(count)
    first = rng.randrange(tenants)
    first_hits = rag.query(name(first), pool[0], k=3).hits
    first_answer_s = time.perf_counter() - opened_at
    for i in range(HOT):  # the 10-tenant workload starts warm, as a steady state would
        rag.query(name(i), pool[0], k=3)
    runs: dict[str, list[float]] = {
        "hot10": [],
        "random": [],
        "hot10_store": [],
        "random_store": [],
    }
    answered = 0
    for n, text in enumerate(pool):
        rnd = rng.randrange(tenants)
        hits, seconds = timed(lambda t=rnd, q=text: rag.query(name(t), q, k=3).hits)
        runs["random"].append(seconds)
        runs["random_store"].append(_TimedStore.last)
        answered += bool(hits)
        runs["hot10"].append(timed(lambda t=n % HOT, q=text: rag.query(name(t), q, k=3))[1])
        runs["hot10_store"].append(_TimedStore.last)
    shards = store.open_shards()
    result = {
        "tenants": tenants,
        "first_answer_s": first_answer_s,
        "first_answer_hits": len(first_hits),
        "random_answered": answered,
        "queries": count,
        "p50_hot10_ms": median(runs["hot10"]) * 1000,
        "p99_hot10_ms": percentile(runs["hot10"], 99) * 1000,
        "p50_random_ms": median(runs["random"]) * 1000,
        "p99_random_ms": percentile(runs["random"], 99) * 1000,
        "p50_hot10_store_ms": median(runs["hot10_store"]) * 1000,
        "p50_random_store_ms": median(runs["random_store"]) * 1000,
        "rss_mb": _proc("VmRSS") / 1024,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "threads": _proc("Threads"),
        "maps": len(Path("/proc/self/maps").read_text().splitlines()),
        "open_fds": len(os.listdir("/proc/self/fd")),
        "open_shards": shards,
    }
    rag.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=10_000)
    parser.add_argument("--docs", type=int, default=3, help="documents per tenant")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=None, help="keep (and resume) the build here")
    parser.add_argument("--max-open", type=int, default=None, help="PRIVRAG_SHARD_MAX_OPEN")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        print(json.dumps(measure(args.dir, args.tenants, args.queries, args.max_open)))
        return
    with tempfile.TemporaryDirectory(prefix="privrag-bench-tenants-") as tmp:
        root = args.dir or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        _, build_s = timed(lambda: build(root, args.tenants, args.docs))
        print(
            f"build: {args.tenants} tenants x {args.docs} docs present ({build_s:.0f} s this run)"
        )
        command = [sys.executable, "-m", "bench.tenants", "--measure-only", "--dir", str(root)]
        command += ["--tenants", str(args.tenants), "--queries", str(args.queries)]
        if args.max_open is not None:
            command += ["--max-open", str(args.max_open)]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
    ratio = r["p50_random_ms"] / r["p50_hot10_ms"]
    print(
        f"fresh process: first answer {r['first_answer_s']:.2f} s ({r['first_answer_hits']} hits)"
    )
    print(f"random tenants answered: {r['random_answered']}/{r['queries']}")
    print(
        f"query p50  10 tenants {r['p50_hot10_ms']:.1f} ms  random of {r['tenants']} "
        f"{r['p50_random_ms']:.1f} ms  ratio {ratio:.2f}x (target <= 1.5x)"
    )
    print(
        f"store search p50 (shard open if needed + search)  10 tenants "
        f"{r['p50_hot10_store_ms']:.2f} ms  random {r['p50_random_store_ms']:.2f} ms"
    )
    print(f"query p99  10 tenants {r['p99_hot10_ms']:.1f} ms  random {r['p99_random_ms']:.1f} ms")
    print(
        f"process: RSS {r['rss_mb']:.0f} MB (max {r['max_rss_mb']:.0f}), threads {r['threads']}, "
        f"maps {r['maps']}, fds {r['open_fds']}, shards {r['open_shards']}"
    )


if __name__ == "__main__":
    main()
