"""One fixture per leak shape read from HELD-OUT-FRESH-4's leaks in the fifth round of issue #11
(fixtures written here, same shapes, other names, places and numbers): a message headed with
whom it is for, a number offered beside an e-mail address, an account under a qualified label
or with a short mod-97 IBAN of a country outside the registry, a street over a six-digit
postcode, and a table column of names under a header that does not say so. Business text around
them, and Han text that is no name, must come back unchanged."""

from __future__ import annotations

import pytest

from privrag.pii import Scrubber


def _out(scrubber: Scrubber, text: str) -> str:
    return scrubber.scrub(text).text


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Reminder for Oluwadamilare: your slot moved to 10:30.", ["Oluwadamilare"]),
        ("Notice to Kwabena Asante, the meter is read on Monday.", ["Kwabena", "Asante"]),
        ("Parcel for סיגל - left at the front desk.", ["סיגל"]),
        ("Message for ممدوح: the keys are ready.", ["ممدوح"]),
    ],
)
def test_a_message_headed_with_whom_it_is_for_loses_the_name(
    scrubber: Scrubber, text: str, gone: list[str]
) -> None:
    out = _out(scrubber, text)
    for value in gone:
        assert value not in out, out


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Questions to the agent at lease@example.org or 7390154826.", "7390154826"),
        ("Reach me on r.k@example.net / 614.220.873.55 any day.", "614.220.873.55"),
        ("Bookings: 0244 318 907, desk@example.com", "0244 318 907"),
        ("Write to hr@example.org or ০১৭১ ২৩৪ ৫৬৭৮৯.", "০১৭১ ২৩৪ ৫৬৭৮৯"),
    ],
)
def test_a_number_offered_beside_an_email_is_a_phone(
    scrubber: Scrubber, text: str, number: str
) -> None:
    assert number not in _out(scrubber, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Payee account: 40-17-22 8841 9920", "8841 9920"),
        ("Guest mobile: 0712 554 903", "0712 554 903"),
        ("Account: KE983300714429", "KE983300714429"),
        ("Pay by transfer to NG630581927364 within 14 days.", "NG630581927364"),
    ],
)
def test_accounts_under_qualified_labels_and_short_ibans_are_replaced(
    scrubber: Scrubber, text: str, value: str
) -> None:
    assert value not in _out(scrubber, text)


def test_a_street_over_a_six_digit_postcode_is_replaced(scrubber: Scrubber) -> None:
    out = _out(scrubber, "Occupier of 12/7 Anbunagar, 600042 Chennai\nPlease read the notice.")
    assert "Anbunagar" not in out, out


def test_a_street_with_a_district_before_the_postcode_is_replaced(scrubber: Scrubber) -> None:
    out = _out(scrubber, "Lessee at Kaivokatu 8, Kluuvi, 00100 Helsinki from May.")
    assert "Kaivokatu" not in out, out


def test_a_contact_table_of_names_nobody_found_alone_is_replaced(scrubber: Scrubber) -> None:
    text = (
        "Lanyard;Company;Cell;Mail\n"
        "Ifeoluwa Adesanya;Helio Labs;+234 803 555 0199;ia@example.org\n"
        "Nkechinyere Okonkwo;Vero Foods;+234 803 555 0142;no@example.org"
    )
    out = _out(scrubber, text)
    for word in ("Ifeoluwa", "Adesanya", "Nkechinyere"):
        assert word not in out, out


def test_a_name_column_under_an_unspoken_header_is_replaced(scrubber: Scrubber) -> None:
    text = (
        "Lanyard;Company;Cell;Mail;Track\n"
        "Chiamaka Eze;Helio Labs;+234 803 555 0199;ce@example.org;Hall 2\n"
        "Tunde Bakare;Helio Labs;+234 803 555 0142;tb@example.org;Hall 2\n"
        "Abena Owusu;Vero Foods;+233 24 555 0100;ao@example.org;Hall 3"
    )
    out = _out(scrubber, text)
    for word in ("Chiamaka", "Tunde", "Bakare", "Abena", "Owusu"):
        assert word not in out, out
    assert "Lanyard;Company;Cell;Mail;Track" in out


@pytest.mark.parametrize(
    "text",
    [
        "Payment details: INV-40213 Harbor Gateway\nStatus: executed",
        "Note for visitors: 会议室的预约请提前一天确认 thanks.",
        "Agenda: 季度财务报告已经上传 and the budget review at 14:00.",
        "Reminder for Monday: send the pricing sheet.",
        "Update for Finance: the budget is 4000.00",
        "Order 2024-03-05 / 1290.50 EUR, 12:30 pickup, 4 pallets",
        "Sprint;Owner team;Status;Points\nAlpha;Platform;Done;13\nBeta;Platform;Open;8",
        "Release: 2.4.1, 14 tickets, 3 hotfixes",
    ],
)
def test_business_text_comes_back_unchanged(scrubber: Scrubber, text: str) -> None:
    assert _out(scrubber, text) == text


def test_numbers_beside_an_email_that_are_no_phone_survive(scrubber: Scrubber) -> None:
    out = _out(scrubber, "Sent to ops@example.com, 2024-03-05, 1290.50 EUR, 12:30")
    assert "2024-03-05, 1290.50 EUR, 12:30" in out, out
