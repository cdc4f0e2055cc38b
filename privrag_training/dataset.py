"""The training set of one tenant, built through the service, one item per document.

Privacy unit: one document. Adjacency: add/remove one document. Each live document of the tenant
contributes exactly one inverse-cloze pair (one sentence of its first chunk as the query, the
rest of that chunk as the context), however many chunks it has, so one document moves the clipped
gradient sum by at most C per step. The records come from ``PrivRAG.training_records`` (scrubbed
text, opened with that tenant's keys only); every record must carry the job's tenant, and a record
of any other tenant, or a second record of the same document, stops the build.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

import torch
from torch.utils.data import TensorDataset

from privrag.errors import AccessDenied, InvalidInput
from privrag.models import TrainingRecord

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Example:
    """One document's inverse-cloze pair. ``doc_uid`` is the catalog's keyed document id."""

    doc_uid: str
    content_hash: str
    query: str
    context: str


@dataclass(frozen=True)
class TenantExamples:
    tenant_id: str
    train: tuple[Example, ...]
    heldout: tuple[Example, ...]

    def manifest(self) -> list[dict[str, str]]:
        """Document ids (keyed hashes) and keyed content hashes, for the card and lineage."""
        return [
            {"doc_uid": e.doc_uid, "content_hash": e.content_hash, "split": split}
            for split, part in (("train", self.train), ("heldout", self.heldout))
            for e in part
        ]


def inverse_cloze(text: str, rng: random.Random) -> tuple[str, str] | None:
    """(query, context): one sentence, and the text without it; a short text is cut at a third."""
    sentences = [s for s in _SENTENCE.split(text.strip()) if s]
    if len(sentences) >= 2:
        i = rng.randrange(len(sentences))
        return sentences[i], " ".join(sentences[:i] + sentences[i + 1 :])
    words = text.split()
    if len(words) < 6:
        return None
    cut = max(2, len(words) // 3)
    return " ".join(words[:cut]), " ".join(words[cut:])


def examples_from_records(
    tenant_id: str,
    records: Iterable[TrainingRecord],
    *,
    seed: int,
    holdout_fraction: float,
    max_holdout: int,
    max_examples: int | None = None,
) -> TenantExamples:
    """Check and turn one tenant's records into train and held-out examples (pure)."""
    examples: list[Example] = []
    seen: set[str] = set()
    for record in records:
        if record.tenant_id != tenant_id:
            raise AccessDenied("a training record of another tenant reached this tenant's dataset")
        if record.doc_uid in seen:
            raise InvalidInput("a document reached the dataset twice (privacy unit = document)")
        seen.add(record.doc_uid)
        if not record.chunks:
            continue
        rng = random.Random(f"{seed}/{record.doc_uid}")
        pair = inverse_cloze(record.chunks[0], rng)
        if pair is not None:
            examples.append(Example(record.doc_uid, record.content_hash, *pair))
    examples.sort(key=lambda e: e.doc_uid)
    random.Random(seed).shuffle(examples)
    n_holdout = min(max_holdout, max(1, round(holdout_fraction * len(examples))))
    heldout, train = examples[:n_holdout], examples[n_holdout:]
    if max_examples is not None:
        train = train[:max_examples]
    if len(train) < 2:
        raise InvalidInput("the tenant has too few usable documents to train on")
    return TenantExamples(tenant_id, tuple(train), tuple(heldout))


def content_digest(examples: Iterable[Example]) -> str:
    h = hashlib.sha256()
    for e in examples:
        h.update(f"{e.doc_uid}:{e.content_hash}\n".encode())
    return h.hexdigest()


def pack(
    tokenizer: object, examples: Iterable[Example], *, query_tokens: int, context_tokens: int
) -> TensorDataset:
    """Token tensors, one row per example: ``[query | context]`` ids and the real-token mask
    (see ``training.objective`` for why the pair is one sequence)."""
    items = list(examples)
    tok = tokenizer  # a Hugging Face tokenizer
    q = tok(  # type: ignore[operator]
        [e.query for e in items],
        max_length=query_tokens,
        padding="max_length",
        truncation=True,
        return_tensors="pt",
    )
    c = tok(  # type: ignore[operator]
        [e.context for e in items],
        max_length=context_tokens,
        padding="max_length",
        truncation=True,
        return_tensors="pt",
    )
    ids = torch.cat([q["input_ids"], c["input_ids"]], dim=1)
    real = torch.cat([q["attention_mask"], c["attention_mask"]], dim=1)
    return TensorDataset(ids, real)
