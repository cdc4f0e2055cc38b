"""The ``privrag`` command: a thin layer over ``PrivRAG``.

Each command opens the data dir (``--data-dir`` or PRIVRAG_DATA_DIR), calls the service, and
turns a ``PrivragError`` into one clean line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag.config import load_settings
from privrag.errors import (
    AccessDenied,
    Conflict,
    InvalidInput,
    NotFound,
    PrivragError,
)

app = typer.Typer(
    help="privrag: a privacy-preserving, tenant-isolated RAG store.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
tenant_app = typer.Typer(help="Create and list tenants.", no_args_is_help=True)
doc_app = typer.Typer(help="Manage stored documents.", no_args_is_help=True)
app.add_typer(tenant_app, name="tenant")
app.add_typer(doc_app, name="doc")
operator_app = typer.Typer(help="Operator credentials for the HTTP API.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(operator_app, name="operator-key")
app.add_typer(audit_app, name="audit")

out = Console()
err = Console(stderr=True)

_EXIT = {InvalidInput: 2, NotFound: 3, AccessDenied: 4, Conflict: 5}
INGEST_BATCH = 16

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="PRIVRAG_DATA_DIR", help="Data directory."),
]
TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant name.")]
# Client mode: with --url the command talks to a running server and the key names the tenant.
LocalTenantOpt = Annotated[
    str | None, typer.Option("--tenant", "-t", help="Tenant name (not with --url).")
]
UrlOpt = Annotated[
    str | None,
    typer.Option("--url", envvar="PRIVRAG_URL", help="Use the server at this URL."),
]
ApiKeyOpt = Annotated[
    str | None,
    typer.Option("--api-key", envvar="PRIVRAG_API_KEY", help="API key for --url."),
]


def _exit_code(exc: PrivragError) -> int:
    for cls, code in _EXIT.items():
        if isinstance(exc, cls):
            return code
    return 1


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except PrivragError as exc:
        err.print(f"error: {exc.message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(_exit_code(exc)) from None


@contextmanager
def _service(data_dir: Path | None) -> Iterator[Any]:
    from privrag.service import PrivRAG

    with _errors():
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        rag = PrivRAG(load_settings(**overrides))
        try:
            yield rag
        finally:
            rag.close()


def _local_tenant(tenant: str | None) -> str:
    if not tenant:
        raise InvalidInput("--tenant is required (or use --url with --api-key)")
    return tenant


@contextmanager
def _remote(url: str, api_key: str | None) -> Iterator[Any]:
    from privrag.client import Client

    with _errors():
        if not api_key:
            raise InvalidInput("--url needs --api-key (or PRIVRAG_API_KEY)")
        client = Client(url, api_key)
        try:
            yield client
        finally:
            client.close()


@tenant_app.command("create")
def tenant_create(name: str, data_dir: DataDir = None) -> None:
    """Create a tenant with its own keys and shard.

    Example: privrag tenant create acme
    """
    with _service(data_dir) as rag, _errors():
        tenant = rag.tenants.create(name)
        out.print(f"created tenant {tenant.name}")


@tenant_app.command("list")
def tenant_list(data_dir: DataDir = None) -> None:
    """List tenants.

    Example: privrag tenant list
    """
    with _service(data_dir) as rag, _errors():
        for tenant in rag.tenants.list():
            out.print(f"{tenant.name}\t{tenant.status}")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help=".txt, .md or .jsonl files.")],
    tenant: LocalTenantOpt = None,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """Scrub, chunk, embed, seal and store documents for one tenant.

    Example: privrag ingest --tenant acme notes.md tickets.jsonl
    (or, against a running server: privrag ingest --url http://127.0.0.1:8000 --api-key KEY notes.md)
    """
    from privrag.ingest.loaders import load_paths

    with _errors():
        docs = load_paths(paths)
    if url:
        with _remote(url, api_key) as client:
            total, found = 0, Counter[str]()
            for start in range(0, len(docs), INGEST_BATCH):
                answer = client.ingest(docs[start : start + INGEST_BATCH])
                total += answer["chunks"]
                found.update(answer["entities"])
            out.print(f"{len(docs)} documents, {total} chunks")
            if found:
                out.print(
                    f"PII replaced: {', '.join(f'{k} {v}' for k, v in sorted(found.items()))}"
                )
        return
    with _service(data_dir) as rag, _errors():
        tenant = _local_tenant(tenant)
        rag.tenants.get(tenant)
        chunks = 0
        entities: Counter[str] = Counter()
        with Progress(
            TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress:
            task = progress.add_task("docs", total=len(docs))
            for start in range(0, len(docs), INGEST_BATCH):
                batch = docs[start : start + INGEST_BATCH]
                for report in rag.ingest(tenant, batch):
                    chunks += report.chunks
                    entities.update(report.entities)
                progress.advance(task, len(batch))
        out.print(f"{len(docs)} documents, {chunks} chunks")
        if entities:
            summary = ", ".join(f"{k} {v}" for k, v in sorted(entities.items()))
            out.print(f"PII replaced: {summary}")


@app.command()
def query(
    text: str,
    tenant: LocalTenantOpt = None,
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """Search one tenant's documents; results carry scrubbed text and provenance.

    Example: privrag query --tenant acme "refund for a card payment" -k 3 --json
    (or, against a running server: privrag query --url http://127.0.0.1:8000 --api-key KEY "refund")
    """
    if url:
        with _remote(url, api_key) as client:
            answer = client.query(text, k=k)
            if as_json:
                sys.stdout.write(json.dumps(answer) + "\n")
                return
            for r in answer["results"]:
                index = r["provenance"]["chunk_index"]
                out.print(f"[bold]{r['score']:.3f}[/bold] {r['doc_id']}#{index}", markup=True)
                out.print(f"  {r['text']}", markup=False, highlight=False)
        return
    with _service(data_dir) as rag, _errors():
        result = rag.query(_local_tenant(tenant), text, k=k)
        if as_json:
            payload = {
                "results": [h.to_dict() for h in result.hits],
                "model": {"id": result.model_id, "digest": result.model_digest},
            }
            sys.stdout.write(json.dumps(payload) + "\n")
            return
        for hit in result.hits:
            out.print(f"[bold]{hit.score:.3f}[/bold] {hit.doc_id}#{hit.provenance.chunk_index}")
            out.print(f"  {hit.text}", markup=False, highlight=False)


@doc_app.command("delete")
def doc_delete(
    doc_id: str,
    tenant: LocalTenantOpt = None,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """Delete a document: its points, its data key, and (by key rotation) old backups of it.

    Example: privrag doc delete --tenant acme acme-ticket-1042
    """
    if url:
        with _remote(url, api_key) as client:
            client.delete(doc_id)
            out.print(f"deleted {doc_id}", markup=False, highlight=False)
        return
    with _service(data_dir) as rag, _errors():
        rag.delete(_local_tenant(tenant), doc_id)
        out.print(f"deleted {doc_id}")


@app.command()
def scrub() -> None:
    """Scrub PII from JSONL on stdin ({"text"}) to JSONL on stdout, in the same order.

    Example: privrag scrub < records.jsonl > scrubbed.jsonl
    """
    from privrag.pii import Scrubber

    with _errors():
        records = []
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"line {number}: not valid JSON") from exc
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InvalidInput(f'line {number}: expected an object with a "text" string')
            records.append(record["text"])
        scrubber = Scrubber()
        for result in scrubber.scrub_batch(records):
            entities = [{"type": e.type, "start": e.start, "end": e.end} for e in result.entities]
            sys.stdout.write(json.dumps({"text": result.text, "entities": entities}) + "\n")


@app.command()
def demo(
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Keep the demo data here.")
    ] = None,
) -> None:
    """Two tenants, a bundled corpus full of synthetic PII, a few queries side by side.

    Example: privrag demo
    """
    from privrag.demo import run_demo

    with _errors(), _demo_dir(data_dir) as where:
        run_demo(where, out)


@contextmanager
def _demo_dir(data_dir: Path | None) -> Iterator[Path]:
    if data_dir is not None:
        yield data_dir
        return
    with tempfile.TemporaryDirectory(prefix="privrag-demo-") as tmp:
        # An ephemeral master key: the demo leaves nothing behind that could open its data.
        os.environ.setdefault("PRIVRAG_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
        yield Path(tmp)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Run the HTTP API (owns the data dir; other processes use --url).

    Example: privrag serve --host 127.0.0.1 --port 8000
    """
    from privrag.api import create_app
    from privrag.api.server import serve as run

    with _errors():
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        api = create_app(load_settings(**overrides))
    run(api, host=host, port=port)


@operator_app.command("create")
def operator_key_create(
    label: Annotated[str, typer.Option(help="Who holds this key.")] = "",
    data_dir: DataDir = None,
) -> None:
    """Create an operator key (printed once; only its hash is kept). Stop the server first.

    Example: privrag operator-key create --label alice
    """
    from privrag.access import Access

    with _service(data_dir) as rag, _errors():
        issued = Access(rag.catalog, clock=rag.clock).issue_operator_key(label)
        out.print(f"operator key id: {issued.key_id}", markup=False, highlight=False)
        sys.stdout.write(issued.key + "\n")


@audit_app.command("verify")
def audit_verify(
    path: Annotated[
        Path | None, typer.Option("--path", help="Audit log file (default: in the data dir).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Check the audit log's hash chain; any edited, removed or reordered line fails.

    Example: privrag audit verify --data-dir ./privrag-data
    """
    from privrag.audit import verify

    with _errors():
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        target = path or load_settings(**overrides).audit_path
        report = verify(target)
    if not report.ok:
        where = f" at line {report.line}" if report.line else ""
        err.print(f"audit log FAILED{where}: {report.problem}", markup=False, highlight=False)
        raise typer.Exit(6)
    out.print(f"audit log intact: {report.lines} lines", markup=False, highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
