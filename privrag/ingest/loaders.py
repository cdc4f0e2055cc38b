"""Turn files into ``Document``s: .txt and .md (one document each) and .jsonl (one per line).

Every failure is an ``InvalidInput`` naming the file (and line), raised before anything is
stored, so a bad file in a batch stores nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from privrag.errors import InvalidInput
from privrag.models import Document

TEXT_SUFFIXES = {".txt", ".md"}
_UNSAFE = re.compile(r"[^\w.:@/+=-]+")


def load_paths(paths: Iterable[Path]) -> list[Document]:
    """Every document of ``paths``; two with one id (``a/notes.txt`` and ``b/notes.txt``) are
    refused, since the second would silently replace the first."""
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for path in paths:
        for doc in load_path(path):
            where = doc.source or str(path)
            if doc.id in seen:
                raise InvalidInput(
                    f"{where}: document id {doc.id!r} is also given by {seen[doc.id]}; "
                    "ids must be unique (use .jsonl to set ids)"
                )
            seen[doc.id] = where
            docs.append(doc)
    return docs


def load_path(path: Path) -> list[Document]:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return [Document(id=file_doc_id(path), text=_read_text(path), source=str(path))]
    if suffix == ".jsonl":
        return list(_read_jsonl(path))
    raise InvalidInput(f"{path}: only .txt, .md and .jsonl files can be ingested")


def file_doc_id(path: Path) -> str:
    return _UNSAFE.sub("-", path.name).strip("-")[:256] or "document"


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if not raw.strip():
        raise InvalidInput(f"{path}: file is empty")
    if b"\x00" in raw:
        raise InvalidInput(f"{path}: file is binary, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: file is not UTF-8 text") from exc


def _read_jsonl(path: Path) -> Iterable[Document]:
    lines = _read_text(path).splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}:{number}: not valid JSON") from exc
        yield document_from_record(record, where=f"{path}:{number}")


def document_from_record(record: Any, *, where: str) -> Document:
    if not isinstance(record, dict):
        raise InvalidInput(f"{where}: each line must be a JSON object")
    unknown = set(record) - {"id", "text", "source", "metadata", "classification", "retention_days"}
    if unknown:
        raise InvalidInput(f"{where}: unknown fields {sorted(unknown)}")
    if "id" not in record or "text" not in record:
        raise InvalidInput(f"{where}: 'id' and 'text' are required")
    return Document(
        id=record["id"],
        text=record["text"],
        source=record.get("source") or "",
        metadata=record.get("metadata") or {},
        classification=record.get("classification") or "internal",
        retention_days=record.get("retention_days"),
    )
