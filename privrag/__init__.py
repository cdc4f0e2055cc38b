"""privrag: a privacy-preserving, tenant-isolated RAG store.

The public names are re-exported here. The service pulls in torch, spaCy and Qdrant, so it is
imported on first use rather than with the package (the CLI's ``--help`` stays fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from privrag.config import Settings, load_settings
from privrag.errors import (
    AccessDenied,
    BudgetExhausted,
    ConfigError,
    Conflict,
    DataDirLocked,
    InvalidInput,
    KeyUnavailable,
    NotFound,
    PrivragError,
    StoreUnavailable,
    TenantNotFound,
)
from privrag.models import Document, Hit, IngestReport, Provenance, Tenant, TrainingRecord

if TYPE_CHECKING:
    from privrag.service import DocumentInfo, PrivRAG, QueryResult

__all__ = [
    "AccessDenied",
    "BudgetExhausted",
    "ConfigError",
    "Conflict",
    "DataDirLocked",
    "Document",
    "DocumentInfo",
    "Hit",
    "IngestReport",
    "InvalidInput",
    "KeyUnavailable",
    "NotFound",
    "PrivRAG",
    "PrivragError",
    "Provenance",
    "QueryResult",
    "Settings",
    "StoreUnavailable",
    "Tenant",
    "TenantNotFound",
    "TrainingRecord",
    "load_settings",
]

_LAZY = {"PrivRAG", "QueryResult", "DocumentInfo"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from privrag import service

        return getattr(service, name)
    raise AttributeError(f"module 'privrag' has no attribute {name!r}")
