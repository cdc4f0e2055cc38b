"""Names found by the words around them: honorifics, greetings, sign-offs, role labels, lists.

A cue says "a person's name comes next"; what follows is taken as a name when it has a name's
shape (one to four letter words in any script, no digits or symbols, not a known non-name word),
whether or not the name is in any word list. Lower-case names are accepted only after the
strongest cues ("my name is", a sign-off, a role label), where the cue alone decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privrag.pii.detectors import Candidate
from privrag.pii.ner import plausible_person
from privrag.pii.scripts import LETTER, NAME_START, too_long_for_a_name
from privrag.pii.wordlists import words

CUE_SCORE = 0.8
# Role and list labels whose value is one or more people.
PERSON_LABELS = (
    r"attendees?|participants?|present|invitees?|guests?|speakers?|panel(?:lists)?|members?"
    r"|owners?|approvers?|reviewers?|authors?|assignees?|reporters?|requesters?|contacts?"
    r"|line\s+manager|manager|supervisor|lead|team\s+lead|on[- ]call|account\s+manager"
    r"|sales\s+rep|representative|agent|handler|caseworker|case\s+officer|signatory"
    r"|beneficiary|cardholder|account\s+holder|applicant|candidate|customer|client|patient"
    r"|employee|tenant|landlord|driver|passenger|sender|recipient|witness|emergency\s+contact"
    r"|next\s+of\s+kin|spouse|partner|mentor|buddy|interviewer|interviewee|host|organi[sz]er"
    r"|deltagare|teilnehmer|participants|osallistujat|deltakere|deelnemers|uczestnicy"
    r"|účastníci|résztvevők|katılımcılar|participantes|ansprechpartner|kontakt|contato|contacto"
)
_NOT_NAME = words("not_names") | words("stop_words") | words("org_words")
_ORG = words("org_words")
_NEVER_IN_NAME = words("not_names") | words("org_words") | words("roles")
_PARTICLES = words("particles")
_KNOWN_NAMES = words("given_names") | words("surnames")
_ORG_OR_ROLE = words("org_words") | words("roles")


# One name word in any script and case: "Ottó", "Kukal", "tabita", "O'Neil", "Jean-Luc", "J."
_LETTERS = LETTER
_WORD = rf"(?:{_LETTERS}(?:{_LETTERS}|['’-](?={_LETTERS}))*\.?)"
_NAME_SEQ = rf"{_WORD}(?:[ \t]+{_WORD}){{0,4}}"
# A name starts with a capital in scripts with case (Latin, Greek, Cyrillic, ...) and with any
# letter in scripts without (Hebrew, Arabic, Devanagari, Georgian, CJK, ...).
_TITLE = NAME_START
_TITLE_WORD = rf"(?:{_TITLE}(?:{_LETTERS}|['’-](?={_LETTERS}))+\.?|[A-Z]\.)"
# Family-name particles inside a name, lower or title case: "van", "bin", and the Gaelic "Ó",
# "Ní", "Mac an", after which the name word may carry a mutation ("Ó hAlmhain", "Ní tSúilleabháin").
_PARTICLE = (
    r"(?:van|von|de|der|den|da|di|do|dos|du|la|le|del|bin|binti|bint|ibn|al|el|ap|Ó|Ní|Uí|Ua"
    r"|a['’]|(?:Mac|Mhic|Nic)(?:[ \t]+an)?)"
)
_TITLE_SEQ = rf"{_TITLE_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+(?:h|n-|t-?)?)?{_TITLE_WORD}){{0,3}}"

_HONORIFIC = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\.ra|Dott|Pan|Pani"
    rf"|Bay|Bayan|Sn|Hr|Fr|Fru|Rouva|Herra|Dhr|Mevr)\.?[ \t]+({_TITLE_SEQ})"
)
# Whose name it is is said: "my name is", "her maiden name is", "surname is", "named him".
_NAME_IS = (
    r"(?:(?:my|his|her|their|your|our)\s+(?:(?:last|first|given|family|maiden|middle|full"
    r"|birth)\s+)?name|(?:last|first|given|family|maiden|middle|sur)\s*name)\s+(?:is|was)"
)
_LABEL_CUE = re.compile(
    rf"(?i:\b(?:my\s+name\s+is|my\s+name's|i\s+am|i'm|this\s+is|call\s+me|name|full\s+name"
    rf"|requested\s+by|reported\s+by|submitted\s+by|approved\s+by|signed(?:\s+by)?|created\s+by"
    rf"|prepared\s+by|raised\s+by|handled\s+by"
    # Whose file it is: "KYC review for X", "complaint from X", "application from X".
    rf"|(?:review|file|case|application|request|complaint|claim|profile|record|booking"
    rf"|reservation|appointment|contract|offer|onboarding|background\s+check|letter|message"
    rf"|call|email|e-mail|ticket)s?\s+(?:for|from)"
    # Who did a step of a workflow: "Verified by X", "countersigned by X".
    rf"|(?:verified|reviewed|checked|confirmed|authori[sz]ed|witnessed|countersigned|audited"
    rf"|updated|edited|closed|resolved|completed|processed|entered|received|accepted|rejected"
    rf"|escalated|owned|managed|hosted|organi[sz]ed|presented|drafted|assigned|opened|logged"
    rf"|filed|booked|cancell?ed|authored|led|run)\s+by|attn|attention|bill\s+to|ship\s+to|dear"
    # Any "<step> by:" label names who did it ("Served by: X", "Packed by: X"), except the
    # steps that credit a firm or a product ("Powered by:", "Sponsored by:").
    rf"|(?!(?:powered|sponsored|funded|provided|published|manufactured|distributed|developed"
    rf"|produced|operated|supplied|supported|built|made|brought)\b)[^\W\d_]+[ \t]+by(?=[ \t]*:)"
    rf"|assigned\s+to|reassigned\s+to|escalated\s+to|forwarded\s+to|handed\s+over\s+to"
    rf"|spoke\s+to|spoke\s+with|talked\s+to|met\s+with|on\s+behalf\s+of|per|c/o"
    rf"|(?:refund|payment|transfer|credit|access|leave|expense|exception|loan|claim)s?"
    rf"\s+(?:approved|issued|granted|requested|processed|opened|denied|declined|sent|paid)"
    rf"\s+(?:for|to|by)|(?:issued|paid|sent|granted|refunded|owed)\s+to"
    # Reaching someone: "paged Ilmari at ...", "cc Petter", "ask Csilla to ...".
    rf"|paged|pinged|phoned|called|rang|texted|messaged|emailed|e-mailed|contacted|notified"
    rf"|informed|asked|told|reminded|thanked|cc'?d|cc|call|page|ping|phone|ring|text|message"
    rf"|email|e-mail|contact|notify|inform|ask|tell|remind|thank)\b[ \t]*:?[ \t]*"
    # A role label names a person only with a separator: "manager is X", "Owner: X".
    rf"|(?:{PERSON_LABELS})(?:\s+(?:is|was|are|were|will\s+be)"
    rf"(?:\s+(?:now|still|currently|also|again|temporarily|then))?\b|[ \t]*[:=–-])[ \t]*"
    # "What's your last name? Arcuri", "Surname: Ryhänen".
    rf"|(?:last|first|given|family|maiden|middle|sur)\s*name\s*[?:=]\s*"
    rf"|{_NAME_IS}\s+|named\s+(?:him|her|them)\s+)"
    rf"({_TITLE_SEQ})"
)
# A message headed with whom it is for: "Reminder for Akinlabi:", "Notice to ثنا,", "Parcel for
# Dunia -". The name must end at the separator, so "Reminder for Monday's meeting" is not one.
_HEADED_FOR = re.compile(
    rf"(?i:\b(?:reminder|notice|note|memo|voicemail|invitation|invite|receipt|parcel|package"
    rf"|delivery|confirmation|notification|alert|results?|update|message|letter)s?[ \t]+"
    rf"(?:for|to))[ \t]+({_TITLE_SEQ})(?=[ \t]*(?:[:,!]|[–-][ \t]))"
)
# A person named by their role right before the name: "Driver Eimantas left the parcel",
# "our courier Thiago Díaz", "nurse Mare Tamm"; the name must pass plausible_person, so "Customer
# Service" or "Agent Portal" do not.
_ROLE_NOUNS = (
    r"driver|courier|cashier|technician|nurse|doctor|colleague|neighbou?r|mechanic|plumber"
    r"|electrician|inspector|receptionist|caretaker|janitor|guard|agent|intern|contractor"
    r"|consultant|advis[eo]r|accountant|lawyer|solicitor|attorney|notary|landlord|tenant"
    r"|customer|client|patient|employee|colleague|recruiter|tutor|teacher|coach|translator"
)
_ROLE_APPOSITION = re.compile(rf"(?i:\b(?:{_ROLE_NOUNS}))[ \t]+({_TITLE_SEQ})")
# The name and then the role in brackets: "with Thiago Díaz (neighbour)", "Jana Ott (driver)".
_ROLE_AFTER = re.compile(
    rf"({_TITLE_SEQ})[ \t]*\((?i:{_ROLE_NOUNS}|{PERSON_LABELS}|friend|relative|wife|husband"
    rf"|son|daughter|mother|father|sister|brother|parent|guardian|carer|caregiver)\)"
)
# An address block's label and the name alone on the next line: "Bill to:\nLuna Molina".
_BLOCK_LABEL = re.compile(
    rf"(?im:\b(?:bill(?:ed)?\s+to|ship\s+to|sold\s+to|deliver\s+to|invoice\s+to|attn"
    rf"|attention|recipient|consignee|addressee)[ \t]*:?[ \t]*\n[ \t]*({_NAME_SEQ})[ \t]*$)"
)
# Someone addressed by name at the start of a line: "Warrane, can I please speak to your boss?"
_VOCATIVE = re.compile(
    rf"(?m:^[ \t]*({_TITLE_WORD}),[ \t]+(?=(?i:can|could|would|will|please|i|you|do|did|are"
    rf"|have|thanks|thank|sorry|where|what|when|how|why|is|was)\b))"
)
# A list of people after a role label: "Attendees: Ottó Erkel, Jana Nováková and Li Wei".
_LIST_LABEL = re.compile(rf"(?im:^[ \t\-*•]*(?:{PERSON_LABELS})[ \t]*[:=-][ \t]*(.+)$)")
_LIST_ITEM = re.compile(
    rf"(?:^|[,;/&]|\band\b|\bund\b|\bog\b|\boch\b|\bet\b|\bja\b|\bi\b|\bve\b)[ \t]*({_NAME_SEQ})(?=[ \t]*(?:[,;/&(<]|\band\b|$|[ \t]+\())"
)
_GREETING = re.compile(
    rf"(?im:^[ \t]*(?:dear|hi|hello|hey|hallo|bonjour|hola|ciao|hej|moi|hei|ahoj|cześć|szia"
    rf"|merhaba|olá|oi|god\s+morgen|goedemorgen|guten\s+tag|dzień\s+dobry|dobrý\s+den)"
    rf"[ \t]+({_NAME_SEQ})[ \t]*[,!:]?[ \t]*$)"
)
_SIGN_OFF = (
    r"thanks|thank\s+you|many\s+thanks|best|best\s+regards|kind\s+regards|warm\s+regards|regards"
    r"|cheers|sincerely|yours|yours\s+sincerely|yours\s+truly|yours\s+faithfully|br|brgds|rgds|ttyl"
    r"|mit\s+freundlichen\s+grüßen|viele\s+grüße|beste\s+grüße|liebe\s+grüße|gruß|grüße"
    r"|cordialement|bien\s+à\s+vous|saludos|un\s+saludo|atentamente|groeten|met\s+vriendelijke\s+groet"
    r"|med\s+vennlig\s+hilsen|vennlig\s+hilsen|mvh|med\s+venlig\s+hilsen|venlig\s+hilsen"
    r"|med\s+vänliga\s+hälsningar|vänliga\s+hälsningar|mvh|ystävällisin\s+terveisin|terveisin"
    r"|pozdrawiam|z\s+poważaniem|s\s+pozdravem|s\s+pozdravom|üdvözlettel|saygılarımla"
    r"|atenciosamente|abraços|abs|obrigado|obrigada|distinti\s+saluti|cordiali\s+saluti|saluti"
)
# Longest first: "best" must not win over "best regards" and leave "regards" as the name.
_SIGN_OFFS = "|".join(sorted(_SIGN_OFF.split("|"), key=len, reverse=True))
# "Regards, Aquila Borges" on one line, or the sign-off and the name on consecutive lines.
# The sign-off starts a line or follows a sentence end ("... 20 EUR. Regards, Lucrețiu Voinea").
_SIGNATURE = re.compile(
    rf"(?im:(?:^|(?<=[.!?])[ \t])[ \t]*(?:{_SIGN_OFFS})[ \t]*[,!.]?[ \t]*(?:\n[ \t]*(?:--[ \t]*\n[ \t]*)?|[ \t]+)"
    rf"({_NAME_SEQ})[ \t]*(?:[,|–-]|$))"
)
_DASH_SIGNATURE = re.compile(rf"(?m:^--[ \t]*\n[ \t]*({_NAME_SEQ})[ \t]*$)")
_MY_NAME = re.compile(
    rf"(?i:{_NAME_IS}|call me|named\s+(?:him|her|them))\s+"
    r"(?!(?:when|if|back|later|asap|now|at|on|in|any|again|the|a|an|and|or|after|before"
    r"|tomorrow|today|tonight|please|maybe|anytime|soon|once|so|as|to|from|with)\b)"
    r"([a-z][a-z'’-]{2,}(?:\s+[a-z][a-z'’-]{2,})?)(?=[\s.,!?]|$)"
)


def _everyday(low: str, common: frozenset[str]) -> bool:
    """An everyday English word, plurals included ("fees", "improvements", "apps")."""
    return (
        low in common
        or low in _NOT_NAME
        or (low.endswith("s") and (low[:-1] in common or low[:-2] in common))
    )


def _name_like(value: str, *, any_case: bool) -> bool:
    tokens = value.split()
    if not tokens or len(tokens) > 5 or any(too_long_for_a_name(t) for t in tokens):
        return False
    lowered = [t.rstrip(".").casefold() for t in tokens]
    if lowered[0] in _NOT_NAME or any(low in _NEVER_IN_NAME for low in lowered[:1]):
        return False
    if any_case:
        # A firm or a role never joins a name; a month or another ordinary word may ("May").
        if any(low in _ORG_OR_ROLE for low in lowered) or any(
            low in _NEVER_IN_NAME and not token[:1].isupper()
            for token, low in zip(tokens, lowered, strict=True)
        ):
            return False
        # After the first word, a particle ("Pieter van Beaumont") or a title-case word that
        # is also an ordinary word ("Shawn May", "Edda Ring") is part of the name.
        if any(
            low in _NOT_NAME and low not in _PARTICLES and not (i and token[:1].isupper())
            for i, (token, low) in enumerate(zip(tokens, lowered, strict=True))
        ):
            return False
        return all(
            len(low) >= 2 or t.endswith(".") or low in _PARTICLES
            for t, low in zip(tokens, lowered, strict=True)
        )
    if any(low in _NEVER_IN_NAME for low in lowered):
        return False
    # After a cue, a capitalised word that is also a stop word is a surname ("Gyda From").
    return plausible_person(value)


def _trimmed(
    text: str, start: int, end: int, *, any_case: bool, whole: bool = False
) -> tuple[int, int] | None:
    """The longest prefix of text[start:end], cut at word ends, that is name-like (only the
    whole span when the cue anchors the name's end, as a sign-off line does)."""
    ends = [m.end() for m in re.finditer(r"\S+", text[start:end])]
    # "Customer: Northwind Traders" names a firm: no prefix of it is a person.
    if any(w.casefold().strip(".,") in _ORG for w in text[start:end].split()):
        return None
    if whole:
        ends = ends[-1:]
    for cut in reversed(ends):
        value = text[start : start + cut].rstrip(".,;:")
        if value and _name_like(value, any_case=any_case):
            return start, start + len(value)
    return None


def find_name_cues(text: str, common: frozenset[str] = frozenset()) -> Iterator[Candidate]:
    for match in _VOCATIVE.finditer(text):
        word = match.group(1)
        low = word.casefold()
        if low not in common and low not in _NOT_NAME and _name_like(word, any_case=False):
            yield Candidate("PERSON", *match.span(1), CUE_SCORE, "name-cue")
    for pattern, any_case, whole in (
        (_HONORIFIC, False, False),
        (_LABEL_CUE, False, False),
        (_HEADED_FOR, False, True),
        (_GREETING, True, True),
        (_SIGNATURE, True, True),
        (_DASH_SIGNATURE, True, True),
        (_MY_NAME, True, False),
        (_ROLE_AFTER, False, True),
        (_BLOCK_LABEL, True, True),
    ):
        for match in pattern.finditer(text):
            span = _trimmed(text, *match.span(1), any_case=any_case, whole=whole)
            if span is not None:
                yield Candidate("PERSON", *span, CUE_SCORE, "name-cue")
    # Without a separator the role noun is a weaker cue: "Client Portal", "Driver App" are not
    # names, so the first word must be a known name or not an everyday word ("Jane Doe" is).
    for match in _ROLE_APPOSITION.finditer(text):
        span = _trimmed(text, *match.span(1), any_case=False)
        first = text[span[0] : span[1]].split()[0].casefold().rstrip(".") if span else ""
        if span is not None and (first in _KNOWN_NAMES or not _everyday(first, common)):
            yield Candidate("PERSON", *span, CUE_SCORE, "name-cue")
    for match in _LIST_LABEL.finditer(text):
        offset = match.start(1)
        for item in _LIST_ITEM.finditer(match.group(1)):
            span = _trimmed(text, offset + item.start(1), offset + item.end(1), any_case=True)
            if span is not None:
                yield Candidate("PERSON", *span, CUE_SCORE, "name-list")
