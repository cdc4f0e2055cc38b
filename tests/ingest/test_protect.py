"""The protect step through the service: keyed vectors and a keyed lexical index at rest, query
modes, and the resumable re-protection job (tenants from before protection, key rotation)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bench.attack import read_shard
from privrag.errors import InvalidInput, KeyUnavailable
from tests.conftest import doc

DOCS = [
    ("oncology", "Quetiapine dosing was reviewed for the oncology ward after the audit."),
    ("bridge", "The suspension bridge needs new zylonite cables before the winter storms."),
    ("payroll", "Payroll closes on the fifth working day; late timesheets roll over."),
    ("garden", "The botanical garden opens a glasshouse for carnivorous plants in May."),
    ("ferry", "Ferry crossings to the island are cancelled when the swell exceeds four metres."),
]
RARE = ["Quetiapine", "quetiapine", "zylonite", "glasshouse", "carnivorous", "timesheets"]


def ingest(rag, name: str = "acme") -> object:  # type: ignore[no-untyped-def]
    tenant = rag.tenants.create(name)
    rag.ingest(name, [doc(i, t) for i, t in DOCS])
    return tenant


def files_contain(root: Path, needles: list[str]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            found += [f"{path}: {n}" for n in needles if n.lower().encode() in data]
    return found


def test_no_plaintext_term_reaches_the_data_dir(rag, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ingest(rag)
    assert [h.doc_id for h in rag.query("acme", "zylonite cables", k=1, mode="sparse").hits] == [
        "bridge"
    ]
    rag.close()
    stems = ["quetiapin", "zylonit", "glasshous", "carnivor", "timesheet"]
    assert files_contain(tmp_path / "data", RARE + stems) == []


@pytest.mark.parametrize("mode", ["dense", "sparse", "hybrid"])
def test_every_mode_finds_the_document_a_query_names(rag, mode: str) -> None:  # type: ignore[no-untyped-def]
    ingest(rag)
    hits = rag.query("acme", "carnivorous plants in the glasshouse", k=2, mode=mode).hits
    assert hits[0].doc_id == "garden"


@pytest.mark.parametrize("mode", ["dense", "sparse", "hybrid"])
def test_relevance_is_the_best_hits_cosine_measured_through_the_protection(  # type: ignore[no-untyped-def]
    rag, embedder, mode: str
) -> None:
    """What the monitor reads: close to the clear cosine of query and best document (the noise
    is beta/4 of each vector), high for a real question, low for words the corpus is not about."""
    ingest(rag)
    question = "carnivorous plants in the glasshouse"
    result = rag.query("acme", question, k=2, mode=mode)
    q, d = np.asarray(embedder.embed([question, dict(DOCS)["garden"]]))
    clear = float(q @ d / np.linalg.norm(q) / np.linalg.norm(d))
    assert result.relevance is not None
    assert result.relevance == pytest.approx(clear, abs=0.06)
    assert result.relevance >= 0.45
    words = rag.query("acme", "violin saddle thunder", k=2, mode="dense")
    assert words.relevance is not None and words.relevance < 0.3
    assert rag.query("acme", "what is it", k=2, mode="sparse").relevance is None


def test_the_same_query_twice_gets_the_same_answer(rag) -> None:  # type: ignore[no-untyped-def]
    ingest(rag)
    first = [
        (h.chunk_id, h.score) for h in rag.query("acme", "ferry swell", k=3, mode="dense").hits
    ]
    again = [
        (h.chunk_id, h.score) for h in rag.query("acme", "ferry swell", k=3, mode="dense").hits
    ]
    assert first == again


@pytest.mark.parametrize("mode", ["fuzzy", "", None, 3, "HYBRID"])
def test_an_unknown_mode_is_refused(rag, mode: object) -> None:  # type: ignore[no-untyped-def]
    ingest(rag)
    with pytest.raises(InvalidInput):
        rag.query("acme", "ferry", mode=mode)


def test_a_query_of_stop_words_only_still_answers_in_hybrid_and_finds_nothing_sparse(rag) -> None:  # type: ignore[no-untyped-def]
    ingest(rag)
    assert rag.query("acme", "what is it", k=2, mode="sparse").hits == []
    assert len(rag.query("acme", "what is it", k=2).hits) == 2


def test_stored_vectors_are_not_the_models_vectors(rag, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    tenant = ingest(rag)
    rag.close()
    stored = np.stack([v for _, v in read_shard(tmp_path / "data" / "shards" / tenant.id).values()])
    plain = embedder.embed([t for _, t in DOCS])
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    assert np.max(stored @ plain.T) < 0.5


def make_legacy(rag, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A tenant as it was before vector protection: no vector keys, raw vectors, no sparse."""
    tenant = rag.tenants.create("old")
    path = rag.settings.resolved_keystore_dir / f"tenant-{tenant.id}.json"
    keys = json.loads(path.read_text())
    for field in ("vector_keys", "vector_current", "vector_next", "vector_dense"):
        keys.pop(field)
    path.write_text(json.dumps(keys))
    rag.ingest("old", [doc(i, t) for i, t in DOCS])
    return tenant


