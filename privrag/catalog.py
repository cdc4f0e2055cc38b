"""The catalog: tenants, document keys and metadata, subject tags, and the operation journal.

SQLite (stdlib) in the data dir for the embedded default. Nothing here is readable on its own:
document ids are keyed hashes (``doc_uid``), document metadata is sealed under the document's
data key, data keys are wrapped by the tenant key, subject tags are keyed hashes. Only what
selection needs is clear: classification, expiry, hold flag, counts.

The ``journal`` table makes ingest and delete crash-safe (see ``service.PrivRAG.recover``):
a row is written *before* the vector store is touched and removed only after the store work is
done, so a restart knows exactly which points to remove and which rotation to finish.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from privrag.errors import Conflict, StoreUnavailable
from privrag.models import Tenant

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS documents (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    doc_uid TEXT NOT NULL,
    generation INTEGER NOT NULL,
    wrapped_key BLOB NOT NULL,
    key_version INTEGER NOT NULL,
    sealed_meta BLOB NOT NULL,
    chunk_count INTEGER NOT NULL,
    classification TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    ingested_at INTEGER NOT NULL,
    hold INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, doc_uid)
);
CREATE INDEX IF NOT EXISTS documents_expiry ON documents (tenant_id, expires_at);
CREATE TABLE IF NOT EXISTS subject_tags (
    tenant_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    doc_uid TEXT NOT NULL,
    PRIMARY KEY (tenant_id, tag, doc_uid)
);
CREATE INDEX IF NOT EXISTS subject_tags_doc ON subject_tags (tenant_id, doc_uid);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    doc_uid TEXT,
    generation INTEGER,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    key_hash BLOB NOT NULL,
    kind TEXT NOT NULL,
    tenant_id TEXT,
    scopes TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant_id);
"""


@dataclass(frozen=True)
class DocumentRow:
    tenant_id: str
    doc_uid: str
    generation: int
    wrapped_key: bytes
    key_version: int
    sealed_meta: bytes
    chunk_count: int
    classification: str
    expires_at: int
    ingested_at: int
    hold: bool


