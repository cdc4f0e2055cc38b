"""Scale-out store: a Qdrant server or cluster through qdrant-client, same contract as the edge one.

The long tail of tenants shares one collection whose ``tid`` field has an ``is_tenant`` keyword
index (optionally split by custom shard keys); a large tenant gets a collection of its own, where
``server_support.Placements`` records which. Invariants: every call names a tenant (else
``InvalidInput``); every read, count, update and delete carries a ``tid`` filter even in a
dedicated collection, so a placement mistake never shows one tenant another's points; ``tid`` and
``pid`` are added on write and stripped on read; physical point ids derive from (tenant, id), so
no tenant can overwrite another's point. Promotion shared -> dedicated is a resumable job.
"""

from __future__ import annotations

import hashlib
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from qdrant_client import QdrantClient, models

from privrag.errors import InvalidInput
from privrag.store.protocol import (
    SPARSE,
    Field,
    Fusion,
    ScoredPoint,
    SparseVector,
    StoredPoint,
    canonical,
)
from privrag.store.server_support import (
    DEDICATED,
    INDEXES,
    PROMOTING,
    SHARED,
    SPARSE_PARAMS,
    TENANT_FIELD,
    Placement,
    Placements,
    ServerStoreConfig,
    check_tenant,
    connect,
    dense_of,
    flagged,
    guard,
    match,
    match_any,
    physical_id,
    point_struct,
    scored,
    sparse_of,
    unpack,
)


