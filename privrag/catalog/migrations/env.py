"""Alembic environment: runs on the connection ``privrag.catalog.migrations.upgrade`` hands over."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
# render_as_batch: SQLite can alter a table only by copying it; batch mode does that for us.
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
