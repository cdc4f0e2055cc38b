"""The catalog as it stood when migrations began: every table privrag.catalog used then.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="active"),
        sa.Column("settings", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_table(
        "documents",
        sa.Column("tenant_id", sa.Text, sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("doc_uid", sa.Text, nullable=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("key_version", sa.Integer, nullable=False),
        sa.Column("sealed_meta", sa.LargeBinary, nullable=False),
        sa.Column("chunk_count", sa.Integer, nullable=False),
        sa.Column("classification", sa.Text, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("ingested_at", sa.BigInteger, nullable=False),
        sa.Column("hold", sa.Integer, nullable=False, server_default="0"),
        sa.Column("retention_days", sa.Integer),
        sa.PrimaryKeyConstraint("tenant_id", "doc_uid"),
    )
    op.create_index("documents_expiry", "documents", ["tenant_id", "expires_at"])
    op.create_table(
        "subject_tags",
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("tag", sa.Text, nullable=False),
        sa.Column("doc_uid", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "tag", "doc_uid"),
    )
    op.create_index("subject_tags_doc", "subject_tags", ["tenant_id", "doc_uid"])
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("doc_uid", sa.Text),
        sa.Column("generation", sa.BigInteger),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "operations",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "offboarding",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("requested_at", sa.BigInteger, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", sa.BigInteger),
    )
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.Text, primary_key=True),
        sa.Column("key_hash", sa.LargeBinary, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("tenant_id", sa.Text),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("revoked_at", sa.BigInteger),
    )
    op.create_index("api_keys_tenant", "api_keys", ["tenant_id"])
    op.create_table(
        "models",
        sa.Column("model_id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("private", sa.Integer, nullable=False),
        sa.Column("epsilon", sa.Float),
        sa.Column("delta", sa.Float),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("flagged", sa.Text),
        sa.UniqueConstraint("tenant_id", "version"),
    )
    op.create_table(
        "model_lineage",
        sa.Column("model_id", sa.Text, nullable=False),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("doc_uid", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("model_id", "doc_uid"),
    )
    op.create_index("model_lineage_doc", "model_lineage", ["tenant_id", "doc_uid"])
    op.create_table(
        "model_activations",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("model_id", sa.Text),
        sa.Column("activated_at", sa.BigInteger, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "reembed_jobs",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("model_id", sa.Text),
        sa.Column("cursor_at", sa.BigInteger, nullable=False),
        sa.Column("cursor_uid", sa.Text, nullable=False),
        sa.Column("started_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "privacy_ledger",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "privacy_ledger",
        "reembed_jobs",
        "model_activations",
        "model_lineage",
        "models",
        "api_keys",
        "offboarding",
        "operations",
        "journal",
        "subject_tags",
        "documents",
        "tenants",
    ):
        op.drop_table(table)
