"""The catalog's tables (SQLAlchemy Core). The migrations in ``privrag.catalog.migrations`` own
the schema and run on open; ``metadata`` mirrors their head, and a test holds the two equal.
Column names are also the field names of the row types, which are built from them by name.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

tenants_t = Table(
    "tenants",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("status", Text, nullable=False, server_default="active"),
    Column("settings", Text, nullable=False, server_default="{}"),
)
documents_t = Table(
    "documents",
    metadata,
    Column("tenant_id", Text, ForeignKey("tenants.id"), nullable=False),
    Column("doc_uid", Text, nullable=False),
    Column("generation", BigInteger, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("key_version", Integer, nullable=False),
    Column("sealed_meta", LargeBinary, nullable=False),
    Column("chunk_count", Integer, nullable=False),
    Column("classification", Text, nullable=False),
    # BigInteger here and for every time and generation: generations are 48-bit random and
    # NEVER_EXPIRES is the year 9999, neither fits PostgreSQL's 32-bit integer.
    Column("expires_at", BigInteger, nullable=False),
    Column("ingested_at", BigInteger, nullable=False),
    Column("hold", Integer, nullable=False, server_default="0"),
    Column("retention_days", Integer),
    PrimaryKeyConstraint("tenant_id", "doc_uid"),
    Index("documents_expiry", "tenant_id", "expires_at"),
)
subject_tags_t = Table(
    "subject_tags",
    metadata,
    Column("tenant_id", Text, nullable=False),
    Column("tag", Text, nullable=False),
    Column("doc_uid", Text, nullable=False),
    PrimaryKeyConstraint("tenant_id", "tag", "doc_uid"),
    Index("subject_tags_doc", "tenant_id", "doc_uid"),
)
journal_t = Table(
    "journal",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("doc_uid", Text),
    Column("generation", BigInteger),
    Column("created_at", BigInteger, nullable=False),
    Column("owner", Text),
    # AUTOINCREMENT: ids are never reused, so a stale id can never finish someone else's entry.
    sqlite_autoincrement=True,
)
operations_t = Table(
    "operations",
    metadata,
    Column("id", Text, primary_key=True),
    Column("tenant_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("plan", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("owner", Text),
)
offboarding_t = Table(
    "offboarding",
    metadata,
    Column("id", Text, primary_key=True),
    Column("tenant_id", Text, nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", BigInteger),
)
api_keys_t = Table(
    "api_keys",
    metadata,
    Column("key_id", Text, primary_key=True),
    Column("key_hash", LargeBinary, nullable=False),
    Column("kind", Text, nullable=False),
    Column("tenant_id", Text),
    Column("scopes", Text, nullable=False),
    Column("label", Text, nullable=False, server_default=""),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
    Column("created_by", Text),
    Index("api_keys_tenant", "tenant_id"),
)
models_t = Table(
    "models",
    metadata,
    Column("model_id", Text, primary_key=True),
    Column("tenant_id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("private", Integer, nullable=False),
    Column("epsilon", Float),
    Column("delta", Float),
    Column("path", Text, nullable=False),
    Column("flagged", Text),
    UniqueConstraint("tenant_id", "version"),
)
model_lineage_t = Table(
    "model_lineage",
    metadata,
    Column("model_id", Text, nullable=False),
    Column("tenant_id", Text, nullable=False),
    Column("doc_uid", Text, nullable=False),
    PrimaryKeyConstraint("model_id", "doc_uid"),
    Index("model_lineage_doc", "tenant_id", "doc_uid"),
)
model_activations_t = Table(
    "model_activations",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", Text, nullable=False),
    Column("model_id", Text),
    Column("activated_at", BigInteger, nullable=False),
    sqlite_autoincrement=True,
)
reembed_jobs_t = Table(
    "reembed_jobs",
    metadata,
    Column("tenant_id", Text, primary_key=True),
    Column("action", Text, nullable=False),
    Column("model_id", Text),
    Column("cursor_at", BigInteger, nullable=False),
    Column("cursor_uid", Text, nullable=False),
    Column("started_at", BigInteger, nullable=False),
)
privacy_ledger_t = Table(
    "privacy_ledger",
    metadata,
    Column("tenant_id", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("revision", Integer, nullable=False),
)
