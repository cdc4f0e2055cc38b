"""The catalog: tenants, document keys and metadata, subject tags, the operation journal, API keys,
models and the privacy ledger, over SQLite (embedded, in the data dir) or PostgreSQL
(``PRIVRAG_CATALOG_URL``, shared by any number of stateless replicas) through one code path.

```
Catalog(target)          opens the database (_db: engine, pragmas, migrations, owner, ``tx``)
  .tenants       Tenants          tenant rows, settings, purge          tenants.py
  .documents     Documents        document rows, tags, expiry, holds    documents.py
  .journal       Journal          ingest journal, operations            journal.py
  .offboarding   Offboardings     offboarding requests                  offboarding.py
  .api_keys      ApiKeys          API key rows (hashes)                 api_keys.py
  .models        Models           models, lineage, re-embedding         models.py
  .privacy       PrivacyLedgers   privacy ledger, compare-and-set       privacy.py
schema.py (tables)   migrations/ (Alembic: owns the schema, runs on open)
```

Nothing here is readable on its own: document ids are keyed hashes (``doc_uid``), document
metadata is sealed under the document's data key, data keys are wrapped by the tenant key, subject
tags are keyed hashes. Only what selection needs is clear: classification, expiry, hold, counts.
Every repository method is one transaction; where one write spans concerns (committing an ingest,
forgetting documents, purging a tenant) it stays one method and one transaction. PostgreSQL runs
at READ COMMITTED: the read-modify-write transactions (privacy ledger, re-embed completion) lock
their row with ``SELECT ... FOR UPDATE``, upserts are ``INSERT ... ON CONFLICT``, and every other
write is a single statement or guarded by a key, so two replicas racing get one winner and one
``Conflict``, never a lost update. Rows are built from result rows by column name.
"""

from __future__ import annotations

from pathlib import Path

from privrag.catalog._db import Database
from privrag.catalog.api_keys import ApiKeyRow, ApiKeys
from privrag.catalog.documents import Documents
from privrag.catalog.journal import Journal, JournalEntry, Operation
from privrag.catalog.models import ModelRow, Models, ReembedJob
from privrag.catalog.offboarding import Offboarding, Offboardings
from privrag.catalog.privacy import PrivacyLedgers
from privrag.catalog.rows import DocumentRow
from privrag.catalog.tenants import Tenants

__all__ = [
    "ApiKeyRow",
    "Catalog",
    "DocumentRow",
    "JournalEntry",
    "ModelRow",
    "Offboarding",
    "Operation",
    "ReembedJob",
]


class Catalog:
    """``target``: a path (a SQLite file, created with its folder) or a SQLAlchemy URL
    (``sqlite:///...`` or ``postgresql+psycopg://...``); ``password`` fills in the URL's
    password when it comes from a secret file rather than the URL."""

    def __init__(self, target: Path | str, *, password: str | None = None) -> None:
        self._db = Database(target, password=password)
        self.tenants = Tenants(self._db)
        self.documents = Documents(self._db)
        self.journal = Journal(self._db)
        self.offboarding = Offboardings(self._db)
        self.api_keys = ApiKeys(self._db)
        self.models = Models(self._db)
        self.privacy = PrivacyLedgers(self._db)

    @property
    def owner(self) -> str:
        """This process's id on the journal and operation rows it owes."""
        return self._db.owner

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return "sqlite" if self._db.sqlite else "postgresql"

    def close(self) -> None:
        self._db.close()
