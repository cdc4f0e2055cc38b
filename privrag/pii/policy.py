"""What counts as PII for a tenant: an entity set and an operator, as a JSON-serialisable value.

The default set is personal data (people, contact details, identifiers, financial numbers,
secrets, precise addresses, dates of birth). Generic dates, numbers, organisations, places and
nationalities are known types but kept unless a tenant adds them, because redacting them costs
retrieval quality without protecting anyone. ``digest()`` is stable across processes so it can be
recorded next to scrubbed data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast, get_args

from privrag.errors import ConfigError

Operator = Literal["placeholder", "pseudonym", "hash", "reversible"]
OPERATORS: frozenset[str] = frozenset(get_args(Operator))

DEFAULT_ENTITIES: frozenset[str] = frozenset(
    {
        "PERSON",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "STREET_ADDRESS",
        "DATE_OF_BIRTH",
        "CREDIT_CARD",
        "IBAN_CODE",
        "BANK_ACCOUNT",
        "US_SSN",
        "UK_NINO",
        "NATIONAL_ID",
        "PASSPORT",
        "DRIVER_LICENSE",
        "IP_ADDRESS",
        "SECRET",
    }
)

# Known to the recognizers but off by default: tenants may opt in.
OPTIONAL_ENTITIES: frozenset[str] = frozenset(
    {"DATE_TIME", "NRP", "LOCATION", "ORGANIZATION", "URL", "MAC_ADDRESS"}
)

ALL_ENTITIES: frozenset[str] = DEFAULT_ENTITIES | OPTIONAL_ENTITIES


@dataclass(frozen=True)
class PiiPolicy:
    entities: frozenset[str] = field(default=DEFAULT_ENTITIES)
    operator: Operator = "placeholder"

    def __post_init__(self) -> None:
        # Accept any iterable of names from callers, store a frozenset so the policy hashes.
        object.__setattr__(self, "entities", frozenset(self.entities))
        unknown = self.entities - ALL_ENTITIES
        if unknown:
            raise ConfigError(f"unknown PII entity types: {sorted(unknown)}")
        if self.operator not in OPERATORS:
            raise ConfigError(
                f"unknown PII operator {self.operator!r}; use one of {sorted(OPERATORS)}"
            )

    def with_entities(
        self, *, add: frozenset[str] = frozenset(), drop: frozenset[str] = frozenset()
    ) -> PiiPolicy:
        return PiiPolicy(entities=(self.entities | add) - drop, operator=self.operator)

    def to_dict(self) -> dict[str, Any]:
        return {"entities": sorted(self.entities), "operator": self.operator}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PiiPolicy:
        try:
            entities = data.get("entities", sorted(DEFAULT_ENTITIES))
            operator = data.get("operator", "placeholder")
            if isinstance(entities, str) or not all(isinstance(e, str) for e in entities):
                raise ConfigError("PII policy 'entities' must be a list of type names")
            if not isinstance(operator, str):
                raise ConfigError("PII policy 'operator' must be a string")
        except (AttributeError, TypeError) as exc:
            raise ConfigError(f"PII policy must be a mapping: {exc}") from exc
        extra = set(data) - {"entities", "operator"}
        if extra:
            raise ConfigError(f"unknown PII policy keys: {sorted(extra)}")
        return cls(entities=frozenset(entities), operator=cast(Operator, operator))

    def digest(self) -> str:
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
