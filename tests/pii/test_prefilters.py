"""Detectors' prefilters skip texts cheaply but never change what is found."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privrag.pii.credentials import build_secret_recognizers
from privrag.pii.detectors import RegexDetector
from privrag.pii.stack import build_detectors

# A prefilter of words the pattern itself must contain (a context-only detector's prefilter is
# its context words, which the pattern does not hold: the spelled-out cases below cover those).
_PATTERN_PREFILTERED = [
    d
    for d in build_detectors(frozenset())
    if isinstance(d, RegexDetector) and d.prefilter and not d.needs_context
]

_VALUES = ("hunter2!x", "Xlwvd507#myC", "${DB_PASSWORD}")
_LABELS = (
    *("password", "passwd", "pwd", "pw", "pass", "secret", "client_secret", "api-key"),
    *("apikey", "access_key_id", "secret_access_key", "auth_token", "bearer_token", "token"),
    *("credentials", "kennwort", "passwort", "mot de passe", "contraseña", "contrasena"),
    *("wachtwoord", "salasana", "lösenord", "haslo", "hasło", "db_password", "stripe_key"),
    *("passcode", "pin"),
)


def _spellings(label: str) -> set[str]:
    # The case variants re.IGNORECASE matches, including the letters that do not lower-case to
    # the letter they match (İ, ı for i; ſ for s).
    return {
        label,
        label.upper(),
        label.title(),
        label.replace("s", "ſ"),
        label.replace("i", "ı"),
        label.replace("i", "İ"),
        label.upper().replace("I", "İ"),
    }


def _texts() -> list[str]:
    texts = [
        "The meeting moved to Thursday; the agenda is unchanged.",
        "AccountKey=" + "A1b2" * 11,
        "https://x.blob.core.windows.net/c?sv=2020&sig=" + "abcd%2Fefgh" * 4,
        "pypi-" + "AgEIcHlwaS5vcmc" * 5,
        "hf_" + "a1B2c3D4e5" * 4,
        "aws secret: " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "plain 40 chars: " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ]
    for label, sep, value in itertools.product(_LABELS, (": ", "=", " is ", '": "'), _VALUES):
        texts += [f"Note: {s}{sep}{value} (rotate monthly)" for s in _spellings(label)]
    return texts


def test_prefilters_change_nothing_found() -> None:
    texts = _texts()
    filtered = [d for d in build_secret_recognizers() if d.prefilter]
    assert {d.name for d in filtered} >= {"labelled-secret", "prose-password", "pypi-token"}
    for detector in filtered:
        unfiltered = dataclasses.replace(detector, prefilter=())
        for text in texts:
            lowered = text.lower()
            assert list(detector.find(text, lowered)) == list(unfiltered.find(text, lowered)), (
                detector.name,
                text,
            )


def test_prefilters_skip_texts_without_their_words() -> None:
    plain = "The meeting moved to Thursday; the agenda is unchanged."
    for detector in build_secret_recognizers():
        if detector.prefilter:
            assert not any(p in plain.lower() for p in detector.prefilter), detector.name
    # And they do find what they are for once the word is there, in any of its spellings.
    labelled = next(d for d in build_secret_recognizers() if d.name == "labelled-secret")
    for spelling in _spellings("password"):
        text = f"{spelling}: Xlwvd507#myC"
        assert [text[c.start : c.end] for c in labelled.find(text, text.lower())] == [
            "Xlwvd507#myC"
        ], spelling


@pytest.mark.parametrize("detector", _PATTERN_PREFILTERED, ids=lambda d: d.name)
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_text_the_pattern_matches_holds_a_prefilter_word(
    detector: RegexDetector, data: st.DataObject
) -> None:
    # A word added to a pattern without its prefilter would make the detector skip it silently.
    text = data.draw(st.from_regex(detector.pattern))
    assert any(p in text.lower() for p in detector.prefilter), text
