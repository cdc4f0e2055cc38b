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
    retention_days INTEGER,
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
CREATE TABLE IF NOT EXISTS operations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    plan TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS offboarding (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    decided_by TEXT,
    decided_at INTEGER
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
CREATE TABLE IF NOT EXISTS models (
    model_id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    private INTEGER NOT NULL,
    epsilon REAL,
    delta REAL,
    path TEXT NOT NULL,
    flagged TEXT,
    UNIQUE (tenant_id, version)
);
CREATE TABLE IF NOT EXISTS model_lineage (
    model_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    doc_uid TEXT NOT NULL,
    PRIMARY KEY (model_id, doc_uid)
);
CREATE INDEX IF NOT EXISTS model_lineage_doc ON model_lineage (tenant_id, doc_uid);
CREATE TABLE IF NOT EXISTS model_activations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    model_id TEXT,
    activated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reembed_jobs (
    tenant_id TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    model_id TEXT,
    cursor_at INTEGER NOT NULL,
    cursor_uid TEXT NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS privacy_ledger (
    tenant_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    revision INTEGER NOT NULL
);
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
    retention_days: int | None = None


@dataclass(frozen=True)
class Operation:
    """A deletion in progress: 'planned' (nothing done yet: safe to drop), 'committed' (catalog
    rows gone; store cleanup journaled; receipt owed)."""

    id: str
    tenant_id: str
    kind: str
    state: str
    plan: dict[str, Any]
    created_at: int


@dataclass(frozen=True)
class Offboarding:
    id: str
    tenant_id: str
    requested_by: str
    requested_at: int
    state: str
    decided_by: str | None
    decided_at: int | None


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
        "classification, expires_at, ingested_at, hold, retention_days"
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
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
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
                    row.retention_days,
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

    def remove_documents(
        self, tenant_id: str, doc_uids: Sequence[str], now: int, *, operation_id: str | None = None
    ) -> list[int]:
        """Forget documents and their keys in one transaction; journal the store cleanup and a
        tenant-key rotation; mark ``operation_id`` committed in the same transaction. Returns
        the journal ids owed ('gc' per document, then 'rotate')."""
        ids: list[int] = []
        with self._tx() as db:
            if operation_id is not None:
                db.execute(
                    "UPDATE operations SET state = 'committed' WHERE id = ?", (operation_id,)
                )
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

    # retention: expiry, holds, deletion operations, offboarding (privrag.retention)

    def expired(self, tenant_id: str, now: int) -> list[DocumentRow]:
        """Documents past expiry, found through the (tenant_id, expires_at) index: the cost
        grows with what has expired, not with the size of the tenant."""
        rows = self._rows(
            f"SELECT {self._DOC_COLUMNS} FROM documents "
            "WHERE tenant_id = ? AND expires_at <= ? ORDER BY expires_at, doc_uid",
            (tenant_id, now),
        )
        return [_doc(r) for r in rows]

    def set_hold(self, tenant_id: str, doc_uid: str, hold: bool) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE documents SET hold = ? WHERE tenant_id = ? AND doc_uid = ?",
                (int(hold), tenant_id, doc_uid),
            )

    def set_expiry(self, tenant_id: str, updates: Sequence[tuple[str, int]]) -> None:
        with self._tx() as db:
            db.executemany(
                "UPDATE documents SET expires_at = ? WHERE tenant_id = ? AND doc_uid = ?",
                [(exp, tenant_id, uid) for uid, exp in updates],
            )

    def begin_operation(self, op: Operation) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO operations (id, tenant_id, kind, state, plan, created_at) "
                "VALUES (?,?,?,?,?,?)",
                (op.id, op.tenant_id, op.kind, op.state, json.dumps(op.plan), op.created_at),
            )

    def operations(self) -> list[Operation]:
        rows = self._rows(
            "SELECT id, tenant_id, kind, state, plan, created_at FROM operations "
            "ORDER BY created_at, id"
        )
        return [Operation(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]

    def drop_operation(self, op_id: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM operations WHERE id = ?", (op_id,))

    def add_offboarding(self, request: Offboarding) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO offboarding (id, tenant_id, requested_by, requested_at, state) "
                "VALUES (?,?,?,?,?)",
                (
                    request.id,
                    request.tenant_id,
                    request.requested_by,
                    request.requested_at,
                    request.state,
                ),
            )

    def offboarding(self, request_id: str) -> Offboarding | None:
        rows = self._rows(
            "SELECT id, tenant_id, requested_by, requested_at, state, decided_by, decided_at "
            "FROM offboarding WHERE id = ?",
            (request_id,),
        )
        return Offboarding(*rows[0]) if rows else None

    def decide_offboarding(self, request_id: str, state: str, by: str, now: int) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE offboarding SET state = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (state, by, now, request_id),
            )

    def purge_tenant(self, tenant_id: str) -> None:
        """Remove every row that names the tenant, in every table that has a tenant_id column
        (whoever added the table), then the tenant itself. Offboarding and operation records
        stay: they are the evidence."""
        keep = {"tenants", "offboarding", "operations"}
        with self._tx() as db:
            tables = [
                r[0]
                for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if r[0] not in keep
            ]
            for table in tables:
                columns = {c[1] for c in db.execute(f"PRAGMA table_info({table})")}
                if "tenant_id" in columns:
                    db.execute(f"DELETE FROM {table} WHERE tenant_id = ?", (tenant_id,))
            db.execute("DELETE FROM tenants WHERE id = ?", (tenant_id,))

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

    # models (training writes, privrag.registry reads): artifacts, lineage, activation history,
    # re-embedding jobs and the privacy ledger. Model weights live on disk; rows hold paths,
    # privacy parameters and the document ids (keyed hashes) each model was trained on.

    _MODEL_COLUMNS = (
        "model_id, tenant_id, version, created_at, private, epsilon, delta, path, flagged"
    )

    def add_model(self, row: ModelRow, doc_uids: Iterable[str]) -> None:
        """Register a trained model and its lineage (the doc_uids it saw) in one transaction."""
        with self._tx() as db:
            db.execute(
                f"INSERT INTO models ({self._MODEL_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    row.model_id,
                    row.tenant_id,
                    row.version,
                    row.created_at,
                    int(row.private),
                    row.epsilon,
                    row.delta,
                    row.path,
                    row.flagged,
                ),
            )
            db.executemany(
                "INSERT OR IGNORE INTO model_lineage (model_id, tenant_id, doc_uid) VALUES (?,?,?)",
                [(row.model_id, row.tenant_id, uid) for uid in doc_uids],
            )

    def models(self, tenant_id: str) -> list[ModelRow]:
        rows = self._rows(
            f"SELECT {self._MODEL_COLUMNS} FROM models WHERE tenant_id = ? ORDER BY version",
            (tenant_id,),
        )
        return [_model(r) for r in rows]

    def model(self, tenant_id: str, model_id: str) -> ModelRow | None:
        rows = self._rows(
            f"SELECT {self._MODEL_COLUMNS} FROM models WHERE tenant_id = ? AND model_id = ?",
            (tenant_id, model_id),
        )
        return _model(rows[0]) if rows else None

    def model_lineage(self, model_id: str) -> list[str]:
        rows = self._rows(
            "SELECT doc_uid FROM model_lineage WHERE model_id = ? ORDER BY doc_uid", (model_id,)
        )
        return [r[0] for r in rows]

    def models_trained_on(self, tenant_id: str, doc_uids: Iterable[str]) -> list[str]:
        """Model ids whose training set included any of ``doc_uids`` (for erasure flags)."""
        uids = list(dict.fromkeys(doc_uids))
        found: set[str] = set()
        for start in range(0, len(uids), 500):
            part = uids[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._rows(
                "SELECT DISTINCT model_id FROM model_lineage "
                f"WHERE tenant_id = ? AND doc_uid IN ({marks})",
                (tenant_id, *part),
            )
            found.update(r[0] for r in rows)
        return sorted(found)

    def flag_models(self, tenant_id: str, model_ids: Iterable[str], reason: str) -> None:
        with self._tx() as db:
            db.executemany(
                "UPDATE models SET flagged = ? WHERE tenant_id = ? AND model_id = ?",
                [(reason, tenant_id, m) for m in model_ids],
            )

    def activations(self, tenant_id: str) -> list[str | None]:
        """Activation history, oldest first; None stands for the packaged base model."""
        rows = self._rows(
            "SELECT model_id FROM model_activations WHERE tenant_id = ? ORDER BY seq",
            (tenant_id,),
        )
        return [r[0] for r in rows]

    def begin_reembed(self, job: ReembedJob) -> None:
        """Journal a re-embedding job; one per tenant at a time (Conflict otherwise)."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO reembed_jobs (tenant_id, action, model_id, cursor_at, cursor_uid, "
                "started_at) VALUES (?,?,?,?,?,?)",
                (
                    job.tenant_id,
                    job.action,
                    job.model_id,
                    job.cursor_at,
                    job.cursor_uid,
                    job.started_at,
                ),
            )

    def reembed_jobs(self, tenant_id: str | None = None) -> list[ReembedJob]:
        sql = "SELECT tenant_id, action, model_id, cursor_at, cursor_uid, started_at FROM reembed_jobs"
        rows = (
            self._rows(sql + " WHERE tenant_id = ?", (tenant_id,))
            if tenant_id is not None
            else self._rows(sql + " ORDER BY started_at")
        )
        return [ReembedJob(*r) for r in rows]

    def advance_reembed(self, tenant_id: str, cursor_at: int, cursor_uid: str) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE reembed_jobs SET cursor_at = ?, cursor_uid = ? WHERE tenant_id = ?",
                (cursor_at, cursor_uid, tenant_id),
            )

    def finish_reembed(self, tenant_id: str, now: int) -> None:
        """Every chunk now carries the job's model's vectors: record the switch and end the job
        in one transaction ('activate' appends to the history, 'rollback' pops its last entry)."""
        with self._tx() as db:
            row = db.execute(
                "SELECT action, model_id FROM reembed_jobs WHERE tenant_id = ?", (tenant_id,)
            ).fetchone()
            if row is None:
                return
            action, model_id = row
            if action == "activate":
                db.execute(
                    "INSERT INTO model_activations (tenant_id, model_id, activated_at) "
                    "VALUES (?,?,?)",
                    (tenant_id, model_id, now),
                )
            else:
                db.execute(
                    "DELETE FROM model_activations WHERE seq = (SELECT MAX(seq) FROM "
                    "model_activations WHERE tenant_id = ?)",
                    (tenant_id,),
                )
            db.execute("DELETE FROM reembed_jobs WHERE tenant_id = ?", (tenant_id,))

    def privacy_ledger(self, tenant_id: str) -> tuple[dict[str, Any], int] | None:
        """The tenant's serialized privacy ledger and its revision, or None if never charged."""
        rows = self._rows(
            "SELECT state, revision FROM privacy_ledger WHERE tenant_id = ?", (tenant_id,)
        )
        return (dict(json.loads(rows[0][0])), int(rows[0][1])) if rows else None

    def save_privacy_ledger(self, tenant_id: str, state: dict[str, Any], revision: int) -> int:
        """Compare-and-set: write ``state`` only if the stored revision is still ``revision``
        (0 = none stored), so two concurrent charges cannot both pass the budget check."""
        with self._tx() as db:
            row = db.execute(
                "SELECT revision FROM privacy_ledger WHERE tenant_id = ?", (tenant_id,)
            ).fetchone()
            current = int(row[0]) if row else 0
            if current != revision:
                raise Conflict("the privacy ledger changed meanwhile; recompute the charge")
            db.execute(
                "INSERT OR REPLACE INTO privacy_ledger (tenant_id, state, revision) VALUES (?,?,?)",
                (tenant_id, json.dumps(state, sort_keys=True), revision + 1),
            )
        return revision + 1


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


@dataclass(frozen=True)
class ModelRow:
    """A registered tenant model; ``path`` is relative to the data dir."""

    model_id: str
    tenant_id: str
    version: int
    created_at: int
    private: bool
    epsilon: float | None
    delta: float | None
    path: str
    flagged: str | None = None


@dataclass(frozen=True)
class ReembedJob:
    """Re-embed a tenant's chunks with ``model_id`` (None: the base model); documents are
    visited in (ingested_at, doc_uid) order and the cursor names the last one done."""

    tenant_id: str
    action: str
    model_id: str | None
    cursor_at: int
    cursor_uid: str
    started_at: int


def _model(row: tuple[Any, ...]) -> ModelRow:
    values = list(row)
    values[4] = bool(values[4])
    return ModelRow(*values)


def _doc(row: tuple[Any, ...]) -> DocumentRow:
    values = list(row)
    values[10] = bool(values[10])
    return DocumentRow(*values)
