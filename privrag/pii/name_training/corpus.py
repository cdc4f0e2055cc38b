"""Synthetic training text for the name model: single lines and sentences of business writing,
each person mention marked, from names that no held-out PII split can contain.

Where the names come from: the person lists of Faker's locale providers (every locale Faker
ships), minus every name in the lists of the locales the held-out splits are generated from
(``HELD_OUT_LOCALES``), compared case-folded. Those splits use Faker names too, so a model that
had seen their names would score well on them for the wrong reason; with the lists disjoint, a
held-out figure measures names the model has never seen. English-language locales that fall
back to Faker's en_US lists are therefore trained on no en_US name at all.

The sentences are templates written for this model (not taken from any split's generator), with
the mention rendered in the forms business text uses: full name, surname first, initials,
honorifics, capitals, possessives, inside lists and tables and headers and chat turns, beside
placeholders left by the pattern detectors (``<PHONE_NUMBER>``). About a third of the lines name
nobody and are full of capitalised non-names (firms, products, places, streets, teams, months),
so the model learns that capitals alone are not a person.
"""

from __future__ import annotations

import random
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Locales the held-out PII splits draw their names from (bench/pii_fresh5.py, pii_fresh6.py).
HELD_OUT_LOCALES = (
    "en_TH", "gu_IN", "or_IN", "ar_SA", "ja_JP", "zh_TW", "ko_KR", "zh_CN",
    "bs_BA", "de_LI", "de_LU", "lb_LU", "it_CH", "mt_MT", "sq_AL", "fil_PH", "en_PH", "ng_NG",
    "el_CY", "fr_QC", "ar_AE", "en_BD",
)  # fmt: skip

_NAME_LISTS = (
    "first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
    "last_names", "last_names_male", "last_names_female",
)  # fmt: skip


@dataclass(frozen=True)
class Example:
    text: str
    people: tuple[tuple[int, int], ...]  # character spans of person mentions
    # Other slots' spans: (start, end, spaCy label), "" for a placeholder that is no entity.
    others: tuple[tuple[int, int, str], ...] = ()


def _faker(locale: str) -> Any:
    from faker import Faker

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Faker(locale)


def _person_lists(locale: str) -> tuple[list[str], list[str]]:
    fk = _faker(locale)
    provider = next(
        p for p in fk.get_providers() if type(p).__module__.startswith("faker.providers.person")
    )
    firsts: list[str] = []
    lasts: list[str] = []
    for attr in _NAME_LISTS:
        values = getattr(provider, attr, None)
        if values:
            (firsts if attr.startswith("first") else lasts).extend(values)
    return firsts, lasts


def held_out_names() -> frozenset[str]:
    out: set[str] = set()
    for locale in HELD_OUT_LOCALES:
        firsts, lasts = _person_lists(locale)
        out.update(n.casefold() for n in firsts + lasts)
    return frozenset(out)


def training_names() -> dict[str, tuple[list[str], list[str]]]:
    """Per training locale: its given names and surnames, none of them a held-out name."""
    from faker.config import AVAILABLE_LOCALES

    banned = held_out_names()
    out: dict[str, tuple[list[str], list[str]]] = {}
    for locale in sorted(AVAILABLE_LOCALES):
        if locale in HELD_OUT_LOCALES:
            continue
        firsts, lasts = _person_lists(locale)
        keep_f = sorted({n for n in firsts if n.casefold() not in banned and _usable(n)})
        keep_l = sorted({n for n in lasts if n.casefold() not in banned and _usable(n)})
        if len(keep_f) >= 10 and len(keep_l) >= 10:
            out[locale] = (keep_f, keep_l)
    return out


def _usable(name: str) -> bool:
    return 1 < len(name) <= 30 and not any(ch.isdigit() for ch in name)


