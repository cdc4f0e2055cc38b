"""Embedded store: one Qdrant Edge shard per tenant under ``<data-dir>/shards/<tenant-id>``.

Every method names the tenant and touches only that tenant's shard directory, so isolation does
not depend on a filter being remembered. Shards are opened on demand and closed when idle or past
the process's budget (``privrag.store.edge_pool``), so the tenant count does not bound the process. Qdrant Edge raises bare ``Exception``; every call goes
through ``_guard`` which turns it into ``StoreUnavailable`` and goes no further.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import qdrant_edge as qe

from privrag.errors import StoreUnavailable
from privrag.store.edge_pool import ShardBudget, ShardCost, ShardPool
from privrag.store.protocol import (
    SPARSE,
    Field,
    Fusion,
    ScoredPoint,
    SparseVector,
    StoredPoint,
    rank_key,
    require_tenant,
)

T = TypeVar("T")

_SEARCH_THREADS = 1
_MAPS_PER_SHARD = 10
_MAPS_PER_SEGMENT = 10
_MAPS_PER_INDEX_DIR = 8
# Payload indexes are built once a shard holds this many points. Each costs a shard ~5 MB of
# populated pages and ~11 maps at every open (measured, five indexes: open 37 vs 8 ms, 29 vs
# 0.3 MB resident); without them a filter reads payloads, ~5 us a point, so below this size the
# scan costs under a millisecond and opening a small tenant stays cheap.
_PAYLOAD_INDEX_POINTS = 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

_INDEXES = {
    Field.DOC: qe.PayloadSchemaType.Keyword,
    Field.GEN: qe.PayloadSchemaType.Integer,
    Field.EXP: qe.PayloadSchemaType.Integer,
    Field.CLS: qe.PayloadSchemaType.Keyword,
    Field.FLAGS: qe.PayloadSchemaType.Keyword,
}


def _guard(what: str, fn: Callable[[], T]) -> T:
    try:
        return fn()
    except StoreUnavailable:
        raise
    except Exception as exc:  # qdrant_edge raises plain Exception for everything
        raise StoreUnavailable(f"vector store failed to {what}") from exc


def _scroll(shard: qe.EdgeShard, request: qe.ScrollRequest) -> tuple[list[qe.Record], Any]:
    return _guard("scroll", lambda: shard.scroll(request))


class EdgeStore:
    def __init__(
        self,
        shards_dir: Path,
        *,
        dim: Callable[[], int],
        hnsw_threshold_points: int,
        segment_points: int = 20_000,
        budget: ShardBudget | None = None,
    ) -> None:
        self._dir = shards_dir
        self._dim = dim  # asked only when a shard is created, so opening needs no model
        self._threshold = hnsw_threshold_points
        self._segment_points = segment_points
        self._pool: ShardPool[qe.EdgeShard] = ShardPool(budget or ShardBudget(), close=_close)
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _config(self, *, sparse: bool = True, dim: int | None = None) -> qe.EdgeConfig:
        # indexing_threshold is in KB of vectors: build HNSW once the shard holds
        # ~hnsw_threshold_points vectors; below that an exact scan is cheaper.
        dim = self._dim() if dim is None else dim
        kb = max(1, self._threshold * dim * 4 // 1024)
        segment_kb = self._segment_kb(dim)
        # No WAL: every write is followed by flush(), and a WAL would keep deleted points'
        # sealed payloads on disk until truncation. Vacuum any segment with a deletion, so
        # compact() physically removes what was deleted; segments stay within segment_points,
        # so that rebuilds only the segments that held deleted points, not the shard's vectors
        # in one or two huge segments (what expires together was written together, so it
        # shares few segments). One search thread per shard (the
        # default is one per CPU, per shard), and vectors left to the page cache (Cold) rather
        # than read into memory at open: a process keeps many shards open, most of them small.
        return qe.EdgeConfig(
            vectors={
                "": qe.EdgeVectorParams(
                    size=dim, distance=qe.Distance.Cosine, memory=qe.Memory.Cold
                )
            },
            sparse_vectors=(
                {SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf, memory=qe.Memory.Cold)}
                if sparse
                else None
            ),
            optimizers=qe.EdgeOptimizersConfig(
                indexing_threshold=kb,
                max_segment_size=segment_kb,
                deleted_threshold=1e-9,
                vacuum_min_vector_number=1,
            ),
            wal_enabled=False,
            max_search_threads=_SEARCH_THREADS,
        )

    def _segment_kb(self, dim: int) -> int:
        return max(1, self._segment_points * dim * 4 // 1024)

    def _path(self, tenant_id: str) -> Path:
        return self._dir / require_tenant(tenant_id)

    def _shard(
        self, tenant_id: str, *, create: bool = False
    ) -> AbstractContextManager[qe.EdgeShard | None]:
        path = self._path(tenant_id)

        def open_() -> tuple[qe.EdgeShard, ShardCost] | None:
            before = _resident()
            if (path / "edge_config.json").exists():
                shard = _guard("open a shard", lambda: self._load(path))
            elif create:
                shard = _guard("create a shard", lambda: self._create(path))
            else:
                return None
            cost = _cost(path)
            grown = _resident() - before
            return shard, ShardCost(cost.maps, max(cost.bytes, grown))

        return self._pool.use(tenant_id, open_)

    def _recost(self, tenant_id: str) -> None:
        self._pool.recost(tenant_id, _cost(self._path(tenant_id)))

    def _create(self, path: Path) -> qe.EdgeShard:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return qe.EdgeShard.create(str(path), self._config())

    def _load(self, path: Path) -> qe.EdgeShard:
        config = json.loads((path / "edge_config.json").read_text())
        sparse = SPARSE in (config.get("sparse_vectors") or {})
        dim = int(config["vectors"][""]["size"])
        segment_kb = (config.get("optimizers") or {}).get("max_segment_size")
        if config.get("max_search_threads") == _SEARCH_THREADS and segment_kb == self._segment_kb(
            dim
        ):
            shard = qe.EdgeShard.load(str(path))
        else:
            # A shard made before the budget or the segment bound, or under another bound:
            # persist one search thread, Cold vectors and this process's segment bound.
            shard = qe.EdgeShard.load(str(path), self._config(sparse=sparse, dim=dim))
        if not sparse:
            # A shard made before the lexical index: add the sparse vector in place.
            shard.update(qe.UpdateOperation.create_sparse_vector(SPARSE, modifier=qe.Modifier.Idf))
            shard.flush()
        return shard

    def open_shards(self) -> dict[str, int]:
        """Open shards and their charged maps and bytes (tests, benchmarks, metrics)."""
        return self._pool.stats()

    def shard_info(self, tenant_id: str) -> tuple[int, int] | None:
        """(points, indexed vectors) of the tenant's shard; None if it has none."""
        with self._shard(tenant_id) as shard:
            if shard is None:
                return None
            info = _guard("read shard info", shard.info)
            return int(info.points_count), _dense_indexed(shard, info)

    def ensure_tenant(self, tenant_id: str) -> None:
        with self._shard(tenant_id, create=True):
            pass

    def upsert(self, tenant_id: str, points: Sequence[StoredPoint]) -> None:
        if not points:
            return
        with self._shard(tenant_id, create=True) as shard:
            assert shard is not None
            batch = [qe.Point(p.id, _vectors(p), p.payload) for p in points]
            _guard("upsert", lambda: shard.update(qe.UpdateOperation.upsert_points(batch)))
            _guard("flush", shard.flush)
            self._maybe_index(shard)
        self._recost(tenant_id)

    def update_vectors(
        self, tenant_id: str, vectors: Sequence[tuple[str, Sequence[float]]]
    ) -> None:
        if not vectors:
            return
        with self._shard(tenant_id) as shard:
            if shard is None:
                return
            batch = [qe.PointVectors(pid, list(vec)) for pid, vec in vectors]
            _guard("update vectors", lambda: shard.update(qe.UpdateOperation.update_vectors(batch)))
            _guard("flush", shard.flush)

    def _maybe_index(self, shard: qe.EdgeShard) -> None:
        info = _guard("read shard info", shard.info)
        missing = [f for f in _INDEXES if f not in info.payload_schema]
        if missing and info.points_count >= _PAYLOAD_INDEX_POINTS:
            for field in missing:
                op = qe.UpdateOperation.create_field_index(field, _INDEXES[field])
                _guard("index a payload field", partial(shard.update, op))
            _guard("flush", shard.flush)
        # Only once a threshold's (or a segment's) worth is unindexed: optimizing after every
        # write past the threshold re-merged the indexed segments each time (measured: 305 s of
        # a 309 s write of 60,000 points); the appendable segment below it is scanned exactly,
        # and the optimizer never splits a segment, so this is also what keeps them bounded.
        if info.points_count - _dense_indexed(shard, info) >= min(
            self._threshold, self._segment_points
        ):
            _guard("optimize", shard.optimize)

    def search(
        self,
        tenant_id: str,
        vector: Sequence[float] | None,
        *,
        limit: int,
        now: int,
        classifications: Sequence[str] | None = None,
        sparse: SparseVector | None = None,
        fusion: Fusion | None = None,
        exclude_flags: Sequence[str] | None = None,
        with_vectors: bool = False,
    ) -> list[ScoredPoint]:
        must: list[Any] = [qe.FieldCondition(Field.EXP, range=qe.RangeFloat(gt=float(now)))]
        if classifications is not None:
            must.append(qe.FieldCondition(Field.CLS, match=qe.MatchAny(list(classifications))))
        # A point without the field (stored before screening) matches no must_not: it stays.
        must_not: list[Any] = [
            qe.FieldCondition(Field.FLAGS, match=qe.MatchAny(list(exclude_flags or ())))
        ]
        flt = qe.Filter(must=must, must_not=must_not if exclude_flags else None)
        # IDF over the tenant's live, unexpired points: the same corpus the server backend uses.
        idf = qe.SearchParams(
            idf=qe.IdfParams(
                corpus=qe.Filter(
                    must=[qe.FieldCondition(Field.EXP, range=qe.RangeFloat(gt=float(now)))]
                )
            )
        )
        dense = qe.Query.Nearest(list(vector)) if vector is not None else None
        lexical = (
            qe.Query.Nearest(
                qe.SparseVector(list(sparse.indices), list(sparse.values)), using=SPARSE
            )
            if sparse
            else None
        )
        if dense is not None and lexical is not None:
            fusion = fusion or Fusion()
            depth = fusion.depth(limit)
            request = qe.QueryRequest(
                limit=fusion.fused(limit),
                prefetches=[
                    qe.Prefetch(limit=depth, query=dense, filter=flt),
                    qe.Prefetch(limit=depth, query=lexical, filter=flt, params=idf),
                ],
                # The stub types the nested Rrf class as not a Fusion; the engine takes it.
                query=qe.Fusion.Rrf(  # type: ignore[arg-type]
                    k=fusion.k, weights=[fusion.dense_weight, fusion.sparse_weight]
                ),
                with_payload=True,
                with_vector=with_vectors,
            )
        elif dense is not None or lexical is not None:
            request = qe.QueryRequest(
                limit=limit,
                query=dense if dense is not None else lexical,
                filter=flt,
                with_payload=True,
                with_vector=with_vectors,
                params=idf if dense is None else None,
            )
        else:
            return []
        with self._shard(tenant_id) as shard:
            if shard is None:
                return []
            found = _guard("search", lambda: shard.query(request))
        # A hybrid search fetches every fused candidate (100 or more) to settle ties at the cut;
        # rank on (score, id) first and convert only the kept points: the engine builds a
        # point's payload and vector as Python objects on each access (~1/6 of the GIL time of
        # a query before this).
        ranked = sorted(
            ((float(p.score), str(p.id), p) for p in found),
            key=lambda t: rank_key(t[0], t[1]),
        )[:limit]
        return [
            ScoredPoint(
                pid,
                score,
                dict(p.payload or {}),
                tuple(_dense(p.vector)) if with_vectors else None,
            )
            for score, pid, p in ranked
        ]

    def delete_document(
        self,
        tenant_id: str,
        doc_uid: str,
        *,
        only_generation: int | None = None,
        except_generation: int | None = None,
    ) -> None:
        must: list[Any] = [qe.FieldCondition(Field.DOC, match=qe.MatchValue(doc_uid))]
        must_not: list[Any] = []
        if only_generation is not None:
            must.append(qe.FieldCondition(Field.GEN, match=qe.MatchValue(only_generation)))
        if except_generation is not None:
            must_not.append(qe.FieldCondition(Field.GEN, match=qe.MatchValue(except_generation)))
        op = qe.UpdateOperation.delete_points_by_filter(
            qe.Filter(must=must, must_not=must_not or None)
        )
        with self._shard(tenant_id) as shard:
            if shard is None:
                return
            _guard("delete", lambda: shard.update(op))
            _guard("flush", shard.flush)

    def delete_documents(self, tenant_id: str, doc_uids: Sequence[str]) -> None:
        if not doc_uids:
            return
        flt = qe.Filter(must=[qe.FieldCondition(Field.DOC, match=qe.MatchAny(list(doc_uids)))])
        op = qe.UpdateOperation.delete_points_by_filter(flt)
        with self._shard(tenant_id) as shard:
            if shard is None:
                return
            _guard("delete", lambda: shard.update(op))
            _guard("flush", shard.flush)

    def set_fields(self, tenant_id: str, doc_uid: str, fields: dict[str, Any]) -> None:
        flt = qe.Filter(must=[qe.FieldCondition(Field.DOC, match=qe.MatchValue(doc_uid))])
        op = qe.UpdateOperation.set_payload_by_filter(flt, fields)
        with self._shard(tenant_id) as shard:
            if shard is None:
                return
            _guard("set payload", lambda: shard.update(op))
            _guard("flush", shard.flush)

    def count(self, tenant_id: str, *, doc_uid: str | None = None) -> int:
        flt = None
        if doc_uid is not None:
            flt = qe.Filter(must=[qe.FieldCondition(Field.DOC, match=qe.MatchValue(doc_uid))])
        with self._shard(tenant_id) as shard:
            if shard is None:
                return 0
            return int(
                _guard("count", lambda: shard.count(qe.CountRequest(filter=flt, exact=True)))
            )

    def points(self, tenant_id: str, *, doc_uid: str | None = None) -> Iterator[ScoredPoint]:
        flt = None
        if doc_uid is not None:
            flt = qe.Filter(must=[qe.FieldCondition(Field.DOC, match=qe.MatchValue(doc_uid))])
        offset: Any = None
        while True:
            request = qe.ScrollRequest(offset=offset, limit=256, filter=flt, with_payload=True)
            with self._shard(tenant_id) as shard:
                if shard is None:
                    return
                records, offset = _scroll(shard, request)
            for rec in records:
                yield ScoredPoint(str(rec.id), 0.0, dict(rec.payload or {}))
            if offset is None:
                return

    def scroll_points(
        self, tenant_id: str, *, offset: str | None = None, limit: int = 256
    ) -> tuple[list[StoredPoint], str | None]:
        """One page of the tenant's points with vectors, in id order, and the next offset."""
        request = qe.ScrollRequest(offset=offset, limit=limit, with_payload=True, with_vector=True)
        with self._shard(tenant_id) as shard:
            if shard is None:
                return [], None
            records, nxt = _scroll(shard, request)
        out = [
            StoredPoint(str(r.id), _dense(r.vector), dict(r.payload or {}), _sparse(r.vector))
            for r in records
        ]
        return out, None if nxt is None else str(nxt)

    def compact(self, tenant_id: str) -> None:
        with self._shard(tenant_id) as shard:
            if shard is None:
                return
            _guard("compact", shard.optimize)
            _guard("flush", shard.flush)
        self._recost(tenant_id)

    def drop_tenant(self, tenant_id: str) -> None:
        path = self._path(tenant_id)
        self._pool.drop(tenant_id, lambda: shutil.rmtree(path, ignore_errors=True))

    def close(self) -> None:
        self._pool.close()


