"""Training fixtures: a tenant with a few dozen generated documents and tiny run configs."""

from __future__ import annotations

import base64
import os
import random
from collections.abc import Iterator

import pytest

from privrag.config import load_settings
from privrag.models import Document
from privrag_training.config import TrainConfig

_SUBJECTS = [
    "solar panels",
    "invoice approval",
    "the cafeteria menu",
    "laptop refresh",
    "the parking garage",
    "travel expenses",
    "the quarterly review",
    "printer toner",
    "office plants",
    "the VPN client",
    "badge access",
    "the holiday calendar",
    "meeting rooms",
    "the coffee machine",
    "recycling bins",
]
_VERBS = ["explains", "updates", "summarises", "questions", "describes", "lists"]
_DETAILS = [
    "Costs rose slightly compared with last year.",
    "The team agreed to revisit the topic next month.",
    "Several colleagues asked for clearer instructions.",
    "A pilot started in the north building.",
    "Feedback so far has been positive.",
    "The supplier changed its delivery schedule.",
    "Training sessions are planned for new staff.",
    "The old process will be retired in spring.",
]


def corpus(prefix: str, count: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        subject = _SUBJECTS[i % len(_SUBJECTS)]
        sentences = [f"This memo {rng.choice(_VERBS)} {subject} (item {i})."]
        sentences += rng.sample(_DETAILS, 4)
        sentences.append(f"Questions about {subject} go to the facilities desk.")
        docs.append(Document(id=f"{prefix}-{i}", text=" ".join(sentences)))
    return docs


def tiny(**overrides: object) -> TrainConfig:
    """A couple of steps on one layer: seconds on two CPU cores. ``force``: the tenants here are
    far below the size at which DP training helps, which the size gate would refuse."""
    values: dict[str, object] = {
        "force": True,
        "epsilon": 4.0,
        "epochs": 1,
        "layers": 1,
        "batch_size": 16,
        "query_tokens": 24,
        "context_tokens": 64,
        "negatives": 32,
    }
    values.update(overrides)
    return TrainConfig(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def trained_rag(tmp_path_factory, scrubber, embedder) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A data dir with tenants 'acme' (32 documents) and 'globex' (8), shared by a module."""
    from privrag.service import PrivRAG

    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("train") / "data",
        master_key=base64.b64encode(os.urandom(32)).decode(),
    )
    rag = PrivRAG(settings, scrubber=scrubber, embedder=embedder)
    rag.tenants.create("acme")
    rag.tenants.create("globex")
    rag.ingest("acme", corpus("acme", 32))
    rag.ingest("globex", corpus("globex", 8, seed=9))
    yield rag
    rag.close()
