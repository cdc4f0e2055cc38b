"""The one place a request becomes a tenant: a typed FastAPI dependency per scope.

``require("query")`` resolves the bearer key to (tenant, key id, scopes), charges the rate
limits, checks the scope and hands the handler a ``TenantCredential``. Handlers pass
``credential.tenant`` to the service and never look at a tenant named anywhere else, so no
handler repeats an ownership check. Operator routes use ``OperatorAuth`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from privrag.access import Principal
from privrag.api.state import gateway, request_info
from privrag.errors import AccessDenied

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


@dataclass(frozen=True)
class OperatorCredential:
    operator_id: str


def _authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    gw = gateway(request)
    info = request_info(request)
    principal = gw.access.authenticate(credentials.credentials if credentials else None)
    info.key_id = principal.key_id
    if principal.tenant is not None:
        info.tenant = principal.tenant.name
    gw.limits.admit(principal.key_id, principal.tenant.id if principal.tenant else None)
    return principal


def require(scope: str) -> Callable[..., TenantCredential]:
    def dependency(request: Request, credentials: BearerCredentials) -> TenantCredential:
        principal = _authenticate(request, credentials)
        if principal.tenant is None:
            raise AccessDenied("operator keys cannot act on documents; use a tenant key")
        if scope not in principal.scopes:
            raise MissingScope(f"this key lacks the {scope!r} scope")
        return TenantCredential(principal.tenant.name, principal.key_id, principal.scopes)

    return dependency


def require_operator(request: Request, credentials: BearerCredentials) -> OperatorCredential:
    principal = _authenticate(request, credentials)
    if not principal.is_operator:
        raise OperatorOnly("this route needs the operator credential")
    return OperatorCredential(principal.key_id)


IngestAuth = Annotated[TenantCredential, Depends(require("ingest"))]
QueryAuth = Annotated[TenantCredential, Depends(require("query"))]
DeleteAuth = Annotated[TenantCredential, Depends(require("delete"))]
OperatorAuth = Annotated[OperatorCredential, Depends(require_operator)]
