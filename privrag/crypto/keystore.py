"""The keystore: versioned tenant keys, a tenant hash key and versioned vector keys, wrapped by
the master key.

It lives in its own directory, apart from the shards and the catalog, and is never part of a
store backup: destroying a key version here is what makes an old backup of the stores useless.
One JSON file per tenant (named by the opaque tenant id), replaced atomically (write, fsync,
rename, fsync dir) so a crash leaves either the old or the new file, never half of one.

Vector keys (``privrag.crypto.vectors``) have their own versions: ``vector_current`` is the one
queries use (absent for a tenant created before vector protection), ``vector_next`` the one a
running re-protection job writes with; ``vector_dense`` says per version whether dense
vectors are transformed (false only under the benchmark-only ``off``).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from privrag.crypto.aead import context, new_key
from privrag.crypto.wrapping import KeyWrapper, as_wrapper
from privrag.errors import KeyUnavailable
from privrag.files import fsync_dir, write_atomic


class Keystore:
    def __init__(self, directory: Path, master_key: bytes | KeyWrapper) -> None:
        self._dir = directory
        self._master = master_key
        self._wrapper = as_wrapper(master_key)
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _path(self, tenant_id: str) -> Path:
        return self._dir / f"tenant-{tenant_id}.json"

    def _read(self, tenant_id: str) -> dict[str, Any]:
        try:
            return dict(json.loads(self._path(tenant_id).read_text()))
        except FileNotFoundError as exc:
            raise KeyUnavailable("no keys for this tenant (destroyed or never created)") from exc

    def _write(self, tenant_id: str, doc: dict[str, Any]) -> None:
        write_atomic(self._path(tenant_id), json.dumps(doc).encode())

    def _wrap(self, tenant_id: str, label: str, key: bytes) -> str:
        return base64.b64encode(
            self._wrapper.wrap(key, context("tenant-key", tenant_id, label))
        ).decode()

    def _unwrap(self, tenant_id: str, label: str, wrapped: str) -> bytes:
        try:
            blob = base64.b64decode(wrapped)
        except ValueError as exc:
            raise KeyUnavailable("keystore entry is corrupt") from exc
        return self._wrapper.unwrap(blob, context("tenant-key", tenant_id, label))

    def create(self, tenant_id: str, *, dense_protection: bool = True) -> None:
        if self._path(tenant_id).exists():
            return
        doc = {
            "tenant": tenant_id,
            "hash_key": self._wrap(tenant_id, "hash", new_key()),
            "versions": {"1": self._wrap(tenant_id, "v1", new_key())},
            "current": 1,
            "vector_keys": {"1": self._wrap(tenant_id, "vector-v1", new_key())},
            "vector_current": 1,
            "vector_next": None,
            "vector_dense": {"1": dense_protection},
        }
        self._write(tenant_id, doc)

    def vector_versions(self, tenant_id: str) -> tuple[int | None, int | None]:
        """(current, next) vector key versions; current None: never protected."""
        doc = self._read(tenant_id)
        return doc.get("vector_current"), doc.get("vector_next")

    def vector_dense(self, tenant_id: str, version: int) -> bool:
        return bool(self._read(tenant_id).get("vector_dense", {}).get(str(version), True))

    def vector_key(self, tenant_id: str, version: int) -> bytes:
        wrapped = self._read(tenant_id).get("vector_keys", {}).get(str(version))
        if wrapped is None:
            raise KeyUnavailable(f"vector key version {version} has been destroyed")
        return self._unwrap(tenant_id, f"vector-v{version}", wrapped)

    def begin_vector_version(self, tenant_id: str, *, dense_protection: bool) -> int:
        """Add the version a re-protection job writes with (or return the one already begun)."""
        doc = self._read(tenant_id)
        if doc.get("vector_next") is not None:
            return int(doc["vector_next"])
        keys = doc.setdefault("vector_keys", {})
        version = max((int(v) for v in keys), default=0) + 1
        keys[str(version)] = self._wrap(tenant_id, f"vector-v{version}", new_key())
        doc["vector_next"] = version
        doc.setdefault("vector_dense", {})[str(version)] = dense_protection
        self._write(tenant_id, doc)
        return version

    def finish_vector_version(self, tenant_id: str) -> int:
        """Make the pending version current and destroy every older one."""
        doc = self._read(tenant_id)
        version = doc.get("vector_next")
        if version is None:
            return int(doc["vector_current"])
        doc["vector_current"] = int(version)
        doc["vector_next"] = None
        doc["vector_keys"] = {v: w for v, w in doc["vector_keys"].items() if int(v) >= version}
        doc["vector_dense"] = {v: d for v, d in doc["vector_dense"].items() if int(v) >= version}
        self._write(tenant_id, doc)
        return int(version)

    def exists(self, tenant_id: str) -> bool:
        return self._path(tenant_id).exists()

    def hash_key(self, tenant_id: str) -> bytes:
        return self._unwrap(tenant_id, "hash", self._read(tenant_id)["hash_key"])

    def versions(self, tenant_id: str) -> list[int]:
        return sorted(int(v) for v in self._read(tenant_id)["versions"])

    def current_version(self, tenant_id: str) -> int:
        return int(self._read(tenant_id)["current"])

    def tenant_key(self, tenant_id: str, version: int) -> bytes:
        wrapped = self._read(tenant_id)["versions"].get(str(version))
        if wrapped is None:
            raise KeyUnavailable(f"tenant key version {version} has been destroyed")
        return self._unwrap(tenant_id, f"v{version}", wrapped)

    def add_version(self, tenant_id: str) -> int:
        doc = self._read(tenant_id)
        version = max(int(v) for v in doc["versions"]) + 1
        doc["versions"][str(version)] = self._wrap(tenant_id, f"v{version}", new_key())
        doc["current"] = version
        self._write(tenant_id, doc)
        return version

    def destroy_versions_below(self, tenant_id: str, version: int) -> None:
        doc = self._read(tenant_id)
        doc["versions"] = {v: w for v, w in doc["versions"].items() if int(v) >= version}
        self._write(tenant_id, doc)

    def destroy_tenant(self, tenant_id: str) -> None:
        path = self._path(tenant_id)
        if path.exists():
            # Overwrite before unlinking: on most filesystems this replaces the wrapped keys'
            # blocks in place, which the rename-based writer cannot promise.
            size = path.stat().st_size
            with path.open("r+b") as fh:
                fh.write(os.urandom(size))
                fh.flush()
                os.fsync(fh.fileno())
            path.unlink()
            fsync_dir(self._dir)
