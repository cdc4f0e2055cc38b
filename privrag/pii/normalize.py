"""Canonical forms of detected values, so one person written two ways yields one subject tag.

``normalize(type, value)`` is pure and total: it never raises, and maps formatting variants of the
same identifier (case, spacing, separators, honorifics) to one string. Subject tags and pseudonyms
are keyed hashes of ``f"{type}:{normalized}"``; the erasure path (``subject_tag``) must use exactly
the function ``scrub()`` uses, which is why both live here.
"""

from __future__ import annotations

import re
import unicodedata

from privrag.pii.types import KeyedHash

_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_NON_DIGIT = re.compile(r"\D+")
_HONORIFIC = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|mlle|m|sr|sra|srta)\.?\s+)+",
    re.IGNORECASE,
)

_DIGITS_ONLY = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "BANK_ACCOUNT"})
_ALNUM_UPPER = frozenset(
    {"IBAN_CODE", "UK_NINO", "NATIONAL_ID", "PASSPORT", "DRIVER_LICENSE", "MAC_ADDRESS"}
)

SUBJECT_TAG_PURPOSE = "subject-tag"
SUBJECT_TAG_HEX_CHARS = 32


def normalize(entity_type: str, value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip()
    if entity_type == "EMAIL_ADDRESS":
        return text.lower()
    if entity_type in _DIGITS_ONLY:
        digits = _NON_DIGIT.sub("", text)
        return digits or text.casefold()
    if entity_type in _ALNUM_UPPER:
        return _NON_ALNUM.sub("", text).upper()
    if entity_type == "PERSON":
        name = _HONORIFIC.sub("", _WS.sub(" ", text))
        return name.strip(" .,;:").casefold()
    if entity_type in {"STREET_ADDRESS", "DATE_OF_BIRTH"}:
        return _WS.sub(" ", _NON_ALNUM.sub(" ", text)).strip().casefold()
    # Secrets are exact: any change in case or spacing is a different secret.
    if entity_type == "SECRET":
        return text
    return _WS.sub(" ", text).casefold()


def subject_tag(keyed_hash: KeyedHash, entity_type: str, value: str) -> str:
    """The keyed tag for one value, as ``scrub()`` records it; used by erasure by subject."""
    payload = f"{entity_type}:{normalize(entity_type, value)}".encode()
    return keyed_hash(SUBJECT_TAG_PURPOSE, payload).hex()[:SUBJECT_TAG_HEX_CHARS]
