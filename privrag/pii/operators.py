"""Replacement as presidio-anonymizer operators: typed placeholders, keyed pseudonyms, keyed
hashes, and reversible pseudonyms restored through Presidio's deanonymize path.

Every token has the shape ``<TYPE>`` or ``<TYPE_hex>``, matched by ``TOKEN_RE``; the scrubber
masks such tokens before analysis, so a second pass never treats a token as PII (idempotence).
Pseudonyms and hashes are keyed with the tenant's key, so the same value maps to the same token
within a tenant and to unrelated tokens across tenants. ``anonymize`` replaces exactly the
entities it is given (they never overlap); ``restore`` puts reversible originals back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from presidio_anonymizer import AnonymizerEngine, DeanonymizeEngine
from presidio_anonymizer.entities import (
    ConflictResolutionStrategy,
    InvalidParamError,
    OperatorConfig,
    OperatorResult,
    RecognizerResult,
)
from presidio_anonymizer.operators import Operator, OperatorType

from privrag.errors import InvalidInput
from privrag.pii.normalize import normalize
from privrag.pii.policy import Operator as OperatorName
from privrag.pii.types import KeyedHash

TOKEN_RE = re.compile(r"<[A-Z][A-Z_]*[A-Z](?:_[0-9a-f]{8,64})?>")

PSEUDONYM_PURPOSE = "pseudonym"
HASH_PURPOSE = "pii-hash"
# 8 hex chars (32 bits) keep pseudonym collisions rare within a tenant's population of subjects.
PSEUDONYM_HEX_CHARS = 8
HASH_HEX_CHARS = 32


def replacement(
    operator: OperatorName, entity_type: str, value: str, keyed_hash: KeyedHash | None
) -> str:
    if operator == "placeholder":
        return f"<{entity_type}>"
    if keyed_hash is None:
        raise InvalidInput(f"the {operator!r} PII operator needs the tenant's keyed hash")
    payload = f"{entity_type}:{normalize(entity_type, value)}".encode()
    if operator == "hash":
        digest = keyed_hash(HASH_PURPOSE, payload).hex()[:HASH_HEX_CHARS]
    else:
        digest = keyed_hash(PSEUDONYM_PURPOSE, payload).hex()[:PSEUDONYM_HEX_CHARS]
    return f"<{entity_type}_{digest}>"


class _Token(Operator):
    """One privrag operator mode as a Presidio anonymize operator."""

    mode: OperatorName = "placeholder"

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        assert params is not None
        return replacement(self.mode, params["entity_type"], text, params.get("keyed_hash"))

    def validate(self, params: dict[str, Any] | None = None) -> None:
        if self.mode != "placeholder" and not callable((params or {}).get("keyed_hash")):
            raise InvalidParamError(f"the {self.mode!r} operator needs a keyed_hash callable")

    def operator_name(self) -> str:
        return f"privrag_{self.mode}"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize


class Placeholder(_Token):
    mode = "placeholder"


class Pseudonym(_Token):
    mode = "pseudonym"


class KeyedDigest(_Token):
    mode = "hash"


class Reversible(_Token):
    """A keyed pseudonym whose original the caller keeps (sealed) for ``restore``."""

    mode = "reversible"


class Restore(Operator):
    """Deanonymize operator: a reversible token back to its original value."""

    def operate(self, text: str, params: dict[str, Any] | None = None) -> str:
        originals: Mapping[str, str] = (params or {})["originals"]
        return originals.get(text, text)

    def validate(self, params: dict[str, Any] | None = None) -> None:
        if not isinstance((params or {}).get("originals"), Mapping):
            raise InvalidParamError("restore needs an 'originals' mapping")

    def operator_name(self) -> str:
        return "privrag_restore"

    def operator_type(self) -> OperatorType:
        return OperatorType.Deanonymize


_MODES = {cls.mode: cls for cls in (Placeholder, Pseudonym, KeyedDigest, Reversible)}


def anonymizer() -> AnonymizerEngine:
    engine = AnonymizerEngine()
    for cls in _MODES.values():
        engine.add_anonymizer(cls)
    return engine


def deanonymizer() -> DeanonymizeEngine:
    engine = DeanonymizeEngine()
    engine.add_deanonymizer(Restore)
    return engine


def operator_configs(
    mode: OperatorName, entities: Iterable[str], keyed_hash: KeyedHash | None
) -> dict[str, OperatorConfig]:
    """One ``OperatorConfig`` per entity type (and a DEFAULT), all in the policy's mode."""
    params: dict[str, Any] = {} if keyed_hash is None else {"keyed_hash": keyed_hash}
    name = f"privrag_{_MODES[mode].mode}"
    configs = {entity: OperatorConfig(name, params) for entity in entities}
    configs["DEFAULT"] = OperatorConfig(name, params)
    return configs


def anonymize(
    engine: AnonymizerEngine,
    text: str,
    entities: list[Any],
    operators: dict[str, OperatorConfig],
) -> tuple[str, list[tuple[int, int, str]]]:
    """The anonymized text and, per entity in order, its token's (start, end, token) there.
    ``entities`` are presidio-analyzer ``RecognizerResult``s (the anonymizer reads the same
    fields from its own class of that name)."""
    result = engine.anonymize(
        text=text,
        analyzer_results=[
            RecognizerResult(e.entity_type, e.start, e.end, e.score) for e in entities
        ],
        operators=operators,
        conflict_resolution=ConflictResolutionStrategy.REMOVE_INTERSECTIONS,
        merge_entities_with_spaces=False,
    )
    items = sorted(result.items, key=lambda item: item.start)
    return result.text, [(item.start, item.end, item.text) for item in items]


def restore(text: str, originals: Mapping[str, str]) -> str:
    """Text with every reversible token in ``originals`` replaced by its original value."""
    found = [
        OperatorResult(m.start(), m.end(), m.group()[1:-1].rsplit("_", 1)[0], m.group(), "")
        for m in TOKEN_RE.finditer(text)
        if m.group() in originals
    ]
    if not found:
        return text
    configs = {"DEFAULT": OperatorConfig("privrag_restore", {"originals": dict(originals)})}
    return str(deanonymizer().deanonymize(text=text, entities=found, operators=configs).text)
