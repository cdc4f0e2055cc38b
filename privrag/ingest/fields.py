"""A document's other fields, scrubbed like its text: ``source`` and every string in ``metadata``
come back to callers (hit provenance, ``GET /v1/documents/{id}``), so they pass the tenant's PII
policy before sealing; a document id is an identifier callers address the document by and is
never rewritten, so one that holds detected PII is refused instead (``InvalidInput``: 422, exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from privrag.errors import InvalidInput
from privrag.models import Document
from privrag.pii import KeyedHash, PiiPolicy

if TYPE_CHECKING:
    from privrag.pii import Scrubber


def _strings(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, out)


def _replace_strings(value: Any, scrubbed: list[str]) -> Any:
    """``value`` with its strings taken in order from ``scrubbed`` (same walk as ``_strings``)."""
    if isinstance(value, str):
        return scrubbed.pop(0)
    if isinstance(value, dict):
        return {key: _replace_strings(item, scrubbed) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_replace_strings(item, scrubbed) for item in value]
    return value


def scrub_fields(
    scrubber: Scrubber,
    documents: Sequence[Document],
    *,
    keyed_hash: KeyedHash,
    policy: PiiPolicy,
) -> list[Document]:
    """The documents with ``source`` and metadata strings scrubbed; ``InvalidInput`` if an id
    holds PII. One batched scrub covers every field of every document."""
    strings: list[str] = []
    for doc in documents:
        strings.append(doc.id)
        strings.append(doc.source)
        _strings(doc.metadata, strings)
    results = scrubber.scrub_batch(strings, keyed_hash=keyed_hash, policy=policy)
    out: list[Document] = []
    cursor = 0
    for doc in documents:
        id_result = results[cursor]
        if id_result.entities:
            kinds = ", ".join(sorted({e.type for e in id_result.entities}))
            raise InvalidInput(
                f"a document id must not contain personal data (found {kinds}); "
                "use an opaque id and put descriptive text in metadata"
            )
        count = 1 + 1 + _count(doc.metadata)
        texts = [r.text for r in results[cursor + 1 : cursor + count]]
        cursor += count
        out.append(
            replace(doc, source=texts[0], metadata=_replace_strings(doc.metadata, texts[1:]))
        )
    return out


def _count(value: Any) -> int:
    found: list[str] = []
    _strings(value, found)
    return len(found)
