"""The training set of one tenant, built through the service, one item per document.

Privacy unit: one document (not one person: a subject named in k documents is protected at
group level, roughly k·ε). Each live document of the tenant contributes exactly one pair from its
first chunk (an inverse-cloze sentence and the rest, or two independent random crops), however
many chunks it has, so one document moves the clipped gradient sum by at most C per step. Each
document's role (train or held out) is decided by a hash of its own keyed id (``doc_uid``) and
nothing else: no shuffle, cap or truncation couples documents, so adding or removing one
document changes the role of that document only. The records come from
``PrivRAG.training_records`` (scrubbed text, opened with that tenant's keys only); every record
must carry the job's tenant, and a record of any other tenant, or a second record of the same
document, stops the build.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

import torch
from torch.utils.data import TensorDataset

from privrag import AccessDenied, InvalidInput, TrainingRecord

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


def crops(text: str, rng: random.Random) -> tuple[str, str] | None:
    """(query, context): two independent random spans of the text (Contriever-style), a short
    one (10-25 % of the words) and a long one (40-70 %); they may overlap."""
    words = text.split()
    if len(words) < 12:
        return None

    def span(low: float, high: float) -> str:
        length = max(4, round(len(words) * rng.uniform(low, high)))
        start = rng.randrange(len(words) - length + 1)
        return " ".join(words[start : start + length])

    return span(0.10, 0.25), span(0.40, 0.70)


PAIRS = {"inverse_cloze": inverse_cloze, "crops": crops}


def is_heldout(doc_uid: str, holdout_fraction: float) -> bool:
    """The document's role, from its keyed id alone (uniform in [0, 1) against the fraction)."""
    digest = hashlib.sha256(f"privrag/training-split/v1/{doc_uid}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < holdout_fraction


def examples_from_records(
    tenant_id: str,
    records: Iterable[TrainingRecord],
    *,
    seed: int,
    holdout_fraction: float,
    objective: str = "inverse_cloze",
) -> TenantExamples:
    """Check and turn one tenant's records into train and held-out examples (pure)."""
    pair_of = PAIRS[objective]
    train: list[Example] = []
    heldout: list[Example] = []
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
        pair = pair_of(record.chunks[0], rng)
        if pair is not None:
            example = Example(record.doc_uid, record.content_hash, *pair)
            (heldout if is_heldout(record.doc_uid, holdout_fraction) else train).append(example)
    if len(train) < 2:
        raise InvalidInput("the tenant has too few usable documents to train on")
    train.sort(key=lambda e: e.doc_uid)
    heldout.sort(key=lambda e: e.doc_uid)
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
