"""``privrag ingest``, ``query`` and ``doc …``: one tenant's documents, locally or over HTTP."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag.cli._common import (
    ApiKeyOpt,
    DataDir,
    JsonOpt,
    LocalTenantOpt,
    OperatorKey,
    OperatorKeyOpt,
    TenantOpt,
    UrlOpt,
    err,
    errors,
    operator_session,
    out,
    plural,
    print_json,
    say,
    tenant_session,
)

app = typer.Typer(help="Manage stored documents.", no_args_is_help=True)
INGEST_BATCH = 16


def ingest(
    paths: Annotated[list[Path], typer.Argument(help=".txt, .md or .jsonl files.")],
    tenant: LocalTenantOpt = None,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """Scrub, chunk, embed, seal and store documents for one tenant (same id: replaced).

    Example: privrag ingest --tenant acme notes.md tickets.jsonl
    (or, against a running server: privrag ingest --url http://127.0.0.1:8000 --api-key KEY notes.md)
    """
    from privrag.ingest.loaders import load_paths

    with errors():
        docs = load_paths(paths)
    reports = []
    with (
        tenant_session(tenant, data_dir, url, api_key) as session,
        Progress(
            TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress,
    ):
        task = progress.add_task("docs", total=len(docs))
        for start in range(0, len(docs), INGEST_BATCH):
            batch = docs[start : start + INGEST_BATCH]
            reports.extend(session.ingest(batch))
            progress.advance(task, len(batch))
    chunks = sum(r.chunks for r in reports)
    entities: Counter[str] = Counter()
    for report in reports:
        entities.update(report.entities)
    replaced = [r.doc_id for r in reports if r.replaced]
    flagged = sum(r.flagged for r in reports)
    if as_json:
        print_json(
            {
                "documents": reports,
                "chunks": chunks,
                "entities": dict(entities),
                "flagged": flagged,
            }
        )
        return
    say(f"{plural(len(docs), 'document')}, {plural(chunks, 'chunk')}")
    if flagged:
        say(f"flagged as prompt injection: {plural(flagged, 'chunk')} (see `privrag screen`)")
    if replaced:
        say(f"replaced {plural(len(replaced), 'existing document')}: {', '.join(replaced)}")
    if entities:
        say(f"PII replaced: {', '.join(f'{k} {v}' for k, v in sorted(entities.items()))}")


def query(
    text: str,
    tenant: LocalTenantOpt = None,
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 5,
    classification: Annotated[
        list[str] | None, typer.Option("--classification", help="Only these, repeatable.")
    ] = None,
    as_json: JsonOpt = False,
    mode: Annotated[str, typer.Option(help="dense, sparse (keyed BM25) or hybrid.")] = "hybrid",
    exclude_flag: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude-flag", help="Leave out chunks with this flag (prompt_injection); repeatable."
        ),
    ] = None,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """Search one tenant's documents; results carry scrubbed text, provenance and flags.

    Example: privrag query --tenant acme "refund for a card payment" -k 3 --exclude-flag prompt_injection
    (or, against a running server: privrag query --url http://127.0.0.1:8000 --api-key KEY "refund")
    """
    with tenant_session(tenant, data_dir, url, api_key, create=False) as session:
        result = session.query(
            text, k=k, classifications=classification, mode=mode, exclude_flags=exclude_flag
        )
    if as_json:
        print_json(
            {
                "results": [h.to_dict() for h in result.hits],
                "model": {"id": result.model_id, "digest": result.model_digest},
            }
        )
        return
    if not result.hits:
        say("no results")
    for hit in result.hits:
        out.print(f"[bold]{hit.score:.3f}[/bold] {hit.doc_id}#{hit.provenance.chunk_index}")
        if hit.flags:
            say(f"  flags: {', '.join(hit.flags)}")
        say(f"  {hit.text}")


@app.command("list")
def doc_list(
    tenant: LocalTenantOpt = None,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """List a tenant's document ids.

    Example: privrag doc list --tenant acme
    """
    with tenant_session(tenant, data_dir, url, api_key, create=False) as session:
        ids = session.list_documents()
    if as_json:
        print_json({"documents": ids})
        return
    for doc_id in ids:
        say(doc_id)
    if not ids:
        say("no documents")


@app.command("show")
def doc_show(
    doc_id: str,
    tenant: LocalTenantOpt = None,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """Metadata and provenance of one document (never its text).

    Example: privrag doc show --tenant acme ticket-1042
    """
    with tenant_session(tenant, data_dir, url, api_key, create=False) as session:
        info = session.get_document(doc_id)
    if as_json:
        print_json(info)
        return
    for name, value in info.to_dict().items():
        say(f"{name}: {value}")


@app.command("delete")
def doc_delete(
    doc_id: str,
    tenant: LocalTenantOpt = None,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """Delete a document: its points, its data key, and (by key rotation) old backups of it.

    Example: privrag doc delete --tenant acme acme-ticket-1042
    """
    with tenant_session(tenant, data_dir, url, api_key, create=False) as session:
        session.delete(doc_id)
    if as_json:
        print_json({"deleted": doc_id})
        return
    say(f"deleted {doc_id}")


@app.command("hold")
def doc_hold(
    doc_id: str,
    tenant: TenantOpt,
    release: Annotated[bool, typer.Option("--release", help="Lift the hold.")] = False,
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Put a document under legal hold (sweeps and erasure skip it), or lift it (operator).

    Example: privrag doc hold --tenant acme contract-17
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        ops.hold_document(tenant, doc_id, not release)
    if as_json:
        print_json({"tenant": tenant, "doc_id": doc_id, "hold": not release})
        return
    say(f"{doc_id}: hold {'lifted' if release else 'set'}")


@app.command("reveal")
def doc_reveal(
    doc_id: str,
    tenant: TenantOpt,
    operator_key: OperatorKey,
    data_dir: DataDir = None,
    url: UrlOpt = None,
) -> None:
    """Print the original values behind a document's pseudonyms as JSON (reversible mode;
    operator; audited over HTTP).

    Example: privrag doc reveal --tenant acme ticket-1042 --operator-key $ALICE_KEY
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        print_json(ops.reveal(tenant, doc_id))
