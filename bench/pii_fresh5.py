"""A seventh Faker split, HELD-OUT-FRESH-5: written on 2026-12-03 before HELD-OUT-FRESH-4's leaks
were read for the first time (to fix what they show). From then on FRESH-4 counts as seen, and
this split is the unseen one: support-chat exports with agent handles, courier proof-of-delivery
slips, insurance claim notes, school-parent group chats exported with date, time and dash (some
senders shown by phone number), and hotel registration cards with dotted leaders and names
written passport style (SURNAME, Given). Seven locales of none of the earlier splits, each with
Faker name providers of its own (checked: none falls back to English first names; de_LI and
de_LU do, so they are left out): en_TH, Gujarati gu_IN and Odia or_IN (two scripts no split had),
ar_SA (its own family names; its given names are Faker's shared Arabic ones, also in ar_PS),
ja_JP and zh_TW with the romanised names Faker gives them, and ko_KR and zh_CN with names in
Hangul and Han characters written the way they are, surname and given name run together (only
those of three characters or more can be counted as leaks). Hotel cards also carry a room type
in Chinese or Korean that must survive, so that eating CJK text as a name costs keep rate.
Nothing in privrag/pii was written looking at it; `bench.pii` never prints its leaks.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.pii_fresh import _phone
from bench.pii_heldout import Doc, _Ctx, generate_split

FRESH5_LOCALES = ("en_TH", "gu_IN", "or_IN", "ar_SA", "ja_JP", "zh_TW", "ko_KR", "zh_CN")
FRESH5_SEED = 118_000

ROOM_TYPES = (
    "Deluxe Twin / 豪华双床房", "Superior King / 高级大床房", "Standard Double / 스탠다드 더블",
    "Family Suite / 家庭套房", "Ondol Room / 온돌룸",
)  # fmt: skip
TRIPS = ("museum trip", "swimming gala", "science fair", "book week")


def _name(c: _Ctx) -> tuple[str, str, str]:
    """``(given, surname, full)`` as people of the locale write them in a form or a chat."""
    if c.locale in ("ja_JP", "zh_TW"):
        given, surname = c.fk.first_romanized_name(), c.fk.last_romanized_name()
        return given, surname, c.add("PERSON", f"{given} {surname}")
    if c.locale in ("ko_KR", "zh_CN"):
        given, surname = c.fk.first_name(), c.fk.last_name()
        return given, surname, c.add("PERSON", f"{surname}{given}")
    return c.person()


def _part(c: _Ctx, index: int) -> str:
    """One part of a new name (0 given, 1 surname); the whole name in Hangul and Han, whose
    single parts are too short for the leak check to count."""
    parts = _name(c)
    part = parts[2] if c.locale in ("ko_KR", "zh_CN") else parts[index]
    c.pii[-1] = ("PERSON", part)
    return part


def _given(c: _Ctx) -> str:
    return _part(c, 0)


def _surname(c: _Ctx) -> str:
    return _part(c, 1)


def support_chat(c: _Ctx) -> str:
    given, _, full = _name(c)
    agent = _given(c).lower()
    return (
        f"Chat export, ticket {c.order()}\nvisitor.name = {full}\nvisitor.contact = {_phone(c)}\n"
        f"--\nvisitor \u203a hello, the {c.product()} licence I bought will not activate\n"
        f"agent.{agent} \u203a sorry about that! which e-mail is on the account?\n"
        f"visitor \u203a {c.email()}\n"
        f"agent.{agent} \u203a thanks {given}, a refund of {c.amount()} is on its way"
    )


def proof_of_delivery(c: _Ctx) -> str:
    _, _, addressee = _name(c)
    surname = _surname(c)
    _, _, neighbour = _name(c)
    return (
        f"PROOF OF DELIVERY  consignment {c.order()}\n"
        f"Delivered 14:22   Signed: {surname.upper()}   Addressee: {addressee}\n"
        f"Delivered to: {c.street()}\nHanded to: {neighbour} (next door)   Courier 4471"
    )


def claim_note(c: _Ctx) -> str:
    _, _, holder = _name(c)
    _, _, third = _name(c)
    witness = _given(c)
    iban = c.add("IBAN_CODE", c.fk.iban())
    return (
        f"Claim {c.order()}: policyholder {holder} reports that a van reversed into the parked "
        f"car outside {c.street()}. The third party, {third}, admitted fault; {witness} "
        f"({_phone(c)}) saw it happen. Estimate {c.amount()}, payout to {iban}."
    )


def parent_group(c: _Ctx) -> str:
    _, _, first_parent = _name(c)
    second = _given(c)
    child = _given(c)
    teacher = _surname(c)
    trip = c.keepword(c.rng.choice(TRIPS))
    return (
        f"02/12/2026, 19:04 - {first_parent}: reminder, money for the {trip} ({c.amount()}) "
        f"is due Friday\n02/12/2026, 19:06 - {second}: thanks! {child} is off sick today, "
        f"can someone tell Ms {teacher}?\n02/12/2026, 19:09 - {_phone(c)}: I will let her know"
    )


def hotel_card(c: _Ctx) -> str:
    given, surname, full = _name(c)
    passport = full if c.locale in ("ko_KR", "zh_CN") else f"{surname.upper()}, {given}"
    room = c.keepword(c.rng.choice(ROOM_TYPES))
    return (
        f"GUEST REGISTRATION CARD        Room type: {room}\n"
        f"Name (as in passport) ..... {passport}\n"
        f"Home address .............. {c.street()}, {c.town()}\n"
        f"Mobile .................... {_phone(c)}\n"
        f"Nights 3   Rate {c.amount()}   Booked via {c.product()}"
    )


FRESH5_FAMILIES: dict[str, Callable[[_Ctx], str]] = {
    "support-chat": support_chat,
    "proof-of-delivery": proof_of_delivery,
    "claim-note": claim_note,
    "parent-group": parent_group,
    "hotel-card": hotel_card,
}


def generate(per_family: int) -> dict[str, list[Doc]]:
    return generate_split(FRESH5_FAMILIES, FRESH5_LOCALES, FRESH5_SEED, per_family)
