"""The vertical slice over real components: Presidio + spaCy, MiniLM, Qdrant Edge, AES-GCM."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from privrag.atrest import find_plaintext
from privrag.errors import DataDirLocked, InvalidInput, KeyUnavailable, NotFound, TenantNotFound
from tests.conftest import doc

CANARY_EMAIL = "zelda.quartermain@canary-mail.example"
CANARY_PHONE = "+1 415 555 0199"
CANARY_WORD = "xylophonic-marmalade"
SOURCE = "hr/secret-source-file.md"


def canary_docs() -> list:  # type: ignore[type-arg]
    return [
        doc(
            "note-1",
            f"Refund request from Zelda Quartermain ({CANARY_EMAIL}, {CANARY_PHONE}). "
            f"The {CANARY_WORD} shipment was returned damaged and she wants her money back.",
            source=SOURCE,
            metadata={"ticket": "T-1"},
        ),
        doc("note-2", "Our refund policy gives customers thirty days to return unused items."),
    ]


def test_a_tenant_queries_only_its_own_documents(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    rag.tenants.create("globex")
    rag.ingest("acme", [doc("shared-id", "Refund policy of acme: thirty days for everything.")])
    rag.ingest("globex", [doc("shared-id", "Refund policy of globex: fourteen days, no returns.")])
    acme = rag.query("acme", "refund policy", k=10).hits
    globex = rag.query("globex", "refund policy", k=10).hits
    assert [h.text for h in acme] == ["Refund policy of acme: thirty days for everything."]
    assert [h.text for h in globex] == ["Refund policy of globex: fourteen days, no returns."]
    assert not {h.chunk_id for h in acme} & {h.chunk_id for h in globex}


def test_pii_is_replaced_by_typed_placeholders_and_provenance_is_attached(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    [report, _] = rag.ingest("acme", canary_docs())
    assert report.entities.get("EMAIL_ADDRESS") == 1
    hits = rag.query("acme", "damaged shipment refund", k=5).hits
    top = next(h for h in hits if h.doc_id == "note-1")
    assert CANARY_EMAIL not in top.text and "<EMAIL_ADDRESS>" in top.text
    assert "Zelda" not in top.text and "<PERSON>" in top.text
    prov = top.provenance
    assert prov.source == SOURCE and prov.chunk_index == 0
    assert prov.embedding_model.endswith("all-MiniLM-L6-v2") and len(prov.embedding_digest) == 64
    assert prov.embedding_precision == rag.embedder.precision
    assert rag.get_document("acme", "note-1").embedding_precision == rag.embedder.precision
    assert prov.scrubber_version and prov.scrubber_config
    assert len(prov.content_hash) == 64 and prov.expires_at is None


def test_nothing_is_readable_at_rest(open_rag, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    rag = open_rag(data)
    rag.tenants.create("acme")
    rag.ingest("acme", canary_docs())
    rag.query("acme", f"what did {CANARY_EMAIL} ask about {CANARY_WORD}?")
    rag.delete("acme", "note-2")
    rag.close()
    needles = [CANARY_EMAIL, CANARY_PHONE, CANARY_WORD, "Zelda", SOURCE, "secret-source", "note-1"]
    needles += ["thirty days", "refund"]
    assert find_plaintext(data, needles) == []


def test_a_sealed_payload_moved_to_another_chunk_or_tenant_does_not_open(rag) -> None:  # type: ignore[no-untyped-def]
    from privrag.ingest.codec import chunk_context, from_text, open_json

    rag.tenants.create("acme")
    rag.tenants.create("globex")
    rag.ingest("acme", [doc("a", "Alpha text about ducks. " * 60)])
    acme = rag.tenants.get("acme")
    globex = rag.tenants.get("globex")
    row = rag._runtime.catalog.documents.get(acme.id, rag._runtime.doc_uid(acme, "a"))
    assert row.chunk_count >= 2
    key = rag._runtime.data_key(acme, row)
    point = rag._runtime.store.search(
        acme.id, rag.embedder.embed(["ducks"])[0].tolist(), limit=1, now=0
    )[0]
    blob = from_text(point.payload["sealed"])
    index = point.payload["chunk"]
    assert open_json(key, blob, chunk_context(acme.id, row.doc_uid, row.generation, index))
    for ctx in (
        chunk_context(acme.id, row.doc_uid, row.generation, index + 1),
        chunk_context(globex.id, row.doc_uid, row.generation, index),
        chunk_context(acme.id, "other-doc", row.generation, index),
    ):
        with pytest.raises(KeyUnavailable):
            open_json(key, blob, ctx)


def test_reingesting_a_document_replaces_it_without_duplicates(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    rag.ingest("acme", [doc("d", "Version one of the handbook about parking. " * 40)])
    first = rag._runtime.catalog.documents.get(
        rag.tenants.get("acme").id, rag._runtime.doc_uid(rag.tenants.get("acme"), "d")
    )
    [report] = rag.ingest("acme", [doc("d", "Version two of the handbook about parking.")])
    assert report.replaced and report.chunks == 1
    tenant = rag.tenants.get("acme")
    assert first.chunk_count > 1
    assert rag._runtime.store.count(tenant.id) == 1
    hits = rag.query("acme", "handbook parking", k=10).hits
    assert [h.text for h in hits] == ["Version two of the handbook about parking."]
    rag.ingest("acme", [doc("d", "Version two of the handbook about parking.")])
    assert rag._runtime.store.count(tenant.id) == 1


@pytest.mark.parametrize("text", ["", "   \n", "binary\x00payload", "bad \ufffd bytes"])
def test_empty_or_binary_documents_are_refused_and_nothing_is_stored(rag, text: str) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    with pytest.raises(InvalidInput):
        rag.ingest("acme", [doc("good", "A fine document."), doc("bad", text)])
    assert rag._runtime.store.count(rag.tenants.get("acme").id) == 0
    assert rag.list_documents("acme") == []


def test_deleting_a_document_removes_points_and_key_even_from_old_backups(
    open_rag, catalog_dbs, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    rag = open_rag(data)
    rag.tenants.create("acme")
    rag.ingest(
        "acme", [doc("gone", "The doomed memo about penguins."), doc("kept", "A memo on owls.")]
    )
    rag.close()
    backup = tmp_path / "backup"
    backup.mkdir()
    shutil.copytree(data / "shards", backup / "shards")
    catalog_dbs.copy(data, backup)

    rag = open_rag(data)
    rag.delete("acme", "gone")
    assert all(h.doc_id != "gone" for h in rag.query("acme", "penguins memo", k=10).hits)
    with pytest.raises(NotFound):
        rag.get_document("acme", "gone")
    tenant = rag.tenants.get("acme")
    assert rag._runtime.store.count(tenant.id, doc_uid=rag._runtime.doc_uid(tenant, "gone")) == 0
    rag.close()

    # The old stores beside the current keystore open nothing: every data key in the old
    # catalog is wrapped under a tenant key version the rotation destroyed.
    shutil.rmtree(data / "shards")
    shutil.copytree(backup / "shards", data / "shards")
    catalog_dbs.restore(backup, data)
    old = open_rag(data)
    with pytest.raises(KeyUnavailable):
        old.get_document("acme", "gone")
    with pytest.raises(KeyUnavailable):
        old.get_document("acme", "kept")
    # A query skips what does not open (and counts it) rather than failing the tenant.
    stale = old.query("acme", "penguins memo", k=10)
    assert stale.hits == [] and stale.unreadable == 2


def test_unknown_tenants_and_documents_are_not_found(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    with pytest.raises(TenantNotFound):
        rag.query("nobody", "x")
    with pytest.raises(NotFound):
        rag.delete("acme", "missing")


def test_guessed_ids_from_another_tenant_are_not_found(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    rag.tenants.create("globex")
    rag.ingest("globex", [doc("globex-only", "Globex salary bands for 2026.")])
    with pytest.raises(NotFound):
        rag.get_document("acme", "globex-only")
    with pytest.raises(NotFound):
        rag.delete("acme", "globex-only")
    assert rag.get_document("globex", "globex-only").doc_id == "globex-only"


def test_documents_past_expiry_are_never_returned(rag, clock) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    rag.ingest("acme", [doc("short", "Temporary note on the fire drill.", retention_days=1)])
    rag.ingest("acme", [doc("long", "Permanent note on the fire drill.")])
    assert {h.doc_id for h in rag.query("acme", "fire drill note").hits} == {"short", "long"}
    clock.advance(86_400 + 1)
    assert {h.doc_id for h in rag.query("acme", "fire drill note").hits} == {"long"}


def test_a_second_process_cannot_open_the_same_data_dir(open_rag, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    open_rag(tmp_path / "data")
    with pytest.raises(DataDirLocked):
        open_rag(tmp_path / "data")


def test_bad_query_arguments_are_refused(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    for kwargs in ({"k": 0}, {"k": 10_000}, {"k": True}):
        with pytest.raises(InvalidInput):
            rag.query("acme", "x", **kwargs)
    with pytest.raises(InvalidInput):
        rag.query("acme", "  ")


def test_reversible_mode_seals_originals_that_only_reveal_opens_and_delete_shreds(
    open_rag, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from privrag.pii import PiiPolicy

    data = tmp_path / "data"
    rag = open_rag(data)
    rag.tenants.create("acme")
    rag.tenants.set_pii_policy("acme", PiiPolicy(operator="reversible"))
    rag.ingest("acme", [doc("r", f"Escalation from {CANARY_EMAIL} about the invoice.")])
    [hit] = rag.query("acme", "escalation invoice").hits
    assert CANARY_EMAIL not in hit.text and "<EMAIL_ADDRESS_" in hit.text
    revealed = rag.reveal("acme", "r")
    assert list(revealed.values()) == [CANARY_EMAIL]
    assert next(iter(revealed)) in hit.text
    rag.close()
    assert find_plaintext(data, [CANARY_EMAIL]) == []
    rag = open_rag(data)
    rag.delete("acme", "r")
    with pytest.raises(NotFound):
        rag.reveal("acme", "r")


def test_placeholder_mode_reveals_nothing(rag) -> None:  # type: ignore[no-untyped-def]
    rag.tenants.create("acme")
    rag.ingest("acme", [doc("p", f"Mail {CANARY_EMAIL} today.")])
    assert rag.reveal("acme", "p") == {}


def test_a_data_dir_moved_away_from_its_keystore_refuses_to_open(
    tmp_path, master_key, scrubber, embedder
) -> None:  # type: ignore[no-untyped-def]
    """The default keystore is named after the data dir's path: a moved data dir must not
    silently start an empty keystore (its documents would no longer open)."""
    from privrag.config import load_settings
    from privrag.errors import ConfigError
    from privrag.service import PrivRAG

    first = tmp_path / "first"
    with PrivRAG(
        load_settings(data_dir=first, master_key=master_key), scrubber=scrubber, embedder=embedder
    ) as rag:
        rag.tenants.create("acme")
    moved = tmp_path / "moved"
    first.rename(moved)
    with pytest.raises(ConfigError, match="PRIVRAG_KEYSTORE_DIR"):
        PrivRAG(load_settings(data_dir=moved, master_key=master_key))
    keys = load_settings(data_dir=first, master_key=master_key).resolved_keystore_dir
    with PrivRAG(
        load_settings(data_dir=moved, master_key=master_key, keystore_dir=keys),
        scrubber=scrubber,
        embedder=embedder,
    ) as rag:
        assert [t.name for t in rag.tenants.list()] == ["acme"]


def test_a_tenant_whose_shard_cannot_be_made_leaves_nothing_behind(rag) -> None:  # type: ignore[no-untyped-def]
    """Creation is all or nothing: no catalog row, no keys, no shard when any step fails."""
    from privrag.errors import StoreUnavailable

    settings = rag.settings
    shards = settings.shards_dir
    shutil.rmtree(shards)
    shards.write_text("not a directory")  # every new shard now fails to be made
    with pytest.raises(StoreUnavailable):
        rag.tenants.create("acme")
    with pytest.raises(TenantNotFound):
        rag.tenants.get("acme")
    assert rag.tenants.list() == []
    assert list(settings.resolved_keystore_dir.glob("tenant-*")) == []
    shards.unlink()
    shards.mkdir()
    rag.tenants.create("acme")  # the name was never taken
    rag.ingest("acme", [doc("d", "The quarterly refund report is ready for review.")])
    assert rag.query("acme", "refund report", k=1).hits[0].doc_id == "d"
