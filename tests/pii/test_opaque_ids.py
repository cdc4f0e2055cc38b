"""UUIDs and hex digests are opaque: no number is read out of part of one, so a client that names
documents by UUID (LangChain's default) is never refused at random, while a labelled token, a
secret, and real PII beside an id are still found."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privrag.pii import Scrubber
from privrag.pii.detectors import Candidate
from privrag.pii.opaque_ids import drop_inside_opaque_ids

# Found by scrubbing random UUIDs before the fix: the cards in 40,000, the accounts in 100,000
# once the card pattern alone was narrowed (a uuid4 like these failed a CI run as a document id).
ONCE_DETECTED = [
    "24540641-9229-4e11-aabe-f9aedfc9eb5e",  # CREDIT_CARD: "24540641-9229-4" passes Luhn
    "14754369-7795-4864-803b-94f03abae420",  # CREDIT_CARD over three groups
    "fa62cd61-aba4-4016-8e19-163001db7f5f",  # BANK_ACCOUNT: "aba" read as the routing cue
    "7352372808244a1e99c6ca4b4005a705",  # CREDIT_CARD in a bare 32-digit hex id
    "aba4577222c3407083bb5eec6fd5e819",  # BANK_ACCOUNT in a bare hex id
]


@pytest.mark.parametrize("opaque", ONCE_DETECTED)
def test_a_number_inside_an_opaque_id_is_not_pii(scrubber: Scrubber, opaque: str) -> None:
    for text in (opaque, f"see ticket {opaque} for details", opaque.upper()):
        assert scrubber.scrub(text).entities == ()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.uuids())
def test_no_uuid_is_taken_for_pii(scrubber: Scrubber, value: uuid.UUID) -> None:
    results = scrubber.scrub_batch([str(value), value.hex])
    assert [r.entities for r in results] == [(), ()]


def test_pii_beside_an_opaque_id_is_still_found(scrubber: Scrubber) -> None:
    text = f"order {ONCE_DETECTED[0]} paid with card 4111 1111 1111 1111, call +44 20 7946 0958"
    assert scrubber.scrub(text).entity_counts() == {"CREDIT_CARD": 1, "PHONE_NUMBER": 1}


def test_a_labelled_whole_token_is_still_replaced(scrubber: Scrubber) -> None:
    # The label says what the value is (fail closed), whatever its shape.
    result = scrubber.scrub(f"Card number: {ONCE_DETECTED[0]}")
    assert result.text == "Card number: <CREDIT_CARD>"


def test_only_hex_with_a_letter_is_opaque() -> None:
    # 32 decimal digits may be numbers run together: a detection inside them stays.
    inside = Candidate("BANK_ACCOUNT", 4, 16, 0.8, "test")
    assert drop_inside_opaque_ids("1234567890123456789012345678901a", [inside]) == []
    assert drop_inside_opaque_ids("12345678901234567890123456789012", [inside]) == [inside]
    secret = Candidate("SECRET", 4, 16, 0.8, "test")
    assert drop_inside_opaque_ids("1234567890123456789012345678901a", [secret]) == [secret]
