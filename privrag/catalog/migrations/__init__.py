"""Catalog schema migrations (Alembic), run by ``Catalog`` on open; no alembic.ini needed.

The scripts ship inside the package (``versions/``), and ``upgrade`` runs them on a connection
the caller already holds inside a transaction, so the schema change commits or rolls back with
whatever else the caller does there. A catalog created before migrations existed (the same tables,
no ``alembic_version``) is adopted by stamping the first revision, which created exactly those
tables. Revisions are plain DDL, never imports of ``privrag.catalog.schema``: the metadata there
describes the newest schema, a revision the schema at its own point in history.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect

_HERE = Path(__file__).resolve().parent
FIRST_REVISION = "0001"


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Bring the catalog schema on ``connection`` to ``revision`` (tests name an older one)."""
    config = _config(connection)
    tables = set(inspect(connection).get_table_names())
    if "tenants" in tables and "alembic_version" not in tables:
        command.stamp(config, FIRST_REVISION)
    command.upgrade(config, revision)


def head() -> str:
    """The newest revision id (tests compare it with what a database records)."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(_HERE))
    return str(ScriptDirectory.from_config(config).get_current_head())
