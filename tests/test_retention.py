"""Retention, legal hold, erasure by subject and offboarding: time travel, never sleep."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from privrag.atrest import find_plaintext
from privrag.errors import AccessDenied, Conflict, InvalidInput, KeyUnavailable, NotFound
from privrag.retention import RetentionPolicy
from tests.conftest import doc

DAY = 86_400


def ids(results) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    [result] = results
    return sorted(result.deleted), sorted(result.held)


@pytest.fixture
def acme(rag):  # type: ignore[no-untyped-def]
    rag.tenants.create(
        "acme",
        retention=RetentionPolicy(default_days=30, by_class={"public": 365, "restricted": 7}),
    )
    rag.ingest(
        "acme",
        [
            doc("internal-30d", "Quarterly planning notes about the office move."),
            doc("public-1y", "Press release about the new office.", classification="public"),
            doc(
                "restricted-7d",
                "Incident notes about the office alarm.",
                classification="restricted",
            ),
            doc("override-2d", "Visitor list for the office opening.", retention_days=2),
        ],
    )
    return rag


def test_documents_expire_per_policy_class_and_override(acme, clock) -> None:  # type: ignore[no-untyped-def]
    assert acme.get_document("acme", "internal-30d").expires_at == int(clock.now) + 30 * DAY
    clock.advance(3 * DAY)
    assert ids(acme.sweep("acme")) == (["override-2d"], [])
    clock.advance(5 * DAY)
    assert ids(acme.sweep("acme")) == (["restricted-7d"], [])
    clock.advance(23 * DAY)
    assert ids(acme.sweep("acme")) == (["internal-30d"], [])
    assert acme.list_documents("acme") == ["public-1y"]
    assert {h.doc_id for h in acme.query("acme", "office", k=10).hits} == {"public-1y"}


def test_expired_documents_are_not_returned_even_before_a_sweep(acme, clock) -> None:  # type: ignore[no-untyped-def]
    clock.advance(3 * DAY)
    assert "override-2d" not in {h.doc_id for h in acme.query("acme", "office", k=10).hits}


def test_dry_run_deletes_nothing_and_predicts_the_real_run_exactly(acme, clock) -> None:  # type: ignore[no-untyped-def]
    acme.hold("acme", "restricted-7d")
    as_of = int(clock.now) + 10 * DAY
    predicted = acme.sweep("acme", dry_run=True, as_of=as_of)
    assert ids(predicted) == (["override-2d"], ["restricted-7d"])
    assert predicted[0].receipt is None
    assert len(acme.list_documents("acme")) == 4
    clock.advance(10 * DAY)
    assert ids(acme.sweep("acme")) == ids(predicted)


def test_as_of_is_only_allowed_with_dry_run(acme) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="dry-run"):
        acme.sweep("acme", as_of=0)


def test_held_documents_survive_sweeps_and_are_reported(acme, clock) -> None:  # type: ignore[no-untyped-def]
    acme.hold("acme", "override-2d")
    clock.advance(3 * DAY)
    [result] = acme.sweep("acme")
    assert (result.deleted, result.held) == ([], ["override-2d"])
    with pytest.raises(Conflict):
        acme.delete("acme", "override-2d")
    acme.hold("acme", "override-2d", False)
    assert ids(acme.sweep("acme")) == (["override-2d"], [])


def test_a_tenant_wide_hold_stops_every_deletion(acme, clock) -> None:  # type: ignore[no-untyped-def]
    acme.tenants.set_hold("acme", True)
    clock.advance(400 * DAY)
    assert ids(acme.sweep("acme"))[0] == []
    assert len(ids(acme.sweep("acme"))[1]) == 4
    request = acme.request_offboarding("acme", requested_by="op-a")
    with pytest.raises(Conflict):
        acme.approve_offboarding(request, approved_by="op-b")


def test_changing_the_policy_redates_documents_without_an_override(acme, clock) -> None:  # type: ignore[no-untyped-def]
    redated = acme.tenants.set_retention("acme", RetentionPolicy(default_days=1))
    assert redated == 3
    clock.advance(1 * DAY + 1)
    [hit] = acme.query("acme", "office", k=10).hits
    assert hit.doc_id == "override-2d"
    assert hit.provenance.expires_at == int(clock.now) - DAY - 1 + 2 * DAY
    assert ids(acme.sweep("acme")) == (["internal-30d", "public-1y", "restricted-7d"], [])
    assert acme.list_documents("acme") == ["override-2d"]


def test_a_sweep_leaves_a_signed_receipt_that_verifies(acme, clock) -> None:  # type: ignore[no-untyped-def]
    clock.advance(3 * DAY)
    [result] = acme.sweep("acme")
    receipt = result.receipt
    assert receipt["kind"] == "retention_sweep" and receipt["tenant"] == "acme"
    assert receipt["chunks"] == 1 and len(receipt["documents"]) == 1
    assert receipt["documents"][0]["doc_uid"] == acme._runtime.doc_uid(
        acme.tenants.get("acme"), "override-2d"
    )
    assert receipt["policy"]["by_class"] == {"public": 365, "restricted": 7}
    assert "override-2d" not in json.dumps(receipt)
    assert acme.verify_receipts().ok


def three_receipts(rag, clock) -> Path:  # type: ignore[no-untyped-def]
    rag.tenants.create("t")
    for n in range(3):
        rag.ingest("t", [doc(f"d{n}", f"Note number {n} on the budget.", retention_days=1)])
        rag.delete("t", f"d{n}")
    return rag._runtime.receipts.path


@pytest.mark.parametrize("tamper", ["edit", "delete", "swap", "forge"])
def test_tampering_with_any_receipt_is_detected(rag, clock, tamper: str) -> None:  # type: ignore[no-untyped-def]
    path = three_receipts(rag, clock)
    assert rag.verify_receipts().ok and rag.verify_receipts().count == 3
    lines = path.read_text().splitlines()
    if tamper == "edit":
        lines[1] = lines[1].replace('"chunks": 1', '"chunks": 2')
    elif tamper == "delete":
        del lines[1]
    elif tamper == "swap":
        lines[0], lines[1] = lines[1], lines[0]
    else:
        line = json.loads(lines[2])
        line["receipt"]["chunks"] = 9
        import hashlib

        from privrag.audit.chain import canonical

        line["hash"] = hashlib.sha256(canonical(line["receipt"])).hexdigest()
        lines[2] = json.dumps(line)
    path.write_text("\n".join(lines) + "\n")
    report = rag.verify_receipts()
    assert not report.ok and report.problem


def test_forget_erases_every_document_that_mentioned_the_subject(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    rag.ingest(
        "acme",
        [
            doc("a", "Ticket from Carla Mendes (carla.mendes@example.com) about billing."),
            doc("b", "Follow-up: CARLA.MENDES@example.com confirmed the refund."),
            doc("c", "Unrelated note about parking permits."),
            doc("d", "Legal file: carla.mendes@example.com dispute."),
        ],
    )
    rag.hold("acme", "d")
    result = rag.forget("acme", "Carla.Mendes@Example.com ", entity_type="EMAIL_ADDRESS")
    assert sorted(result.deleted) == ["a", "b"] and result.held == ["d"]
    assert sorted(rag.list_documents("acme")) == ["c", "d"]
    assert result.receipt["kind"] == "erasure" and "carla" not in json.dumps(result.receipt).lower()
    again = rag.forget("acme", "carla.mendes@example.com")
    assert again.deleted == [] and again.receipt is None


def test_forget_without_a_type_tries_every_policy_type(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    rag.ingest("acme", [doc("a", "Call Carla Mendes on +44 20 7946 0958 tomorrow.")])
    assert rag.forget("acme", "+44 20 7946 0958").deleted == ["a"]


def test_offboarding_takes_two_different_operators_and_can_be_cancelled(
    rag, settings_for, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("leaving")
    rag.tenants.create("staying")
    rag.ingest("leaving", [doc("x", "Leaving tenant's roadmap for the harbour project.")])
    rag.ingest("staying", [doc("y", "Staying tenant's roadmap for the harbour project.")])
    leaving = rag.tenants.get("leaving")

    first = rag.request_offboarding("leaving", requested_by="op-a")
    rag.cancel_offboarding(first, cancelled_by="op-b")
    with pytest.raises(NotFound):
        rag.approve_offboarding(first, approved_by="op-b")

    request = rag.request_offboarding("leaving", requested_by="op-a")
    with pytest.raises(AccessDenied):
        rag.approve_offboarding(request, approved_by="op-a")
    assert rag.query("leaving", "roadmap").hits  # nothing happened yet

    receipt = rag.approve_offboarding(request, approved_by="op-b")
    assert receipt["kind"] == "offboarding" and receipt["approved_by"] == "op-b"
    assert [t.name for t in rag.tenants.list()] == ["staying"]
    assert not rag._runtime.keyring.keystore.exists(leaving.id)
    assert not (rag.settings.shards_dir / leaving.id).exists()
    assert rag._runtime.catalog.documents.list(leaving.id) == []
    assert [h.doc_id for h in rag.query("staying", "roadmap").hits] == ["y"]
    assert rag.verify_receipts().ok


def copy_stores(data: Path, to: Path, catalog_dbs) -> None:  # type: ignore[no-untyped-def]
    to.mkdir()
    shutil.copytree(data / "shards", to / "shards")
    catalog_dbs.copy(data, to)


def restore_stores(backup: Path, data: Path, catalog_dbs) -> None:  # type: ignore[no-untyped-def]
    shutil.rmtree(data / "shards")
    shutil.copytree(backup / "shards", data / "shards")
    catalog_dbs.restore(backup, data)


def test_keys_minted_from_one_key_are_one_person_to_the_two_person_rule(rag) -> None:  # type: ignore[no-untyped-def]
    """Any operator key can mint keys with any label over the API, so a key and every key minted
    from it, directly or not, count as one person; only a key made on the host is a new root."""
    rag.tenants.create("leaving")
    access = rag.access()
    alice = access.issue_operator_key("alice")  # on the host: a root
    minted = access.issue_operator_key("bob", created_by=alice.key_id)
    grandchild = access.issue_operator_key("carol", created_by=minted.key_id)
    by_env = [access.issue_operator_key(n, created_by="op-env") for n in ("erin", "frank")]
    assert rag._runtime.catalog.api_keys.get(grandchild.key_id).created_by == minted.key_id  # type: ignore[union-attr]

    request = rag.request_offboarding("leaving", requested_by=alice.key_id)
    for descendant in (minted, grandchild):
        with pytest.raises(AccessDenied, match="descend from one key"):
            rag.approve_offboarding(request, approved_by=descendant.key_id)
    rag.cancel_offboarding(request, cancelled_by=alice.key_id)
    request = rag.request_offboarding("leaving", requested_by=grandchild.key_id)
    with pytest.raises(AccessDenied, match="descend from one key"):
        rag.approve_offboarding(request, approved_by=alice.key_id)  # its ancestor
    rag.cancel_offboarding(request, cancelled_by=alice.key_id)
    request = rag.request_offboarding("leaving", requested_by=by_env[0].key_id)
    with pytest.raises(AccessDenied, match="descend from one key"):
        rag.approve_offboarding(request, approved_by=by_env[1].key_id)  # one shared env key

    dave = access.issue_operator_key("dave")  # another root, made on the host
    receipt = rag.approve_offboarding(request, approved_by=dave.key_id)
    assert receipt["kind"] == "offboarding" and receipt["approved_by"] == dave.key_id
    assert rag.tenants.list() == []


@pytest.mark.parametrize("how", ["sweep", "forget", "offboard"])
def test_deleted_documents_are_gone_from_shard_files_and_old_backups_open_nothing(
    open_rag, catalog_dbs, tmp_path: Path, clock, how: str
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    rag = open_rag(data)
    rag.tenants.create("acme")
    rag.ingest("acme", [doc("keep", "Long-lived memo about otters.")])
    rag.ingest(
        "acme", [doc("doomed", "Memo about beavers for dora.doomed@example.com.", retention_days=1)]
    )
    tenant = rag.tenants.get("acme")
    doomed_uid = rag._runtime.doc_uid(tenant, "doomed")
    sealed = [p.payload["sealed"] for p in rag._runtime.store.points(tenant.id, doc_uid=doomed_uid)]
    rag.close()
    backup = tmp_path / "backup"
    copy_stores(data, backup, catalog_dbs)

    rag = open_rag(data)
    if how == "sweep":
        clock.advance(2 * DAY)
        rag.sweep("acme")
    elif how == "forget":
        rag.forget("acme", "dora.doomed@example.com")
    else:
        request = rag.request_offboarding("acme", requested_by="op-a")
        rag.approve_offboarding(request, approved_by="op-b")
        assert not rag._runtime.keyring.keystore.exists(tenant.id)
    rag.close()
    assert find_plaintext(data / "shards", [s[:64] for s in sealed]) == []

    restore_stores(backup, data, catalog_dbs)
    old = open_rag(data)
    with pytest.raises(KeyUnavailable):
        old.get_document("acme", "doomed")


def test_deleting_training_data_flags_the_models_trained_on_it(acme, clock) -> None:  # type: ignore[no-untyped-def]
    from privrag.catalog import ModelRow

    tenant = acme.tenants.get("acme")
    uid = acme._runtime.doc_uid(tenant, "override-2d")
    other = acme._runtime.doc_uid(tenant, "public-1y")
    row = ModelRow("m-1", tenant.id, 1, int(clock.now), True, 8.0, 1e-5, "models/m-1", None)
    acme._runtime.catalog.models.add(row, [uid, other])
    acme._runtime.catalog.models.add(replace_model(row, "m-2", 2), [other])
    clock.advance(3 * DAY)
    [result] = acme.sweep("acme")
    assert result.receipt["retrain_required"] == ["m-1"]
    flags = {m.model_id: m.flagged for m in acme._runtime.catalog.models.list(tenant.id)}
    assert flags == {"m-1": "retrain_required", "m-2": None}


def replace_model(row, model_id: str, version: int):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(row, model_id=model_id, version=version)


def test_whole_document_deletions_are_batched_per_tenant_and_the_rest_kept_in_order() -> None:
    from privrag.catalog import JournalEntry
    from privrag.retention import shredder

    entries = [JournalEntry(i, "a" if i % 2 else "b", "gc", f"d{i}", None) for i in range(1, 1202)]
    entries += [
        JournalEntry(2000, "a", "gc", "kept", 3),
        JournalEntry(2001, "a", "rotate", None, None),
    ]
    batches = shredder._batches(entries)
    assert [(b[0].tenant_id, len(b)) for b in batches] == [
        ("a", 500),
        ("a", 101),
        ("b", 500),
        ("b", 100),
    ]
    assert sorted(e.id for b in batches for e in b) == list(range(1, 1202))
    assert [e.id for e in entries if not shredder._whole_document(e)] == [2000, 2001]