@dataclass(frozen=True)
class JournalEntry:
    """Store work owed. kind: 'ingest' (points of ``generation`` are uncommitted: remove them),
    'gc' (remove the document's points except ``generation``; None removes all), 'rotate'
    (finish rotating the tenant key)."""

    id: int
    tenant_id: str
    kind: str
    doc_uid: str | None
    generation: int | None


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the catalog at {path}") from exc
        self._lock = threading.RLock()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                raise Conflict("that object exists already") from exc
            except sqlite3.Error as exc:
                raise StoreUnavailable("the catalog failed") from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return list(self._db.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise StoreUnavailable("the catalog failed") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # tenants

    def add_tenant(self, tenant: Tenant, settings: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO tenants (id, name, created_at, status, settings) VALUES (?,?,?,?,?)",
                (tenant.id, tenant.name, tenant.created_at, tenant.status, json.dumps(settings)),
            )

    def tenant_by_name(self, name: str) -> Tenant | None:
        rows = self._rows(
            "SELECT id, name, created_at, status FROM tenants WHERE name = ?", (name,)
        )
        return Tenant(*rows[0]) if rows else None

    def tenant_by_id(self, tenant_id: str) -> Tenant | None:
        rows = self._rows(
            "SELECT id, name, created_at, status FROM tenants WHERE id = ?", (tenant_id,)
        )
        return Tenant(*rows[0]) if rows else None

    def tenants(self) -> list[Tenant]:
        rows = self._rows("SELECT id, name, created_at, status FROM tenants ORDER BY name")
        return [Tenant(*r) for r in rows]

    def set_tenant_status(self, tenant_id: str, status: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE tenants SET status = ? WHERE id = ?", (status, tenant_id))

    def set_tenant_settings(self, tenant_id: str, settings: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE tenants SET settings = ? WHERE id = ?", (json.dumps(settings), tenant_id)
            )

    def tenant_settings(self, tenant_id: str) -> dict[str, Any]:
        rows = self._rows("SELECT settings FROM tenants WHERE id = ?", (tenant_id,))
        return dict(json.loads(rows[0][0])) if rows else {}

    # documents

    _DOC_COLUMNS = (
        "tenant_id, doc_uid, generation, wrapped_key, key_version, sealed_meta, chunk_count, "
        "classification, expires_at, ingested_at, hold"
    )

    def document(self, tenant_id: str, doc_uid: str) -> DocumentRow | None:
        rows = self._rows(
            f"SELECT {self._DOC_COLUMNS} FROM documents WHERE tenant_id = ? AND doc_uid = ?",
            (tenant_id, doc_uid),
        )
        return _doc(rows[0]) if rows else None

    def documents(self, tenant_id: str, doc_uids: Iterable[str] | None = None) -> list[DocumentRow]:
        if doc_uids is None:
            rows = self._rows(
                f"SELECT {self._DOC_COLUMNS} FROM documents WHERE tenant_id = ? "
                "ORDER BY ingested_at, doc_uid",
                (tenant_id,),
            )
            return [_doc(r) for r in rows]
        uids = list(dict.fromkeys(doc_uids))
        found: list[DocumentRow] = []
        for start in range(0, len(uids), 500):
            part = uids[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._rows(
                f"SELECT {self._DOC_COLUMNS} FROM documents "
                f"WHERE tenant_id = ? AND doc_uid IN ({marks})",
                (tenant_id, *part),
            )
            found.extend(_doc(r) for r in rows)
        return found

    def documents_with_tag(self, tenant_id: str, tag: str) -> list[str]:
        rows = self._rows(
            "SELECT doc_uid FROM subject_tags WHERE tenant_id = ? AND tag = ? ORDER BY doc_uid",
            (tenant_id, tag),
        )
        return [r[0] for r in rows]

    # journal-backed writes

    def begin_ingest(self, tenant_id: str, doc_uid: str, generation: int, now: int) -> int:
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO journal (tenant_id, kind, doc_uid, generation, created_at) "
                "VALUES (?, 'ingest', ?, ?, ?)",
                (tenant_id, doc_uid, generation, now),
            )
            return int(cur.lastrowid or 0)

    def commit_ingest(self, journal_id: int, row: DocumentRow, tags: Iterable[str]) -> int:
        """Make ``row`` the document's current generation; return the 'gc' journal id that
        owes removal of the points of every other generation."""
        with self._tx() as db:
            db.execute(
                f"INSERT OR REPLACE INTO documents ({self._DOC_COLUMNS}) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    row.tenant_id,
                    row.doc_uid,
                    row.generation,
                    row.wrapped_key,
                    row.key_version,
                    row.sealed_meta,
                    row.chunk_count,
                    row.classification,
                    row.expires_at,
                    row.ingested_at,
                    int(row.hold),
                ),
            )
            db.execute(
                "DELETE FROM subject_tags WHERE tenant_id = ? AND doc_uid = ?",
                (row.tenant_id, row.doc_uid),
            )
            db.executemany(
                "INSERT OR IGNORE INTO subject_tags (tenant_id, tag, doc_uid) VALUES (?,?,?)",
                [(row.tenant_id, tag, row.doc_uid) for tag in tags],
            )
            db.execute("DELETE FROM journal WHERE id = ?", (journal_id,))
            cur = db.execute(
                "INSERT INTO journal (tenant_id, kind, doc_uid, generation, created_at) "
                "VALUES (?, 'gc', ?, ?, ?)",
                (row.tenant_id, row.doc_uid, row.generation, row.ingested_at),
            )
            return int(cur.lastrowid or 0)

    def remove_documents(self, tenant_id: str, doc_uids: Sequence[str], now: int) -> list[int]:
        """Forget documents and their keys in one transaction; journal the store cleanup and a
        tenant-key rotation. Returns the journal ids owed ('gc' per document, then 'rotate')."""
        ids: list[int] = []
        with self._tx() as db:
            for uid in doc_uids:
                db.execute(
                    "DELETE FROM documents WHERE tenant_id = ? AND doc_uid = ?", (tenant_id, uid)
                )
                db.execute(
                    "DELETE FROM subject_tags WHERE tenant_id = ? AND doc_uid = ?",
                    (tenant_id, uid),
                )
                cur = db.execute(
                    "INSERT INTO journal (tenant_id, kind, doc_uid, generation, created_at) "
                    "VALUES (?, 'gc', ?, NULL, ?)",
                    (tenant_id, uid, now),
                )
                ids.append(int(cur.lastrowid or 0))
            cur = db.execute(
                "INSERT INTO journal (tenant_id, kind, doc_uid, generation, created_at) "
                "VALUES (?, 'rotate', NULL, NULL, ?)",
                (tenant_id, now),
            )
            ids.append(int(cur.lastrowid or 0))
        return ids

    def rewrap(self, tenant_id: str, updates: Sequence[tuple[str, bytes, int]]) -> None:
        """Replace wrapped data keys: (doc_uid, wrapped_key, key_version) per document."""
        with self._tx() as db:
            db.executemany(
                "UPDATE documents SET wrapped_key = ?, key_version = ? "
                "WHERE tenant_id = ? AND doc_uid = ?",
                [(w, v, tenant_id, uid) for uid, w, v in updates],
            )

    def journal(self) -> list[JournalEntry]:
        rows = self._rows(
            "SELECT id, tenant_id, kind, doc_uid, generation FROM journal ORDER BY id"
        )
        return [JournalEntry(*r) for r in rows]

    def finish(self, journal_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM journal WHERE id = ?", (journal_id,))

    # API keys (privrag.access): hashes only; kind 'tenant' or 'operator'.

    _KEY_COLUMNS = "key_id, key_hash, kind, tenant_id, scopes, label, created_at, revoked_at"

    def add_api_key(self, row: ApiKeyRow) -> None:
        with self._tx() as db:
            db.execute(
                f"INSERT INTO api_keys ({self._KEY_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                (
                    row.key_id,
                    row.key_hash,
                    row.kind,
                    row.tenant_id,
                    json.dumps(sorted(row.scopes)),
                    row.label,
                    row.created_at,
                    row.revoked_at,
                ),
            )

    def api_key(self, key_id: str) -> ApiKeyRow | None:
        rows = self._rows(f"SELECT {self._KEY_COLUMNS} FROM api_keys WHERE key_id = ?", (key_id,))
        return _api_key(rows[0]) if rows else None

    def api_keys(self, tenant_id: str | None = None) -> list[ApiKeyRow]:
        if tenant_id is None:
            rows = self._rows(f"SELECT {self._KEY_COLUMNS} FROM api_keys ORDER BY created_at")
        else:
            rows = self._rows(
                f"SELECT {self._KEY_COLUMNS} FROM api_keys WHERE tenant_id = ? ORDER BY created_at",
                (tenant_id,),
            )
        return [_api_key(r) for r in rows]

    def revoke_api_key(self, key_id: str, now: int) -> bool:
        """Mark a key revoked; False when there is no such live key."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (now, key_id),
            )
            return cur.rowcount > 0


@dataclass(frozen=True)
class ApiKeyRow:
    key_id: str
    key_hash: bytes
    kind: str
    tenant_id: str | None
    scopes: frozenset[str]
    label: str
    created_at: int
    revoked_at: int | None


def _api_key(row: tuple[Any, ...]) -> ApiKeyRow:
    values = list(row)
    values[4] = frozenset(json.loads(values[4]))
    return ApiKeyRow(*values)


def _doc(row: tuple[Any, ...]) -> DocumentRow:
    values = list(row)
    values[10] = bool(values[10])
    return DocumentRow(*values)
