"""What counts as PII for a tenant: an entity set and an operator, as a JSON-serialisable value.

The default set is personal data (people, contact details, identifiers, financial numbers,
secrets, precise addresses, dates of birth). Generic dates, numbers, organisations, places and
nationalities are known types but kept unless a tenant adds them, because redacting them costs
retrieval quality without protecting anyone. ``digest()`` is stable across processes so it can be
recorded next to scrubbed data.

A policy may also carry the tenant's own recognizers as data, in the shape of Presidio's
recognizer config (``{"name", "supported_entity", "patterns": [{"name", "regex", "score"}],
"deny_list", "context"}``), so a team that already has Presidio recognizers brings them along;
their entity types are detected (and replaced) in addition to ``entities``.
"""

from __future__ import annotations

import hashlib
import json
import re
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


_ENTITY_NAME = re.compile(r"^[A-Z][A-Z0-9_]{1,40}[A-Z0-9]$")
_RECOGNIZER_KEYS = frozenset(
    {"name", "supported_entity", "supported_language", "patterns", "deny_list", "context",
     "deny_list_score", "version"}
)  # fmt: skip


def _check_recognizer(config: Any) -> str:
    """The canonical JSON of one recognizer config, checked enough to fail at load time."""
    if not isinstance(config, Mapping):
        raise ConfigError("each PII recognizer must be an object")
    extra = set(config) - _RECOGNIZER_KEYS
    if extra:
        raise ConfigError(f"unknown PII recognizer keys: {sorted(extra)}")
    entity = config.get("supported_entity")
    if not isinstance(entity, str) or not _ENTITY_NAME.match(entity):
        raise ConfigError("a PII recognizer needs 'supported_entity' in UPPER_SNAKE_CASE")
    if not isinstance(config.get("name"), str):
        raise ConfigError("a PII recognizer needs a 'name'")
    patterns = config.get("patterns") or []
    deny = config.get("deny_list") or []
    if not patterns and not deny:
        raise ConfigError(f"PII recognizer {config['name']!r} needs 'patterns' or 'deny_list'")
    for pattern in patterns:
        if not isinstance(pattern, Mapping) or not isinstance(pattern.get("regex"), str):
            raise ConfigError("each recognizer pattern needs a 'regex'")
        score = pattern.get("score", 0.5)
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            raise ConfigError("a recognizer pattern's 'score' is a number in [0, 1]")
        try:
            re.compile(pattern["regex"])
        except re.error as exc:
            raise ConfigError(f"recognizer pattern {pattern.get('name')!r}: {exc}") from exc
    if not all(isinstance(w, str) and w for w in deny):
        raise ConfigError("a recognizer's 'deny_list' is a list of non-empty strings")
    return json.dumps(dict(config), sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class PiiPolicy:
    entities: frozenset[str] = field(default=DEFAULT_ENTITIES)
    operator: Operator = "placeholder"
    # Presidio recognizer configs as canonical JSON strings, so the policy stays hashable.
    recognizers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Accept any iterable of names from callers, store a frozenset so the policy hashes.
        object.__setattr__(self, "entities", frozenset(self.entities))
        object.__setattr__(
            self,
            "recognizers",
            tuple(_check_recognizer(json.loads(r) if isinstance(r, str) else r)
                  for r in self.recognizers),
        )  # fmt: skip
        unknown = self.entities - ALL_ENTITIES - self.custom_entities
        if unknown:
            raise ConfigError(f"unknown PII entity types: {sorted(unknown)}")
        if self.operator not in OPERATORS:
            raise ConfigError(
                f"unknown PII operator {self.operator!r}; use one of {sorted(OPERATORS)}"
            )

    @property
    def custom_entities(self) -> frozenset[str]:
        return frozenset(json.loads(r)["supported_entity"] for r in self.recognizers)

    @property
    def active_entities(self) -> frozenset[str]:
        """What gets detected and replaced: the entity set plus the tenant recognizers' types."""
        return self.entities | self.custom_entities

    def recognizer_configs(self) -> list[dict[str, Any]]:
        return [json.loads(r) for r in self.recognizers]

    def with_entities(
        self, *, add: frozenset[str] = frozenset(), drop: frozenset[str] = frozenset()
    ) -> PiiPolicy:
        return PiiPolicy(
            entities=(self.entities | add) - drop,
            operator=self.operator,
            recognizers=self.recognizers,
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"entities": sorted(self.entities), "operator": self.operator}
        if self.recognizers:
            data["recognizers"] = self.recognizer_configs()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PiiPolicy:
        try:
            entities = data.get("entities", sorted(DEFAULT_ENTITIES))
            operator = data.get("operator", "placeholder")
            if isinstance(entities, str) or not all(isinstance(e, str) for e in entities):
                raise ConfigError("PII policy 'entities' must be a list of type names")
            if not isinstance(operator, str):
                raise ConfigError("PII policy 'operator' must be a string")
            recognizers = data.get("recognizers", [])
            if not isinstance(recognizers, list):
                raise ConfigError("PII policy 'recognizers' must be a list of recognizer configs")
        except (AttributeError, TypeError) as exc:
            raise ConfigError(f"PII policy must be a mapping: {exc}") from exc
        extra = set(data) - {"entities", "operator", "recognizers"}
        if extra:
            raise ConfigError(f"unknown PII policy keys: {sorted(extra)}")
        return cls(
            entities=frozenset(entities),
            operator=cast(Operator, operator),
            recognizers=tuple(_check_recognizer(r) for r in recognizers),
        )

    def digest(self) -> str:
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
