"""The identification attack from issue #13 on a small corpus: a copy of the data dir without
the keystore, the public MiniLM and a candidate list containing every stored text. Protection
off (the positive control) gives the texts away; protection on leaves <= 2% identified."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from bench.attack import identify, read_shard
from tests.conftest import doc

SUBJECTS = (
    "the harbour authority",
    "a regional bakery",
    "the chess club",
    "our cycling team",
    "the city orchestra",
    "a small vineyard",
    "the school library",
    "the fire brigade",
    "a local brewery",
    "the botanical garden",
    "the rowing crew",
    "a furniture workshop",
    "the weather station",
    "the ferry operator",
    "a beekeeping cooperative",
    "the zoo",
    "the museum of clocks",
    "a ceramics studio",
    "the mountain rescue unit",
    "the observatory",
)
ACTIONS = (
    "postponed",
    "doubled the budget for",
    "cancelled",
    "moved indoors",
    "asked volunteers for",
    "published a report on",
    "installed new sensors for",
    "raised ticket prices for",
    "found mould during",
    "won an award for",
    "changed the schedule of",
    "livestreamed",
)
OBJECTS = (
    "the spring festival",
    "winter maintenance",
    "the glass roof repair",
    "night tours",
    "a fundraising dinner",
    "the honey harvest",
    "solar panels",
    "the youth tournament",
    "the lighthouse restoration",
    "a tasting evening",
    "the annual inventory",
    "storm damage",
    "a photography contest",
    "the harvest parade",
    "the drainage project",
    "an open day",
)
REASONS = (
    "because of heavy rain",
    "after a power cut",
    "to save money",
    "at the mayor's request",
    "following complaints about noise",
    "since attendance fell",
    "due to a supplier delay",
    "after a successful pilot",
    "because the insurance lapsed",
    "to attract tourists",
)


def texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    made: set[str] = set()
    while len(made) < count:
        made.add(
            " ".join(
                f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(ACTIONS)} "
                f"{rng.choice(OBJECTS)} {rng.choice(REASONS)}."
                for _ in range(3)
            )
        )
    return sorted(made)


def attack(open_rag, tmp_path: Path, embedder, **settings: object) -> float:  # type: ignore[no-untyped-def]
    """Fraction of 150 stored chunks whose nearest of 600 candidates is their own text."""
    stored = texts(150, seed=1)
    distractors = [t for t in texts(600, seed=2) if t not in set(stored)][:450]
    rag = open_rag(tmp_path / "data", keystore_dir=tmp_path / "keys", **settings)
    tenant = rag.tenants.create("victim")
    rag.ingest("victim", [doc(f"d{i}", t) for i, t in enumerate(stored)])
    truth = {rag._runtime.doc_uid(tenant, f"d{i}"): i for i in range(len(stored))}
    rag.close()

    copy = tmp_path / "stolen"
    shutil.copytree(tmp_path / "data", copy)
    assert not (copy / "keys").exists()
    points = read_shard(copy / "shards" / tenant.id)
    assert len(points) == len(stored)
    candidates = stored + distractors
    random.Random(3).shuffle(candidates)
    found = identify(
        np.stack([vector for _, vector in points.values()]), embedder.embed(candidates)
    )
    hits = sum(
        candidates[j] == stored[truth[uid]]
        for (uid, _), j in zip(points.values(), found, strict=True)
    )
    return hits / len(stored)


@pytest.mark.slow
def test_without_protection_a_copy_of_the_data_dir_gives_the_texts_away(
    open_rag, tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    rate = attack(open_rag, tmp_path, embedder, vector_protection="off", benchmark_mode=True)
    assert rate >= 0.95


@pytest.mark.slow
def test_with_protection_at_most_2_percent_of_chunks_are_identified(
    open_rag, tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    assert attack(open_rag, tmp_path, embedder) <= 0.02
