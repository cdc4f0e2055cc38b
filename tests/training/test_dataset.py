"""The dataset belongs to one tenant and has one item per document."""

from __future__ import annotations

import pytest

from privrag.errors import AccessDenied, InvalidInput
from privrag.models import TrainingRecord
from privrag_training.dataset import examples_from_records

TEXT = "First sentence here. Second one follows. A third closes the note."


def record(tenant: str, uid: str, chunks: int = 1) -> TrainingRecord:
    return TrainingRecord(tenant, f"id-{uid}", uid, f"h-{uid}", tuple([TEXT] * chunks))


def build(records: list[TrainingRecord]):  # type: ignore[no-untyped-def]
    return examples_from_records("acme", records, seed=0, holdout_fraction=0.2, max_holdout=2)


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


def test_the_service_builds_the_dataset_for_one_tenant_only(trained_rag) -> None:  # type: ignore[no-untyped-def]
    acme = trained_rag.tenants.get("acme")
    built = examples_from_records(
        acme.id, trained_rag.training_records("acme"), seed=0, holdout_fraction=0.1, max_holdout=5
    )
    assert len(built.train) + len(built.heldout) == 32
    with pytest.raises(AccessDenied):
        examples_from_records(
            acme.id,
            trained_rag.training_records("globex"),
            seed=0,
            holdout_fraction=0.1,
            max_holdout=5,
        )
