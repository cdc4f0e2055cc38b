"""Retention policies: when a document expires.

A document's expiry is decided once, here, for ingest and for policy changes alike: its own
``retention_days`` override, else the tenant's days for its classification, else the tenant
default, else the deployment default; no days at all means it never expires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from privrag.errors import InvalidInput
from privrag.models import CLASSIFICATIONS, NEVER_EXPIRES

DAY = 86_400


@dataclass(frozen=True)
class RetentionPolicy:
    """Days to keep documents, per tenant: a default and per-classification overrides."""

    default_days: int | None = None
    by_class: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        days = [self.default_days, *self.by_class.values()]
        if any(
            d is not None and (isinstance(d, bool) or not isinstance(d, int) or d < 1) for d in days
        ):
            raise InvalidInput("retention days must be positive whole numbers")
        unknown = set(self.by_class) - set(CLASSIFICATIONS)
        if unknown:
            raise InvalidInput(f"unknown classifications in retention policy: {sorted(unknown)}")

    def days_for(self, classification: str) -> int | None:
        return self.by_class.get(classification, self.default_days)

    def to_dict(self) -> dict[str, Any]:
        return {"default_days": self.default_days, "by_class": dict(sorted(self.by_class.items()))}

    @classmethod
    def from_dict(cls, value: dict[str, Any] | None) -> RetentionPolicy:
        value = value or {}
        return cls(
            default_days=value.get("default_days"), by_class=dict(value.get("by_class") or {})
        )


def expires_at(
    *,
    ingested_at: int,
    classification: str,
    override_days: int | None,
    policy: RetentionPolicy,
    default_days: int | None,
) -> int:
    """The expiry instant (``NEVER_EXPIRES`` when no rule gives days)."""
    days = override_days or policy.days_for(classification) or default_days
    return ingested_at + days * DAY if days else NEVER_EXPIRES
