"""``privrag demo``: two tenants, a bundled corpus with synthetic PII, queries side by side.

It shows the three promises at once: PII is replaced before anything is stored, each tenant sees
only its own documents, and the data dir holds no readable text.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from privrag.atrest import find_plaintext
from privrag.config import load_settings
from privrag.ingest.loaders import document_from_record
from privrag.models import Document

TENANTS = ("acme", "globex")
QUERIES = (
    "How long does a refund take?",
    "Who leaked a credential and what was it?",
    "What happens in the first week for new staff?",
)
# Values planted in the corpus that must never come back out or be found on disk.
CANARIES = (
    "maria.gonzalez@example.com",
    "4111 1111 1111 1111",
    "Sup3rS3cret",
    "AKIAIOSFODNN7EXAMPLE",
    "j.whitaker@globex.example",
    "Baker Street",
    "refund",
)


def corpus(tenant: str) -> list[Document]:
    text = resources.files("privrag").joinpath("demo_corpus", f"{tenant}.jsonl").read_text()
    return [
        document_from_record(json.loads(line), where=f"{tenant}.jsonl")
        for line in text.splitlines()
        if line.strip()
    ]


def run_demo(data_dir: Path, console: Console) -> None:
    from privrag.service import PrivRAG

    console.print(f"[bold]privrag demo[/bold] - data dir {data_dir}")
    with PrivRAG(load_settings(data_dir=data_dir)) as rag:
        for name in TENANTS:
            if name not in {t.name for t in rag.tenants.list()}:
                rag.tenants.create(name)
            reports = rag.ingest(name, corpus(name))
            found: dict[str, int] = {}
            for report in reports:
                for kind, count in report.entities.items():
                    found[kind] = found.get(kind, 0) + count
            summary = ", ".join(f"{k} {v}" for k, v in sorted(found.items()))
            console.print(
                f"ingested {len(reports)} documents for [bold]{name}[/bold]; "
                f"PII replaced: {summary}"
            )
        for text in QUERIES:
            table = Table(title=f"query: {text}", show_lines=True, expand=True)
            for name in TENANTS:
                table.add_column(name, ratio=1)
            cells = []
            for name in TENANTS:
                hits = rag.query(name, text, k=1).hits
                cells.append(
                    f"[dim]{escape(hits[0].doc_id)}[/dim]\n{escape(hits[0].text)}" if hits else "-"
                )
            table.add_row(*cells)
            console.print(table)
    leaks = find_plaintext(data_dir, CANARIES)
    console.print(
        f"scanned every byte under {data_dir} for {len(CANARIES)} planted values "
        f"(PII, secrets and a common word): [bold]{len(leaks)} found[/bold]"
    )
    if leaks:
        raise SystemExit("plaintext found at rest: " + ", ".join(str(p) for p, _ in leaks))
