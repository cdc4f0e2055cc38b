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
    mode: Annotated[str, typer.Option(help="dense, sparse (keyed BM25) or hybrid.")] = "hybrid",
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
            answer = client.query(text, k=k, mode=mode)
            if as_json:
                sys.stdout.write(json.dumps(answer) + "\n")
                return
            for r in answer["results"]:
                index = r["provenance"]["chunk_index"]
                out.print(f"[bold]{r['score']:.3f}[/bold] {r['doc_id']}#{index}", markup=True)
                out.print(f"  {r['text']}", markup=False, highlight=False)
        return
    with _service(data_dir) as rag, _errors():
        result = rag.query(_local_tenant(tenant), text, k=k, mode=mode)
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
def migrate(
    to: Annotated[str, typer.Option("--to", help="Qdrant URL of the target cluster.")],
    qdrant_api_key: Annotated[
        str | None,
        typer.Option("--qdrant-api-key", envvar="PRIVRAG_QDRANT_API_KEY", help="Its API key."),
    ] = None,
    batch: Annotated[int, typer.Option("--batch", min=1, max=10_000)] = 256,
    data_dir: DataDir = None,
) -> None:
    """Copy the embedded data dir's vectors to a Qdrant cluster; rerun to resume.

    Points move as stored (sealed payloads, same ids and vectors); the catalog and keystore stay.
    Afterwards set PRIVRAG_QDRANT_URL to the cluster and start the service as usual.

    Example: privrag migrate --to https://qdrant.internal:6333 --data-dir ./privrag-data
    """
    from privrag.migrate import cursor_path, migrate_store
    from privrag.service import PrivRAG
    from privrag.store import open_store

    with _errors():
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        source_settings = load_settings(**overrides, qdrant_url=None)
        target_settings = load_settings(**overrides, qdrant_url=to, qdrant_api_key=qdrant_api_key)
        rag = PrivRAG(source_settings)
        try:
            target = open_store(target_settings, dim=rag._vector_dim)
            try:
                names = {t.id: t.name for t in rag.catalog.tenants()}
                report = migrate_store(
                    rag.store,
                    target,
                    list(names),
                    cursor_file=cursor_path(source_settings.data_dir, to),
                    batch=batch,
                )
            finally:
                target.close()
        finally:
            rag.close()
    for item in report:
        note = " (resumed)" if item.resumed else ""
        out.print(
            f"{names[item.tenant_id]}: {item.target_count} points{note}",
            markup=False,
            highlight=False,
        )


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


retention_app = typer.Typer(help="Retention sweeps and deletion receipts.", no_args_is_help=True)
app.add_typer(retention_app, name="retention")
OperatorKey = Annotated[
    str,
    typer.Option(
        "--operator-key",
        envvar="PRIVRAG_OPERATOR_KEY",
        help="Your operator key (privrag operator-key create); it names who acts.",
    ),
]


def _operator(rag: Any, key: str) -> str:
    from privrag.access import Access

    principal = Access(rag.catalog, clock=rag.clock).authenticate(key)
    if not principal.is_operator:
        raise AccessDenied("an operator key is required")
    return str(principal.key_id)


def _parse_time(value: str) -> int:
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"--as-of {value!r} is not an ISO 8601 date or time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


