"""A sixth Faker split, HELD-OUT-FRESH-4: written on 2026-12-03 before HELD-OUT-FRESH-3's leaks
were read for the first time (to fix what they show). From then on FRESH-3 counts as seen, and
this split is the unseen one: voicemail transcriptions, bank transfer confirmations, tenancy
notices, appointment reminders and conference badge sheets pasted as semicolon rows under
unusual column names; eleven locales of none of the earlier splits, all with Faker name
providers of their own (checked: none falls back to English names), seven of them in
non-Latin scripts (Arabic, Persian, Bengali with Bengali digits, Thai, Tamil, Devanagari).
Locales whose names are mostly one or two characters (Chinese, Japanese, Korean) are left out:
the leak check counts name words of three letters or more, so it could not see them leak.
Nothing in privrag/pii was written looking at it; `bench.pii` never prints its leaks.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.pii_fresh import _phone
from bench.pii_heldout import Doc, _Ctx, generate_split

FRESH4_LOCALES = (
    "ar_PS", "fa_IR", "bn_BD", "th_TH", "ta_IN", "ne_NP", "uz_UZ", "yo_NG", "sw", "es_CA",
    "tw_GH",
)  # fmt: skip
FRESH4_SEED = 97_000

CLINICS = ("Outpatient Clinic B", "Dental Wing", "Physiotherapy Unit", "Eye Clinic")
ROOMS = ("Hall A", "Room 204", "Main Stage", "Workshop 3")


def voicemail(c: _Ctx) -> str:
    first, _, full = c.person()
    minutes, seconds = c.rng.randint(0, 2), c.rng.randint(10, 59)
    phone = _phone(c)
    return (
        f"New voicemail ({minutes}:{seconds:02d}) from {phone}\nTranscription (auto): "
        f'"hi um this is {full} calling about the {c.product()} quote, reference '
        f"{c.order()}, could somebody call me back on {phone} thanks... oh and it's {first} "
        f'again, the total came to {c.amount()}"'
    )


def bank_transfer(c: _Ctx) -> str:
    _, _, payee = c.person()
    _, _, payer = c.person()
    iban = c.add("IBAN_CODE", c.fk.iban())
    return (
        f"Transfer confirmation\nOrdered by: {payer}\nBeneficiary name: {payee}\n"
        f"Beneficiary account: {iban}\nAmount: {c.amount()}\nPayment details: {c.order()} "
        f"{c.product()}\nStatus: executed"
    )


def tenancy_notice(c: _Ctx) -> str:
    _, _, tenant = c.person()
    _, _, landlord = c.person()
    street = c.street()
    return (
        f"NOTICE OF RENT REVIEW\n\nTo the tenant(s) of {street}, {c.town()}\nAttn: {tenant}\n\n"
        f"Following the annual review the monthly rent changes to {c.amount()} from next "
        f"quarter. Queries to the landlord, {landlord}, at {c.email()} or {_phone(c)}.\n"
        f"Ref. {c.order()}"
    )


def appointment_reminder(c: _Ctx) -> str:
    first = c.first()
    doctor = c.fk.last_name()
    c.add("PERSON", doctor)
    clinic = c.keepword(c.rng.choice(CLINICS))
    hour = c.rng.randint(8, 17)
    return (
        f"Reminder for {first}: you are booked with Dr {doctor} at the {clinic}, "
        f"{hour}:{c.rng.choice(('00', '15', '30', '45'))} tomorrow. To cancel reply NO or ring "
        f"{_phone(c)}. Booking {c.order()}"
    )


def badge_sheet(c: _Ctx) -> str:
    rows = ["Badge print;Affiliation;Mob.;Correspondence;Session"]
    for _ in range(c.rng.randint(2, 4)):
        room = c.keepword(c.rng.choice(ROOMS))
        rows.append(f"{c.person()[2]};{c.product()};{_phone(c)};{c.email()};{room}")
    return "\n".join(rows)


FRESH4_FAMILIES: dict[str, Callable[[_Ctx], str]] = {
    "voicemail": voicemail,
    "bank-transfer": bank_transfer,
    "tenancy-notice": tenancy_notice,
    "appointment": appointment_reminder,
    "badge-sheet": badge_sheet,
}


def generate(per_family: int) -> dict[str, list[Doc]]:
    return generate_split(FRESH4_FAMILIES, FRESH4_LOCALES, FRESH4_SEED, per_family)
