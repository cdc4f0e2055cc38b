"""Structure-aware detection: the layout of a text says which values are personal data.

* Tables (CSV, TSV, ``;`` or ``|`` separated) whose header names a column ``name``, ``phone``,
  ``street``, ``ssn`` ...: every value in that column is of that type, whatever it looks like.
* ``key: value``, ``key = value`` and JSON-ish ``"key": "value"`` lines with such a key.
* Mail headers (``From:``, ``To:``, ``Cc:``, ...): the display names.
* Chat logs (two or more ``speaker: message`` lines): the speakers, in any case.

The label decides the type (fail closed): ``SSN: 219-09-9999`` is an SSN even though no such
number was ever issued, and a number under a ``passport`` header is a passport, not an SSN.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator

from privrag.pii.credentials import not_reference
from privrag.pii.detectors import Candidate
from privrag.pii.wordlists import words

LABEL_SCORE = 0.95
SPEAKER_SCORE = 0.8

# Normalised key (lower case, letters only) -> type. Order matters: first match wins.
_KEYS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), entity_type)
    for pattern, entity_type in (
        (r"(?:e?mail|email(?:address)?|correo|courriel)$", "EMAIL_ADDRESS"),
        (r"(?:ssn|socialsecurity(?:number|no)?|sozialversicherungsnummer)$", "US_SSN"),
        (
            r"(?:passport|passeport|reisepass|pasaporte|passaporto|passi)(?:number|no|nr|id)?$",
            "PASSPORT",
        ),
        (
            r"(?:driverslicen[cs]e|driverlicen[cs]e|drivinglicen[cs]e|dl|licen[cs]e)(?:number|no|nr)?$",
            "DRIVER_LICENSE",
        ),
        (r"(?:iban)$", "IBAN_CODE"),
        (r"(?:creditcard|card|cardnumber|cc|pan)(?:number|no)?$", "CREDIT_CARD"),
        (
            r"(?:bankaccount|account|accountnumber|acct|kontonummer|konto)(?:number|no|nr)?$",
            "BANK_ACCOUNT",
        ),
        (
            r"(?:nationalid|idnumber|idcard|personalid|personnummer|henkilotunnus|pesel|cpf|cnp"
            r"|tcno|tckimlik|tckimlikno|bsn|nin|nino|taxid|tin|sin|tfn|cpr|rodnecislo|birthnumber"
            r"|fodselsnummer|personalidentitycode|socialinsurance(?:number)?)$",
            "NATIONAL_ID",
        ),
        (
            r"(?:dob|dateofbirth|birth(?:date|day)?|geburtsdatum|fodselsdato|fecha(?:de)?nacimiento"
            r"|datanascimento|syntymaaika|dogumtarihi)$",
            "DATE_OF_BIRTH",
        ),
        (
            r"(?:phone|tel|telephone|mobile|mob|cell|cellphone|fax|telefon|telefone|telefono|puhelin"
            r"|handy|gsm|whatsapp|tlf|contactnumber|phonenumber|mobilenumber)(?:number|no|nr|\d)?$",
            "PHONE_NUMBER",
        ),
        (
            r"(?:street|streetaddress|address|addr|address\d|addressline\d?|homeaddress|mailingaddress"
            r"|shippingaddress|billingaddress|residence|adresse|anschrift|direccion|endereco|indirizzo"
            r"|adres|osoite|gata|gate|vej|ulice|utca|ulica|rua|calle|strasse)$",
            "STREET_ADDRESS",
        ),
        (
            r"(?:password|passwd|pwd|pass|secret|token|apikey|apitoken|accesskey|secretkey"
            r"|privatekey|clientsecret|authtoken|accesstoken|credentials?|passphrase|pin)$",
            "SECRET",
        ),
        (r"(?:ip|ipaddress|ipaddr|clientip|sourceip|srcip|remoteaddr)$", "IP_ADDRESS"),
        (
            r"(?:name|fullname|firstname|lastname|givenname|surname|familyname|forename|middlename"
            r"|displayname|contactname|customername|clientname|employeename|employee|person|contact"
            r"|customer|client|patient|applicant|owner|assignee|reporter|requester|author|agent"
            r"|manager|linemanager|supervisor|approver|reviewer|recipient|sender|attendee|speaker"
            r"|user(?:name)?|holder|accountholder|cardholder|beneficiary|signatory|nome|nombre|nom"
            r"|navn|namn|nimi|jmeno|imie|nazwisko|isim|ad|soyad|adsoyad|vorname|nachname|etunimi"
            r"|sukunimi|fornavn|etternavn|efternamn|fornamn|prijmeni|vezeteknev|keresztnev"
            r"|sobrenome|apellido)$",
            "PERSON",
        ),
    )
)
_ORG_WORDS = words("org_words")
_GIVEN = words("given_names")
_MAIL_HEADER = re.compile(
    r"(?im:^[ \t>]*(?:from|to|cc|bcc|reply-to|sender|von|an|de|à|para|från|till|fra|til|od|do"
    r"|kimden|kime|lähettäjä|vastaanottaja)[ \t]*:[ \t]*(.+)$)"
)
_ADDRESSEE = re.compile(r"[\"']?([^\"'<>,;@\n]+?)[\"']?[ \t]*<[^<>\n]*@[^<>\n]*>")
_QUOTED_LASTFIRST = re.compile(r"\"([^\"<>@\n]+)\"[ \t]*<")
_WROTE = re.compile(
    r"(?im:^[ \t>]*on\b[^\n]{0,60}?,[ \t]*([^\n<>@,]{2,60}?)[ \t]*<[^<>\n]*>[ \t]*wrote:)"
)
_KV = re.compile(
    r"(?m:^[ \t>*\-•]*[\"']?([A-Za-zÀ-ÿ][\w .'/-]{0,40}?)[\"']?[ \t]*(?::|=|=>|\t| - | – )[ \t]*"
    r"(\"[^\"\n]*\"|'[^'\n]*'|[^\n]*?)[ \t]*,?[ \t]*$)"
)
_INLINE_PAIR = re.compile(r"(?<![\w.-])([A-Za-z][\w.-]{0,30})=(\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',;]+)")
_JSON_PAIR = re.compile(r"\"([A-Za-z][\w .-]{0,40})\"[ \t]*:[ \t]*\"([^\"\n]{1,200})\"")
_SPEAKER = re.compile(
    r"(?m:^[ \t]*(?:\[[^\]\n]{1,30}\][ \t]*|\(?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AaPp][Mm])?\)?[ \t]*"
    r"|\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?[ \t]*)?<?@?"
    r"([^\W\d_][^\W_]*(?:[ ._-][^\W\d_][^\W_]*){0,2})>?[ \t]*:[ \t]+\S)"
)
_NAME_VALUE_STOP = re.compile(r"[,;(<|\d@/\\]|\s-\s|\s{2,}|\t")
_SPEAKER_NOT = (
    words("stop_words")
    | words("not_names")
    | frozenset(
        [
            "subject",
            "re",
            "fwd",
            "note",
            "notes",
            "todo",
            "status",
            "summary",
            "update",
            "action",
            "error",
            "warning",
            "warn",
            "info",
            "debug",
            "question",
            "answer",
            "q",
            "a",
            "re",
            "date",
            "time",
            "when",
            "where",
            "why",
            "how",
            "result",
            "output",
            "input",
            "step",
            "tip",
        ]
    )
)


# Types a key's last word decides on its own: "Beneficiary account:", "Guest mobile:", "Payer
# IBAN:" are an account, a phone, an IBAN whatever qualifies them. Not a name ("Product name:" is
# no person), and only for a key with its value, never a table header: a header line is any line
# with a comma, and "Karl Johans gate 18, Suite 210" is an address, not two labels.
_HEAD_NOUN_TYPES = frozenset(
    {
        "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "BANK_ACCOUNT", "STREET_ADDRESS",
        "CREDIT_CARD", "IP_ADDRESS", "DATE_OF_BIRTH",
    }
)  # fmt: skip


def _key_type(key: str, *, head_noun: bool = False) -> str | None:
    found = _whole_key_type(key)
    # A run of underscores is a token the scrubber masked ("<PERSON>" seen as "________"): a
    # key reaching across one is prose around earlier PII, not a label; were it read as one, a
    # second scrub would find what the first could not (the original there was "@" or "+").
    if found is None and head_noun and "___" not in key and not any(ch.isdigit() for ch in key):
        words = re.findall(r"[^\W\d_]+", key)
        if len(words) >= 2 and (head := _whole_key_type(words[-1])) in _HEAD_NOUN_TYPES:
            return head
    return found


def _whole_key_type(key: str) -> str | None:
    norm = re.sub(r"[^a-z0-9]", "", key.casefold())
    norm = (
        re.sub(r"(?:number|no|nr|num|id)(\d?)$", r"number\1", norm)
        if norm.endswith(("no", "nr", "num"))
        else norm
    )
    for pattern, entity_type in _KEYS:
        if pattern.match(norm):
            return entity_type
    return None


def _value_span(
    text: str, start: int, end: int, entity_type: str, *, column: bool = False
) -> tuple[int, int] | None:
    value = text[start:end]
    stripped = value.strip().strip("\"'")
    if not stripped or stripped.lower() in {"n/a", "na", "none", "null", "-", "—", "tbd", "?"}:
        return None
    # A Markdown separator row ("|---|---|") has cells but no values.
    if not any(ch.isalnum() for ch in stripped):
        return None
    start += value.index(stripped)
    end = start + len(stripped)
    if entity_type == "PERSON":
        cut = _NAME_VALUE_STOP.search(text, start, end)
        if cut is not None:
            end = cut.start()
        name = text[start:end].rstrip(" .")
        tokens = name.split()
        if (
            not tokens
            or len(tokens) > 5
            or "<" in name
            or any(t.casefold().strip(".,&") in _ORG_WORDS for t in tokens)
            or not all(any(ch.isalpha() for ch in t) for t in tokens)
        ):
            return None
        return start, start + len(name)
    if entity_type == "SECRET":
        token = re.match(r"\S+", text[start:end])
        if token is None or not not_reference(token.group()):
            return None
        return start, start + token.end()
    if entity_type in {"STREET_ADDRESS", "DATE_OF_BIRTH"}:
        # An address has a house number or a postcode; "Billing address: on file" has neither.
        # A column header is label enough; a prose label needs the digit.
        return (start, end) if column or any(ch.isdigit() for ch in stripped) else None
    if entity_type == "EMAIL_ADDRESS":
        return (start, end) if "@" in stripped or "at" in stripped.lower() else None
    # Identifiers and numbers: the value must hold a digit (a "Phone: ask reception" is no PII).
    if not any(ch.isdigit() for ch in stripped) or len(stripped) > 48:
        return None
    return start, end


def _tables(text: str) -> Iterator[Candidate]:
    lines = text.splitlines(keepends=True)
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    i = 0
    while i < len(lines):
        header = lines[i].rstrip("\r\n")
        delimiter = next((d for d in ("\t", ";", "|", ",") if header.count(d) >= 1), None)
        if delimiter is None or len(header) > 400:
            i += 1
            continue
        cells = [c.strip().strip("\"'") for c in header.strip().strip("|").split(delimiter)]
        types = [_key_type(c) if len(c) <= 40 else None for c in cells]
        if not any(types) or not all(re.fullmatch(r"[\w .#/()-]{1,40}", c) for c in cells if c):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip():
            row_start = offsets[j]
            row = lines[j].rstrip("\r\n")
            for col, (cell_start, cell_end) in enumerate(_cells(row, delimiter)):
                if col >= len(types) or types[col] is None:
                    continue
                entity_type = types[col]
                assert entity_type is not None
                span = _value_span(
                    text, row_start + cell_start, row_start + cell_end, entity_type, column=True
                )
                if span is not None:
                    yield Candidate(entity_type, *span, LABEL_SCORE, "table")
            j += 1
        i = j


def _cells(row: str, delimiter: str) -> list[tuple[int, int]]:
    """(start, end) of each cell, honouring double quotes around cells that hold the delimiter."""
    if '"' not in row:
        spans, pos = [], 0
        body_start = 1 if delimiter == "|" and row.lstrip().startswith("|") else 0
        if body_start:
            pos = row.index("|") + 1
        for piece in row[pos:].split(delimiter):
            spans.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        return spans
    spans = []
    pos = 0
    for cell in next(csv.reader([row], delimiter=delimiter)):
        found = row.find(cell, pos)
        if found < 0:
            break
        spans.append((found, found + len(cell)))
        pos = found + len(cell)
    return spans


def _key_values(text: str) -> Iterator[Candidate]:
    for match in _KV.finditer(text):
        entity_type = _key_type(match.group(1), head_noun=True)
        if entity_type is None:
            continue
        separator = text[match.end(1) : match.start(2)]
        # "Employee<TAB>Mobile<TAB>Home address" is a table header, not a key and its value.
        if "\t" in match.group(2) and separator.strip(" \t\"'") == "":
            continue
        span = _value_span(text, *match.span(2), entity_type)
        if span is not None:
            yield Candidate(entity_type, *span, LABEL_SCORE, "key-value")
    # Several pairs on one line, as log lines write them: customer="Rahel Kessler" phone=5367202.
    if "=" in text:
        yield from _labelled_values(text, _INLINE_PAIR.finditer(text))
    if '"' in text:
        yield from _labelled_values(text, _JSON_PAIR.finditer(text))


def _labelled_values(text: str, matches: Iterator[re.Match[str]]) -> Iterator[Candidate]:
    """Group 2 of each match is a value of the type its key (group 1) names."""
    for match in matches:
        entity_type = _key_type(match.group(1))
        if entity_type is None:
            continue
        span = _value_span(text, *match.span(2), entity_type)
        if span is not None:
            yield Candidate(entity_type, *span, LABEL_SCORE, "key-value")


def _mail_headers(text: str) -> Iterator[Candidate]:
    for match in (*_MAIL_HEADER.finditer(text), *_WROTE.finditer(text)):
        if match.re is _WROTE:
            span = _value_span(text, *match.span(1), "PERSON")
            if span is not None:
                yield Candidate("PERSON", *span, LABEL_SCORE, "mail-header")
            continue
        line_start, line_end = match.span(1)
        line = text[line_start:line_end]
        for quoted in _QUOTED_LASTFIRST.finditer(line):
            start = line_start + quoted.start(1)
            yield Candidate(
                "PERSON", start, start + len(quoted.group(1)), LABEL_SCORE, "mail-header"
            )
        for addressee in _ADDRESSEE.finditer(line):
            start, end = line_start + addressee.start(1), line_start + addressee.end(1)
            span = _value_span(text, start, end, "PERSON")
            if span is not None:
                yield Candidate("PERSON", *span, LABEL_SCORE, "mail-header")
        if "@" not in line:
            for piece in re.finditer(r"[^,;]+", line):
                span = _value_span(
                    text, line_start + piece.start(), line_start + piece.end(), "PERSON"
                )
                if span is not None:
                    yield Candidate("PERSON", *span, LABEL_SCORE - 0.15, "mail-header")


def _speakers(text: str, common: frozenset[str]) -> Iterator[Candidate]:
    labelled = [m for m in _SPEAKER.finditer(text) if _speaker_ok(m.group(1), common, True)]
    matches = [m for m in labelled if _speaker_ok(m.group(1), common, False)]
    # Timestamped turns by two or more labels ("[08:02] rose: ...") are a conversation whatever
    # the labels are: there every label is a speaker, even a dictionary word ("rose", "mark").
    stamped = [m for m in labelled if m.group(1) != m.group(0).lstrip()[: len(m.group(1))]]
    stamped_turns = Counter(m.group(1).casefold() for m in stamped)
    if len(stamped_turns) >= 2 and sum(stamped_turns.values()) >= 3:
        matches = list({m.start(): m for m in (*matches, *stamped)}.values())
    if len(matches) < 2:
        return
    # In a conversation (turns by two or more speakers), a label that takes turns is a speaker
    # even when it is also a dictionary word ("merle", "guy", "amico").
    turns = Counter(m.group(1).casefold() for m in labelled)
    if len(turns) >= 2 and sum(turns.values()) >= 3:
        matches = [m for m in labelled if m in matches or turns[m.group(1).casefold()] >= 2]
    for m in matches:
        yield Candidate("PERSON", *m.span(1), SPEAKER_SCORE, "chat-speaker")


def _speaker_ok(label: str, common: frozenset[str], dictionary_words: bool) -> bool:
    parts = re.split(r"[ ._-]", label.casefold())
    # "Region: EMEA" is a field, "tabita: did the batch run?" a speaker; known names are both.
    if not dictionary_words and all(p in common and p not in _GIVEN for p in parts):
        return False
    return (
        _key_type(label) is None
        and not any(p in _SPEAKER_NOT for p in parts)
        and not (len(parts) > 1 and parts[-1] in {"bot", "system", "server"})
    )


_SIGN_OFF_LINE = re.compile(
    r"(?im:^[ \t]*(?:--|best|regards|best\s+regards|kind\s+regards|thanks|thank\s+you|cheers"
    r"|sincerely|br|mit\s+freundlichen\s+grüßen|viele\s+grüße|cordialement|saludos|atentamente"
    r"|groeten|met\s+vriendelijke\s+groet|pozdrawiam|distinti\s+saluti|cordiali\s+saluti"
    r"|med\s+vennlig\s+hilsen|med\s+venlig\s+hilsen|vänliga\s+hälsningar|terveisin"
    r"|s\s+pozdravem|üdvözlettel|saygılarımla|atenciosamente)[ \t]*[,!.]?[ \t]*$)"
)
# A line that is only a phone number, perhaps after a short label ("M:", "Tel.", "mob").
_PHONE_LINE = re.compile(
    r"(?m:^[ \t]*(?:[^\W\d_]{1,6}\.?[ \t]*:?[ \t]*)?(\+?[\d(][\d \t().\-/]{5,}\d)[ \t]*$)"
)


# A line that is a name, a separator and a number: "Rohan Setrick - 094-45-29".
_NAME_PHONE_LINE = re.compile(
    r"(?m:^[ \t]*[^\W\d_][^\W\d_'’.-]*(?:[ \t]+[^\W\d_][^\W\d_'’.-]*){0,3}[ \t]+[-–|][ \t]+"
    r"(\+?[\d(][\d \t().\-/]{5,}\d(?:[ \t]*(?:x|ext\.?)[ \t]*\d{1,6})?)[ \t]*$)"
)


_DATE_LIKE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def _name_phones(text: str) -> Iterator[Candidate]:
    for line in _NAME_PHONE_LINE.finditer(text):
        value = line.group(1)
        # "Release - 2024-11-03": a date is not a phone number.
        if sum(ch.isdigit() for ch in value) >= 7 and not _DATE_LIKE.match(value):
            yield Candidate("PHONE_NUMBER", *line.span(1), LABEL_SCORE, "name-phone-line")


def _signature_phones(text: str) -> Iterator[Candidate]:
    """Phone-only lines in the few lines under a sign-off: a signature block's number."""
    for sign_off in _SIGN_OFF_LINE.finditer(text):
        block_end = sign_off.end()
        for _ in range(5):
            nxt = text.find("\n", block_end + 1)
            block_end = len(text) if nxt < 0 else nxt
        for line in _PHONE_LINE.finditer(text, sign_off.end(), block_end):
            digits = sum(ch.isdigit() for ch in line.group(1))
            if 7 <= digits <= 15:
                yield Candidate("PHONE_NUMBER", *line.span(1), LABEL_SCORE - 0.1, "signature")


