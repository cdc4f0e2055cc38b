"""Names and other NER types from spaCy, filtered for business and scientific text.

spaCy's small English model tags many capitalised nouns, gene names, acronyms and log tokens as
PERSON; ``plausible_person`` keeps a span only if it looks like a name (title-case words or
initials, no digits or symbols, not a known non-name word). Regex cues (honorifics, greetings,
"my name is", header labels) add names the model misses. Other spaCy labels map to the optional
types DATE_TIME, NRP, LOCATION and ORGANIZATION, which tenants may opt into.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from privrag.pii.name_data import AMBIGUOUS, EPONYMS, GIVEN_NAMES, SURNAMES
from privrag.pii.patterns import Candidate

NER_SCORE = 0.85
CUE_SCORE = 0.8

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
_NOT_NAMES = frozenset(
    [
        "hi",
        "hello",
        "hey",
        "dear",
        "thanks",
        "thank",
        "regards",
        "best",
        "cheers",
        "sincerely",
        "kind",
        "warm",
        "greetings",
        "ok",
        "okay",
        "yes",
        "no",
        "please",
        "team",
        "all",
        "everyone",
        "customer",
        "client",
        "user",
        "admin",
        "administrator",
        "support",
        "service",
        "manager",
        "director",
        "engineer",
        "developer",
        "agent",
        "operator",
        "staff",
        "hr",
        "it",
        "ops",
        "devops",
        "sales",
        "finance",
        "legal",
        "account",
        "invoice",
        "order",
        "ticket",
        "case",
        "issue",
        "bug",
        "incident",
        "request",
        "report",
        "update",
        "note",
        "notes",
        "summary",
        "subject",
        "re",
        "fw",
        "fwd",
        "cc",
        "bcc",
        "attn",
        "attachment",
        "meeting",
        "call",
        "review",
        "action",
        "status",
        "priority",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "tomorrow",
        "yesterday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "error",
        "warning",
        "info",
        "debug",
        "trace",
        "fatal",
        "critical",
        "exception",
        "timeout",
        "server",
        "client",
        "host",
        "node",
        "cluster",
        "database",
        "db",
        "api",
        "sdk",
        "cli",
        "ui",
        "ux",
        "url",
        "http",
        "https",
        "json",
        "xml",
        "yaml",
        "csv",
        "pdf",
        "sql",
        "ssh",
        "vpn",
        "gene",
        "genes",
        "protein",
        "proteins",
        "cell",
        "cells",
        "receptor",
        "kinase",
        "factor",
        "pathway",
        "mutation",
        "mutations",
        "patients",
        "patient",
        "cohort",
        "trial",
        "study",
        "studies",
        "group",
        "groups",
        "control",
        "placebo",
        "dose",
        "mice",
        "mouse",
        "rat",
        "rats",
        "human",
        "humans",
        "figure",
        "table",
        "fig",
        "supplementary",
        "methods",
        "results",
        "conclusion",
        "background",
        "et",
        "al",
        "notch",
        "hedgehog",
        "wnt",
        "sonic",
        "insulin",
        "new",
        "old",
        "total",
        "net",
        "gross",
        "tax",
        "vat",
        "price",
        "cost",
        "fee",
        "amount",
        "balance",
        "payment",
        "refund",
        "credit",
        "debit",
        "product",
        "project",
        "plan",
        "program",
        "version",
        "release",
        "build",
        "feature",
        "module",
        "package",
        "system",
        "platform",
    ]
)
# A name word: capital first, then letters with internal capitals allowed (McAllister, O'Connor).
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))+|[A-Z]\.)$")
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "ter",
        "ten",
        "st.",
    ]
)
_BAD_CHARS = re.compile(r"[\d@/_<>=:{}\[\]()|\\#$%^&*+~`]")
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")


def plausible_person(span: str) -> bool:
    text = _POSSESSIVE.sub("", span.strip())
    if not text or _BAD_CHARS.search(text) or "\n" in text:
        return False
    tokens = text.split()
    if not tokens or len(tokens) > 5:
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
    initial = re.compile(r"^[A-Z]\.?$")
    if (
        len(words) > 1
        and any(w.isupper() and len(w) > 1 and not initial.match(w) for w in words)
        and not all(w.isupper() for w in words)
    ):
        # "Quartz ERP", "Cobalt BI": an acronym next to a word is a product, not a name.
        return False
    if all(w.isupper() for w in words):
        # "JOHN SMITH" in a signature is a name; "BRCA1 TP53" was rejected above for digits.
        return len(words) >= 2 and all(len(w) > 1 for w in words)
    return all(
        (_NAME_TOKEN.match(w) or (0 < i < len(words) - 1 and initial.match(w))) and w[0].isupper()
        for i, w in enumerate(words)
    )


_NAME = r"[A-ZÀ-ÖØ-ÞĀ-ſ][a-zà-öø-ÿā-ſ'’-]+"
_NAME_SEQ = rf"{_NAME}(?:[ \t]+(?:[A-Z]\.[ \t]+)?{_NAME}){{0,3}}"
_CUES = (
    re.compile(
        rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\.ra|Dott)\.?"
        rf"[ \t]+({_NAME_SEQ}|[A-Z]\.[ \t]+{_NAME})"
    ),
    re.compile(
        rf"(?i:\b(?:my name is|my name's|i am|i'm|this is|call me|name:|full name:|contact:"
        rf"|employee:|applicant:|candidate:|patient:|customer:|client:|assignee:|reporter:"
        rf"|requester:|requested by:?|reported by:?|submitted by:?|approved by:?|signed:?"
        rf"|from:|to:|cc:|attn:?|attention:?|owner:|manager:|tenant:|guest:|passenger:"
        rf"|cardholder:?|account holder:?|beneficiary:?|employee name:?|driver:|nom:|name:"
        rf"|employee|manager|reporter|assignee|contact|emergency contact|bill to:?|ship to:?"
        rf"|dear|cc|assigned to|reassigned to|escalated to|forwarded to|handed over to"
        rf"|spoke to|spoke with|talked to|met with)\s*)"
        rf"({_NAME_SEQ})"
    ),
    re.compile(
        rf"(?m:^(?:Dear|Hi|Hello|Hey|Hallo|Bonjour|Hola|Ciao|Hej|Moi)[ \t]+({_NAME_SEQ})[,!]?)"
    ),
    re.compile(
        rf"(?m:^(?:Thanks|Thank you|Best|Regards|Best regards|Kind regards|Cheers|Sincerely"
        rf"|Mit freundlichen Grüßen|Cordialement|Saludos|Groeten)[,!]?[ \t]*\n[ \t]*({_NAME_SEQ})[ \t]*$)"
    ),
    re.compile(rf"(?m:^\[[^\]\n]{{1,40}}\][ \t]*({_NAME_SEQ}):)"),
    re.compile(
        r"(?i:my name is|call me)\s+"
        # "call me when you're here", "call me back": function words are no names.
        r"(?!(?:when|if|back|later|asap|now|at|on|in|any|again|the|a|an|and|or|after|before"
        r"|tomorrow|today|tonight|please|maybe|anytime|soon|once|so|as|to|from|with)\b)"
        r"([a-z][a-z'’-]{2,}(?:\s+[a-z][a-z'’-]{2,})?)(?=[\s.,!?]|$)"
    ),
)


def find_name_cues(text: str) -> Iterator[Candidate]:
    for pattern in _CUES:
        pos = 0
        while (match := pattern.search(text, pos)) is not None:
            start, end = match.span(1)
            pos = match.start() + 1
            # "Dr. Okafor Hi" -> try "Okafor Hi", then "Okafor".
            ends = [m.end() for m in re.finditer(r"\S+", text[start:end])]
            for cut in reversed(ends):
                value = text[start : start + cut]
                if value.islower() or plausible_person(value):
                    yield Candidate("PERSON", start, start + cut, CUE_SCORE, "name-cue")
                    pos = start + cut
                    break


_ORG_WORDS = frozenset(
    [
        "inc",
        "ltd",
        "llc",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "srl",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "corp",
        "corporation",
        "company",
        "co",
        "group",
        "holdings",
        "bank",
        "university",
        "college",
        "institute",
        "school",
        "hospital",
        "clinic",
        "foundation",
        "association",
        "society",
        "partners",
        "consulting",
        "solutions",
        "systems",
        "services",
        "technologies",
        "labs",
        "studio",
        "agency",
        "ministry",
        "council",
        "department",
        "office",
        "club",
        "orchestra",
        "band",
        "team",
        "fund",
        "trust",
        "capital",
        "media",
        "press",
        "enterprises",
        "industries",
        "traders",
        "trading",
        "logistics",
        "analytics",
        "storage",
        "payroll",
        "helpdesk",
        "gateway",
        "crm",
        "erp",
        "hr",
        "bi",
        "api",
        "cloud",
        "software",
        "networks",
        "energy",
        "pharma",
        "motors",
        "airlines",
        "insurance",
        "realty",
        "foods",
        "retail",
        "store",
        "shop",
        "market",
        "markets",
        "bakery",
        "cafe",
        "restaurant",
        "hotel",
        "resort",
    ]
)


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
            if person is not None:
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
    if not plausible_person(name) or _is_org_like(name):
        return None
    words = [w for w in name.split() if w.lower() not in _PARTICLES]
    lowered = [w.lower().strip(".") for w in words]
    # WordNet lists many given names ("mary", "john") as nouns: a known name is not a word here.
    known = [w in GIVEN_NAMES or w in SURNAMES for w in lowered]
    if label == "PERSON":
        if len(words) == 1 and lowered[0] in common and not known[0]:
            return None
        if len(words) == 1 and (lowered[0] in AMBIGUOUS or lowered[0] in EPONYMS):
            return None
        return name
    if 2 <= len(words) <= 3 and (lowered[0] not in common or known[0]) and len(lowered[0]) > 1:
        return name
    return None