def _dense_indexed(shard: qe.EdgeShard, info: Any) -> int:
    """Dense vectors in an HNSW graph. The engine counts a sparse vector as indexed once written
    (its inverted index is built on write), so its indexed count holds both kinds: reading it
    as the dense count alone never saw a shard with a lexical index as needing its graph."""
    with_sparse = qe.CountRequest(
        filter=qe.Filter(must=[qe.HasVectorCondition(SPARSE)]), exact=True
    )
    return int(info.indexed_vectors_count) - int(_guard("count", lambda: shard.count(with_sparse)))


def _close(shard: qe.EdgeShard) -> None:
    # No flush first: every write is flushed before it returns, and close() persists what is
    # left itself (measured on clean shards: flush 5.8 + close 3.6 ms vs close alone 5.8 ms).
    _guard("close a shard", shard.close)


def _resident() -> int:
    """This process's resident bytes (Linux; 0 elsewhere, where bytes on disk are charged)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _cost(path: Path) -> ShardCost:
    """Maps are estimated from the files (measured: 20 for a one-segment shard without payload
    indexes, 75 with its five, whose files sit in seven directories), so charging a shard needs
    no read of /proc/self/maps.
    Bytes are what its files really hold; the opener charges the resident growth it measured
    at open instead when that is larger (populated index pages of a small shard)."""
    segments = 0
    index_dirs = 0
    used = 0
    for root, dirs, files in os.walk(path):
        if os.path.basename(root) == "segments":
            segments = len(dirs)
        elif os.path.basename(root) == "payload_index":
            index_dirs += len(dirs)
        for name in files:
            try:
                used += os.stat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:  # a segment replaced by the optimizer meanwhile
                continue
    maps = _MAPS_PER_SHARD + _MAPS_PER_SEGMENT * max(1, segments) + _MAPS_PER_INDEX_DIR * index_dirs
    return ShardCost(maps=maps, bytes=used)


def _vectors(point: StoredPoint) -> Any:
    if not point.sparse:
        return {"": list(point.vector)}
    sparse = qe.SparseVector(list(point.sparse.indices), list(point.sparse.values))
    return {"": list(point.vector), SPARSE: sparse}


def _sparse(vector: Any) -> SparseVector | None:
    found = vector.get(SPARSE) if isinstance(vector, dict) else None
    if found is None:
        return None
    return SparseVector(tuple(int(i) for i in found.indices), tuple(float(v) for v in found.values))


def _dense(vector: Any) -> list[float]:
    # Records carry either the bare default vector or a {name: vector} map.
    if isinstance(vector, dict):
        vector = vector.get("", next(iter(vector.values()), []))
    # The engine hands back Python floats already: a C-level copy, not a float() per element
    # (that loop was ~8 ms of a query returning its hits' vectors).
    return list(vector or [])
