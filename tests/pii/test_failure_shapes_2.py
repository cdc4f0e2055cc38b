"""One fixture per leak or over-redaction shape found in the second round of issue #11 (fixtures
written here, same shapes): phone numbers as people write them across borders, names after
plain cues in any script, and business words eaten by a detection that ran past its field or
sentence."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from privrag.pii import Scrubber

Detect = Callable[[str], list[tuple[str, str]]]


def _out(scrubber: Scrubber, text: str) -> str:
    return scrubber.scrub(text).text


@pytest.mark.parametrize(
    "phone",
    [
        "+90 (333) 9156257",  # a country code, then an area code in brackets
        "(+358) 779713067",  # the country code itself in brackets
        "06-1/873 5457",  # a slash between area code and number
        "(09)/593-8566",
        "1-726-374-7646",  # NANP with the trunk 1
        "001-836-576-7391x83819",  # an international prefix and an extension
        "838.296.8227 ext. 971",
    ],
)
def test_phone_numbers_in_any_common_notation_are_replaced(scrubber: Scrubber, phone: str) -> None:
    out = _out(scrubber, f"If it fails again, call {phone}.")
    assert "<PHONE_NUMBER>" in out, out
    assert phone not in out


@pytest.mark.parametrize("verb", ["paged", "rang", "texted", "phoned"])
def test_a_phone_after_a_verb_of_reaching_someone_is_a_phone(scrubber: Scrubber, verb: str) -> None:
    out = _out(scrubber, f"The deploy failed; {verb} Ilmari at 98404270.")
    assert "98404270" not in out and "Ilmari" not in out, out


def test_an_invoice_sentence_above_a_signature_does_not_hide_its_phone(scrubber: Scrubber) -> None:
    """Anti-context ("invoice", "EUR") speaks only for a number in its own line and sentence."""
    text = "The invoice is 272.00 EUR.\n\nBest regards,\nShawn May\n(987)326-3940x829"
    out = _out(scrubber, text)
    assert "326-3940" not in out and "Shawn" not in out and "May" not in out, out
    assert "272.00 EUR" in out


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Best regards,\nPieter van Beaumont\n", ["Pieter", "Beaumont"]),  # "best" is no name
        ("Refund approved: 40 EUR. Regards, Lucrețiu Voinea", ["Lucrețiu", "Voinea"]),
        ("KYC file closed. Verified by Berit Nygård.", ["Berit", "Nygård"]),
        ("Complaint from Maya Vargas about the invoice.", ["Maya", "Vargas"]),
        ("What's your last name? Arcuri", ["Arcuri"]),
        ("Her maiden name is nyberg.", ["nyberg"]),
        ("Warrane, can I please speak to your boss?", ["Warrane"]),
        ("They had 6: Efimiya, Mary, Ariana, Isabel, Teresa and Jodi.", ["Efimiya", "Ariana"]),
        ("Attendees: Amber Hall, Andrew Green\nAction: Amber to follow up.", ["Amber"]),
        # Speakers who take turns are people even when their names are also words.
        ("merle: did it run?\njari: yes\nmerle: ok, thanks\njari: np", ["merle", "jari"]),
    ],
)
def test_names_after_plain_cues_are_replaced(
    scrubber: Scrubber, text: str, gone: list[str]
) -> None:
    out = _out(scrubber, text)
    for value in gone:
        assert value not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "Attendees: Всеволод Сорокина, Георгій Гузій",
        "Attendees: Ζαφείρης Μπαλτατζή, אריה פרץ, जय नारायण",
        "Refund approved for Всеволод Сорокина: 20 EUR",
    ],
)
def test_names_in_other_scripts_after_cues_are_replaced(scrubber: Scrubber, text: str) -> None:
    out = _out(scrubber, text)
    for name in ("Сорокина", "Μπαλτατζή", "פרץ", "नारायण", "Гузій"):
        assert name not in out, out


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # A tab-separated header is not "key<TAB>value"; an address never spans a field.
        (
            "Employee\tMobile\tHome address\tProject\n"
            "Natasha Hermansen\t+45 6007 2297\tKlintholmgade 23\tNimbus CRM",
            ["Mobile", "Nimbus CRM"],
        ),
        # A locality ends at the sentence end; a unit mid-sentence opens no address block.
        (
            "Resides at Hátharasztii út 211., H-6237 Békéscsaba. IBAN GB02RAHK40456908739963. "
            "Account opened for Atlas Billing; risk score 7178.07.",
            ["Account opened", "Atlas Billing", "7178.07"],
        ),
        (
            "Resides at Flat 22E, HU2 1FZ East Bruceberg. Account opened for Quartz ERP.",
            ["Account opened", "Quartz ERP"],
        ),
        ("Samples: 48 Patients Treated, 2010 Guidelines apply.", ["48 Patients", "Guidelines"]),
        ("Please call Support or email Finance today.", ["Support", "Finance"]),
    ],
)
def test_business_words_next_to_pii_are_kept(
    scrubber: Scrubber, text: str, kept: list[str]
) -> None:
    out = _out(scrubber, text)
    for word in kept:
        assert word in out, out


def test_a_street_named_like_a_person_is_not_a_person(detected: Detect) -> None:
    found = detected("I now live near Lahtinen Road, by the lake.")
    assert ("PERSON", "Lahtinen Road") not in found


def test_vcard_properties_decide_the_type_of_each_component(scrubber: Scrubber) -> None:
    card = (
        "BEGIN:VCARD\nN:Traxler;Sofija;;;\nFN:Sofija Traxler\nORG:Orion Gateway\n"
        "TEL;TYPE=CELL:+43 6554 27879 346\nADR;TYPE=HOME:;;бул. Папанина, д. 3/8;Таганрог;;764033;\n"
        "END:VCARD"
    )
    out = _out(scrubber, card)
    for value in ("Traxler", "Sofija", "27879", "Папанина"):
        assert value not in out, out
    assert "ORG:Orion Gateway" in out


def test_several_key_value_pairs_on_one_log_line(scrubber: Scrubber) -> None:
    line = 'INFO checkout order=ORD-1 customer="איילה לוי" phone="5367202" amount=12.50'
    out = _out(scrubber, line)
    assert "איילה" not in out and "5367202" not in out, out
    assert "order=ORD-1" in out and "amount=12.50" in out


def test_a_number_on_a_line_after_a_name_is_a_phone(scrubber: Scrubber) -> None:
    out = _out(scrubber, "Owner list\nRohan Setrick - 094-45-29")
    assert "094-45-29" not in out, out