def test_a_tenant_from_before_protection_is_migrated_by_a_resumable_job(
    open_rag, tmp_path: Path, embedder
) -> None:  # type: ignore[no-untyped-def]
    rag = open_rag(tmp_path / "data", chunk_tokens=16, chunk_overlap=2)
    tenant = make_legacy(rag, tmp_path)
    before = [h.doc_id for h in rag.query("old", "zylonite cables for the bridge", k=2).hits]
    with pytest.raises(InvalidInput):
        rag.query("old", "zylonite", mode="sparse")  # no lexical index yet
    points = rag._runtime.store.count(tenant.id)
    assert points >= 5  # three pages of two

    stopped = rag.reprotect_vectors("old", batch=2, stop_after=1)  # "crash" after one page
    assert not stopped.finished and stopped.rewritten == 2
    done = rag.reprotect_vectors("old", batch=2)
    assert done.finished and done.version == 1 and done.rewritten == points
    assert done.skipped == 0

    after = [h.doc_id for h in rag.query("old", "zylonite cables for the bridge", k=2).hits]
    assert after[0] == before[0] == "bridge"
    assert rag.query("old", "zylonite", k=1, mode="sparse").hits[0].doc_id == "bridge"
    rag.close()
    stored = np.stack([v for _, v in read_shard(tmp_path / "data" / "shards" / tenant.id).values()])
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    assert np.max(stored @ embedder.embed([t for _, t in DOCS]).T) < 0.5


def test_rotating_the_vector_key_re_embeds_and_destroys_the_old_version(rag) -> None:  # type: ignore[no-untyped-def]
    tenant = ingest(rag)
    old = {p.id: p.vector for p in rag._runtime.store.scroll_points(tenant.id)[0]}
    report = rag.reprotect_vectors("acme")
    assert report.finished and report.version == 2
    new = {p.id: p.vector for p in rag._runtime.store.scroll_points(tenant.id)[0]}
    assert new.keys() == old.keys() and all(new[k] != old[k] for k in new)
    with pytest.raises(KeyUnavailable):
        rag._runtime.keyring.keystore.vector_key(tenant.id, 1)
    assert rag.query("acme", "zylonite cables", k=1).hits[0].doc_id == "bridge"
    assert rag.query("acme", "zylonite", k=1, mode="sparse").hits[0].doc_id == "bridge"


def test_protection_off_is_refused_outside_benchmark_mode(tmp_path: Path, master_key: str) -> None:
    from privrag.config import load_settings
    from privrag.errors import ConfigError

    with pytest.raises(ConfigError, match="benchmark"):
        load_settings(data_dir=tmp_path, master_key=master_key, vector_protection="off")
    load_settings(
        data_dir=tmp_path, master_key=master_key, vector_protection="off", benchmark_mode=True
    )


def test_points_written_during_a_rotation_end_under_the_new_version(
    open_rag, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rag = open_rag(tmp_path / "data")
    tenant = ingest(rag)
    assert not rag.reprotect_vectors("acme", batch=2, stop_after=1).finished
    rag.ingest("acme", [doc("late", "Late arrivals at the glasshouse need a ticket.")])
    # A writer that prepared under the old version and wrote behind the cursor.
    stale = rag._runtime.store.scroll_points(tenant.id)[0][0]
    rag._runtime.store.upsert(
        tenant.id, [type(stale)(stale.id, stale.vector, {**stale.payload, "vk": 1}, stale.sparse)]
    )
    assert rag.reprotect_vectors("acme", batch=2).finished
    assert {p.payload["vk"] for p in rag._runtime.store.scroll_points(tenant.id)[0]} == {2}
    assert rag.query("acme", "late arrivals glasshouse ticket", k=1).hits[0].doc_id == "late"