# vCard (RFC 6350) properties: the property name decides the type of each ";" component.
_VCARD_PROPERTY = re.compile(r"(?im:^(N|FN|NICKNAME|ADR|TEL|EMAIL|BDAY)(?:;[^:\n]*)?:([^\n]*)$)")
# Which components hold the value: N is family;given;additional;prefix;suffix, ADR is
# po-box;extended;street;locality;region;postcode;country (the street and the unit).
_VCARD_PARTS = {
    "N": ("PERSON", (0, 1, 2)),
    "ADR": ("STREET_ADDRESS", (0, 1, 2)),
    "FN": ("PERSON", None),
    "NICKNAME": ("PERSON", None),
    "TEL": ("PHONE_NUMBER", None),
    "EMAIL": ("EMAIL_ADDRESS", None),
    "BDAY": ("DATE_OF_BIRTH", None),
}


def _vcard(text: str) -> Iterator[Candidate]:
    for match in _VCARD_PROPERTY.finditer(text):
        entity_type, parts = _VCARD_PARTS[match.group(1).upper()]
        start = match.start(2)
        pieces = [(start, match.end(2))]
        if parts is not None:
            pieces = []
            for i, component in enumerate(match.group(2).split(";")):
                if i in parts and component.strip():
                    pieces.append((start, start + len(component)))
                start += len(component) + 1
        for a, b in pieces:
            value = text[a:b].strip()
            if value:
                a += len(text[a:b]) - len(text[a:b].lstrip())
                yield Candidate(entity_type, a, a + len(value), LABEL_SCORE, "key-value")


def find_structured(text: str, common: frozenset[str]) -> Iterator[Candidate]:
    if "BEGIN:VCARD" in text.upper():
        yield from _vcard(text)
    if "\n" in text and any(d in text for d in ",;\t|"):
        yield from _tables(text)
    if any(d in text for d in ":=\t-"):
        yield from _key_values(text)
        yield from _mail_headers(text)
        yield from _speakers(text, common)
    if "\n" in text:
        yield from _signature_phones(text)
    if any(d in text for d in "-–|"):
        yield from _name_phones(text)
