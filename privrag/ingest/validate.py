"""Edge validation of documents and queries: fail closed, before anything is written.

Anything stored must be returnable: names and ids match their whole pattern (``fullmatch``, so
a trailing newline is refused), text is valid Unicode (no lone surrogates, which no UTF-8
response can carry), and metadata is plain JSON of bounded depth and size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from privrag.errors import InvalidInput
from privrag.models import CLASSIFICATIONS, Document

_DOC_ID = re.compile(r"[\w.:@/+=-]{1,256}")
_TENANT = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
METADATA_MAX_DEPTH = 16
METADATA_MAX_BYTES = 65_536
# Control characters (other than tab, newline, form feed, carriage return) and U+FFFD mark
# binary or mis-decoded input. Real corpora carry a stray one now and then (SciFact has six
# abstracts with a U+FFFD), so only a NUL or more than 1% of them refuses the text.
_ODD = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\ufffd]")
_ODD_SHARE = 0.01


def tenant_name(name: str) -> str:
    if not isinstance(name, str) or not _TENANT.fullmatch(name):
        raise InvalidInput(
            "tenant names are 1-63 characters of a-z, 0-9, '-' and '_', starting alphanumeric"
        )
    return name


def document_id(doc_id: str) -> str:
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
        raise InvalidInput(
            "document ids are 1-256 characters of letters, digits and . : @ / + = - _"
        )
    return doc_id


def text_content(text: object, *, what: str, max_chars: int) -> str:
    if not isinstance(text, str):
        raise InvalidInput(f"{what} must be text")
    if not text.strip():
        raise InvalidInput(f"{what} is empty")
    if len(text) > max_chars:
        raise InvalidInput(f"{what} is longer than {max_chars} characters")
    unicode_text(text, what=what)
    if "\x00" in text or len(_ODD.findall(text)) > _ODD_SHARE * len(text):
        raise InvalidInput(f"{what} looks binary (control characters or undecodable bytes)")
    return text


def unicode_text(text: str, *, what: str) -> str:
    """Refuse a lone surrogate: it can be stored, but never sent back as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{what} is not valid Unicode (a lone surrogate)") from exc
    return text


def plain_json(value: Any, *, what: str) -> Any:
    """JSON that can be returned as it came: no NaN or Infinity, valid Unicode, at most
    ``METADATA_MAX_DEPTH`` levels and ``METADATA_MAX_BYTES`` bytes."""
    _depth_and_text(value, what=what, depth=1)
    try:
        encoded = json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{what} must be plain JSON (no NaN or Infinity)") from exc
    if len(encoded) > METADATA_MAX_BYTES:
        raise InvalidInput(f"{what} is larger than {METADATA_MAX_BYTES // 1024} KiB")
    return value


def _depth_and_text(value: Any, *, what: str, depth: int) -> None:
    if depth > METADATA_MAX_DEPTH:
        raise InvalidInput(f"{what} is nested deeper than {METADATA_MAX_DEPTH} levels")
    if isinstance(value, str):
        unicode_text(value, what=what)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidInput(f"{what} keys must be text")
            unicode_text(key, what=what)
            _depth_and_text(item, what=what, depth=depth + 1)
    elif isinstance(value, list):
        for item in value:
            _depth_and_text(item, what=what, depth=depth + 1)


def documents(docs: Sequence[Document], *, max_chars: int) -> None:
    if not docs:
        raise InvalidInput("no documents to ingest")
    seen: set[str] = set()
    for doc in docs:
        document_id(doc.id)
        if doc.id in seen:
            raise InvalidInput(f"document id {doc.id!r} appears twice in one batch")
        seen.add(doc.id)
        text_content(doc.text, what=f"document {doc.id!r}", max_chars=max_chars)
        if doc.classification not in CLASSIFICATIONS:
            raise InvalidInput(f"classification must be one of {', '.join(CLASSIFICATIONS)}")
        if doc.retention_days is not None and (
            isinstance(doc.retention_days, bool)
            or not isinstance(doc.retention_days, int)
            or doc.retention_days < 1
        ):
            raise InvalidInput("retention_days must be a positive whole number of days")
        if not isinstance(doc.source, str) or len(doc.source) > 1024:
            raise InvalidInput("source must be text of at most 1024 characters")
        unicode_text(doc.source, what="source")
        if not isinstance(doc.metadata, dict):
            raise InvalidInput("metadata must be an object")
        plain_json(doc.metadata, what="metadata")
