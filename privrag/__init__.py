"""privrag: a privacy-preserving, tenant-isolated RAG store.

The public names are re-exported here. The service pulls in torch, spaCy and Qdrant, so it is
imported on first use rather than with the package (the CLI's ``--help`` stays fast).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
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
    from privrag.client import AsyncClient, Client, Job
    from privrag.service import DocumentInfo, PrivRAG, QueryResult, SweepResult

try:
    __version__ = version("privrag")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "AccessDenied",
    "AsyncClient",
    "BudgetExhausted",
    "Client",
    "ConfigError",
    "Conflict",
    "DataDirLocked",
    "Document",
    "DocumentInfo",
    "Hit",
    "IngestReport",
    "InvalidInput",
    "Job",
    "KeyUnavailable",
    "NotFound",
    "PrivRAG",
    "PrivragError",
    "Provenance",
    "QueryResult",
    "Settings",
    "StoreUnavailable",
    "SweepResult",
    "Tenant",
    "TenantNotFound",
    "TrainingRecord",
    "load_settings",
]

_LAZY = {
    "AsyncClient": "privrag.client",
    "Client": "privrag.client",
    "DocumentInfo": "privrag.service",
    "Job": "privrag.client",
    "PrivRAG": "privrag.service",
    "QueryResult": "privrag.service",
    "SweepResult": "privrag.service",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'privrag' has no attribute {name!r}")
