"""Re-protect a tenant's points under a new vector key version: a resumable job.

It serves two cases with one order of operations. A tenant from before vector protection (no
current version) has raw vectors and no lexical index: its stored vectors are transformed as
they are, and each chunk's sealed text is opened for its sparse vector. A protected tenant
rotating its vector key has only noisy protected vectors, so every chunk is re-embedded from its
text with the tenant's model. Order: begin the pending version in the keystore (from then on,
ingest writes with it) -> page through the store in id order, rewriting every point not yet
marked with the pending version (dense + sparse + marker in one upsert, under the service's
write lock so no delete can interleave), saving the cursor after each page -> make the version
current, which destroys the old one, after a last pass for stragglers, both under the write lock
(the service re-prepares an ingest whose version changed before it writes). The per-point marker makes a crash mid-page harmless (a
raw vector is never transformed twice); the cursor only saves re-reading. Until the end, queries
use the old version, so points already moved rank poorly for the duration (as for a model
switch); isolation and correctness do not change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from privrag.crypto import Keyring, WrappedKey
from privrag.files import read_state, write_state
from privrag.ingest.codec import PointPayload, open_chunk
from privrag.ingest.protect import VECTOR_KEY_FIELD, protect_chunks
from privrag.store import StoredPoint, VectorStore

if TYPE_CHECKING:
    from privrag.catalog import Catalog


@dataclass(frozen=True)
class Reprotection:
    tenant_id: str
    version: int
    rewritten: int
    skipped: int
    finished: bool


def cursor_path(data_dir: Path, tenant_id: str) -> Path:
    return data_dir / "reprotect" / f"{tenant_id}.json"


def reprotect_tenant(
    *,
    tenant_id: str,
    store: VectorStore,
    keyring: Keyring,
    catalog: Catalog,
    dim: int,
    embed: Callable[[Sequence[str]], np.ndarray],
    lock: AbstractContextManager[Any],
    cursor_file: Path,
    batch: int = 256,
    stop_after: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Reprotection:
    """Run (or resume) the job; ``stop_after`` pages is for tests that simulate a crash.
    ``progress(points seen, points stored)`` after each page."""
    previous = keyring.vector_scheme(tenant_id, dim=dim)
    with lock:
        version = keyring.begin_vector_version(tenant_id)
    scheme = keyring.vector_scheme(tenant_id, dim=dim, writing=True)

    def rewrite(page: Sequence[StoredPoint]) -> tuple[int, int]:
        todo = [p for p in page if p.payload.get(VECTOR_KEY_FIELD) != version]
        texts = _open(tenant_id, todo, keyring, catalog)
        live = [(p, t) for p, t in zip(todo, texts, strict=True) if t is not None]
        if live:
            chunk_texts = [t for _, t in live]
            if previous.version is None:
                raw = np.asarray([p.vector for p, _ in live], dtype=np.float32)
            else:
                raw = embed(chunk_texts)
            dense, sparse = protect_chunks(scheme, chunk_texts, raw)
            marked = [{**p.payload, VECTOR_KEY_FIELD: version} for p, _ in live]
            store.upsert(
                tenant_id,
                [
                    StoredPoint(p.id, dense[i].tolist(), marked[i], sparse[i])
                    for i, (p, _) in enumerate(live)
                ],
            )
        # Points of a generation the catalog does not name are never served; recovery deletes
        # them.
        return len(live), len(todo) - len(live)

    state = read_state(cursor_file)
    if state.get("version") != version:
        state = {"version": version, "offset": None, "rewritten": 0, "skipped": 0, "done": False}
    pages = 0
    total = store.count(tenant_id)
    while not state["done"]:
        with lock:
            page, nxt = store.scroll_points(tenant_id, offset=state["offset"], limit=batch)
            rewritten, skipped = rewrite(page)
        state["rewritten"] += rewritten
        state["skipped"] += skipped
        state["offset"] = nxt
        state["done"] = nxt is None
        write_state(cursor_file, state)
        pages += 1
        if progress is not None:
            seen = state["rewritten"] + state["skipped"]
            progress(min(seen, total), total)
        if not state["done"] and stop_after is not None and pages >= stop_after:
            return Reprotection(tenant_id, version, state["rewritten"], state["skipped"], False)
    with lock:
        # An ingest prepared under the old version may have written behind the cursor: one
        # last pass, and the switch, under the write lock, so nothing old survives the switch.
        offset: str | None = None
        while True:
            page, offset = store.scroll_points(tenant_id, offset=offset, limit=batch)
            rewritten, _ = rewrite([p for p in page if p.payload.get(VECTOR_KEY_FIELD) != version])
            state["rewritten"] += rewritten
            if offset is None:
                break
        keyring.finish_vector_version(tenant_id)
    cursor_file.unlink(missing_ok=True)
    return Reprotection(tenant_id, version, state["rewritten"], state["skipped"], True)


def _open(
    tenant_id: str, points: Sequence[StoredPoint], keyring: Keyring, catalog: Catalog
) -> list[str | None]:
    """Each point's scrubbed chunk text, or None if its generation is not the live one."""
    payloads = [PointPayload.from_dict(p.payload) for p in points]
    rows = {r.doc_uid: r for r in catalog.documents.list(tenant_id, {p.doc_uid for p in payloads})}
    keys: dict[str, bytes] = {}
    opener = keyring.data_key_opener(tenant_id)
    out: list[str | None] = []
    for payload in payloads:
        row = rows.get(payload.doc_uid)
        if row is None or row.generation != payload.generation:
            out.append(None)
            continue
        if row.doc_uid not in keys:
            wrapped = WrappedKey(row.wrapped_key, row.key_version)
            keys[row.doc_uid] = opener(row.doc_uid, row.generation, wrapped)
        out.append(str(open_chunk(keys[row.doc_uid], tenant_id, payload)["text"]))
    return out
