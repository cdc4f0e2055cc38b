"""What the app holds (one PrivRAG, keys, audit log, limits, metrics, the runtime monitor) and what a request
collects on its way through (ids for the audit line, never text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request

from privrag.access import Access
from privrag.api.limits import Limits
from privrag.api.metrics import Metrics
from privrag.audit import AuditLog
from privrag.config import Settings
from privrag.monitoring import Monitor
from privrag.service.jobs import Jobs

if TYPE_CHECKING:
    # Imported for typing only, so importing the API does not load torch, spaCy and Qdrant.
    from privrag.service import PrivRAG


@dataclass
class Gateway:
    settings: Settings
    rag: PrivRAG
    access: Access
    audit: AuditLog
    limits: Limits
    metrics: Metrics
    monitor: Monitor
    jobs: Jobs = field(default_factory=Jobs)


@dataclass
class RequestInfo:
    request_id: str
    tenant: str | None = None
    key_id: str | None = None
    code: str | None = None
    chunk_ids: list[str] = field(default_factory=list)
    model: str | None = None
    query_hash: str | None = None
    documents: int | None = None
    unreadable: int = 0
    # What an operator action touched: tenant, doc_uid (never the id), key_id, request_id.
    target: dict[str, str] = field(default_factory=dict)

    def touched(self, *, tenant: str | None = None, **ids: str | None) -> None:
        """Record the target of an operator action; the audit line names it."""
        if tenant is not None:
            self.tenant = tenant
            self.target["tenant"] = tenant
        self.target.update({name: value for name, value in ids.items() if value is not None})


def gateway(request: Request) -> Gateway:
    gw: Gateway = request.app.state.gateway
    return gw


def request_info(request: Request) -> RequestInfo:
    info: RequestInfo = request.state.privrag
    return info
