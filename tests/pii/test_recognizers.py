"""Each recognizer finds its identifiers (positives) and leaves look-alikes alone (near misses)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

Detect = Callable[[str], list[tuple[str, str]]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mail jane.doe+hr@mail.example.co.uk today",
            ("EMAIL_ADDRESS", "jane.doe+hr@mail.example.co.uk"),
        ),
        ("Card 4111 1111 1111 1111 expires soon", ("CREDIT_CARD", "4111 1111 1111 1111")),
        ("Amex 378282246310005 on file", ("CREDIT_CARD", "378282246310005")),
        ("Pay to GB82 WEST 1234 5698 7654 32 please", ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32")),
        ("IBAN DE89370400440532013000", ("IBAN_CODE", "DE89370400440532013000")),
        ("Her SSN is 536-22-8726.", ("US_SSN", "536-22-8726")),
        ("NI number AB 12 34 56 C is on the form", ("UK_NINO", "AB 12 34 56 C")),
        ("Call +44 20 7946 0958 after five", ("PHONE_NUMBER", "+44 20 7946 0958")),
        ("Phone: (415) 555-2671", ("PHONE_NUMBER", "(415) 555-2671")),
        ("Mobil: 0151 23456789 bitte", ("PHONE_NUMBER", "0151 23456789")),
        ("client 203.0.113.45 connected", ("IP_ADDRESS", "203.0.113.45")),
        ("from 2001:db8:85a3::8a2e:370:7334", ("IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334")),
        ("She was born on 12 March 1985 in Leeds.", ("DATE_OF_BIRTH", "12 March 1985")),
        ("DOB: 1985-03-12", ("DATE_OF_BIRTH", "1985-03-12")),
        ("DNI 12345678Z del cliente", ("NATIONAL_ID", "12345678Z")),
        ("codice fiscale RSSMRA85T10A562S", ("NATIONAL_ID", "RSSMRA85T10A562S")),
        ("Passport number X12345678 issued 2019", ("PASSPORT", "X12345678")),
        ("driver's license no. D1234-5678-9012", ("DRIVER_LICENSE", "D1234-5678-9012")),
        ("account number 12345678 at the bank", ("BANK_ACCOUNT", "12345678")),
    ],
)
def test_recognizes_identifier(detected: Detect, text: str, expected: tuple[str, str]) -> None:
    assert expected in detected(text)


@pytest.mark.parametrize(
    "text",
    [
        "Shipment 4111 1111 1111 1112 left the depot",  # Luhn fails and no card context
        "Batch code GB00 WEST 1234 5698 7654 32 printed",  # IBAN checksum fails
        "Build 000-12-3456 and 666-12-3456 are not SSNs",  # never-issued SSN areas
        "Order total 1,250.00 EUR for 3 items on 2024-03-12",  # amounts and plain dates
        "Release version 1.2.3.4 shipped",  # version numbers, not IPs
        "The meeting is on 12 March 2024 at 10:30:00",  # a date without birth context
        "Invoice 20231104 covers 250 units",  # bare numbers
        "Ticket INC1234567 was closed",  # ticket ids
    ],
)
def test_leaves_near_misses_alone(detected: Detect, text: str) -> None:
    assert detected(text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        (
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        (
            "token ghp_0123456789abcdefghijklmnopqrstuvwxyz",
            "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
        ),
        ("STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        ("key AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
        ("Authorization: Bearer abcDEF123456ghiJKL7890", "abcDEF123456ghiJKL7890"),
        (
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        ),
        ("DATABASE_URL=postgres://app:S3cr3t!pw@db.internal:5432/app", "S3cr3t!pw"),
        ('{"password": "correct-horse-9"}', "correct-horse-9"),
        ("the temporary password is Tr0ub4dor&3 for now", "Tr0ub4dor&3"),
        ("slack: xoxb-123456789012-abcdefghijklmnop", "xoxb-123456789012-abcdefghijklmnop"),
    ],
)
def test_recognizes_secrets(detected: Detect, text: str, secret: str) -> None:
    assert ("SECRET", secret) in detected(text)


def test_private_key_block_is_one_secret(detected: Detect) -> None:
    block = (
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
    )
    assert detected(f"key:\n{block}\n") == [("SECRET", block)]


@pytest.mark.parametrize(
    "text",
    [
        "password=${DB_PASSWORD}",  # a reference, not a secret
        "Please reset your password via the portal.",  # prose about passwords
        "The token bucket limits requests.",  # the word token
        "api_key: <SECRET>",  # already scrubbed
    ],
)
def test_secret_references_and_prose_are_not_secrets(detected: Detect, text: str) -> None:
    assert not any(t == "SECRET" for t, _ in detected(text))


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Send it to 221B Baker Street, London NW1 6XE.", "221B Baker Street, London NW1 6XE"),
        ("Adresse: Hauptstraße 5, 10115 Berlin", "Hauptstraße 5, 10115 Berlin"),
        ("Office at Koskikatu 25 Apt. 864\nTampere", "Koskikatu 25 Apt. 864\nTampere"),
        ("Return to ul. Grochowa 80, Warszawa", "ul. Grochowa 80, Warszawa"),
        ("Mail PSC 1234, Box 5678\nAPO AE 09123 please", "PSC 1234, Box 5678\nAPO AE 09123"),
        ("She lives at Via Roma 10, Milano", "Via Roma 10, Milano"),
    ],
)
def test_recognizes_street_addresses(detected: Detect, text: str, address: str) -> None:
    assert ("STREET_ADDRESS", address) in detected(text)


@pytest.mark.parametrize(
    "text",
    [
        "See Article 50 of the treaty.",
        "Windows 11 and Python 3 are installed.",
        "Chapter 12 covers the results.",
    ],
)
def test_numbered_things_are_not_addresses(detected: Detect, text: str) -> None:
    assert not any(t == "STREET_ADDRESS" for t, _ in detected(text))


def test_names_from_ner_and_cues(detected: Detect) -> None:
    found = detected("Dear Ms. Okonkwo,\nthanks for the call. Regards,\nJohn Whitaker")
    assert ("PERSON", "Okonkwo") in found
    assert ("PERSON", "John Whitaker") in found


@pytest.mark.parametrize(
    "text",
    [
        "Expression of BRCA1 and TP53 was measured in HeLa cells.",
        "Customer Success will follow up with the FINANCE team.",
        "The Quartz ERP rollout finished.",
    ],
)
def test_genes_acronyms_and_products_are_not_people(detected: Detect, text: str) -> None:
    assert not any(t == "PERSON" for t, _ in detected(text))


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Ship to 4880 Betburweg 74 Suite 967 Apt. 267, Lascano, Uruguay 80694 please",
            "4880 Betburweg 74 Suite 967 Apt. 267, Lascano, Uruguay 80694",
        ),
        (
            "> 3654 Brixtonlaan 380\n> Suite 727\n> Charleroi\n",
            "3654 Brixtonlaan 380\n> Suite 727\n> Charleroi",
        ),
        ("Address: 17693 Király u. 15.\nnext line", "17693 Király u. 15."),
        (
            "0138 Brisas 6802\n Suite 084\n Montevideo\n",
            "0138 Brisas 6802\n Suite 084\n Montevideo",
        ),
        ("It is at 2274 Via delle Coste 41, Roma", "2274 Via delle Coste 41, Roma"),
        (
            "Meet at 51709 Spinatsch 94 Apt. 615 Moosleerau Switzerland",
            "51709 Spinatsch 94 Apt. 615 Moosleerau Switzerland",
        ),
        ("Deliver to 3369 24 Clarke Avenue tomorrow", "3369 24 Clarke Avenue"),
        ("psc 5420, box 2708\napo aa 33879\nmobile", "psc 5420, box 2708\napo aa 33879"),
        ("sent to uscgc aslakhanov\nfpo ae 44941?", "uscgc aslakhanov\nfpo ae 44941"),
        ("Trivo lives on Grössgstötten 50 street.", "Grössgstötten 50"),
    ],
)
def test_recognizes_international_street_layouts(detected: Detect, text: str, address: str) -> None:
    assert ("STREET_ADDRESS", address) in detected(text)


@pytest.mark.parametrize(
    "text",
    [
        "During 1971, Acme invested heavily in chips.",  # "During" ends in "ring"
        "Release 200 Update 5\nwas rolled out.",  # numbered releases
        "Billing address: Noelle Martinsson\nis on file",  # a name on the line after a cue
        "Signalling via PI3K and via PAC1 is shown in Box 1.",  # gene names, a figure box
    ],
)
def test_numbered_words_and_names_are_not_street_lines(detected: Detect, text: str) -> None:
    assert not any(t == "STREET_ADDRESS" for t, _ in detected(text))


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Questions: 366-830-531. Vendor: Acme", "366-830-531"),
        ("Llámame al 91 848 53 27 mañana", "91 848 53 27"),
        ("They're not answering at 71-33-52-22", "71-33-52-22"),
        ("(37) 788-063-Office", "(37) 788-063"),
        ("+447700677662 mobile", "+447700677662"),
        ("Desk: 5403926876\nFax: none", "5403926876"),
        ("APO AA 61487\n416 60 039 office", "416 60 039"),
    ],
)
def test_recognizes_grouped_and_international_phones(
    detected: Detect, text: str, phone: str
) -> None:
    assert ("PHONE_NUMBER", phone) in detected(text)


@pytest.mark.parametrize(
    "text",
    [
        "[2023-09-16 09:15] deploy finished",  # a timestamp
        "Values ranged 35.35-41.23 and 1457.60-2761.80 across sites",  # decimal ranges
        "Enrolment ran 1996-2000 and 2001 - 2005 in 12 500 000 people",  # years, round amounts
        "Total 12 500 000 EUR was budgeted",  # an amount
        "Call +4412 now",  # an impossible international number
    ],
)
def test_dates_ranges_and_amounts_are_not_phones(detected: Detect, text: str) -> None:
    assert not any(t == "PHONE_NUMBER" for t, _ in detected(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My driver's license number is U62928788557186", ("DRIVER_LICENSE", "U62928788557186")),
        ("my driver's license number is 2270-66-1551", ("DRIVER_LICENSE", "2270-66-1551")),
        ("the temporary password is gngYrkJilvNq for now", ("SECRET", "gngYrkJilvNq")),
    ],
)
def test_labelled_identifiers_win_over_look_alikes(
    detected: Detect, text: str, expected: tuple[str, str]
) -> None:
    assert detected(text) == [expected]


def test_a_plain_word_after_password_is_not_a_secret(detected: Detect) -> None:
    assert not any(t == "SECRET" for t, _ in detected("the password is Sunshine, right?"))
