"""Checksum and format validators for identifiers: pure functions of the matched text.

Each returns True only when the text could be a real identifier of that kind; recognizers use them
to raise scores (a Luhn-valid 16-digit number is a card) and to reject near misses.
"""

from __future__ import annotations

import ipaddress
import re

import phonenumbers

_NON_DIGIT = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")

# Lengths by country for the commonest IBAN countries; others fall back to 15..34.
_IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26,
}  # fmt: skip


def digits(text: str) -> str:
    return _NON_DIGIT.sub("", text)


def luhn_ok(text: str) -> bool:
    ds = digits(text)
    if not ds:
        return False
    total = 0
    for i, ch in enumerate(reversed(ds)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def credit_card_ok(text: str) -> bool:
    ds = digits(text)
    return 12 <= len(ds) <= 19 and len(set(ds)) > 1 and luhn_ok(ds)


def iban_ok(text: str) -> bool:
    iban = _NON_ALNUM.sub("", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    # A country of the IBAN registry has one length; any other country code (an account of a
    # scheme not in our table) is taken at any length from 14, on its mod-97 check alone.
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def us_ssn_ok(text: str) -> bool:
    ds = digits(text)
    if len(ds) != 9 or len(set(ds)) == 1:
        return False
    area, group, serial = ds[:3], ds[3:5], ds[5:]
    if area in {"000", "666"} or area.startswith("9") or group == "00" or serial == "0000":
        return False
    return ds not in {"123456789", "078051120", "219099999"}


_NINO = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]")


def uk_nino_ok(text: str) -> bool:
    nino = _NON_ALNUM.sub("", text).upper()
    return bool(_NINO.fullmatch(nino)) and nino[:2] not in {
        "BG",
        "GB",
        "KN",
        "NK",
        "NT",
        "TN",
        "ZZ",
    }


def ipv4_ok(text: str) -> bool:
    try:
        addr = ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return not addr.is_unspecified


def ipv6_ok(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    # "::" and clock times like 10:30:00 are not worth redacting as addresses.
    return text.count(":") >= 2 and len(text.replace(":", "")) >= 4


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni_ok(text: str) -> bool:
    value = _NON_ALNUM.sub("", text).upper()
    if re.fullmatch(r"[XYZ]\d{7}[A-Z]", value):
        value = str("XYZ".index(value[0])) + value[1:]
    if not re.fullmatch(r"\d{8}[A-Z]", value):
        return False
    return _DNI_LETTERS[int(value[:8]) % 23] == value[8]


def pl_pesel_ok(text: str) -> bool:
    ds = digits(text)
    if len(ds) != 11:
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    check = (10 - sum(int(d) * w for d, w in zip(ds, weights, strict=False)) % 10) % 10
    return check == int(ds[10])


def nl_bsn_ok(text: str) -> bool:
    ds = digits(text)
    if len(ds) != 9 or len(set(ds)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(ds[:8], range(9, 1, -1), strict=True)) - int(ds[8])
    return total % 11 == 0


def uk_nhs_ok(text: str) -> bool:
    ds = digits(text)
    if len(ds) != 10 or len(set(ds)) == 1:
        return False
    check = 11 - sum(int(d) * w for d, w in zip(ds[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(ds[9])


def phone_possible(value: str) -> bool:
    """An international number whose country code and length are possible (phonenumbers'
    metadata; allocation is not checked, so unassigned but well-formed numbers still count)."""
    try:
        return bool(phonenumbers.is_possible_number(phonenumbers.parse(value, None)))
    except phonenumbers.NumberParseException:
        return False
