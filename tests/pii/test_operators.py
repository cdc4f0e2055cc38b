"""Operators: pseudonyms are consistent within a tenant and unlinkable across tenants; hashes and
reversible mode behave as documented; subject tags match erasure-by-subject lookups."""

from __future__ import annotations

import re

import pytest

from privrag.pii import KeyedHash, PiiPolicy, Scrubber, SubjectTag, subject_tag

PSEUDONYM = PiiPolicy(operator="pseudonym")


def test_same_value_gets_the_same_pseudonym_within_a_tenant(
    scrubber: Scrubber, tenant_a: KeyedHash
) -> None:
    one = scrubber.scrub("Mail alice@example.com now", keyed_hash=tenant_a, policy=PSEUDONYM)
    two = scrubber.scrub("Reply to ALICE@example.com ", keyed_hash=tenant_a, policy=PSEUDONYM)
    token = re.search(r"<EMAIL_ADDRESS_[0-9a-f]{8}>", one.text)
    assert token is not None
    assert token.group() in two.text


def test_different_values_get_different_pseudonyms(scrubber: Scrubber, tenant_a: KeyedHash) -> None:
    result = scrubber.scrub(
        "a@example.com and b@example.com", keyed_hash=tenant_a, policy=PSEUDONYM
    )
    tokens = re.findall(r"<EMAIL_ADDRESS_[0-9a-f]{8}>", result.text)
    assert len(set(tokens)) == 2


def test_pseudonyms_and_tags_are_unlinkable_across_tenants(
    scrubber: Scrubber, tenant_a: KeyedHash, tenant_b: KeyedHash
) -> None:
    text = "Contact bob@example.com"
    a = scrubber.scrub(text, keyed_hash=tenant_a, policy=PSEUDONYM)
    b = scrubber.scrub(text, keyed_hash=tenant_b, policy=PSEUDONYM)
    assert a.text != b.text
    assert set(a.subject_tags).isdisjoint(b.subject_tags)


def test_hash_operator_uses_a_longer_keyed_token(scrubber: Scrubber, tenant_a: KeyedHash) -> None:
    result = scrubber.scrub(
        "SSN 536-22-8726", keyed_hash=tenant_a, policy=PiiPolicy(operator="hash")
    )
    assert re.fullmatch(r"SSN <US_SSN_[0-9a-f]{32}>", result.text)
    assert result.originals == ()


def test_reversible_mode_returns_originals_for_the_caller_to_seal(
    scrubber: Scrubber, tenant_a: KeyedHash
) -> None:
    text = "Call 555-867-5309 or mail carol@example.com"
    result = scrubber.scrub(text, keyed_hash=tenant_a, policy=PiiPolicy(operator="reversible"))
    originals = dict(result.originals)
    assert sorted(originals.values()) == ["555-867-5309", "carol@example.com"]
    restored = result.text
    for token, value in originals.items():
        restored = restored.replace(token, value)
    assert restored == text


def test_only_reversible_mode_fills_originals(scrubber: Scrubber, tenant_a: KeyedHash) -> None:
    for operator in ("placeholder", "pseudonym", "hash"):
        result = scrubber.scrub(
            "mail dan@example.com", keyed_hash=tenant_a, policy=PiiPolicy(operator=operator)
        )
        assert result.originals == ()


def test_subject_tags_match_erasure_lookup_across_spellings(
    scrubber: Scrubber, tenant_a: KeyedHash
) -> None:
    result = scrubber.scrub("Write to  Erin.Hansen@Example.com ", keyed_hash=tenant_a)
    expected = subject_tag(tenant_a, "EMAIL_ADDRESS", "erin.hansen@example.com")
    assert result.subject_tags == (SubjectTag("EMAIL_ADDRESS", expected),)
    assert len(expected) == 32


def test_subject_tags_are_deduplicated(scrubber: Scrubber, tenant_a: KeyedHash) -> None:
    result = scrubber.scrub("x@example.com, X@example.com and x@example.com", keyed_hash=tenant_a)
    assert len(result.subject_tags) == 1


def test_no_subject_tags_without_a_key(scrubber: Scrubber) -> None:
    assert scrubber.scrub("x@example.com").subject_tags == ()


@pytest.mark.parametrize(
    ("entity_type", "one", "two"),
    [
        ("EMAIL_ADDRESS", " Alice@Example.COM", "alice@example.com"),
        ("PHONE_NUMBER", "+1 (415) 555-2671", "+1 415.555.2671"),
        ("CREDIT_CARD", "4111-1111-1111-1111", "4111 1111 1111 1111"),
        ("IBAN_CODE", "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("US_SSN", "536 22 8726", "536-22-8726"),
        ("PERSON", "Dr.  Jane   DOE", "jane doe"),
    ],
)
def test_normalisation_gives_one_tag_per_subject(
    tenant_a: KeyedHash, entity_type: str, one: str, two: str
) -> None:
    assert subject_tag(tenant_a, entity_type, one) == subject_tag(tenant_a, entity_type, two)


def test_tags_differ_by_type(tenant_a: KeyedHash) -> None:
    assert subject_tag(tenant_a, "PHONE_NUMBER", "5362287260") != subject_tag(
        tenant_a, "US_SSN", "5362287260"
    )
