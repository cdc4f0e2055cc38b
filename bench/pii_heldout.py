"""Generated corpora for the PII bench, from Faker (many locales) and templates in the formats
that leak in practice: CSV/TSV exports, chat logs, mail headers and signatures, attendee lists,
KYC and complaint notes, deploy notes with secrets, JSON records, obfuscated contact details.

The split is strict. DEV (locales, seeds and template families) is what the detectors may be
looked at and tuned against; HELD-OUT uses other locales, other seeds and other template
families, and is only ever reported. Each family is reported on its own, never averaged with
another. Values come from Faker's locale providers; nothing from Faker's word lists is used by
the detectors (no deny-list is built from a generator).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from faker import Faker

DEV_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL")
HELDOUT_LOCALES = (
    "no_NO", "da_DK", "sv_SE", "fi_FI", "cs_CZ", "hu_HU", "tr_TR", "pt_BR", "en_AU", "en_CA",
    "en_GB", "ro_RO", "sk_SK", "vi_VN",
)  # fmt: skip
DEV_SEED = 1_000
HELDOUT_SEED = 9_000

PRODUCTS = ("Quartz ERP", "Nimbus CRM", "Atlas Billing", "Helix Analytics", "Orion Gateway")
SERVICES = ("billing-api", "auth-svc", "ledger-worker", "search-indexer", "notify-gw")


@dataclass
class Doc:
    family: str
    locale: str
    text: str
    pii: list[tuple[str, str]] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)


class _Ctx:
    def __init__(self, fk: Faker, rng: random.Random, locale: str) -> None:
        self.fk, self.rng, self.locale = fk, rng, locale
        self.pii: list[tuple[str, str]] = []
        self.keep: list[str] = []

    def person(self) -> tuple[str, str, str]:
        first, last = self.fk.first_name(), self.fk.last_name()
        self.pii.append(("PERSON", f"{first} {last}"))
        return first, last, f"{first} {last}"

    def first(self) -> str:
        name = self.fk.first_name()
        self.pii.append(("PERSON", name))
        return name

    def add(self, kind: str, value: str) -> str:
        self.pii.append((kind, value))
        return value

    def phone(self) -> str:
        return self.add("PHONE_NUMBER", self.fk.phone_number())

    def email(self) -> str:
        return self.add("EMAIL_ADDRESS", self.fk.email())

    def street(self) -> str:
        return self.add("STREET_ADDRESS", self.fk.street_address().split("\n")[0])

    def town(self) -> str:
        return f"{self.fk.postcode()} {self.fk.city()}"

    def national_id(self) -> str:
        kind = "US_SSN" if self.locale == "en_US" else "NATIONAL_ID"
        return self.add(kind, str(self.fk.ssn()))

    def secret(self) -> str:
        alphabet = string.ascii_letters + string.digits
        n = self.rng.randint(12, 20)
        return self.add("SECRET", "".join(self.rng.choice(alphabet) for _ in range(n)))

    def keepword(self, word: str) -> str:
        self.keep.append(word)
        return word

    def order(self) -> str:
        return self.keepword(f"ORD-{self.rng.randint(10000, 99999)}")

    def product(self) -> str:
        return self.keepword(self.rng.choice(PRODUCTS))

    def amount(self) -> str:
        return self.keepword(f"{self.rng.randint(10, 9999)}.{self.rng.randint(0, 99):02d}")


# DEV families


def csv_export(c: _Ctx) -> str:
    rows = ["name,phone,street,city,order,product"]
    for _ in range(c.rng.randint(2, 5)):
        rows.append(
            f"{c.person()[2]},{c.phone()},{c.street()},{c.fk.city()},{c.order()},{c.product()}"
        )
    return "\n".join(rows)


def chat_log(c: _Ctx) -> str:
    a, b = c.first().lower(), c.first().lower()
    c.pii[-2:] = [("PERSON", a), ("PERSON", b)]
    return (
        f"{a}: did the batch for {c.order()} run?\n{b}: yes, {c.product()} shows {c.amount()}\n"
        f"{a}: ok, call me on {c.phone()} if it fails\n{b}: will do"
    )


def mail_signature(c: _Ctx) -> str:
    first, _, full = c.person()
    _, _, other = c.person()
    return (
        f"From: {full} <{c.email()}>\nTo: {other} <{c.email()}>\nSubject: {c.product()} renewal\n\n"
        f"Hi,\nthe invoice for {c.order()} is {c.amount()} EUR.\n\nBest regards,\n{first} "
        f"{full.split(' ', 1)[1]}\n{c.phone()}"
    )


def attendees(c: _Ctx) -> str:
    names = [c.person()[2] for _ in range(c.rng.randint(2, 4))]
    return (
        f"Attendees: {', '.join(names)}\nAgenda: {c.product()} rollout, budget {c.amount()}\n"
        f"Action: {names[0].split()[0]} to follow up on {c.order()}."
    )


# HELD-OUT families


def kyc_note(c: _Ctx) -> str:
    _, _, full = c.person()
    dob = c.add("DATE_OF_BIRTH", c.fk.date_of_birth().strftime("%d.%m.%Y"))
    iban = c.add("IBAN_CODE", c.fk.iban())
    return (
        f"KYC review for {full}: born {dob}, national id {c.national_id()}, resides at "
        f"{c.street()}, {c.town()}. IBAN {iban}. Account opened for {c.product()}; "
        f"risk score {c.amount()}. Verified by {c.person()[2]}."
    )


def complaint(c: _Ctx) -> str:
    _, _, full = c.person()
    return (
        f"Complaint from {full} ({c.email()}) about {c.order()}: the {c.product()} invoice "
        f"was {c.amount()}. Customer asks for a call back on {c.phone()}.\n"
        f"Refund approved for {full}: {c.amount()} EUR. Regards, {c.person()[2]}"
    )


def deploy_note(c: _Ctx) -> str:
    service = c.keepword(c.rng.choice(SERVICES))
    version = c.keepword(f"v{c.rng.randint(1, 9)}.{c.rng.randint(0, 20)}.{c.rng.randint(0, 9)}")
    token = c.secret()
    password = c.secret() + c.rng.choice("#!%")
    c.pii[-1] = ("SECRET", password)
    return (
        f"Deployed {service} {version} to prod. Rotated the token {token} and the db password "
        f"{password}. line manager is {c.person()[2]}; paged {c.first()} at {c.phone()}."
    )


def tsv_roster(c: _Ctx) -> str:
    rows = ["Employee\tMobile\tHome address\tProject"]
    for _ in range(c.rng.randint(2, 4)):
        rows.append(f"{c.person()[2]}\t{c.phone()}\t{c.street()}\t{c.product()}")
    return "\n".join(rows)


def json_records(c: _Ctx) -> str:
    return (
        f'{{"customer": "{c.person()[2]}", "phone": "{c.phone()}", '
        f'"address": "{c.street()}", "order": "{c.order()}", "total": "{c.amount()}"}}'
    )


def obfuscated(c: _Ctx) -> str:
    email = c.fk.email()
    user, domain = email.split("@")
    c.pii.append(("EMAIL_ADDRESS", email))
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in c.email())
    street = c.street()
    zw = street.replace(" ", " \u200b", 1)
    return (
        f"Write to {user} [at] {domain.replace('.', ' [dot] ')} or {fullwidth} about "
        f"{c.order()}. Ship to {zw}, {c.town()}."
    )


DEV_FAMILIES: dict[str, Callable[[_Ctx], str]] = {
    "csv-export": csv_export,
    "chat-log": chat_log,
    "mail-signature": mail_signature,
    "attendee-list": attendees,
}
HELDOUT_FAMILIES: dict[str, Callable[[_Ctx], str]] = {
    "kyc-note": kyc_note,
    "complaint": complaint,
    "deploy-note": deploy_note,
    "tsv-roster": tsv_roster,
    "json-records": json_records,
    "obfuscated": obfuscated,
}


def generate(split: str, per_family: int) -> dict[str, list[Doc]]:
    """``{family: docs}`` for the ``dev`` or ``heldout`` split."""
    if split == "dev":
        return generate_split(DEV_FAMILIES, DEV_LOCALES, DEV_SEED, per_family)
    return generate_split(HELDOUT_FAMILIES, HELDOUT_LOCALES, HELDOUT_SEED, per_family)


def generate_split(
    families: dict[str, Callable[[_Ctx], str]],
    locales: tuple[str, ...],
    seed: int,
    per_family: int,
) -> dict[str, list[Doc]]:
    """``per_family`` documents of each family, locales in turn, each from its own seed."""
    out: dict[str, list[Doc]] = {}
    for f_index, (family, make) in enumerate(families.items()):
        docs = []
        for i in range(per_family):
            locale = locales[i % len(locales)]
            fk = Faker(locale)
            fk.seed_instance(seed + 1000 * f_index + i)
            ctx = _Ctx(fk, random.Random(seed + 1000 * f_index + i), locale)
            text = make(ctx)
            docs.append(Doc(family, locale, text, ctx.pii, ctx.keep))
        out[family] = docs
    return out