class ServerStore:
    def __init__(
        self,
        config: ServerStoreConfig,
        *,
        dim: Callable[[], int],
        client: QdrantClient | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._cfg = config
        self._dim = dim  # asked only when a collection is created, so opening needs no model
        self._sleep = sleep
        self._client = client or connect(config)
        self._ordering = models.WriteOrdering(config.write_ordering)
        self._placement_records = Placements(self._client, config)
        self._ready: set[str] = set()

    # names and placement

    @property
    def shared_collection(self) -> str:
        return f"{self._cfg.prefix}shared"

    def dedicated_collection(self, tenant_id: str) -> str:
        return f"{self._cfg.prefix}t_{check_tenant(tenant_id)}"

    def _shard_key(self, tenant_id: str) -> str | None:
        buckets = self._cfg.shard_key_buckets
        if buckets <= 0:
            return None
        digest = hashlib.blake2b(tenant_id.encode(), digest_size=8).digest()
        return f"b{int.from_bytes(digest, 'big') % buckets}"

    def placement(self, tenant_id: str) -> Placement | None:
        """Where the tenant lives (None: never ensured); see ``Placements``."""
        return self._placement_records.get(check_tenant(tenant_id))

    def _set_placement(self, tenant_id: str, placement: Placement | None) -> None:
        self._placement_records.set(tenant_id, placement)

    def _ensure_collection(self, name: str, *, shared: bool) -> None:
        if name in self._ready:
            return
        if guard("list collections", lambda: self._client.collection_exists(name)):
            self._ensure_sparse(name)
        else:
            custom = shared and self._cfg.shard_key_buckets > 0
            guard(
                "create a collection",
                lambda: self._client.create_collection(
                    name,
                    vectors_config=models.VectorParams(
                        size=self._dim(), distance=models.Distance.COSINE
                    ),
                    sparse_vectors_config={SPARSE: SPARSE_PARAMS},
                    shard_number=self._cfg.shard_number,
                    sharding_method=models.ShardingMethod.CUSTOM if custom else None,
                    replication_factor=self._cfg.replication_factor,
                    write_consistency_factor=self._cfg.write_consistency_factor,
                    # Tenant-partitioned HNSW: one graph per tenant value, no global graph, so
                    # a search never walks through another tenant's points.
                    hnsw_config=models.HnswConfigDiff(payload_m=16, m=0) if shared else None,
                ),
            )
            if custom:
                for bucket in range(self._cfg.shard_key_buckets):
                    guard(
                        "create a shard key",
                        lambda b=bucket: self._client.create_shard_key(name, f"b{b}"),  # type: ignore[misc]
                    )
            self._create_indexes(name, shared=shared)
        self._ready.add(name)

    def _ensure_sparse(self, name: str) -> None:
        """A collection made before the lexical index gets its sparse vector in place."""
        info = guard("read a collection", lambda: self._client.get_collection(name))
        if SPARSE not in (info.config.params.sparse_vectors or {}):
            guard(
                "add the sparse vector",
                lambda: self._client.create_vector_name(
                    name,
                    SPARSE,
                    models.SparseVectorNameConfig(
                        sparse=models.SparseVectorConfig(modifier=models.Modifier.IDF)
                    ),
                    wait=True,
                ),
            )

    def _create_indexes(self, name: str, *, shared: bool) -> None:
        schemas: dict[str, Any] = dict(INDEXES)
        schemas[TENANT_FIELD] = models.KeywordIndexParams(
            type=models.KeywordIndexType.KEYWORD, is_tenant=shared
        )
        with warnings.catch_warnings():
            if self._cfg.local:
                # In-process mode keeps no payload indexes and says so once; the schema is
                # still sent so this path is the one a cluster runs.
                warnings.simplefilter("ignore", UserWarning)
            for field, schema in schemas.items():
                guard(
                    "create a payload index",
                    lambda f=field, s=schema: self._client.create_payload_index(  # type: ignore[misc]
                        name, f, field_schema=s, wait=True
                    ),
                )

    def _route(self, tenant_id: str) -> tuple[Placement | None, list[tuple[str, str | None]]]:
        """The collections (and shard key) a write for this tenant must reach, reads first."""
        placement = self.placement(tenant_id)
        shared = (self.shared_collection, self._shard_key(tenant_id))
        dedicated = (self.dedicated_collection(tenant_id), None)
        if placement is None:
            return None, []
        if placement.tier == SHARED:
            return placement, [shared]
        if placement.tier == PROMOTING:
            # Dual writes while the copy runs; the shared collection stays authoritative.
            return placement, [shared, dedicated]
        return placement, [dedicated]

    def _tenant_filter(
        self, tenant_id: str, must: Sequence[Any] = (), must_not: Sequence[Any] = ()
    ) -> models.Filter:
        tenant = models.FieldCondition(key=TENANT_FIELD, match=models.MatchValue(value=tenant_id))
        return models.Filter(must=[tenant, *must], must_not=list(must_not) or None)

    # the VectorStore contract

    def ensure_tenant(self, tenant_id: str) -> None:
        tenant_id = check_tenant(tenant_id)
        placement = self.placement(tenant_id)
        if placement is None:
            self._ensure_collection(self.shared_collection, shared=True)
            self._set_placement(tenant_id, Placement(SHARED))
        elif placement.tier == DEDICATED:
            self._ensure_collection(self.dedicated_collection(tenant_id), shared=False)
        else:
            self._ensure_collection(self.shared_collection, shared=True)

    def upsert(self, tenant_id: str, points: Sequence[StoredPoint]) -> None:
        tenant_id = check_tenant(tenant_id)
        if not points:
            return
        if self.placement(tenant_id) is None:
            self.ensure_tenant(tenant_id)
        batch = [point_struct(tenant_id, p) for p in points]
        for name, key in self._route(tenant_id)[1]:
            self._ensure_collection(name, shared=name == self.shared_collection)
            guard(
                "upsert",
                lambda n=name, k=key: self._client.upsert(  # type: ignore[misc]
                    n, batch, wait=True, ordering=self._ordering, shard_key_selector=k
                ),
            )

    def update_vectors(
        self, tenant_id: str, vectors: Sequence[tuple[str, Sequence[float]]]
    ) -> None:
        tenant_id = check_tenant(tenant_id)
        if not vectors:
            return
        for name, key in self._route(tenant_id)[1]:
            # Only ids this tenant owns: update_vectors has no filter, so look them up first.
            physical = [(physical_id(tenant_id, pid), vec) for pid, vec in vectors]
            owned = self._owned_ids(name, key, tenant_id, [pid for pid, _ in physical])
            batch = [
                models.PointVectors(id=pid, vector=list(vec))
                for pid, vec in physical
                if pid in owned
            ]
            if batch:
                guard(
                    "update vectors",
                    lambda n=name, k=key, b=batch: self._client.update_vectors(  # type: ignore[misc]
                        n, b, wait=True, ordering=self._ordering, shard_key_selector=k
                    ),
                )

    def _owned_ids(
        self, name: str, key: str | None, tenant_id: str, ids: Sequence[str]
    ) -> set[str]:
        found = guard(
            "retrieve",
            lambda: self._client.retrieve(
                name, list(ids), with_payload=[TENANT_FIELD], shard_key_selector=key
            ),
        )
        return {str(r.id) for r in found if (r.payload or {}).get(TENANT_FIELD) == tenant_id}

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
        tenant_id = check_tenant(tenant_id)
        live = models.FieldCondition(key=Field.EXP, range=models.Range(gt=now))
        must: list[Any] = [live]
        if classifications is not None:
            must.append(match_any(Field.CLS, classifications))
        routes = self._route(tenant_id)[1]
        if not routes or (vector is None and not sparse):
            return []
        name, key = routes[0]
        flt = self._tenant_filter(tenant_id, must, flagged(exclude_flags))
        # IDF over this tenant's live, unexpired points only: in the shared collection other
        # tenants' term statistics must neither leak in nor shift the ranking.
        idf = models.SearchParams(
            idf=models.IdfCorpusParams(corpus=self._tenant_filter(tenant_id, [live]))
        )
        lexical = (
            models.SparseVector(indices=list(sparse.indices), values=list(sparse.values))
            if sparse
            else None
        )
        kwargs: dict[str, Any]
        fetch = limit
        if vector is not None and lexical is not None:
            fusion = fusion or Fusion()
            depth, fetch = fusion.depth(limit), fusion.fused(limit)
            kwargs = {
                "prefetch": [
                    models.Prefetch(query=list(vector), filter=flt, limit=depth),
                    models.Prefetch(
                        query=lexical, using=SPARSE, filter=flt, limit=depth, params=idf
                    ),
                ],
                "query": models.RrfQuery(
                    rrf=models.Rrf(k=fusion.k, weights=[fusion.dense_weight, fusion.sparse_weight])
                ),
            }
        elif vector is not None:
            kwargs = {"query": list(vector), "query_filter": flt}
        else:
            kwargs = {"query": lexical, "using": SPARSE, "query_filter": flt, "search_params": idf}
        kwargs["with_vectors"] = with_vectors
        found = guard(
            "search",
            lambda: (
                self._client.query_points(
                    name, limit=fetch, with_payload=True, shard_key_selector=key, **kwargs
                ).points
            ),
        )
        return canonical(scored(found, with_vectors), limit)

    def delete_document(
        self,
        tenant_id: str,
        doc_uid: str,
        *,
        only_generation: int | None = None,
        except_generation: int | None = None,
    ) -> None:
        tenant_id = check_tenant(tenant_id)
        must: list[Any] = [match(Field.DOC, doc_uid)]
        if only_generation is not None:
            must.append(match(Field.GEN, only_generation))
        must_not = [] if except_generation is None else [match(Field.GEN, except_generation)]
        self._delete(tenant_id, self._tenant_filter(tenant_id, must, must_not))

    def delete_documents(self, tenant_id: str, doc_uids: Sequence[str]) -> None:
        tenant_id = check_tenant(tenant_id)
        if doc_uids:
            self._delete(
                tenant_id, self._tenant_filter(tenant_id, [match_any(Field.DOC, doc_uids)])
            )

    def _delete(self, tenant_id: str, flt: models.Filter) -> None:
        for name, key in self._route(tenant_id)[1]:
            if not self._exists(name):
                continue
            guard(
                "delete",
                lambda n=name, k=key: self._client.delete(  # type: ignore[misc]
                    n,
                    models.FilterSelector(filter=flt),
                    wait=True,
                    ordering=self._ordering,
                    shard_key_selector=k,
                ),
            )

    def _exists(self, name: str) -> bool:
        if name in self._ready:
            return True
        return bool(guard("list collections", lambda: self._client.collection_exists(name)))

    def set_fields(self, tenant_id: str, doc_uid: str, fields: dict[str, Any]) -> None:
        tenant_id = check_tenant(tenant_id)
        if TENANT_FIELD in fields:
            raise InvalidInput("the tenant field cannot be set")
        flt = self._tenant_filter(tenant_id, [match(Field.DOC, doc_uid)])
        for name, key in self._route(tenant_id)[1]:
            if not self._exists(name):
                continue
            guard(
                "set payload",
                lambda n=name, k=key: self._client.set_payload(  # type: ignore[misc]
                    n,
                    payload=fields,
                    points=flt,
                    wait=True,
                    ordering=self._ordering,
                    shard_key_selector=k,
                ),
            )

    def count(self, tenant_id: str, *, doc_uid: str | None = None) -> int:
        tenant_id = check_tenant(tenant_id)
        routes = self._route(tenant_id)[1]
        if not routes or not self._exists(routes[0][0]):
            return 0
        name, key = routes[0]
        must = [match(Field.DOC, doc_uid)] if doc_uid is not None else []
        result = guard(
            "count",
            lambda: self._client.count(
                name,
                count_filter=self._tenant_filter(tenant_id, must),
                exact=True,
                shard_key_selector=key,
            ),
        )
        return int(result.count)

    def points(self, tenant_id: str, *, doc_uid: str | None = None) -> Iterator[ScoredPoint]:
        offset: str | None = None
        while True:
            batch, offset = self._scroll(tenant_id, doc_uid=doc_uid, offset=offset, vectors=False)
            for rec in batch:
                yield ScoredPoint(rec.id, 0.0, rec.payload)
            if offset is None:
                return

    def scroll_points(
        self, tenant_id: str, *, offset: str | None = None, limit: int = 256
    ) -> tuple[list[StoredPoint], str | None]:
        """One page of the tenant's points with vectors, in id order, and the next offset."""
        return self._scroll(tenant_id, offset=offset, limit=limit, vectors=True)

    def _scroll(
        self,
        tenant_id: str,
        *,
        doc_uid: str | None = None,
        offset: str | None,
        limit: int = 256,
        vectors: bool,
        route: tuple[str, str | None] | None = None,
    ) -> tuple[list[StoredPoint], str | None]:
        tenant_id = check_tenant(tenant_id)
        if route is None:
            routes = self._route(tenant_id)[1]
            if not routes:
                return [], None
            route = routes[0]
        name, key = route
        if not self._exists(name):
            return [], None
        must = [match(Field.DOC, doc_uid)] if doc_uid is not None else []
        records, next_offset = guard(
            "scroll",
            lambda: self._client.scroll(
                name,
                scroll_filter=self._tenant_filter(tenant_id, must),
                limit=limit,
                offset=offset,
                with_payload=True,
                with_vectors=vectors,
                shard_key_selector=key,
            ),
        )
        out = [
            StoredPoint(pid, dense_of(r.vector) if vectors else [], payload, sparse_of(r.vector))
            for r in records
            for pid, payload in [unpack(r.payload)]
        ]
        return out, None if next_offset is None else str(next_offset)

    def compact(self, tenant_id: str) -> None:
        # A server vacuums deleted points itself (optimizer deleted_threshold); there is no
        # per-tenant trigger in the API, so this only checks the tenant is valid.
        check_tenant(tenant_id)

    def drop_tenant(self, tenant_id: str) -> None:
        tenant_id = check_tenant(tenant_id)
        placement = self.placement(tenant_id)
        if placement is None:
            return
        if placement.tier != DEDICATED:
            self._delete(tenant_id, self._tenant_filter(tenant_id))
        dedicated = self.dedicated_collection(tenant_id)
        if placement.tier != SHARED and self._exists(dedicated):
            guard("drop a collection", lambda: self._client.delete_collection(dedicated))
            self._ready.discard(dedicated)
        self._set_placement(tenant_id, None)

    def close(self) -> None:
        guard("close", self._client.close)

    # promotion

    def promote(
        self, tenant_id: str, *, batch: int = 256, stop_after: int | None = None
    ) -> Placement:
        """Move a tenant from the shared collection to its own; rerun to resume after a crash.

        Steps, each recorded in the placement before the next starts: mark PROMOTING (from then
        on every replica writes to both collections, once its placement cache has expired, which
        we wait out) -> copy pages of the shared collection, saving the cursor after each ->
        drop from the copy any point the shared collection no longer has (deleted during the
        copy) -> mark DEDICATED (reads move) -> delete the tenant's points from the shared one.
        ``stop_after`` pages is for tests that simulate a crash mid-copy.
        """
        tenant_id = check_tenant(tenant_id)
        placement = self.placement(tenant_id)
        if placement is None:
            raise InvalidInput("no such tenant in the store")
        dedicated = self.dedicated_collection(tenant_id)
        shared_route = (self.shared_collection, self._shard_key(tenant_id))
        if placement.tier == SHARED:
            self._ensure_collection(dedicated, shared=False)
            placement = Placement(PROMOTING, None)
            self._set_placement(tenant_id, placement)
            self._sleep(self._cfg.placement_cache_s)
        if placement.tier == PROMOTING:
            self._ensure_collection(dedicated, shared=False)
            cursor, pages = placement.cursor, 0
            while True:
                page, nxt = self._scroll(
                    tenant_id, offset=cursor, limit=batch, vectors=True, route=shared_route
                )
                if page:
                    copy = [point_struct(tenant_id, p) for p in page]
                    guard(
                        "copy points",
                        lambda c=copy: self._client.upsert(  # type: ignore[misc]
                            dedicated, c, wait=True, ordering=self._ordering
                        ),
                    )
                if nxt is None:
                    break
                cursor = nxt
                self._set_placement(tenant_id, Placement(PROMOTING, cursor))
                pages += 1
                if stop_after is not None and pages >= stop_after:
                    return Placement(PROMOTING, cursor)
            self._reconcile(tenant_id, dedicated, shared_route)
            placement = Placement(DEDICATED)
            self._set_placement(tenant_id, placement)
            self._sleep(self._cfg.placement_cache_s)
        name, key = shared_route
        if self._exists(name):
            flt = self._tenant_filter(tenant_id)
            guard(
                "clear the shared copy",
                lambda: self._client.delete(
                    name,
                    models.FilterSelector(filter=flt),
                    wait=True,
                    ordering=self._ordering,
                    shard_key_selector=key,
                ),
            )
        return placement

    def _reconcile(self, tenant_id: str, dedicated: str, shared: tuple[str, str | None]) -> None:
        offset: str | None = None
        while True:
            page, offset = self._scroll(
                tenant_id, offset=offset, limit=256, vectors=False, route=(dedicated, None)
            )
            if page:
                ids = [physical_id(tenant_id, p.id) for p in page]
                gone = set(ids) - self._owned_ids(shared[0], shared[1], tenant_id, ids)
                if gone:
                    selector = models.PointIdsList(points=sorted(gone))
                    guard(
                        "reconcile",
                        lambda s=selector: self._client.delete(  # type: ignore[misc]
                            dedicated, s, wait=True
                        ),
                    )
            if offset is None:
                return
