"""The dataset belongs to one tenant, has one item per document, and each document's role is
decided by that document alone."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privrag.errors import AccessDenied, InvalidInput
from privrag.models import TrainingRecord
from privrag_training.dataset import crops, examples_from_records

TEXT = "First sentence here. Second one follows. A third closes the note."


def record(tenant: str, uid: str, chunks: int = 1) -> TrainingRecord:
    return TrainingRecord(tenant, f"id-{uid}", uid, f"h-{uid}", tuple([TEXT] * chunks))


def build(records: list[TrainingRecord], objective: str = "inverse_cloze"):  # type: ignore[no-untyped-def]
    return examples_from_records("acme", records, seed=0, holdout_fraction=0.2, objective=objective)


def roles(built) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m["doc_uid"]: m["split"] for m in built.manifest()}


def test_a_record_of_another_tenant_stops_the_build() -> None:
    records = [record("acme", f"u{i}") for i in range(9)] + [record("globex", "x")]
    with pytest.raises(AccessDenied):
        build(records)


def test_the_same_document_twice_stops_the_build() -> None:
    with pytest.raises(InvalidInput, match="privacy unit"):
        build([record("acme", "u1"), record("acme", "u2"), record("acme", "u1")])


def test_a_document_with_many_chunks_is_still_one_item() -> None:
    built = build([record("acme", f"u{i}", chunks=5) for i in range(10)])
    uids = [e.doc_uid for e in built.train + built.heldout]
    assert sorted(uids) == sorted(f"u{i}" for i in range(10))
    assert not set(e.doc_uid for e in built.train) & set(e.doc_uid for e in built.heldout)


@settings(max_examples=40, deadline=None)
@given(st.integers(5, 400), st.integers(0, 10_000))
def test_adding_one_document_changes_the_role_of_that_document_only(n: int, salt: int) -> None:
    records = [record("acme", f"doc-{salt}-{i}") for i in range(n)]
    before = roles(build(records))
    newcomer = record("acme", f"new-{salt}")
    position = random.Random(salt).randrange(n + 1)
    after = roles(build([*records[:position], newcomer, *records[position:]]))
    assert {uid: role for uid, role in after.items() if uid != newcomer.doc_uid} == before


def test_roles_do_not_depend_on_order_or_on_the_seed() -> None:
    records = [record("acme", f"u{i}") for i in range(200)]
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    reseeded = examples_from_records("acme", shuffled, seed=9, holdout_fraction=0.2)
    assert roles(build(records)) == roles(reseeded)
    heldout = sum(role == "heldout" for role in roles(reseeded).values())
    assert 20 <= heldout <= 60  # about 20 % of 200


def test_crops_are_two_spans_of_the_document() -> None:
    text = " ".join(f"w{i}" for i in range(100))
    query, context = crops(text, random.Random(1))
    assert query in text and context in text
    assert 4 <= len(query.split()) < len(context.split()) <= 70
    assert crops("too short to crop", random.Random(1)) is None
    long = [TrainingRecord("acme", f"id-{i}", f"u{i}", "h", (text,)) for i in range(10)]
    built = build(long, objective="crops")
    assert all(e.query in text and e.context in text for e in built.train)


def test_the_service_builds_the_dataset_for_one_tenant_only(trained_rag) -> None:  # type: ignore[no-untyped-def]
    acme = trained_rag.tenants.get("acme")
    built = examples_from_records(
        acme.id, trained_rag.training_records("acme"), seed=0, holdout_fraction=0.1
    )
    assert len(built.train) + len(built.heldout) == 32
    with pytest.raises(AccessDenied):
        examples_from_records(
            acme.id, trained_rag.training_records("globex"), seed=0, holdout_fraction=0.1
        )
