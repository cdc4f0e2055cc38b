"""The one exception tree of privrag.

Every error a caller can see is a ``PrivragError``; vendor exceptions (qdrant, presidio,
cryptography, torch) are translated where the vendor is called and go no further::

    PrivragError
    ├── InvalidInput            bad request data: empty or binary document, bad id, bad k
    │   └── PayloadTooLarge     a request body over the configured size
    ├── NotFound                no such object *for this tenant* (another tenant's is NotFound too)
    │   └── TenantNotFound
    ├── Conflict                the object exists already (tenant name taken)
    ├── AccessDenied            credential lacks the right (scope, suspended tenant)
    │   ├── Unauthenticated     no credential, or one that is unknown or revoked
    │   └── TenantSuspended     the credential's tenant is suspended (kill switch)
    ├── KeyUnavailable          a key cannot be had: destroyed, wrong master key, tampered ciphertext
    ├── BudgetExhausted         a privacy or retrieval budget would be exceeded
    │   └── RateLimited         a request-rate or retrieval-volume limit; ``retry_after`` seconds
    ├── StoreUnavailable        the vector store or catalog cannot serve (I/O, engine error)
    │   └── DataDirLocked       another process owns this data dir
    └── ConfigError             settings refused at load time (insecure or inconsistent)

``code`` is the stable machine-readable name used by the CLI and the HTTP API.
"""

from __future__ import annotations


class PrivragError(Exception):
    """Root of every error privrag raises on purpose."""

    code = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(PrivragError):
    code = "invalid_input"


class PayloadTooLarge(InvalidInput):
    code = "payload_too_large"


class NotFound(PrivragError):
    code = "not_found"


class TenantNotFound(NotFound):
    code = "tenant_not_found"


class Conflict(PrivragError):
    code = "conflict"


class AccessDenied(PrivragError):
    code = "access_denied"


class Unauthenticated(AccessDenied):
    code = "unauthenticated"


class TenantSuspended(AccessDenied):
    code = "tenant_suspended"


class KeyUnavailable(PrivragError):
    code = "key_unavailable"


class BudgetExhausted(PrivragError):
    code = "budget_exhausted"


class RateLimited(BudgetExhausted):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float, code: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        if code is not None:
            self.code = code


class StoreUnavailable(PrivragError):
    code = "store_unavailable"


class DataDirLocked(StoreUnavailable):
    code = "data_dir_locked"


class ConfigError(PrivragError):
    code = "config_error"