def _fold(text: str) -> str:
    """Without accents: business text often drops them ("Muller" for "Müller")."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


class _Names:
    def __init__(self, names: dict[str, tuple[list[str], list[str]]], rng: random.Random) -> None:
        self._names = names
        self.locales = sorted(names)
        self.rng = rng

    def parts(self) -> tuple[str, str, str]:
        """A given name, a surname and a second surname, all from one locale."""
        firsts, lasts = self._names[self.rng.choice(self.locales)]
        return self.rng.choice(firsts), self.rng.choice(lasts), self.rng.choice(lasts)

    def mention(self) -> tuple[str, str]:
        """One person as business text writes them: (title or "", the name itself)."""
        r = self.rng
        first, last, other = self.parts()
        if r.random() < 0.1:
            first, last, other = _fold(first), _fold(last), _fold(other)
        form = r.random()
        title = ""
        if form < 0.34:
            name = f"{first} {last}"
        elif form < 0.42:
            middle = r.choice((f"{r.choice('ABCDEFGHJKLMNPRSTVW')}.", self.parts()[0]))
            name = f"{first} {middle} {last}"
        elif form < 0.5:
            name = f"{last}, {first}"
        elif form < 0.58:
            name = f"{first[0]}. {last}" if first[0].isalpha() else f"{first} {last}"
        elif form < 0.66:
            title = r.choice(("Mr.", "Ms.", "Mrs.", "Dr.", "Mr", "Ms", "Dr", "Prof."))
            name = last if r.random() < 0.5 else f"{first} {last}"
        elif form < 0.72:
            name = f"{last.upper()} {first}" if r.random() < 0.5 else f"{first} {last}".upper()
        elif form < 0.86:
            name = first
        elif form < 0.92:
            name = last
        else:
            name = f"{first} {last}-{other}"
        return title, name


# Capitalised words that are not people: the model must leave them alone.
PRODUCTS = (
    "Quarry Ledger", "Beacon CRM", "Northstar Payroll", "Tidewater Portal", "Granite Vault",
    "Kestrel Suite", "Maple Desk", "Summit Analytics", "Copper Gateway", "Falcon Sync",
    "Juniper Mail", "Orchid HR", "Vector Forms", "Harbor Billing", "Prism Reports",
)  # fmt: skip
TEAMS = (
    "Accounts Payable", "Field Service", "Treasury", "Facilities", "Compliance", "Payroll",
    "Customer Care", "Procurement", "Internal Audit", "Fleet Management", "Quality Assurance",
    "Legal Affairs", "Talent Acquisition", "Data Platform", "Supply Chain", "Risk Office",
)  # fmt: skip
ROLES = (
    "site manager", "team lead", "account owner", "case handler", "controller", "buyer",
    "project sponsor", "duty engineer", "line manager", "auditor", "office manager", "recruiter",
)  # fmt: skip
THINGS = (
    "invoice", "purchase order", "contract", "ticket", "claim", "shipment", "timesheet",
    "expense report", "access request", "work order", "renewal", "quote", "refund",
)  # fmt: skip
# One-word firm names, coined: a capitalised unknown word is as often a firm as a person.
BRAND_HEADS = (
    "Ini", "Glo", "Nor", "Vel", "Quan", "Zen", "Ter", "Axi", "Lum", "Cor", "Fab", "Sol", "Pix",
    "Mer", "Tri", "Ver", "Ond", "Hex", "Alt", "Bri", "Cal", "Dex", "Ev", "Kor", "Nex", "Plu",
)  # fmt: skip
BRAND_TAILS = (
    "tech", "bex", "wind", "ora", "ium", "ify", "ex", "ara", "ico", "ova", "yx", "lytics",
    "soft", "corp", "works", "net", "logic", "tron", "ant", "ello", "amo", "is",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "March", "April", "June", "August", "September", "October", "December")


_WORDS = {
    "PRODUCT": PRODUCTS,
    "TEAM": TEAMS,
    "ROLE": ROLES,
    "THING": THINGS,
    "DAY": WEEKDAYS,
    "MONTH": MONTHS,
}


class Generator:
    """Lines with and without people, from templates; ``examples(n)`` yields n of them."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.names = _Names(training_names(), self.rng)
        self._fakers = {loc: _faker(loc) for loc in self.names.locales}
        for i, fk in enumerate(self._fakers.values()):
            fk.seed_instance(seed * 1000 + i)

    def _fk(self) -> Any:
        return self._fakers[self.rng.choice(sorted(self._fakers))]

    def _value(self, slot: str) -> str:
        r = self.rng
        fk = self._fk()
        if slot == "COMPANY":
            return str(fk.company()).split("\n")[0]
        if slot == "CITY":
            return str(fk.city())
        if slot == "STREET":
            return str(fk.street_name())
        if slot == "BRAND":
            return r.choice(BRAND_HEADS) + r.choice(BRAND_TAILS)
        if slot in _WORDS:
            return r.choice(_WORDS[slot])
        if slot == "NUM":
            return str(r.randint(2, 98_000))
        if slot == "AMOUNT":
            return r.choice(("EUR ", "€", "$", "USD ", "£", "CHF ")) + f"{r.randint(20, 90000):,}"
        if slot == "ID":
            return f"{r.choice(('INV', 'PO', 'TCK', 'CLM', 'WO', 'REQ'))}-{r.randint(1000, 99999)}"
        if slot == "TIME":
            return f"{r.randint(7, 18):02d}:{r.choice(('00', '15', '30', '45'))}"
        if slot == "DATE":
            return r.choice(
                (
                    f"{r.randint(1, 28)} {r.choice(MONTHS)}",
                    f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.2026",
                    f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                )
            )
        if slot in PLACEHOLDERS:
            return PLACEHOLDERS[slot]
        raise KeyError(slot)

    def render(self, template: str) -> Example:
        """Fill a template's ``{P}`` slots with people and the others with values."""
        out: list[str] = []
        people: list[tuple[int, int]] = []
        others: list[tuple[int, int, str]] = []
        length = 0
        for literal, slot in _split(template):
            out.append(literal)
            length += len(literal)
            if slot is None:
                continue
            if slot in ("P", "P_LOW", "P_POSS"):
                title, name = self.names.mention()
                if slot == "P_LOW":
                    title, name = "", name.lower()
                title += " " if title else ""
                people.append((length + len(title), length + len(title) + len(name)))
                value = title + name + ("'s" if slot == "P_POSS" else "")
            else:
                value = self._value(slot)
                if slot in SLOT_LABELS or slot in PLACEHOLDERS:
                    others.append((length, length + len(value), SLOT_LABELS.get(slot, "")))
            out.append(value)
            length += len(value)
        return Example("".join(out), tuple(people), tuple(others))

    def examples(self, count: int) -> Iterator[Example]:
        for _ in range(count):
            pool = PERSON_TEMPLATES if self.rng.random() < 0.6 else OTHER_TEMPLATES
            yield self.render(self.rng.choice(pool))


