"""The detector stack, in one place: every family of detectors the scrubber runs, in order.

Each entry implements ``analysis.Detector``; the scrubber registers them all as Presidio
recognizers and the config digest is built from their specs, so provenance names exactly this
stack.
"""

from __future__ import annotations

from functools import partial

from privrag.pii.addresses import find_addresses
from privrag.pii.analysis import Detector, FunctionDetector
from privrag.pii.credentials import build_secret_recognizers, find_keyword_secrets
from privrag.pii.name_cues import find_name_cues
from privrag.pii.name_gazetteer import find_gazetteer_names
from privrag.pii.recognizers import build_recognizers, find_phones_beside_email
from privrag.pii.structure import find_structured

_STRUCTURED_TYPES = frozenset(
    {
        "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS", "DATE_OF_BIRTH",
        "CREDIT_CARD", "IBAN_CODE", "BANK_ACCOUNT", "US_SSN", "NATIONAL_ID", "PASSPORT",
        "DRIVER_LICENSE", "IP_ADDRESS", "SECRET",
    }
)  # fmt: skip


def build_detectors(common: frozenset[str]) -> tuple[Detector, ...]:
    person = frozenset({"PERSON"})
    return (
        *build_secret_recognizers(),
        FunctionDetector("keyword-entropy-secret", frozenset({"SECRET"}), find_keyword_secrets),
        *build_recognizers(),
        FunctionDetector(
            "phone-beside-email", frozenset({"PHONE_NUMBER"}), find_phones_beside_email
        ),
        FunctionDetector("street-address", frozenset({"STREET_ADDRESS"}), find_addresses, "6"),
        FunctionDetector("name-cues", person, partial(find_name_cues, common=common), "6"),
        FunctionDetector("name-shapes", person, partial(find_gazetteer_names, common=common), "5"),
        FunctionDetector(
            "structure", _STRUCTURED_TYPES, partial(find_structured, common=common), "5"
        ),
    )
