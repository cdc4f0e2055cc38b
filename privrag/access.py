"""API credentials: tenant keys and operator keys, stored only as hashes.

A key is ``prk_<key_id>_<secret>`` with a 256-bit random secret; the catalog keeps the key id, a
SHA-256 of the whole key (a 256-bit secret needs no slow hash), its tenant (tenant keys) or none
(operator keys), its scopes and its created/revoked times. Every authentication reads the catalog,
so revocation and suspension take effect on the very next request. A tenant key is bound to
exactly one tenant; the tenant is taken from the key and nowhere else. Operators have key ids
too, so actions that need two different operators can tell them apart; an operator key minted
over the API records the key that minted it (``created_by``), one made on the host (CLI) records
none and is a root. The operator key given in ``PRIVRAG_OPERATOR_KEY`` is the shared deployment
identity ``op-env``: it cannot be revoked over the API, and it takes no part in a two-person
action (offboarding needs two *named* operator keys). Who may revoke whom: any operator may
revoke any tenant key, and an operator key only itself; another operator's key is revoked on the
host (``privrag operator-key revoke``), by whoever holds the data dir.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from privrag.catalog import ApiKeyRow, Catalog
from privrag.errors import (
    AccessDenied,
    InvalidInput,
    NotFound,
    TenantSuspended,
    Unauthenticated,
)
from privrag.models import Tenant

TENANT_SCOPES = ("delete", "ingest", "query")
# Reserved for operator credentials; a tenant key can never carry it.
ADMIN_SCOPE = "admin"
ENV_OPERATOR_ID = "op-env"
_PREFIX = "prk"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a tenant key (``tenant`` set) or an operator (``tenant`` None)."""

    key_id: str
    kind: str
    scopes: frozenset[str]
    tenant: Tenant | None = None

    @property
    def is_operator(self) -> bool:
        return self.kind == "operator"


@dataclass(frozen=True)
class IssuedKey:
    """A freshly created key; ``key`` is shown once and never stored."""

    key_id: str
    key: str
    scopes: tuple[str, ...]
    kind: str
    tenant: str | None = None


@dataclass(frozen=True)
class RevokedKey:
    """What a revocation touched, for the audit line."""

    key_id: str
    kind: str
    tenant: str | None = None


def _digest(key: str) -> bytes:
    return hashlib.sha256(b"privrag/api-key/v1\x00" + key.encode()).digest()


def _new_key(id_prefix: str) -> tuple[str, str]:
    key_id = id_prefix + secrets.token_hex(8)
    return key_id, f"{_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


class Access:
    def __init__(
        self,
        catalog: Catalog,
        *,
        clock: Callable[[], float],
        operator_key: str | None = None,
    ) -> None:
        self._catalog = catalog
        self._clock = clock
        self._env_operator = _digest(operator_key) if operator_key else None

    def issue_tenant_key(self, tenant: Tenant, scopes: Iterable[str]) -> IssuedKey:
        wanted = tuple(sorted(set(scopes)))
        if not wanted:
            raise InvalidInput("a key needs at least one scope")
        unknown = [s for s in wanted if s not in TENANT_SCOPES]
        if unknown:
            raise InvalidInput(f"scopes must be among {', '.join(TENANT_SCOPES)}")
        key_id, key = _new_key("k")
        self._store(key_id, key, "tenant", tenant.id, wanted, label="")
        return IssuedKey(key_id=key_id, key=key, scopes=wanted, kind="tenant", tenant=tenant.name)

    def issue_operator_key(self, label: str = "", *, created_by: str | None = None) -> IssuedKey:
        """``created_by``: the operator key id minting it over the API; None on the host."""
        key_id, key = _new_key("op")
        self._store(
            key_id, key, "operator", None, (ADMIN_SCOPE,), label=label[:200], created_by=created_by
        )
        return IssuedKey(key_id=key_id, key=key, scopes=(ADMIN_SCOPE,), kind="operator")

    def _store(
        self,
        key_id: str,
        key: str,
        kind: str,
        tenant_id: str | None,
        scopes: tuple[str, ...],
        *,
        label: str,
        created_by: str | None = None,
    ) -> None:
        self._catalog.api_keys.add(
            ApiKeyRow(
                key_id=key_id,
                key_hash=_digest(key),
                kind=kind,
                tenant_id=tenant_id,
                scopes=frozenset(scopes),
                label=label,
                created_at=int(self._clock()),
                revoked_at=None,
                created_by=created_by,
            )
        )

    def list_keys(self, tenant_id: str | None) -> list[ApiKeyRow]:
        """Key rows (hashes never leave this module's callers): a tenant's, or every key."""
        return self._catalog.api_keys.list(tenant_id)

    def revoke(self, key_id: str, *, by: str | None = None) -> RevokedKey:
        """Revoke a live key. ``by`` (the operator key id acting over the API) may revoke any
        tenant key and its own key, not another operator's; None is the host (CLI)."""
        row = self._catalog.api_keys.get(key_id) if isinstance(key_id, str) else None
        if row is None or row.revoked_at is not None:
            raise NotFound("no such live key")
        if by is not None and row.kind == "operator" and row.key_id != by:
            raise AccessDenied(
                "an operator key can only revoke itself over the API; revoke another operator's "
                "key on the host with privrag operator-key revoke"
            )
        if not self._catalog.api_keys.revoke(key_id, int(self._clock())):
            raise NotFound("no such live key")
        tenant = self._catalog.tenants.by_id(row.tenant_id) if row.tenant_id else None
        return RevokedKey(row.key_id, row.kind, tenant.name if tenant else None)

    def authenticate(self, presented: str | None) -> Principal:
        """Resolve a presented key; every failure reads the same so nothing can be probed."""
        if not presented:
            raise Unauthenticated("missing or invalid API key")
        digest = _digest(presented)
        if self._env_operator is not None and hmac.compare_digest(digest, self._env_operator):
            return Principal(ENV_OPERATOR_ID, "operator", frozenset({ADMIN_SCOPE}))
        parts = presented.split("_", 2)
        if len(parts) != 3 or parts[0] != _PREFIX or not parts[1].isalnum():
            raise Unauthenticated("missing or invalid API key")
        found = self._catalog.api_keys.resolve(parts[1])
        if found is None:
            raise Unauthenticated("missing or invalid API key")
        row, tenant = found
        if row.revoked_at is not None or not hmac.compare_digest(digest, row.key_hash):
            raise Unauthenticated("missing or invalid API key")
        if row.kind == "operator":
            return Principal(row.key_id, "operator", row.scopes)
        if tenant is None:
            raise Unauthenticated("missing or invalid API key")
        if tenant.status != "active":
            raise TenantSuspended("this tenant is suspended")
        return Principal(row.key_id, "tenant", row.scopes, tenant)
