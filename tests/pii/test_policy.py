"""PiiPolicy is a per-tenant value: validated, JSON-round-trippable, with a stable digest."""

from __future__ import annotations

import json

import pytest

from privrag.errors import ConfigError
from privrag.pii import DEFAULT_ENTITIES, PiiPolicy


def test_default_policy_covers_personal_data_not_generic_entities() -> None:
    policy = PiiPolicy()
    assert {
        "PERSON",
        "EMAIL_ADDRESS",
        "SECRET",
        "STREET_ADDRESS",
        "DATE_OF_BIRTH",
    } <= policy.entities
    assert not {"DATE_TIME", "ORGANIZATION", "LOCATION", "NRP"} & policy.entities
    assert policy.operator == "placeholder"


def test_round_trips_through_json() -> None:
    policy = PiiPolicy(entities=DEFAULT_ENTITIES | {"ORGANIZATION"}, operator="pseudonym")
    restored = PiiPolicy.from_dict(json.loads(json.dumps(policy.to_dict())))
    assert restored == policy
    assert restored.digest() == policy.digest()


def test_digest_changes_with_the_policy() -> None:
    assert PiiPolicy().digest() != PiiPolicy(operator="hash").digest()
    assert (
        PiiPolicy().digest()
        != PiiPolicy().with_entities(drop=frozenset({"URL", "PERSON"})).digest()
    )


@pytest.mark.parametrize(
    "data",
    [
        {"entities": ["PERSON", "SHOE_SIZE"]},
        {"operator": "redact-ish"},
        {"entities": "PERSON"},
        {"entities": ["PERSON"], "extra": 1},
    ],
)
def test_invalid_policies_are_config_errors(data: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        PiiPolicy.from_dict(data)