@retention_app.command("sweep")
def retention_sweep(
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="One tenant (default: all).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report, delete nothing.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="ISO 8601; with --dry-run only.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Delete expired documents (held ones are skipped and reported); sign a receipt.

    Example: privrag retention sweep --tenant acme --dry-run --as-of 2027-01-01 --json
    """
    with _errors():
        moment = _parse_time(as_of) if as_of is not None else None
        if moment is not None and not dry_run:
            raise InvalidInput("--as-of is only allowed with --dry-run")
    with (
        _service(data_dir) as rag,
        _errors(),
        Progress(
            TextColumn("sweeping"), BarColumn(), MofNCompleteColumn(), console=err, transient=True
        ) as progress,
    ):
        task = progress.add_task("steps", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        results = rag.sweep(tenant, dry_run=dry_run, as_of=moment, progress=advance)
    if as_json:
        payload: dict[str, Any] = (
            results[0].to_dict()
            if tenant
            else {"tenants": {r.tenant: r.to_dict() for r in results}}
        )
        sys.stdout.write(json.dumps(payload) + "\n")
        return
    verb = "would delete" if dry_run else "deleted"
    for result in results:
        out.print(
            f"{result.tenant}: {verb} {len(result.deleted)} documents, {len(result.held)} held",
            markup=False,
            highlight=False,
        )


@retention_app.command("verify")
def retention_verify(data_dir: DataDir = None) -> None:
    """Check every deletion receipt's signature and the chain; any tampering fails.

    Example: privrag retention verify
    """
    with _service(data_dir) as rag, _errors():
        report = rag.verify_receipts()
    if not report.ok:
        err.print(f"receipts FAILED: {report.problem}", markup=False, highlight=False)
        raise typer.Exit(6)
    out.print(f"receipts intact: {report.receipts} receipts", markup=False, highlight=False)


@retention_app.command("policy")
def retention_policy(
    tenant: TenantOpt,
    default_days: Annotated[
        int | None, typer.Option("--default-days", help="Keep documents this many days.")
    ] = None,
    class_days: Annotated[
        list[str] | None,
        typer.Option("--class-days", help="CLASS=DAYS, repeatable (e.g. public=365)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Show or change a tenant's retention policy (re-dates documents without an override).

    Example: privrag retention policy --tenant acme --default-days 90 --class-days restricted=30
    """
    from privrag.retention import RetentionPolicy

    with _service(data_dir) as rag, _errors():
        if default_days is not None or class_days:
            by_class: dict[str, int] = {}
            for item in class_days or []:
                name, _, days = item.partition("=")
                if not days.isdigit():
                    raise InvalidInput(f"--class-days takes CLASS=DAYS, not {item!r}")
                by_class[name] = int(days)
            policy = RetentionPolicy(default_days=default_days, by_class=by_class)
            changed = rag.tenants.set_retention(tenant, policy)
            out.print(f"policy set; {changed} documents re-dated", markup=False, highlight=False)
        sys.stdout.write(json.dumps(rag.tenants.retention(tenant).to_dict()) + "\n")


@app.command()
def forget(
    tenant: TenantOpt,
    subject: Annotated[str, typer.Option("--subject", help="The value to erase (e.g. an e-mail).")],
    entity_type: Annotated[
        str | None, typer.Option("--type", help="Entity type, e.g. EMAIL_ADDRESS (default: all).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Erase every document that mentioned a data subject; prints the signed receipt.

    Example: privrag forget --tenant acme --subject jane@example.com --type EMAIL_ADDRESS
    """
    with _service(data_dir) as rag, _errors():
        result = rag.forget(tenant, subject, entity_type=entity_type)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict()) + "\n")
        return
    out.print(
        f"erased {len(result.deleted)} documents, {len(result.held)} held",
        markup=False,
        highlight=False,
    )


@doc_app.command("hold")
def doc_hold(
    doc_id: str,
    tenant: TenantOpt,
    release: Annotated[bool, typer.Option("--release", help="Lift the hold.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Put a document under legal hold (sweeps and erasure skip it), or lift it.

    Example: privrag doc hold --tenant acme contract-17
    """
    with _service(data_dir) as rag, _errors():
        rag.hold(tenant, doc_id, not release)
        out.print(f"{doc_id}: hold {'lifted' if release else 'set'}", markup=False, highlight=False)


@tenant_app.command("hold")
def tenant_hold(
    name: str,
    release: Annotated[bool, typer.Option("--release", help="Lift the hold.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Legal hold on a whole tenant: nothing of it is deleted until lifted.

    Example: privrag tenant hold acme
    """
    with _service(data_dir) as rag, _errors():
        rag.tenants.set_hold(name, not release)
        out.print(f"{name}: hold {'lifted' if release else 'set'}", markup=False, highlight=False)


@tenant_app.command("delete")
def tenant_delete(name: str, operator_key: OperatorKey, data_dir: DataDir = None) -> None:
    """Request crypto-shredding of a tenant; another operator must approve the printed id.

    Example: privrag tenant delete acme --operator-key $ALICE_KEY
    """
    with _service(data_dir) as rag, _errors():
        request = rag.request_offboarding(name, requested_by=_operator(rag, operator_key))
        out.print(f"pending offboarding request: {request}", markup=False, highlight=False)
        out.print("approve with: privrag approve ID (by a different operator)", markup=False)


@app.command()
def approve(request_id: str, operator_key: OperatorKey, data_dir: DataDir = None) -> None:
    """Approve a pending tenant deletion (a different operator than the requester). Irreversible.

    Example: privrag approve 3f2a... --operator-key $BOB_KEY
    """
    with _service(data_dir) as rag, _errors():
        receipt = rag.approve_offboarding(request_id, approved_by=_operator(rag, operator_key))
    sys.stdout.write(json.dumps(receipt) + "\n")


@app.command()
def cancel(request_id: str, operator_key: OperatorKey, data_dir: DataDir = None) -> None:
    """Cancel a pending tenant deletion.

    Example: privrag cancel 3f2a... --operator-key $ALICE_KEY
    """
    with _service(data_dir) as rag, _errors():
        rag.cancel_offboarding(request_id, cancelled_by=_operator(rag, operator_key))
        out.print(f"cancelled {request_id}", markup=False, highlight=False)


model_app = typer.Typer(help="A tenant's fine-tuned models: list, activate, roll back, verify.")
app.add_typer(model_app, name="model")


@app.command()
def train(
    tenant: TenantOpt,
    epsilon: Annotated[float, typer.Option("--epsilon", help="This run's epsilon.")] = 8.0,
    delta: Annotated[
        float | None, typer.Option("--delta", help="Default: min(ledger delta, 1/(10 N)).")
    ] = None,
    epochs: Annotated[int, typer.Option("--epochs")] = 2,
    layers: Annotated[int, typer.Option("--layers", help="Top encoder layers trained.")] = 2,
    max_examples: Annotated[int | None, typer.Option("--max-examples")] = None,
    audit_canaries: Annotated[
        int, typer.Option("--audit-canaries", help="One-run audit with M canaries (M % 4 == 0).")
    ] = 0,
    non_private: Annotated[
        bool, typer.Option("--non-private", help="Utility ceiling: no DP, never activatable.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the model card.")] = False,
    data_dir: DataDir = None,
) -> None:
    """DP fine-tune the embedding model on one tenant's documents; charged to its ledger first.

    Example: privrag train --tenant acme --epsilon 8 --epochs 2 --audit-canaries 64 --json
    """
    from privrag_training.config import TrainConfig
    from privrag_training.job import train as run

    with _errors():
        config = TrainConfig(
            epsilon=epsilon,
            delta=delta,
            epochs=epochs,
            layers=layers,
            max_examples=max_examples,
            audit_canaries=audit_canaries,
            private=not non_private,
        )
    with _service(data_dir) as rag, _errors():
        rag.tenants.get(tenant)
        with Progress(
            TextColumn("training"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            console=err,
        ) as progress:
            task = progress.add_task("steps", total=None, status="")

            def on_step(step: int, total: int, loss: float, spent: float) -> None:
                progress.update(
                    task, completed=step, total=total, status=f"loss {loss:.3f}  ε {spent:.2f}"
                )

            result = run(rag, tenant, config, on_step=on_step)
        if as_json:
            sys.stdout.write(json.dumps(result.card, sort_keys=True) + "\n")
            return
        privacy = result.card["privacy"]
        eps = "∞ (non-private)" if privacy["epsilon"] is None else f"{privacy['epsilon']:.3f}"
        out.print(f"model v{result.version} for {tenant}: ε={eps} δ={privacy['delta']}")
        metrics = result.card["metrics"]
        out.print(
            f"held-out nDCG@10 {metrics['before']['ndcg@10']} -> {metrics['after']['ndcg@10']}"
        )
        out.print(f"activate with: privrag model activate --tenant {tenant} {result.version}")


@app.command()
def budget(
    tenant: TenantOpt,
    set_epsilon: Annotated[
        float | None, typer.Option("--set-epsilon", help="Change the tenant's total budget.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Show (or change) a tenant's privacy budget: total, spent (composed), remaining.

    Example: privrag budget --tenant acme --set-epsilon 12
    """
    from privrag_training.ledger import load_ledger, save_ledger

    with _service(data_dir) as rag, _errors():
        found = rag.tenants.get(tenant)
        ledger, revision = load_ledger(rag.catalog, found.id)
        if set_epsilon is not None:
            ledger = ledger.with_budget_epsilon(set_epsilon)
            save_ledger(rag.catalog, ledger, revision)
        state = ledger.to_dict()
        if as_json:
            sys.stdout.write(json.dumps(state) + "\n")
            return
        out.print(
            f"{tenant}: spent ε={state['spent_epsilon']:.3f} of {state['budget']['epsilon']:g} "
            f"(δ={state['budget']['delta']:g}, {state['accountant']}), "
            f"remaining {state['remaining_epsilon']:.3f}; {len(state['events'])} DP runs, "
            f"{len(state['non_private_runs'])} non-private",
            markup=False,
            highlight=False,
        )


@model_app.command("list")
def model_list(tenant: TenantOpt, data_dir: DataDir = None) -> None:
    """List a tenant's models; '*' marks the one serving queries.

    Example: privrag model list --tenant acme
    """
    with _service(data_dir) as rag, _errors():
        found = rag.tenants.get(tenant)
        active = rag.models.active_model_id(found.id)
        out.print(f"{'*' if active is None else ' '} base  packaged all-MiniLM-L6-v2")
        for row in rag.models.list(found.id):
            eps = "non-private" if not row.private else f"ε={row.epsilon:.3f} δ={row.delta:g}"
            flag = f"  FLAGGED: {row.flagged}" if row.flagged else ""
            mark = "*" if row.model_id == active else " "
            out.print(f"{mark} v{row.version}  {eps}{flag}", markup=False, highlight=False)


@model_app.command("activate")
def model_activate(
    version: int,
    tenant: TenantOpt,
    allow_non_private: Annotated[
        bool, typer.Option("--allow-non-private", help="Override for non-private or flagged.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Serve the tenant's queries with model VERSION (re-embeds its chunks; rerun to resume).

    Example: privrag model activate --tenant acme 3
    """
    with _service(data_dir) as rag, _errors():
        switch = rag.activate_model(tenant, version, allow_non_private=allow_non_private)
        out.print(f"{tenant} now served by v{switch.version} ({switch.chunks} chunks re-embedded)")


@model_app.command("rollback")
def model_rollback(tenant: TenantOpt, data_dir: DataDir = None) -> None:
    """Go back to the previously active model (re-embeds its chunks; rerun to resume).

    Example: privrag model rollback --tenant acme
    """
    with _service(data_dir) as rag, _errors():
        switch = rag.rollback_model(tenant)
        name = "the base model" if switch.version is None else f"v{switch.version}"
        out.print(f"{tenant} now served by {name} ({switch.chunks} chunks re-embedded)")


@model_app.command("verify")
def model_verify(
    tenant: TenantOpt,
    version: Annotated[int | None, typer.Option("--version", help="Default: active.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Check the signature over a model's weights and card; exit 1 if it does not verify.

    Example: privrag model verify --tenant acme
    """
    with _service(data_dir) as rag, _errors():
        found = rag.tenants.get(tenant)
        if version is None:
            model_id = rag.models.active_model_id(found.id)
            if model_id is None:
                out.print("the packaged base model is active (verified by its package)")
                return
        else:
            model_id = rag.models.by_version(found.id, version).model_id
        card = rag.models.verify(found.id, model_id)
        out.print(f"v{card['version']} verified: signature matches weights and card")


@tenant_app.command("pii-policy")
def tenant_pii_policy(
    name: str,
    operator: Annotated[
        str | None,
        typer.Option(help="placeholder | pseudonym | hash | reversible"),
    ] = None,
    add: Annotated[list[str] | None, typer.Option("--add", help="Entity type to add.")] = None,
    drop: Annotated[list[str] | None, typer.Option("--drop", help="Entity type to drop.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Show or change what counts as PII for a tenant and how it is replaced.

    Example: privrag tenant pii-policy acme --operator pseudonym --add DATE_TIME
    """
    from privrag.pii import PiiPolicy

    with _service(data_dir) as rag, _errors():
        policy = rag.tenants.pii_policy(name)
        if operator is not None or add or drop:
            policy = PiiPolicy(
                entities=(policy.entities | set(add or [])) - set(drop or []),
                operator=operator or policy.operator,  # type: ignore[arg-type]
            )
            rag.tenants.set_pii_policy(name, policy)
        sys.stdout.write(json.dumps(policy.to_dict()) + "\n")


@doc_app.command("reveal")
def doc_reveal(
    doc_id: str, tenant: TenantOpt, operator_key: OperatorKey, data_dir: DataDir = None
) -> None:
    """Print the original values behind a document's pseudonyms (reversible mode; operator).

    Example: privrag doc reveal --tenant acme ticket-1042 --operator-key $ALICE_KEY
    """
    with _service(data_dir) as rag, _errors():
        _operator(rag, operator_key)
        sys.stdout.write(json.dumps(rag.reveal(tenant, doc_id)) + "\n")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
