"""Shared fixtures: the heavy real components (Presidio + spaCy, MiniLM) load once per session.

Every test gets its own data dir, keystore and master key (a keystore or key file the settings
default to lands under a per-session ``XDG_STATE_HOME``, never the user's own state dir, and
child processes inherit it); nothing touches the network except
a PostgreSQL server on loopback when ``PRIVRAG_TEST_POSTGRES_URL`` names one (``.ci/run`` always
does): then every service the fixtures open keeps its catalog in a fresh database on that server,
one per data dir, dropped after the test.
"""

from __future__ import annotations

import atexit
import base64
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from privrag.offline import force_offline

force_offline()
_STATE_HOME = tempfile.mkdtemp(prefix="privrag-test-state-")
os.environ["XDG_STATE_HOME"] = _STATE_HOME
atexit.register(shutil.rmtree, _STATE_HOME, True)

from hypothesis import settings as hypothesis_settings  # noqa: E402

from privrag.config import Settings, load_settings  # noqa: E402
from privrag.models import Document  # noqa: E402

# Under CI every property test draws the same examples on every run, so a red CI means a change
# broke something, not that a fresh random example turned up an old bug; local runs draw new
# examples each time, which is how such bugs get found (the idempotence example in
# tests/pii/test_idempotence.py was). Secret randomness (DP sampling, UUIDs) stays random.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def scrubber():  # type: ignore[no-untyped-def]
    from privrag.pii import Scrubber

    return Scrubber()


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from privrag.embed import Embedder

    return Embedder()


@pytest.fixture
def master_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


POSTGRES_ENV = "PRIVRAG_TEST_POSTGRES_URL"


class PostgresServer:
    """The server named by PRIVRAG_TEST_POSTGRES_URL (a role with CREATEDB): hands out fresh,
    empty databases so tests stay as independent as their SQLite files."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self._admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def _sql(self, sql: str) -> None:
        with self._admin.connect() as conn:
            conn.exec_driver_sql(sql)

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of ``template`` if given); returns its name."""
        name = f"privrag_test_{uuid.uuid4().hex[:20]}"
        self._sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop(self, name: str) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def replace(self, name: str, template: str) -> None:
        """Make database ``name`` a fresh copy of ``template`` (a restore from backup)."""
        self.drop(name)
        self._sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    """None unless PRIVRAG_TEST_POSTGRES_URL is set."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        yield None
        return
    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture
def postgres_db(postgres_server: PostgresServer | None) -> Iterator[Callable[[], str]]:
    """Fresh PostgreSQL catalog URLs for one test; the test is skipped without a server (CI
    always has one, so these never go missing there)."""
    made: list[str] = []

    def make() -> str:
        if postgres_server is None:
            pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
        made.append(postgres_server.create())
        return postgres_server.url_of(made[-1])

    yield make
    for name in made:
        assert postgres_server is not None
        postgres_server.drop(name)


class CatalogDatabases:
    """Which catalog each data dir of a test uses: the SQLite file inside it, or (with a
    PostgreSQL server) a database of its own; backups copy whichever it is."""

    def __init__(self, server: PostgresServer | None) -> None:
        self.server = server
        self.names: dict[Path, str] = {}

    def url_for(self, data_dir: Path) -> str | None:
        if self.server is None:
            return None
        if data_dir not in self.names:
            self.names[data_dir] = self.server.create()
        return self.server.url_of(self.names[data_dir])

    def copy(self, data: Path, to: Path) -> None:
        """Back up the catalog of ``data`` (closed) to the backup dir ``to``."""
        if self.server is None:
            for name in ("catalog.db", "catalog.db-wal", "catalog.db-shm"):
                if (data / name).exists():
                    shutil.copy2(data / name, to / name)
            return
        self.names[to] = self.server.create(template=self.names[data])

    def restore(self, backup: Path, data: Path) -> None:
        """Replace the catalog of ``data`` (closed) with the backup in ``backup``."""
        if self.server is None:
            for name in ("catalog.db", "catalog.db-wal", "catalog.db-shm"):
                (data / name).unlink(missing_ok=True)
                if (backup / name).exists():
                    shutil.copy2(backup / name, data / name)
            return
        self.server.replace(self.names[data], self.names[backup])

    def drop_all(self) -> None:
        if self.server is not None:
            for name in self.names.values():
                self.server.drop(name)


@pytest.fixture
def catalog_dbs(postgres_server: PostgresServer | None) -> Iterator[CatalogDatabases]:
    dbs = CatalogDatabases(postgres_server)
    yield dbs
    dbs.drop_all()


@pytest.fixture
def settings_for(master_key: str, catalog_dbs: CatalogDatabases) -> Callable[..., Settings]:
    def build(data_dir: Path, **overrides: object) -> Settings:
        values: dict[str, object] = {"data_dir": data_dir, "master_key": master_key}
        url = catalog_dbs.url_for(data_dir) if "catalog_url" not in overrides else None
        if url is not None:
            values["catalog_url"] = url
        values.update(overrides)
        return load_settings(**values)

    return build


class Clock:
    """An injectable clock: tests move time instead of sleeping."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def open_rag(settings_for, scrubber, embedder, clock) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    from privrag.service import PrivRAG

    opened: list[PrivRAG] = []

    def open_(data_dir: Path, **overrides: object) -> PrivRAG:
        rag = PrivRAG(
            settings_for(data_dir, **overrides), scrubber=scrubber, embedder=embedder, clock=clock
        )
        opened.append(rag)
        return rag

    yield open_
    for rag in opened:
        rag.close()


@pytest.fixture
def rag(open_rag, tmp_path):  # type: ignore[no-untyped-def]
    return open_rag(tmp_path / "data")


def doc(doc_id: str, text: str, **fields: object) -> Document:
    return Document(id=doc_id, text=text, **fields)  # type: ignore[arg-type]
