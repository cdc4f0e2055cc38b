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
_NAME_TOKEN = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][a-zà-öø-ÿā-ſ'’-]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)?|[A-Z]\.)$"
)
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
    if all(w.isupper() for w in words):
        # "JOHN SMITH" in a signature is a name; "BRCA1 TP53" was rejected above for digits.
        return len(words) >= 2 and all(len(w) > 1 for w in words)
    return all(_NAME_TOKEN.match(w) for w in words)


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
        rf"|cardholder:?|account holder:?|beneficiary:?|employee name:?|driver:|nom:|name)\s*)"
        rf"({_NAME_SEQ})"
    ),
    re.compile(
        rf"(?m:^(?:Dear|Hi|Hello|Hey|Hallo|Bonjour|Hola|Ciao|Hej|Moi)[ \t]+({_NAME_SEQ})[,!]?)"
    ),
    re.compile(
        rf"(?m:^(?:Thanks|Thank you|Best|Regards|Best regards|Kind regards|Cheers|Sincerely"
        rf"|Mit freundlichen Grüßen|Cordialement|Saludos|Groeten)[,!]?[ \t]*\n[ \t]*({_NAME_SEQ})[ \t]*$)"
    ),
    re.compile(
        r"(?i:my name is|call me)\s+([a-z][a-z'’-]{2,}(?:\s+[a-z][a-z'’-]{2,})?)(?=[\s.,!?]|$)"
    ),
)


def find_name_cues(text: str) -> Iterator[Candidate]:
    for pattern in _CUES:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            value = text[start:end]
            if value.islower() or plausible_person(value):
                yield Candidate("PERSON", start, end, CUE_SCORE, "name-cue")


def ner_candidates(doc: Any, wanted: frozenset[str]) -> Iterator[Candidate]:
    for ent in doc.ents:
        entity_type = SPACY_LABELS.get(ent.label_)
        if entity_type is None or entity_type not in wanted:
            continue
        if entity_type == "PERSON":
            text = ent.text
            if not plausible_person(text):
                continue
            trimmed = _POSSESSIVE.sub("", text.rstrip())
            yield Candidate(
                "PERSON", ent.start_char, ent.start_char + len(trimmed), NER_SCORE, "ner"
            )
        else:
            yield Candidate(entity_type, ent.start_char, ent.end_char, NER_SCORE, "ner")
