"""Names and other NER types from spaCy, filtered for business and scientific text.

spaCy's small English model tags many capitalised nouns, gene names, acronyms and log tokens as
PERSON; ``plausible_person`` keeps a span only if it looks like a name (title-case words or
initials, no digits or symbols, not a known non-name word). Regex cues (honorifics, greetings,
"my name is", header labels) add names the model misses. Other spaCy labels map to the optional
types DATE_TIME, NRP, LOCATION and ORGANIZATION, which tenants may opt into.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from privrag.pii.addresses import names_a_street
from privrag.pii.detectors import Candidate
from privrag.pii.name_gazetteer import (
    AMBIGUOUS,
    EPONYMS,
    FUNCTION_WORDS,
    GIVEN_NAMES,
    STOP_WORDS,
    SURNAMES,
    is_known,
)
from privrag.pii.scripts import LETTER, caseless_word, opens_name, too_long_for_a_name
from privrag.pii.wordlists import words

NER_SCORE = 0.85

SPACY_LABELS = {
    "PERSON": "PERSON",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
    "NORP": "NRP",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
}
NER_TYPES = frozenset(SPACY_LABELS.values())

# Capitalised words spaCy tends to call people in tickets, mails, logs and abstracts.
_NOT_NAMES = words("not_names")
# A name word: capital first, then letters with internal capitals allowed (McAllister, O'Connor).
# An initial is a capital with a full stop ("J.", "С.", "Σ."), or a letter of a caseless
# script with one ("آ.", "ს.").
_NAME_TOKEN = re.compile(rf"^(?:[^\W\d_](?:{LETTER}|['’-](?=[^\W\d_]))+|[^\W\d_]\.)$")
_PARTICLES = words("particles")
_BAD_CHARS = re.compile(r"[\d@/_<>=:{}\[\]()|\\#$%^&*+~`]")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")


def plausible_person(span: str) -> bool:
    text = _POSSESSIVE.sub("", span.strip())
    if not text or _BAD_CHARS.search(text) or "\n" in text:
        return False
    tokens = text.split()
    if not tokens or len(tokens) > 5 or any(too_long_for_a_name(t) for t in tokens):
        return False
    lowered = [t.lower().strip(".,") for t in tokens]
    if all(t in _NOT_NAMES for t in lowered) or any(t in {"et", "al", "al."} for t in lowered):
        return False
    if any(t in _NOT_NAMES for t in lowered[:1]) and len(tokens) == 1:
        return False
    words = [t for t, low in zip(tokens, lowered, strict=True) if low not in _PARTICLES]
    if not words:
        return False
    if len(words) == 1 and (words[0].isupper() or len(words[0]) < 2):
        return False
    if any(low in _NOT_NAMES for low in lowered):
        return False
    # Initials ("M.", "J") are capitals too, but they make a name, not a product.
    initial = re.compile(r"^(?:[A-Z]|[^\W\d_]\.)$")
    if (
        len(words) > 1
        and any(w.isupper() and len(w) > 1 and not initial.match(w) for w in words)
        and not all(w.isupper() for w in words)
    ):
        # "Quartz ERP", "Cobalt BI": an acronym next to a word is a product, not a name.
        return False
    if all(w.isupper() for w in words):
        # "JOHN SMITH" in a signature is a name; "BRCA1 TP53" was rejected above for digits,
        # and "EUR SSN" is rejected here: a Latin word with no vowel is an acronym.
        return (
            len(words) >= 2
            and all(len(w) > 1 for w in words)
            and all(_has_vowel(w) or not _latin(w[0]) for w in words)
        )
    return all(
        (_NAME_TOKEN.match(w) or (0 < i < len(words) - 1 and initial.match(w))) and opens_name(w[0])
        for i, w in enumerate(words)
    )


_ORG_WORDS = words("org_words")
STREET_TYPES = words("street_types")


def _is_org_like(span: str) -> bool:
    return any(t.lower().strip(".,&") in _ORG_WORDS for t in span.split())


def ner_candidates(doc: Any, wanted: frozenset[str], common: frozenset[str]) -> Iterator[Candidate]:
    """spaCy entities mapped to our types; PERSON spans filtered, person-like ORG spans kept."""
    for ent in doc.ents:
        entity_type = SPACY_LABELS.get(ent.label_)
        if entity_type is None:
            continue
        if ent.label_ in {"ORG", "PERSON", "GPE"} and "PERSON" in wanted:
            person = _person_from_ner(ent.text, ent.label_, common)
            if person is not None and not names_a_street(
                doc.text, ent.start_char, ent.start_char + len(person)
            ):
                yield Candidate(
                    "PERSON",
                    ent.start_char,
                    ent.start_char + len(person),
                    *person_score(ent.label_),
                )
                if ent.label_ == "PERSON":
                    continue
        if entity_type in wanted and entity_type != "PERSON":
            yield Candidate(entity_type, ent.start_char, ent.end_char, NER_SCORE, "ner")


def person_score(label: str) -> tuple[float, str]:
    return (NER_SCORE, "ner") if label == "PERSON" else (NER_SCORE - 0.2, "ner-relabelled")


def _person_from_ner(text: str, label: str, common: frozenset[str]) -> str | None:
    """The name part of a spaCy span if it plausibly names a person, else None.

    The small model confuses PERSON and ORG/GPE on names it has not seen; a non-PERSON span is
    only taken as a name when it has two or three name-shaped words, no organisation word, and a
    first word that is not an English dictionary word.
    """
    name = _POSSESSIVE.sub("", text.rstrip())
    first_line = name.split("\n")[0].rstrip()
    if first_line != name:
        name = first_line
    shape = _given_first(name, common) if label == "PERSON" else name
    if not plausible_person(shape) or _is_org_like(name):
        return None
    # "Lahtinen Road", "Inna Loop", "Filadelfeos Str": a name with a street type is a street.
    if len(name.split()) > 1 and name.split()[-1].casefold().rstrip(".") in STREET_TYPES:
        return None
    words = [w for w in name.split() if w.lower() not in _PARTICLES]
    lowered = [w.lower().strip(".") for w in words]
    # WordNet lists many given names ("mary", "john") as nouns: a known name is not a word here.
    known = [w in GIVEN_NAMES or w in SURNAMES for w in lowered]
    if label == "PERSON":
        # "Atlas Billing", "Helix Analytics": dictionary words, none of them a known name, are
        # a product or a team however the model tags them.
        if all(
            _dictionary_word(low, common) and not k for low, k in zip(lowered, known, strict=True)
        ):
            return None
        if len(words) == 1 and (lowered[0] in AMBIGUOUS or lowered[0] in EPONYMS):
            return None
        return name
    if 2 <= len(words) <= 3 and (lowered[0] not in common or known[0]) and len(lowered[0]) > 1:
        return name
    return None


_SURNAME_FIRST = re.compile(rf"^({LETTER}{{4,}})((?:\s+{LETTER}[\w.'’-]*){{1,3}})$")
_SURNAME_COMMA = re.compile(r"^([^,\s][^,]*),\s+([^,\s][^,]*)$")


def _given_first(name: str, common: frozenset[str]) -> str:
    """A name the model tagged in a registry's order, read in the order the shape checks know:
    "Şensoy, Ervaniye" as "Ervaniye Şensoy", "LOOS Berta" as "Loos Berta" (a capitalised
    surname first, the given names title-case: not "SAP Concur", whose first word is short)."""
    comma = _SURNAME_COMMA.match(name)
    if comma and len(comma.group(1).split()) <= 2 and len(comma.group(2).split()) <= 2:
        return f"{comma.group(2)} {comma.group(1)}"
    caps = _SURNAME_FIRST.match(name)
    if (
        caps
        and caps.group(1).isupper()
        and not caps.group(2).isupper()
        and caps.group(1).lower() not in common
    ):
        return caps.group(1).title() + caps.group(2)
    return name


# Sentences (or lines) for the NER pass; a name never spans a sentence end or a line break. A
# full stop after an initial or a title ("A. Burt", "Dr. Ana"), or between digits
# ("15.09.2026"), ends nothing.
_SENTENCE_END = re.compile(r"[.!?]+|\n")
_NO_END_BEFORE = re.compile(
    rf"(?:(?<![^\s(])(?:{LETTER}|mr|mrs|ms|dr|prof|st|jr|sr|no|nr)|\d)$", re.IGNORECASE
)
# Title-case words, including "McAllister", "O'Connor", "Garcia-Lopez"; not "HeLa" or "CsA".
_TITLE_WORD = re.compile(
    r"(?<![\w-])[A-ZÀ-ÖØ-ÞĀ-ſ](?:[a-zß-öø-ÿā-ſ]+|c[A-Z][a-z]+)"
    r"(?:['’-][A-Za-zÀ-ÿ][a-zß-öø-ÿ]+)*(?![\w-])"
)
_INFLECTION = re.compile(r"(?:ing|ed|es|s|ly)$")
_INITIAL_THEN_WORD = re.compile(r"(?<![\w.])[^\W\d_]\.\s+[^\W\d_]")
# A word in any script (marks included), for the gate's second look.
_OTHER_WORD = re.compile(rf"(?<![\w-]){LETTER}+(?![\w-])")


def _dictionary_word(low: str, common: frozenset[str]) -> bool:
    if low in common or low in STOP_WORDS or low in FUNCTION_WORDS:
        return True
    stem = _INFLECTION.sub("", low)
    if stem != low and (stem in common or stem + "e" in common or stem + "y" in common):
        return True
    parts = re.split(r"[-'’]", low)
    return len(parts) > 1 and all(p in common or len(p) < 3 for p in parts)


def may_name_person(sentence: str, common: frozenset[str]) -> bool:
    """Whether a sentence holds a word that could be (part of) a name: a known name; a
    title-case word of 4+ letters, a capitalised word of another cased script, or two words in
    capitals in a row, none an English dictionary or function word; a word of a caseless script;
    or an initial before a word. Sentences without one are not worth the NER model's time."""
    for match in _TITLE_WORD.finditer(sentence):
        low = match.group().casefold()
        if is_known(low) or low in AMBIGUOUS:
            return True
        if len(low) >= 4 and not _dictionary_word(low, common):
            return True
    # Names in other scripts, and in capitals ("LADA FIŠEROVÁ", two such words in a row):
    # not dictionary words either.
    capitals = 0
    for match in _OTHER_WORD.finditer(sentence):
        word = match.group()
        capitals = capitals + 1 if word.isupper() and len(word) >= 2 else 0
        if caseless_word(word) or (capitals >= 2 and not _dictionary_word(word.casefold(), common)):
            return True
        if (
            word[0].isupper()
            and (not _latin(word[0]) or (len(word) >= 4 and word[1:].islower()))
            and not _dictionary_word(word.casefold(), common)
        ):
            # Cyrillic, Greek, Armenian capitals; Latin letters the first pattern does not
            # list ("Əhmədli", "Nemeș").
            return True
    # An initial and a capitalised word: "L. Toledo".
    return _INITIAL_THEN_WORD.search(sentence) is not None


def _has_vowel(word: str) -> bool:
    """A Latin vowel, accents and hooks aside ("PHẠM", "HƯƠNG")."""
    return any(unicodedata.normalize("NFKD", ch)[:1].upper() in "AEIOUY" for ch in word)


def _latin(ch: str) -> bool:
    return ch.isascii() or "\u00c0" <= ch <= "\u024f"


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group() == "." and (
            _NO_END_BEFORE.search(text, 0, match.start())
            and end < len(text)
            and (text[end].isspace() or text[end].isalnum())
        ):
            continue
        yield start, end
        start = end
    if start < len(text):
        yield start, len(text)


def ner_segments(text: str, common: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of the sentences of a text that ``may_name_person``; adjacent ones merged."""
    spans: list[tuple[int, int]] = []
    for start, end in _sentences(text):
        if end > start and may_name_person(text[start:end], common):
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans
