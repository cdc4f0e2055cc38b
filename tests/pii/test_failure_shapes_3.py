"""One fixture per leak shape read from HELD-OUT-FRESH-3's leaks in the fourth round of issue #11
(fixtures written here, same shapes, other names and places): names in a script that writes no
capitals, Gaelic family-name particles, "<step> by:" labels, a role that "is now" someone,
timestamped chats whose speakers are also words, long phone numbers after a phone word, and
streets in any script by their structure. Business text around them must come back unchanged."""

from __future__ import annotations

import pytest

from privrag.pii import Scrubber


def _out(scrubber: Scrubber, text: str) -> str:
    return scrubber.scrub(text).text


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        # Georgian writes names without a capital (Unicode's Mtavruli is for all-caps only).
        ("Weekly sync: გიორგი ჩხეიძე will present the rollout plan.", ["გიორგი", "ჩხეიძე"]),
        ("Packed by: ნათია", ["ნათია"]),
        ("Note that דניאל אבוטבול approved the draft yesterday.", ["אבוטבול"]),
        # A name found once is found again, in a caseless script too.
        ("Owner: თამარ ლომიძე\nLater თამარ asked for the numbers.", ["თამარ"]),
    ],
)
def test_names_in_a_caseless_script_are_replaced(
    scrubber: Scrubber, text: str, gone: list[str]
) -> None:
    out = _out(scrubber, text)
    for value in gone:
        assert value not in out, out


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Attendees: Siobhán Ní Bhriain; Ciarán Mac an tSaoi", ["Bhriain", "tSaoi", "Saoi"]),
        ("Contact: Pádraig Ó hUiginn <p@example.org>", ["Uiginn", "Pádraig"]),
        ("The new lead is now Tadhg Mac Suibhne, from the Galway office.", ["Suibhne", "Tadhg"]),
        ("Checked out by: Eilidh", ["Eilidh"]),
        ("The account manager is now Rhiannon Pryce.", ["Rhiannon", "Pryce"]),
    ],
)
def test_names_after_particles_steps_and_changed_roles_are_replaced(
    scrubber: Scrubber, text: str, gone: list[str]
) -> None:
    out = _out(scrubber, text)
    for value in gone:
        assert value not in out, out


def test_timestamped_speakers_are_people_even_when_their_names_are_words(
    scrubber: Scrubber,
) -> None:
    chat = "[14:01] Grace: the courier is late\n[14:03] hunter: ok\n[14:04] Grace: chasing it"
    out = _out(scrubber, chat)
    assert "Grace" not in out and "hunter" not in out, out
    assert "the courier is late" in out


@pytest.mark.parametrize(
    "phone", ["001.312.555.014.773.21", "0044 20 7946 0958 123", "011.49.30.901820.77"]
)
def test_long_phone_numbers_after_a_phone_word_are_replaced(scrubber: Scrubber, phone: str) -> None:
    out = _out(scrubber, f"For the pickup please call {phone} before noon.")
    assert phone not in out and "<PHONE_NUMBER>" in out, out


@pytest.mark.parametrize(
    ("text", "street"),
    [
        # A house number and a street name, then a postcode line: any script, any street type.
        ("Deliver to:\nSALOME K.\n19 Pekini\n0160 Tbilisi\nThanks", "19 Pekini"),
        ("Consignee\n12 KHAGANI\nAZ1010 Baku", "12 KHAGANI"),
        # A street after an address cue, in a script with or without capitals.
        ("Ani moved to Աբովյան 12 in March.", "Աբովյան 12"),
        ("He now lives at ჭავჭავაძის გამზ. 7 with his sister.", "ჭავჭავაძის გამზ. 7"),
        # A house number and a comma before the street: "14, Lorong Damai 3".
        ("Our new office is at 14, Lorong Damai 3.", "Lorong Damai 3"),
    ],
)
def test_streets_are_found_by_their_structure_in_any_script(
    scrubber: Scrubber, text: str, street: str
) -> None:
    out = _out(scrubber, text)
    assert street not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "Powered by: Nimbus Cloud",
        "Status: executed\nREF ORD-48213  WEIGHT 1.2 KG  CONTENTS Quartz ERP",
        "Release 4 ships in Q3; the Helix Analytics team owns it.",
        "Table 2\n1500 Units shipped\nTotal 3 pallets",
        "The new lead time is now 14 days for the Atlas Billing upgrade.",
        "[09:00] build: queued\n[09:02] build: running\n[09:05] build: passed",
    ],
)
def test_business_text_comes_back_unchanged(scrubber: Scrubber, text: str) -> None:
    assert _out(scrubber, text) == text
