"""The key hierarchy in one object: master key -> tenant keys -> per-document data keys.

* Tenant keys (versioned) live in the keystore, wrapped by the master key.
* Data keys are random per document generation, wrapped by the tenant key's current version and
  stored by the caller (the catalog). Wrapping binds tenant, document, generation and version.
* Keyed hashes (subject tags, opaque ids, pseudonyms) use HKDF subkeys of a per-tenant hash key
  that is *not* rotated by shredding, so tags recorded at ingest still match at erasure time.
  Offboarding destroys it with the tenant keys.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from privrag.crypto.aead import context, new_key, open_sealed, seal
from privrag.crypto.keystore import Keystore
from privrag.crypto.wrapping import KeyWrapper


@dataclass(frozen=True)
class WrappedKey:
    wrapped: bytes
    version: int


class Keyring:
    def __init__(self, keystore_dir: Path, master_key: bytes | KeyWrapper) -> None:
        self.keystore = Keystore(keystore_dir, master_key)
        self._subkeys: dict[tuple[str, str], bytes] = {}

    def create_tenant(self, tenant_id: str) -> None:
        self.keystore.create(tenant_id)

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
        kek = self.keystore.tenant_key(tenant_id, wrapped.version)
        aad = context("data-key", tenant_id, doc_uid, generation, wrapped.version)
        return open_sealed(kek, wrapped.wrapped, aad)

    def destroy_tenant(self, tenant_id: str) -> None:
        self.keystore.destroy_tenant(tenant_id)
        self._subkeys = {k: v for k, v in self._subkeys.items() if k[0] != tenant_id}


class TenantHasher:
    """A tenant's keyed hash, shaped as the ``KeyedHash`` callable the scrubber expects."""

    def __init__(self, keyring: Keyring, tenant_id: str) -> None:
        self._keyring = keyring
        self.tenant_id = tenant_id

    def __call__(self, purpose: str, data: bytes) -> bytes:
        return self._keyring.keyed_hash(self.tenant_id, purpose, data)

    def hexdigest(self, purpose: str, text: str, length: int = 32) -> str:
        return self(purpose, text.encode()).hex()[:length]
