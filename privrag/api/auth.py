"""The one place a request becomes a tenant: a typed FastAPI dependency per scope.

``require("query")`` resolves the bearer key to (tenant, key id, scopes), charges the rate
limits, checks the scope and hands the handler a ``TenantCredential``. Handlers pass
``credential.tenant`` to the service and never look at a tenant named anywhere else, so no
handler repeats an ownership check. Operator routes use ``OperatorAuth`` instead.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from privrag.access import ENV_OPERATOR_ID, Principal
from privrag.api.state import gateway, request_info
from privrag.errors import AccessDenied, Unauthenticated
from privrag.models import Tenant

bearer = HTTPBearer(auto_error=False, description="API key: `Authorization: Bearer <key>`")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


class MissingScope(AccessDenied):
    code = "insufficient_scope"


class OperatorOnly(AccessDenied):
    code = "operator_only"


@dataclass(frozen=True)
class TenantCredential:
    tenant: str
    key_id: str
    scopes: frozenset[str]
    tenant_id: str
    # The tenant row read with the key in this request (status checked): the query path uses
    # it instead of reading the tenant again.
    record: Tenant


@dataclass(frozen=True)
class OperatorCredential:
    operator_id: str


def _authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    gw = gateway(request)
    info = request_info(request)
    # Behind a proxy every caller shares the proxy's address: one flood throttles them all.
    client = request.client.host if request.client else "unknown"
    gw.limits.check_auth_throttle(client)
    try:
        principal = gw.access.authenticate(credentials.credentials if credentials else None)
    except Unauthenticated:
        gw.limits.auth_failed(client)
        raise
    info.key_id = principal.key_id
    if principal.tenant is not None:
        info.tenant = principal.tenant.name
    gw.limits.admit(principal.key_id, principal.tenant.id if principal.tenant else None)
    gw.monitor.admit(principal.key_id)
    return principal


def require(scope: str) -> Callable[..., TenantCredential]:
    def dependency(request: Request, credentials: BearerCredentials) -> TenantCredential:
        principal = _authenticate(request, credentials)
        if principal.tenant is None:
            raise AccessDenied("operator keys cannot act on documents; use a tenant key")
        if scope not in principal.scopes:
            raise MissingScope(f"this key lacks the {scope!r} scope")
        return TenantCredential(
            principal.tenant.name,
            principal.key_id,
            principal.scopes,
            principal.tenant.id,
            principal.tenant,
        )

    return dependency


def require_operator(request: Request, credentials: BearerCredentials) -> OperatorCredential:
    principal = _authenticate(request, credentials)
    if not principal.is_operator:
        raise OperatorOnly("this route needs the operator credential")
    return OperatorCredential(principal.key_id)


def require_named_operator(request: Request, credentials: BearerCredentials) -> OperatorCredential:
    """A two-person action: the shared env operator key is nobody in particular, so it may
    neither request nor approve."""
    operator = require_operator(request, credentials)
    if operator.operator_id == ENV_OPERATOR_ID:
        raise OperatorOnly(
            "the shared PRIVRAG_OPERATOR_KEY cannot take part in a two-person action; use a "
            "named operator key (privrag operator-key create --label NAME)"
        )
    return operator


def require_metrics_reader(request: Request, credentials: BearerCredentials) -> None:
    """``/metrics``: public only when configured so; else the metrics token or an operator."""
    settings = gateway(request).settings
    if settings.metrics_public:
        return
    token = settings.metrics_token
    presented = credentials.credentials if credentials else ""
    if token is not None and hmac.compare_digest(
        presented.encode(), token.get_secret_value().encode()
    ):
        return
    require_operator(request, credentials)


IngestAuth = Annotated[TenantCredential, Depends(require("ingest"))]
QueryAuth = Annotated[TenantCredential, Depends(require("query"))]
DeleteAuth = Annotated[TenantCredential, Depends(require("delete"))]
OperatorAuth = Annotated[OperatorCredential, Depends(require_operator)]
NamedOperatorAuth = Annotated[OperatorCredential, Depends(require_named_operator)]
MetricsAuth = Annotated[None, Depends(require_metrics_reader)]
