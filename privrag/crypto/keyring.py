"""The key hierarchy in one object: master key -> tenant keys -> per-document data keys.

* Tenant keys (versioned) live in the keystore, wrapped by the master key.
* Data keys are random per document generation, wrapped by the tenant key's current version and
  stored by the caller (the catalog). Wrapping binds tenant, document, generation and version.
* Keyed hashes (subject tags, opaque ids, pseudonyms) use HKDF subkeys of a per-tenant hash key
  that is *not* rotated by shredding, so tags recorded at ingest still match at erasure time.
  Offboarding destroys it with the tenant keys.
* Vector keys (versioned, see ``privrag.crypto.vectors``) derive the dense-vector transform and
  the lexical term ids. ``vector_scheme`` gives the version queries use; a re-protection job
  writes with the pending one and makes it current when every point has moved.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from privrag.crypto.aead import context, new_key, open_sealed, seal
from privrag.crypto.keystore import Keystore
from privrag.crypto.vectors import TermHasher, VectorProtection, VectorTransform
from privrag.crypto.wrapping import KeyWrapper

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class WrappedKey:
    wrapped: bytes
    version: int


@dataclass(frozen=True)
class VectorScheme:
    """How one tenant's vectors are written or queried under one vector key version.

    ``version`` None is a tenant from before vector protection: raw vectors, no lexical index.
    ``transform`` None leaves dense vectors raw (that, or the benchmark-only ``off``)."""

    version: int | None
    transform: VectorTransform | None
    terms: TermHasher | None

    def dense(self, vectors: np.ndarray) -> np.ndarray:
        return vectors if self.transform is None else self.transform.protect(vectors)

    def dense_query(self, vector: np.ndarray, text: str) -> np.ndarray:
        return vector if self.transform is None else self.transform.protect_query(vector, text)


# Vector schemes kept in memory: each holds one dim x dim float32 matrix (~0.6 MB at 384: the
# rotation's QR factors, or the rotation once a batch was written) that takes ~10 ms to derive,
# so the recently used ones are kept, not every tenant's.
SCHEME_CACHE = 256


class Keyring:
    def __init__(
        self,
        keystore_dir: Path,
        master_key: bytes | KeyWrapper,
        *,
        protection: VectorProtection | None = None,
    ) -> None:
        self.keystore = Keystore(keystore_dir, master_key)
        self.protection = protection or VectorProtection()
        self._subkeys: dict[tuple[str, str], bytes] = {}
        self._schemes: OrderedDict[tuple[str, int, int], VectorScheme] = OrderedDict()
        self._schemes_lock = threading.Lock()

    def create_tenant(self, tenant_id: str) -> None:
        self.keystore.create(tenant_id, dense_protection=self.protection.beta is not None)

    def vector_scheme(self, tenant_id: str, *, dim: int, writing: bool = False) -> VectorScheme:
        """The scheme queries use, or (``writing``) the one new points are written with: the
        pending version while a re-protection job runs, so nothing written meanwhile is missed."""
        current, pending = self.keystore.vector_versions(tenant_id)
        version = pending if writing and pending is not None else current
        if version is None:
            return VectorScheme(None, None, None)
        with self._schemes_lock:
            cached = self._schemes.get((tenant_id, version, dim))
            if cached is not None:
                self._schemes.move_to_end((tenant_id, version, dim))
                return cached
        key = self.keystore.vector_key(tenant_id, version)
        # A version made with protection on stays rotated even if the setting is now off:
        # its stored vectors only compare correctly with rotated queries.
        beta = self.protection.beta or 0.0
        dense = self.keystore.vector_dense(tenant_id, version)
        transform = VectorTransform(key, dim, beta=beta) if dense else None
        cached = VectorScheme(version, transform, TermHasher(key))
        with self._schemes_lock:
            self._schemes[(tenant_id, version, dim)] = cached
            while len(self._schemes) > SCHEME_CACHE:
                self._schemes.popitem(last=False)
        return cached

    def begin_vector_version(self, tenant_id: str) -> int:
        return self.keystore.begin_vector_version(
            tenant_id, dense_protection=self.protection.beta is not None
        )

    def finish_vector_version(self, tenant_id: str) -> int:
        version = self.keystore.finish_vector_version(tenant_id)
        with self._schemes_lock:
            for k in [k for k in self._schemes if k[0] == tenant_id and k[1] < version]:
                del self._schemes[k]
        return version

    def _hash_subkey(self, tenant_id: str, purpose: str) -> bytes:
        cached = self._subkeys.get((tenant_id, purpose))
        if cached is None:
            cached = HKDF(
                algorithm=hashes.SHA256(),
                length=32,
                salt=b"privrag/keyed-hash/v1",
                info=f"{tenant_id}/{purpose}".encode(),
            ).derive(self.keystore.hash_key(tenant_id))
            self._subkeys[(tenant_id, purpose)] = cached
        return cached

    def keyed_hash(self, tenant_id: str, purpose: str, data: bytes) -> bytes:
        return hmac.new(self._hash_subkey(tenant_id, purpose), data, hashlib.sha256).digest()

    def hasher(self, tenant_id: str) -> TenantHasher:
        return TenantHasher(self, tenant_id)

    def new_data_key(
        self, tenant_id: str, doc_uid: str, generation: int
    ) -> tuple[bytes, WrappedKey]:
        key = new_key()
        return key, self.wrap_data_key(tenant_id, doc_uid, generation, key)

    def wrap_data_key(
        self, tenant_id: str, doc_uid: str, generation: int, key: bytes
    ) -> WrappedKey:
        version = self.keystore.current_version(tenant_id)
        kek = self.keystore.tenant_key(tenant_id, version)
        aad = context("data-key", tenant_id, doc_uid, generation, version)
        return WrappedKey(seal(kek, key, aad), version)

    def unwrap_data_key(
        self, tenant_id: str, doc_uid: str, generation: int, wrapped: WrappedKey
    ) -> bytes:
        return self.data_key_opener(tenant_id)(doc_uid, generation, wrapped)

    def data_key_opener(self, tenant_id: str) -> DataKeyOpener:
        """Unwraps the data keys of one batch (a query's hits, a listing), reading each tenant
        key version from the keystore once for the batch rather than once per document."""
        return DataKeyOpener(self.keystore, tenant_id)

    def data_key_rewrapper(self, tenant_id: str, version: int) -> DataKeyRewrapper:
        """Rewraps the data keys of one batch under tenant key ``version`` (a rotation), reading
        each tenant key version from the keystore once for the batch, not twice per document."""
        return DataKeyRewrapper(self.keystore, tenant_id, version)

    def destroy_tenant(self, tenant_id: str) -> None:
        self.keystore.destroy_tenant(tenant_id)
        self._subkeys = {k: v for k, v in self._subkeys.items() if k[0] != tenant_id}
        with self._schemes_lock:
            for k in [k for k in self._schemes if k[0] == tenant_id]:
                del self._schemes[k]


class DataKeyOpener:
    """Tenant keys are held only for the batch's lifetime: a key version destroyed by a
    shredding is read again (and refused) by the next batch."""

    def __init__(self, keystore: Keystore, tenant_id: str) -> None:
        self._keystore = keystore
        self._tenant_id = tenant_id
        self._keks: dict[int, bytes] = {}

    def __call__(self, doc_uid: str, generation: int, wrapped: WrappedKey) -> bytes:
        kek = self._keks.get(wrapped.version)
        if kek is None:
            kek = self._keystore.tenant_key(self._tenant_id, wrapped.version)
            self._keks[wrapped.version] = kek
        aad = context("data-key", self._tenant_id, doc_uid, generation, wrapped.version)
        return open_sealed(kek, wrapped.wrapped, aad)


class DataKeyRewrapper:
    def __init__(self, keystore: Keystore, tenant_id: str, version: int) -> None:
        self._open = DataKeyOpener(keystore, tenant_id)
        self._tenant_id = tenant_id
        self._version = version
        self._kek = keystore.tenant_key(tenant_id, version)

    def __call__(self, doc_uid: str, generation: int, wrapped: WrappedKey) -> WrappedKey:
        key = self._open(doc_uid, generation, wrapped)
        aad = context("data-key", self._tenant_id, doc_uid, generation, self._version)
        return WrappedKey(seal(self._kek, key, aad), self._version)


class TenantHasher:
    """A tenant's keyed hash, shaped as the ``KeyedHash`` callable the scrubber expects."""

    def __init__(self, keyring: Keyring, tenant_id: str) -> None:
        self._keyring = keyring
        self.tenant_id = tenant_id

    def __call__(self, purpose: str, data: bytes) -> bytes:
        return self._keyring.keyed_hash(self.tenant_id, purpose, data)

    def hexdigest(self, purpose: str, text: str, length: int = 32) -> str:
        return self(purpose, text.encode()).hex()[:length]
