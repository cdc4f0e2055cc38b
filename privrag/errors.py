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

Each class carries what every edge needs: ``code`` (the stable machine-readable name), ``status``
(the HTTP answer) and ``exit_code`` (the CLI's: 2 invalid input or settings, 3 not found, 4 access
denied, 5 conflict, 7 unavailable or locked, 8 budget exhausted, 1 anything else; 6 is a failed
verification). ``by_code`` maps a code back to its class, which
is how the SDK raises the same class a local call would.
"""

from __future__ import annotations


class PrivragError(Exception):
    """Root of every error privrag raises on purpose."""

    code = "internal"
    status = 500
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(PrivragError):
    code = "invalid_input"
    status = 422
    exit_code = 2


class PayloadTooLarge(InvalidInput):
    code = "payload_too_large"
    status = 413


class NotFound(PrivragError):
    code = "not_found"
    status = 404
    exit_code = 3


class TenantNotFound(NotFound):
    code = "tenant_not_found"


class Conflict(PrivragError):
    code = "conflict"
    status = 409
    exit_code = 5


class AccessDenied(PrivragError):
    code = "access_denied"
    status = 403
    exit_code = 4


class Unauthenticated(AccessDenied):
    code = "unauthenticated"
    status = 401


class TenantSuspended(AccessDenied):
    code = "tenant_suspended"


class KeyUnavailable(PrivragError):
    code = "key_unavailable"


class BudgetExhausted(PrivragError):
    code = "budget_exhausted"
    status = 429
    exit_code = 8


class RateLimited(BudgetExhausted):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float, code: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        if code is not None:
            self.code = code


class StoreUnavailable(PrivragError):
    code = "store_unavailable"
    status = 503
    exit_code = 7


class DataDirLocked(StoreUnavailable):
    code = "data_dir_locked"


class ConfigError(PrivragError):
    code = "config_error"
    exit_code = 2


def _tree(root: type[PrivragError]) -> list[type[PrivragError]]:
    """``root`` and every subclass, parents before children."""
    found = [root]
    for child in root.__subclasses__():
        found.extend(_tree(child))
    return found


def by_code(code: str) -> type[PrivragError] | None:
    """The class whose ``code`` is ``code`` (None if no class has it)."""
    for cls in _tree(PrivragError):
        if cls.code == code:
            return cls
    return None


def by_status(status: int) -> type[PrivragError]:
    """The most general class answered with ``status`` (the root if none is)."""
    for cls in _tree(PrivragError):
        if cls.status == status:
            return cls
    return PrivragError
