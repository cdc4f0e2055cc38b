"""``privrag ingest``, ``query`` and ``doc …``: one tenant's documents, locally or over HTTP."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag.cli._common import (
    ApiKeyOpt,
    DataDir,
    LocalTenantOpt,
    OperatorKey,
    TenantOpt,
    UrlOpt,
    err,
    errors,
    operator,
    out,
    say,
    service,
    tenant_session,
)

app = typer.Typer(help="Manage stored documents.", no_args_is_help=True)
INGEST_BATCH = 16


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

    with errors():
        docs = load_paths(paths)
    with tenant_session(tenant, data_dir, url, api_key) as session:
        chunks = 0
        entities: Counter[str] = Counter()
        with Progress(
            TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress:
            task = progress.add_task("docs", total=len(docs))
            for start in range(0, len(docs), INGEST_BATCH):
                batch = docs[start : start + INGEST_BATCH]
                answer = session.ingest(batch)
                chunks += answer["chunks"]
                entities.update(answer["entities"])
                progress.advance(task, len(batch))
    out.print(f"{len(docs)} documents, {chunks} chunks")
    if entities:
        out.print(f"PII replaced: {', '.join(f'{k} {v}' for k, v in sorted(entities.items()))}")


def query(
    text: str,
    tenant: LocalTenantOpt = None,
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    mode: Annotated[str, typer.Option(help="dense, sparse (keyed BM25) or hybrid.")] = "hybrid",
    data_dir: DataDir = None,
    url: UrlOpt = None,
    api_key: ApiKeyOpt = None,
) -> None:
    """Search one tenant's documents; results carry scrubbed text and provenance.

    Example: privrag query --tenant acme "refund for a card payment" -k 3 --json
    (or, against a running server: privrag query --url http://127.0.0.1:8000 --api-key KEY "refund")
    """
    with tenant_session(tenant, data_dir, url, api_key) as session:
        answer = session.query(text, k=k, mode=mode)
    if as_json:
        sys.stdout.write(json.dumps(answer) + "\n")
        return
    for r in answer["results"]:
        index = r["provenance"]["chunk_index"]
        out.print(f"[bold]{r['score']:.3f}[/bold] {r['doc_id']}#{index}", markup=True)
        out.print(f"  {r['text']}", markup=False, highlight=False)


@app.command("delete")
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
    with tenant_session(tenant, data_dir, url, api_key) as session:
        session.delete(doc_id)
    say(f"deleted {doc_id}")


@app.command("hold")
def doc_hold(
    doc_id: str,
    tenant: TenantOpt,
    release: Annotated[bool, typer.Option("--release", help="Lift the hold.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Put a document under legal hold (sweeps and erasure skip it), or lift it.

    Example: privrag doc hold --tenant acme contract-17
    """
    with service(data_dir) as rag, errors():
        rag.hold(tenant, doc_id, not release)
        out.print(f"{doc_id}: hold {'lifted' if release else 'set'}", markup=False, highlight=False)


@app.command("reveal")
def doc_reveal(
    doc_id: str, tenant: TenantOpt, operator_key: OperatorKey, data_dir: DataDir = None
) -> None:
    """Print the original values behind a document's pseudonyms (reversible mode; operator).

    Example: privrag doc reveal --tenant acme ticket-1042 --operator-key $ALICE_KEY
    """
    with service(data_dir) as rag, errors():
        operator(rag, operator_key)
        sys.stdout.write(json.dumps(rag.reveal(tenant, doc_id)) + "\n")