# Slots whose values are entities of another kind, labelled as the base model labels them.
SLOT_LABELS = {
    "COMPANY": "ORG",
    "BRAND": "ORG",
    "TEAM": "ORG",
    "CITY": "GPE",
    "STREET": "FAC",
    "PRODUCT": "PRODUCT",
}

PLACEHOLDERS = {
    "PHONE": "<PHONE_NUMBER>",
    "EMAIL": "<EMAIL_ADDRESS>",
    "ADDRESS": "<STREET_ADDRESS>",
    "IBAN": "<IBAN_CODE>",
    "MASKED": "<PERSON>",
}


def _split(template: str) -> Iterator[tuple[str, str | None]]:
    rest = template
    while "{" in rest:
        literal, _, tail = rest.partition("{")
        slot, _, rest = tail.partition("}")
        yield literal, slot
    yield rest, None


# Lines that name people. Slots: {P} a person, {P_POSS} a person's, {P_LOW} a person in lower
# case (chat handles), and the value slots of ``Generator._value``.
PERSON_TEMPLATES = (
    "Please forward the {THING} to {P} before {DAY}.",
    "{P} approved the {THING} {ID} on {DATE}.",
    "The {THING} was signed by {P} and countersigned by {P}.",
    "Spoke with {P} from {COMPANY} about the {PRODUCT} renewal.",
    "{P_POSS} {THING} for {AMOUNT} is still open.",
    "Handover from {P} to {P}, effective {DATE}.",
    "Regards,\n{P}",
    "Best wishes, {P}",
    "Kind regards {P}",
    "Thanks, {P}",
    "Cheers,\n{P}\n{ROLE}, {COMPANY}",
    "{P}\n{ROLE} | {TEAM}\nTel {PHONE}",
    "From: {P} <{EMAIL}>",
    "To: {P}; {P}",
    "Cc: {P}, {P}",
    "Attendees: {P}, {P}, {P}",
    "Present: {P} ({TEAM}), {P} ({ROLE})",
    "Apologies: {P}",
    "Action: {P} to send the revised {THING} by {DAY}.",
    "ACTION {P} - chase {COMPANY} for the signed {THING}",
    "Owner: {P}",
    "Assignee: {P}",
    "Requested by: {P}",
    "Reviewer - {P}",
    "Contact person: {P}, {PHONE}",
    "Emergency contact: {P} ({PHONE})",
    "Name: {P}",
    "Full name: {P}",
    "Customer: {P}",
    "Tenant: {P}, {ADDRESS}",
    "Beneficiary: {P}, {IBAN}",
    "Account holder {P}",
    "{P},{PHONE},{EMAIL},{TEAM}",
    "{ID};{P};{CITY};{AMOUNT}",
    "{P}\t{ROLE}\t{PHONE}",
    "| {P} | {TEAM} | {DATE} |",
    "- {P} ({ROLE})",
    "* {P}, {COMPANY}",
    "1. {P} - {TEAM}",
    "[{TIME}] {P}: did the {THING} go out?",
    "{TIME} {P}: checking with {COMPANY} now",
    "{P_LOW}: can someone look at {ID}?",
    "{P_LOW}: done, closed it",
    "<{P_LOW}> the {PRODUCT} job failed again",
    "@{P_LOW} please review",
    "{P} wrote: the {THING} from {COMPANY} is wrong.",
    "On {DATE}, {P} wrote:",
    "Dear {P},",
    "Hi {P},",
    "Hello {P}, thanks for the quick reply.",
    "Good morning {P} and {P},",
    "Refund approved for {P}: {AMOUNT}.",
    "Payment to {P} for {AMOUNT} was returned.",
    "Reminder for {P}: the {THING} is due {DAY}.",
    "Note for {P} - call {COMPANY} back.",
    "Escalated to {P} in {TEAM}.",
    "Assigned to {P} ({TEAM})",
    "Per {P}, the {PRODUCT} licence ends in {MONTH}.",
    "According to {P} the shipment left {CITY} on {DAY}.",
    "As discussed with {P}, we will hold the {THING}.",
    "Our {ROLE} is {P}.",
    "The {ROLE} is now {P}.",
    "{P}, our {ROLE}, will join the call.",
    "{P} ({ROLE}) joined {TEAM} in {MONTH}.",
    "Welcome {P} to the {TEAM} team!",
    "{P} is on leave until {DATE}; contact {P} instead.",
    "{P} called about {ID} and asked for {P}.",
    "Visitor: {P}, host {P}, badge {NUM}",
    "Guest {P} checked in at {TIME}.",
    "Driver {P} delivered {NUM} pallets to {STREET} {NUM}.",
    "Parcel signed for by {P} at {TIME}.",
    "Technician {P} replaced the pump at {ADDRESS}.",
    "Patient {P}, seen by {P} on {DATE}.",
    "Candidate {P} interviewed with {P} and {P}.",
    "Interview panel: {P}, {P}",
    "Landlord {P} agreed to fix the boiler by {DATE}.",
    "Claimant {P} reported the damage on {DAY}.",
    "Policyholder: {P}",
    "Signed: {P}",
    "Signature: {P}",
    "Prepared by {P}, checked by {P}",
    "Approved - {P}",
    "Invoice addressed to {P}, {ADDRESS}",
    "Ship to: {P}",
    "Bill to {P}, {COMPANY}",
    "{P} disputes the {THING}.",
    "The {THING} for {P} ({EMAIL}) bounced.",
    "Call {P} on {PHONE} after {TIME}.",
    "{P} <{EMAIL}>",
    "{P} | {PHONE} | {EMAIL}",
    "Thank you {P} for covering the {TEAM} rota.",
    "Meeting with {P} moved to {DAY} {TIME}.",
    "{P} and {P} will present the {PRODUCT} roadmap.",
    "Congratulations to {P} on ten years at {COMPANY}!",
    "{P} left {COMPANY} in {MONTH}.",
    "Spoke to {MASKED} and {P} about the {THING}.",
    "{P} {MASKED} confirmed the {THING}.",
    "Contact: {P} / {PHONE}",
    "Interpreter {P} attended with the client.",
    "Photo credit: {P}",
    "{P} - {ROLE} - {COMPANY}",
    "Employee {P} joined {BRAND} on {DATE}.",
    "{P} from {BRAND} called about the {THING}.",
    "Following our call on {DATE}, {BRAND} will move the {THING} to {CITY}. {P}",
    "Travel request for {P} ({TEAM}): flight to {CITY} on {DATE}.",
    "{CITY}, {DATE}\nDear {P},",
)  # fmt: skip

