"""The catalog's connection to its database, shared by every repository.

Opening migrates the schema to head (on PostgreSQL under an advisory lock, so replicas starting
together never race). Every write goes through ``tx``: one transaction, vendor errors translated
once, here (integrity to ``Conflict``, the rest to ``StoreUnavailable``). On SQLite a writing
transaction starts with ``BEGIN IMMEDIATE`` (the write lock is taken up front, so two writers never
interleave read-then-write) and deletes overwrite freed pages (``secure_delete``). Each process has
an ``owner`` id; on PostgreSQL it holds a session advisory lock named after it for as long as it
lives, so "the lock is free" means "that process is gone" and its leftovers may be claimed.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Executable,
    Row,
    Table,
    create_engine,
    event,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from privrag.catalog import migrations
from privrag.errors import Conflict, StoreUnavailable

# Execution option that marks a connection as writing: on SQLite its BEGIN becomes IMMEDIATE.
_WRITE = "privrag_write"
# Any constant; the key of the advisory lock that serializes migrations across replicas.
_MIGRATION_LOCK = 0x70726976


class Database:
    """``target``: a path (a SQLite file, created with its folder) or a SQLAlchemy URL
    (``sqlite:///...`` or ``postgresql+psycopg://...``); ``password`` fills in the URL's
    password when it comes from a secret file rather than the URL."""

    def __init__(self, target: Path | str, *, password: str | None = None) -> None:
        url = _url(target, password)
        shown = url.render_as_string(hide_password=True)
        self.sqlite = url.get_backend_name() == "sqlite"
        # SQLite: one connection, one writer at a time in this process (as with the stdlib
        # module before); other processes wait on SQLite's own lock. PostgreSQL: a pool, and
        # the server arbitrates between threads and replicas.
        self._lock: AbstractContextManager[Any] = (
            threading.RLock() if self.sqlite else nullcontext()
        )
        self.engine = _engine(url)
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    if not self.sqlite:
                        # Replicas starting together must not race to create the tables.
                        conn.execute(
                            text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK}
                        )
                    migrations.upgrade(conn)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreUnavailable(f"cannot open the catalog at {shown}") from exc
        self._insert = sqlite.insert if self.sqlite else postgresql.insert
        self.owner = uuid.uuid4().hex
        self._alive: Connection | None = None
        if not self.sqlite:
            try:
                self._alive = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                self._alive.execute(
                    text("SELECT pg_advisory_lock(:k)"), {"k": _owner_key(self.owner)}
                )
            except SQLAlchemyError as exc:
                self.engine.dispose()
                raise StoreUnavailable(f"cannot open the catalog at {shown}") from exc

    @contextmanager
    def tx(self) -> Iterator[Connection]:
        """One writing transaction; commits on leaving, rolls back on an exception."""
        with self._lock:
            try:
                with self.engine.connect() as conn:
                    conn = conn.execution_options(**{_WRITE: True})
                    with conn.begin():
                        yield conn
            except IntegrityError as exc:
                raise Conflict("that object exists already") from exc
            except SQLAlchemyError as exc:
                raise StoreUnavailable("the catalog failed") from exc

    def rows(self, stmt: Executable, params: dict[str, Any] | None = None) -> list[Row[Any]]:
        """Run a read (``params`` bind a prepared statement's parameters); the rows are read by
        column name (``row._mapping``)."""
        with self._lock:
            try:
                with self.engine.connect() as conn:
                    return list(conn.execute(stmt, params))
            except SQLAlchemyError as exc:
                raise StoreUnavailable("the catalog failed") from exc

    def close(self) -> None:
        with self._lock:
            if self._alive is not None:
                self._alive.close()  # releases the owner lock: what is left is recoverable
                self._alive = None
            self.engine.dispose()

    def upsert(self, table: Table, values: dict[str, Any], keys: Sequence[str]) -> Executable:
        """INSERT, or UPDATE the row with the same ``keys``: atomic on both databases."""
        stmt = self._insert(table).values(**values)
        return stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_={k: stmt.excluded[k] for k in values if k not in keys},
        )

    def insert_ignore(self, table: Table, keys: Sequence[str]) -> Executable:
        return self._insert(table).on_conflict_do_nothing(index_elements=list(keys))

    def claim_orphans(self, table: Table) -> None:
        """Take over the rows of ``table`` whose owner is gone (its advisory lock is free)."""
        with self.tx() as db:
            owners = db.execute(
                select(table.c.owner)
                .distinct()
                .where(or_(table.c.owner.is_(None), table.c.owner != self.owner))
            ).scalars()
            for owner in list(owners):
                if owner is not None:
                    key = {"k": _owner_key(owner)}
                    if not db.execute(text("SELECT pg_try_advisory_lock(:k)"), key).scalar():
                        continue  # alive: its work is its own
                    db.execute(text("SELECT pg_advisory_unlock(:k)"), key)
                # A replica claiming at the same time waits on these rows, then finds the
                # owner changed and takes nothing.
                match = table.c.owner.is_(None) if owner is None else table.c.owner == owner
                db.execute(update(table).where(match).values(owner=self.owner))


def _owner_key(owner: str) -> int:
    """The advisory lock key of an owner id: 60 bits of it, a positive bigint."""
    return int(owner[:15], 16)


def _url(target: Path | str, password: str | None) -> URL:
    if isinstance(target, Path):
        url = URL.create("sqlite+pysqlite", database=str(target))
    else:
        try:
            url = make_url(target)
        except ArgumentError as exc:
            raise StoreUnavailable("the catalog URL cannot be parsed") from exc
    backend = url.get_backend_name()
    if backend == "postgresql":
        # psycopg (3) is the one driver we ship; a bare postgresql:// means it too.
        url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise StoreUnavailable(f"unsupported catalog database: {backend}")
    if password is not None:
        url = url.set(password=password)
    return url


def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        # pre_ping: a replica survives a database restart or failover without a failed request.
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the folder of {url.database}") from exc
    engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver: the "begin" hook below decides how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            "secure_delete=ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN: a writer never fails halfway with SQLITE_BUSY
        # after reading, and the journal rows commit whole or not at all.
        writing = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine
