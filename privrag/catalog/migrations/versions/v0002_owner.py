"""Journal entries and operations name the process that owes them (``owner``), so a replica
recovers only what a process that is gone left behind; NULL (rows from before) counts as gone.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("journal", "operations"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("owner", sa.Text))


def downgrade() -> None:
    for table in ("journal", "operations"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("owner")
