"""The privacy ledger's persistence: one serialized ledger per tenant, changed atomically.

The accounting itself (composition of DP events, the budget check) is pure math that lives with
training; what lives here is the rule that makes a charge count: every change is a
read-modify-write under compare-and-set, so two concurrent charges of one tenant cannot both
pass, and a change that raises (over budget, refused plan) writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from privrag.errors import Conflict
from privrag.models import Tenant

if TYPE_CHECKING:
    from privrag.runtime import Runtime

LedgerState = dict[str, Any]
ATTEMPTS = 5


class PrivacyLedgers:
    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime

    def read(self, tenant: Tenant) -> LedgerState | None:
        """The tenant's ledger as last saved (None: never charged)."""
        found = self._rt.catalog.privacy.load(tenant.id)
        return found[0] if found is not None else None

    def update(
        self, tenant: Tenant, change: Callable[[LedgerState | None], LedgerState]
    ) -> LedgerState:
        """Apply ``change`` to the current state and save the result, retried if another
        writer got there first; whatever ``change`` raises propagates with nothing written."""
        for _ in range(ATTEMPTS):
            found = self._rt.catalog.privacy.load(tenant.id)
            state, revision = found if found is not None else (None, 0)
            updated = change(state)
            try:
                self._rt.catalog.privacy.save(tenant.id, updated, revision)
            except Conflict:
                continue
            return updated
        raise Conflict("the privacy ledger kept changing under concurrent writers; try again")
