"""Regex recognizers for contact details, financial numbers, national ids and dates of birth.

Every recognizer validates what it can (Luhn, IBAN mod-97, SSN and NINO allocation rules, national
id checksums) and uses context words to raise or lower its score, so a bare digit run only becomes
PII when its shape or its neighbours say so. Label-driven recognizers (passport, driving licence,
bank account, generic national id) only fire right after their label. Secrets and street addresses
live in their own modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from privrag.pii import validators as v
from privrag.pii.detectors import Candidate, RegexDetector


def _words(joined: str) -> tuple[str, ...]:
    return tuple(joined.split("|"))


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin"
    r"|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio"
    r"|julio|agosto|septiembre|octubre|noviembre|diciembre)"
)
DATE = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s+(?:of\s+|de\s+)?{_MONTH}\.?,?\s+(?:de\s+)?\d{{4}}"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)

PHONE_CONTEXT = _words(
    "phone|telephone|tel|tel.|mobile|mob|cell|cellphone|call|called|calling|"
    "fax|ring|text me|sms|whatsapp|signal|contact|reach|dial|hotline|landline|"
    "direct|desk|office|home|work|ph|m:|t:|p:|f:|telefon|handy|téléphone|"
    "portable|teléfono|móvil|telefono|cellulare|number|no.|nr|extension|answering|"
    "answer|message|messages|texts|voicemail|registered|gsm|tlf|puhelin|telefoon|"
    # Being reached, and the word for phone in other scripts and languages.
    "paged|pager|page|on call|on-call|reachable|reached|phoned|rang|texted|viber|telegram|tél|"
    "telefone|celular|telemóvel|móvel|cel|mobil|mobiel|matkapuhelin|τηλ|τηλέφωνο|κινητό|"
    "тел|телефон|моб|мобильный|טל|טלפון|नंबर|फोन|电话|手机|電話|携帯"
)
NUMBER_ANTI_CONTEXT = _words(
    "invoice|order|ticket|ref|reference|po|case|amount|total|eur|usd|gbp|$|€|"
    "£|qty|quantity|version|build|serial|sku|tracking|shipment|batch|lot|iban|"
    "balance|price|cost|budget|revenue|salary|id:|transaction|receipt|pmid|"
    "doi|isbn|issn|license|licence|passport|ssn"
)

_PHONE = re.compile(
    r"(?<![\w+/.,-])"
    # A country code ("+90", "0044", "(+358)"), then maybe a trunk or area code in brackets
    # ("(0)", "(333)"); or an area code in brackets alone, maybe with a slash ("(09)/593").
    r"(?:(?:\(\+\d{1,3}\)|(?:\+|00)\d{1,3})[ .-]?(?:\(\d{1,5}\)[ .-]?)?"
    r"|\(\d{1,5}\)[ .-]?(?:/[ ]?)?)?"
    # Digit groups separated by a space, dot, hyphen or slash ("06-1/873 5457", "030/1234567").
    r"\d{1,12}(?:(?:[ .-]|/[ ]?)\d{1,8}){0,6}"
    r"(?:[ ]?\(?(?:x|ext\.?|extension)[ ]?\d{1,6}\)?)?"
    # "07700 063 966-Fax" ends at the hyphen; "123-456-789X" and "1.5" do not end.
    r"(?!\w|-[\w-]*\d|[.,:/]\d)"
)
_EXTENSION = re.compile(r"[ ]?\(?(?:x|ext\.?|extension)[ ]?\d+\)?$")
_DATE_LIKE = re.compile(
    r"^(?:\d{4}[-/. ]\d{1,2}[-/. ]\d{1,2}|\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4}"
    r"|(?:19|20)\d\d ?[-/] ?(?:19|20)\d\d)$"
)
# Phone digit groups: "366-830-531", "91 848 53 27", "(37) 788-063", "71-33-52-22".
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ .,]\d{3})+$")
_GROUPS = re.compile(r"^(?:\(\d{2,4}\)|\d{2,4})(?:[ .-]\d{2,4}){2,4}$")
_TIME_OR_DECIMAL = re.compile(r"^\d+(?:[.]\d{1,2})?$")


def _phone_digits(value: str) -> str:
    return v.digits(_EXTENSION.sub("", value))


def _phone_shape_ok(value: str, most: int = 15) -> bool:
    n = len(_phone_digits(value))
    return 7 <= n <= most and not _DATE_LIKE.match(value) and len(set(v.digits(value))) > 2


def phone_intl_ok(value: str) -> bool:
    number = _EXTENSION.sub("", value).replace("(+", "+", 1)
    if number.startswith("00"):
        number = "+" + number[2:]
    return (
        number.startswith("+")
        and _phone_shape_ok(value)
        and v.phone_possible(number.replace("/", " "))
    )


def phone_groups_ok(value: str) -> bool:
    """Three or more groups of 2-4 digits, 8-12 digits in all: how people write phone numbers
    (and rarely anything else once dates, year ranges and decimals are ruled out)."""
    digits = len(_phone_digits(value))
    return (
        8 <= digits <= 12
        and _GROUPS.match(value) is not None
        and not _DATE_LIKE.match(value)
        and len(set(v.digits(value))) > 2
        # "35.35-41.23" is a range of decimals: phone groups share one separator.
        and not ("." in value and ("-" in value or " " in value))
        # "12 500 000": a round amount with thousands separators, not a phone number.
        and not (_THOUSANDS.match(value) and value.endswith("000"))
    )


def phone_nanp_ok(value: str) -> bool:
    return bool(
        re.fullmatch(r"(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}", _EXTENSION.sub("", value))
    )


def phone_grouped_ok(value: str) -> bool:
    """Digit groups; this recognizer fires only next to a phone word ("call", "tel", "dial"),
    so it takes up to 18 digits: an international prefix (00, 011) before a full 15-digit
    number, or an extension run into the last groups ("001.464.628.799.915.206")."""
    grouped = any(sep in value for sep in " .-()/")
    return grouped and _phone_shape_ok(value, most=18) and not _TIME_OR_DECIMAL.match(value)


def phone_trunk_ok(value: str) -> bool:
    """A grouped national number with a trunk prefix (0...) and 9+ digits looks like a phone
    even without a context word: 020-1911169, 06 34 87 14 65, 0161 031 8664."""
    return (
        phone_grouped_ok(value)
        and (value.startswith("0") or value.startswith("(0"))
        and 9 <= len(_phone_digits(value)) <= 15
    )


def phone_plain_ok(value: str) -> bool:
    return value.isdigit() and 8 <= len(value) <= 15


# An e-mail address and a number side by side, joined by "or", "/", a comma ("at x@y.org or
# 0566750146", "0566 750 146 / x@y.org"): two ways to reach one person, so the number is a
# phone number even with no phone word near it.
_EMAIL_AT = r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,24}"
_JOIN = r"[ \t]*(?:,|/|;|\||\bor\b|\band\b|\bvagy\b|\bou\b|\bo\b|\boder\b)[ \t]*"
_EMAIL_THEN_NUMBER = re.compile(rf"{_EMAIL_AT}{_JOIN}({_PHONE.pattern})")
_NUMBER_THEN_EMAIL = re.compile(rf"({_PHONE.pattern}){_JOIN}(?={_EMAIL_AT})")
BESIDE_EMAIL_SCORE = 0.6


def phone_beside_email_ok(value: str) -> bool:
    if value.isdigit():
        return phone_plain_ok(value)
    return _phone_shape_ok(value, most=18) and not _TIME_OR_DECIMAL.match(value)


def find_phones_beside_email(text: str) -> Iterator[Candidate]:
    if "@" not in text:
        return
    for pattern in (_EMAIL_THEN_NUMBER, _NUMBER_THEN_EMAIL):
        for match in pattern.finditer(text):
            if phone_beside_email_ok(match.group(1)):
                yield Candidate("PHONE_NUMBER", *match.span(1), BESIDE_EMAIL_SCORE, "beside-email")


def _label_value(labels: str, value: str) -> re.Pattern[str]:
    """``<label> [no|number|#|:] <value>``, value in group 1."""
    return re.compile(
        rf"(?i:\b(?:{labels}))(?:\s*(?i:no|nr|num|number|#|id)\b\.?)?[\s:#.=-]*(?i:is\s+)?"
        rf"({value})"
    )


def _ids_ok(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 4 and 5 <= len(value) <= 24


def _passport_ok(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 5 and 6 <= len(value) <= 12


def _account_ok(value: str) -> bool:
    return 6 <= len(v.digits(value)) <= 20


_ID_VALUE = r"[A-Z0-9](?:[A-Z0-9]|[-/. ](?=[A-Z0-9])){4,22}"


def build_recognizers() -> tuple[RegexDetector, ...]:
    card_context = _words(
        "card|credit|debit|visa|mastercard|amex|american express|maestro|"
        "discover|diners|jcb|cc|cc#|pan|kreditkarte|karte|carte|tarjeta|carta|"
        "payment|billing|expiring|cvv"
    )
    return (
        RegexDetector(
            "email",
            "EMAIL_ADDRESS",
            re.compile(
                r"(?<![\w.%+\-!#$&*])[A-Za-z0-9][\w.%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b"
            ),
            0.95,
            prefilter=("@",),
        ),
        RegexDetector(
            "phone-intl",
            "PHONE_NUMBER",
            _PHONE,
            0.7,
            validator=phone_intl_ok,
            context=PHONE_CONTEXT,
            anti_context=NUMBER_ANTI_CONTEXT,
            shrink=True,
        ),
        RegexDetector(
            "phone-nanp",
            "PHONE_NUMBER",
            _PHONE,
            0.6,
            validator=phone_nanp_ok,
            context=PHONE_CONTEXT,
            anti_context=NUMBER_ANTI_CONTEXT,
            shrink=True,
        ),
        RegexDetector(
            "phone-grouped",
            "PHONE_NUMBER",
            _PHONE,
            0.45,
            validator=phone_grouped_ok,
            context=PHONE_CONTEXT,
            anti_context=NUMBER_ANTI_CONTEXT,
            shrink=True,
        ),
        RegexDetector(
            "phone-groups",
            "PHONE_NUMBER",
            _PHONE,
            0.55,
            validator=phone_groups_ok,
            context=PHONE_CONTEXT,
            anti_context=NUMBER_ANTI_CONTEXT,
            shrink=True,
        ),
        RegexDetector(
            "phone-trunk",
            "PHONE_NUMBER",
            _PHONE,
            0.55,
            validator=phone_trunk_ok,
            context=PHONE_CONTEXT,
            anti_context=NUMBER_ANTI_CONTEXT,
            shrink=True,
        ),
        RegexDetector(
            "phone-plain",
            "PHONE_NUMBER",
            _PHONE,
            0.2,
            validator=phone_plain_ok,
            context=PHONE_CONTEXT,
            anti_context=NUMBER_ANTI_CONTEXT,
            shrink=True,
            needs_context=True,
        ),
        RegexDetector(
            "credit-card",
            "CREDIT_CARD",
            re.compile(r"(?<![\w+-])\d(?:[ -]?\d){11,18}(?![\d-])"),
            0.85,
            validator=v.credit_card_ok,
            invalid_score=0.2,
            shrink=True,
            context=card_context,
            anti_context=_words(
                "order|invoice|ticket|tracking|iban|account|phone|tel|dial|ref|id|isbn|doi|pmid"
            ),
        ),
        RegexDetector(
            "iban",
            "IBAN_CODE",
            re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}\b"),
            0.95,
            validator=v.iban_ok,
            invalid_score=0.3,
            shrink=True,
            context=("iban", "bank", "account", "transfer", "sepa", "konto", "rib"),
        ),
        RegexDetector(
            "us-ssn-dashed",
            "US_SSN",
            re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])"),
            0.6,
            validator=v.us_ssn_ok,
            # Fail closed: a number labelled SSN is one, even a specimen or never-issued one.
            invalid_score=0.3,
            context=("ssn", "social security", "social sec", "ss#", "ss no", "tin", "itin"),
            anti_context=("phone", "tel", "order", "invoice", "licen"),
        ),
        RegexDetector(
            "us-ssn-plain",
            "US_SSN",
            re.compile(r"(?<![\d-])\d{3} ?\d{2} ?\d{4}(?![\d-])"),
            0.2,
            validator=v.us_ssn_ok,
            invalid_score=0.2,
            context=("ssn", "social security", "social sec", "ss#", "ss no", "sozialversicherung"),
            needs_context=True,
        ),
        RegexDetector(
            "uk-nino",
            "UK_NINO",
            re.compile(r"\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]\b"),
            0.85,
            validator=v.uk_nino_ok,
            context=("national insurance", "nino", "ni number", "ni no"),
        ),
        RegexDetector(
            "es-dni",
            "NATIONAL_ID",
            re.compile(r"\b(?:\d{8}|[XYZ]\d{7})-?[A-Z]\b"),
            0.8,
            validator=v.es_dni_ok,
            context=("dni", "nie", "nif", "documento", "identidad"),
        ),
        RegexDetector(
            "it-codice-fiscale",
            "NATIONAL_ID",
            re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b"),
            0.85,
        ),
        RegexDetector(
            "br-cpf",
            "NATIONAL_ID",
            re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d-])"),
            0.75,
        ),
        RegexDetector(
            "fr-nir",
            "NATIONAL_ID",
            re.compile(
                r"(?<!\d)[12] ?\d{2} ?(?:0[1-9]|1[0-2]) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3}(?: ?\d{2})?(?!\d)"
            ),
            0.3,
            context=("sécurité sociale", "securite sociale", "insee", "nir", "social security"),
            needs_context=True,
        ),
        RegexDetector(
            "pl-pesel",
            "NATIONAL_ID",
            re.compile(r"(?<!\d)\d{11}(?!\d)"),
            0.3,
            validator=v.pl_pesel_ok,
            context=("pesel",),
            needs_context=True,
        ),
        RegexDetector(
            "nl-bsn",
            "NATIONAL_ID",
            re.compile(r"(?<![\d.])\d{4}\.?\d{2}\.?\d{3}(?!\d)|(?<!\d)\d{9}(?!\d)"),
            0.3,
            validator=v.nl_bsn_ok,
            context=("bsn", "burgerservicenummer", "sofinummer", "sofi"),
            needs_context=True,
        ),
        RegexDetector(
            "uk-nhs",
            "NATIONAL_ID",
            re.compile(r"(?<!\d)\d{3} ?\d{3} ?\d{4}(?!\d)"),
            0.3,
            validator=v.uk_nhs_ok,
            context=("nhs",),
            needs_context=True,
        ),
        RegexDetector(
            "in-pan",
            "NATIONAL_ID",
            re.compile(r"\b[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]\b"),
            0.45,
            context=("pan", "income tax", "permanent account"),
        ),
        RegexDetector(
            "national-id-labelled",
            "NATIONAL_ID",
            _label_value(
                r"national\s+id(?:entity)?(?:\s+card)?|id\s+card|identity\s+card|citizen\s+id"
                r"|personal\s+id(?:entification)?|personalausweis(?:nummer)?|ausweis(?:nummer)?"
                r"|dni|nie|nif|cpf|cnp|pesel|bsn|aadhaar|aadhar|tax\s+id|taxpayer\s+id|tin"
                r"|steuer-?id|steuernummer|sin|social\s+insurance|tfn|tax\s+file|carte\s+d'identité"
                r"|codice\s+fiscale|personnummer|henkilötunnus|cpr|identification\s+number",
                _ID_VALUE,
            ),
            0.75,
            validator=_ids_ok,
            group=1,
        ),
        RegexDetector(
            "passport-labelled",
            "PASSPORT",
            _label_value(r"passport|passeport|reisepass|pasaporte|passaporto", r"[A-Z0-9]{6,12}"),
            0.8,
            validator=_passport_ok,
            group=1,
        ),
        RegexDetector(
            "driver-license-labelled",
            "DRIVER_LICENSE",
            _label_value(
                r"driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|licen[cs]e|dl|führerschein"
                r"|permis\s+de\s+conduire|permiso\s+de\s+conducir|carnet\s+de\s+conducir"
                r"|patente",
                _ID_VALUE,
            ),
            0.75,
            validator=_ids_ok,
            group=1,
        ),
        RegexDetector(
            "bank-account-labelled",
            "BANK_ACCOUNT",
            _label_value(
                r"(?:bank\s+)?account|acct\.?|a/c|kontonummer|konto|routing|aba|sort\s+code|bsb"
                r"|numéro\s+de\s+compte|cuenta",
                r"\d(?:\d|[- ](?=\d)){5,24}",
            ),
            0.75,
            validator=_account_ok,
            group=1,
        ),
        RegexDetector(
            "date-of-birth",
            "DATE_OF_BIRTH",
            re.compile(DATE, re.IGNORECASE),
            0.2,
            context=_words(
                "born|birth|birthday|dob|d.o.b|d.o.b.|b-day|bday|birthdate|"
                "geboren|geb.|geburtsdatum|né|née|naissance|nacimiento|nacido|"
                "nacida|nascita|nato|nata|födelsedatum|født|syntymäaika"
            ),
            needs_context=True,
            context_before=30,
        ),
        RegexDetector(
            "ipv4",
            "IP_ADDRESS",
            re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]|\.\d)"),
            0.75,
            validator=v.ipv4_ok,
            context=("ip", "address", "host", "client", "server", "from", "src", "dst"),
            anti_context=("version", "ver", "v", "release", "build", "firmware"),
        ),
        RegexDetector(
            "ipv6",
            "IP_ADDRESS",
            re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"),
            0.75,
            validator=v.ipv6_ok,
            prefilter=(":",),
        ),
        RegexDetector(
            "mac",
            "MAC_ADDRESS",
            re.compile(r"\b[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}\b"),
            0.75,
        ),
        RegexDetector(
            "url",
            "URL",
            re.compile(r"\b(?:https?://|www\.)[^\s<>\"'()]+[^\s<>\"'().,;:!?]"),
            0.6,
        ),
    )