# Lines with capitals and no person.
OTHER_TEMPLATES = (
    "The {PRODUCT} release moved to {DAY}.",
    "{COMPANY} sent the {THING} {ID} for {AMOUNT}.",
    "{TEAM} will review the {THING} in {MONTH}.",
    "Shipment from {CITY} to {CITY} is delayed.",
    "Warehouse at {STREET} {NUM}, {CITY} is closed on {DAY}.",
    "Owner: {TEAM}",
    "Assignee: {TEAM}",
    "Vendor: {COMPANY}",
    "Customer: {COMPANY}",
    "Product: {PRODUCT}",
    "Location: {CITY}",
    "Department: {TEAM}",
    "Status: Approved",
    "Status: On hold since {DATE}",
    "Priority: High",
    "From: {TEAM} <{EMAIL}>",
    "To: {TEAM}",
    "{ID},{COMPANY},{CITY},{AMOUNT}",
    "{ID};{PRODUCT};{TEAM};{DATE}",
    "| {PRODUCT} | {TEAM} | {AMOUNT} |",
    "- {PRODUCT} licence renewal ({MONTH})",
    "* {COMPANY}: {AMOUNT} outstanding",
    "[{TIME}] {PRODUCT} Bot: build {NUM} passed",
    "Regards,\n{TEAM}",
    "Best regards,\n{COMPANY} Customer Care",
    "Thanks, {TEAM} team",
    "Dear Customer,",
    "Hello Team,",
    "Hi all, the {PRODUCT} outage is over.",
    "Meeting moved to {DAY} {TIME} in Room {NUM}.",
    "{COMPANY} and {COMPANY} signed the framework agreement.",
    "The {ROLE} of {TEAM} approved the {THING}.",
    "Escalated to {TEAM}.",
    "Assigned to {TEAM} ({CITY})",
    "Per {TEAM}, the {PRODUCT} licence ends in {MONTH}.",
    "Our {ROLE} at {COMPANY} will confirm by {DAY}.",
    "Welcome to {PRODUCT}!",
    "{PRODUCT} Release Notes, {MONTH} Edition",
    "Quarterly Business Review - {COMPANY}",
    "New Office Opening in {CITY}",
    "Invoice {ID} from {COMPANY}, {CITY}",
    "Delivered to {ADDRESS} on {DATE}.",
    "Call {PHONE} for {TEAM}.",
    "Head Office, {STREET} {NUM}, {CITY}",
    "{STREET} {NUM} is the new depot.",
    "Black Friday Sale ends on {DAY}.",
    "Happy New Year from all of us at {COMPANY}!",
    "The {THING} for {MASKED} was approved.",
    "Spoke to {MASKED} about {ID}.",
    "{MASKED} called from {PHONE}.",
    "Payment of {AMOUNT} to {IBAN} confirmed.",
    "Health and Safety Training, {MONTH} {NUM}",
    "Annual Leave Policy v{NUM}",
    "Signed: {COMPANY} Legal Department",
    "Approved - {TEAM}",
    "Prepared by {TEAM}, {COMPANY}",
    "Ship to: {COMPANY}, {ADDRESS}",
    "Contact: {TEAM} / {PHONE}",
    "{PRODUCT} Admin: password reset for {EMAIL}",
    "Visitor badge {NUM} returned to Reception.",
    "Minutes of the {TEAM} Steering Committee, {DATE}",
    "{CITY}, {DATE}",
    "{CITY}, {NUM} {MONTH} 2026",
    "Travel request: flight to {CITY} on {DATE}, hotel budget {AMOUNT}.",
    "Following our call on {DATE}, {BRAND} will move the {THING} to {CITY}.",
    "{BRAND} will send the {THING} by {DAY}.",
    "{BRAND} confirmed the {THING} {ID}.",
    "Vendor: {BRAND}, {CITY}.",
    "Questions: {EMAIL} / {PHONE}. Vendor: {BRAND}.",
    "The {THING} moved to {CITY}.",
    "Hotel in {CITY} booked for {DAY}.",
    "Visits to {CITY} and {CITY} in {MONTH}.",
    "{CITY} office: {PHONE}",
    "Joined {BRAND} on {DATE}.",
    "Regards,\n{BRAND}",
    "Ship to {CITY} via {BRAND}.",
)  # fmt: skip
