"""Loopback load test of the HTTP API: concurrent clients query a running server.

Without ``--url`` it starts ``privrag serve`` in a subprocess on a free loopback port over a
throwaway data dir (ephemeral master and operator keys, limits raised so the test measures the
service, not the limiter; audit fsync per line stays on), creates a tenant, ingests a generated
corpus, then runs ``--clients`` concurrent clients for ``--duration`` seconds against
``POST /v1/query``. With ``--url`` and ``--api-key`` it loads an existing server instead.
Prints throughput, p50/p99 latency and errors by status.

    python -m bench.load                       # 50 clients, 30 s
    python -m bench.load --clients 10 --duration 10 --docs 50
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import httpx

from bench.common import percentile
from bench.corpus import documents, queries

_SERVE = "from privrag.cli import main; main()"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_server(docs: int) -> Iterator[tuple[str, str]]:
    """Start a server, create a tenant and a key, ingest ``docs`` documents; yield (url, key)."""
    operator = secrets.token_urlsafe(32)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="privrag-load-") as tmp:
        env = {
            **os.environ,
            "PRIVRAG_DATA_DIR": str(Path(tmp) / "data"),
            "PRIVRAG_KEYSTORE_DIR": str(Path(tmp) / "keys"),
            "PRIVRAG_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
            "PRIVRAG_OPERATOR_KEY": operator,
            "PRIVRAG_API_RATE_PER_KEY": "100000",
            "PRIVRAG_API_BURST_PER_KEY": "100000",
            "PRIVRAG_API_RATE_PER_TENANT": "100000",
            "PRIVRAG_API_BURST_PER_TENANT": "100000",
            "PRIVRAG_API_RETRIEVAL_BUDGET_PER_HOUR": "100000000",
            "PRIVRAG_API_RETRIEVAL_BUDGET_PER_TENANT_HOUR": "100000000",
            "PRIVRAG_API_INGEST_CHARS_PER_SECOND": "1000000000",
            "PRIVRAG_API_INGEST_CHARS_BURST": "1000000000",
        }
        log = (Path(tmp) / "server.log").open("w")
        proc = subprocess.Popen(
            # privrag.cli has no __main__: run the console script's entry point.
            [sys.executable, "-c", _SERVE, "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=log,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(url, proc)
            with httpx.Client(base_url=url, timeout=300) as http:
                admin = {"Authorization": f"Bearer {operator}"}
                http.post("/v1/admin/tenants", json={"name": "load"}, headers=admin)
                key = http.post(
                    "/v1/admin/tenants/load/keys",
                    json={"scopes": ["ingest", "query"]},
                    headers=admin,
                ).json()["key"]
                corpus = [asdict(d) for d in documents(docs)]
                for start in range(0, len(corpus), 32):
                    answer = http.post(
                        "/v1/documents",
                        json={"documents": corpus[start : start + 32]},
                        headers={"Authorization": f"Bearer {key}"},
                    )
                    answer.raise_for_status()
            yield url, key
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit("the server did not become ready")


async def run_load(
    url: str, key: str, *, clients: int, duration: float, k: int
) -> tuple[list[float], Counter[str], float]:
    texts = queries(200)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60, limits=limits
    ) as http:
        started = time.perf_counter()
        deadline = started + duration

        async def worker(index: int) -> None:
            n = index
            while time.perf_counter() < deadline:
                body = {"query": texts[n % len(texts)], "k": k}
                n += clients
                t0 = time.perf_counter()
                try:
                    response = await http.post("/v1/query", json=body)
                    outcomes[str(response.status_code)] += 1
                    if response.status_code == 200:
                        latencies.append(time.perf_counter() - t0)
                except httpx.HTTPError as exc:
                    outcomes[type(exc).__name__] += 1

        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, outcomes, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--docs", type=int, default=200, help="corpus size (local server)")
    parser.add_argument("--url", help="load this server instead of starting one")
    parser.add_argument("--api-key", default=os.environ.get("PRIVRAG_API_KEY"))
    args = parser.parse_args()

    def report(url: str, key: str) -> None:
        latencies, outcomes, elapsed = asyncio.run(
            run_load(url, key, clients=args.clients, duration=args.duration, k=args.k)
        )
        total = sum(outcomes.values())
        errors = total - outcomes.get("200", 0)
        print(f"clients={args.clients} duration={elapsed:.1f}s k={args.k}")
        print(f"requests={total} ok={len(latencies)} errors={errors} {dict(outcomes)}")
        print(f"throughput={total / elapsed:.1f} req/s")
        if latencies:
            p50 = percentile(latencies, 50) * 1000
            p99 = percentile(latencies, 99) * 1000
            print(f"latency p50={p50:.1f} ms p99={p99:.1f} ms")

    if args.url:
        if not args.api_key:
            raise SystemExit("--url needs --api-key (or PRIVRAG_API_KEY)")
        report(args.url, args.api_key)
        return
    with local_server(args.docs) as (url, key):
        report(url, key)


if __name__ == "__main__":
    main()
