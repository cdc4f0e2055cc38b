"""A fifth Faker split, HELD-OUT-FRESH-3: written on 2026-12-03 before HELD-OUT-FRESH-2's leaks
were read for the first time (to fix what they show). From then on FRESH-2 counts as seen, and
this split is the unseen one: text-message threads, shipping labels, HR notes, calendar
invites and shop receipts; locales of none of the earlier splits (only locales whose Faker
providers have their own names: several fall back to English ones), two of them in
non-Latin scripts. Nothing in privrag/pii was
written looking at it until it had been measured untuned; on 2026-12-03 its leaks were read to
fix what they show, and HELD-OUT-FRESH-4 (bench/pii_fresh4.py) took its place as the unseen split.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.pii_fresh import _phone
from bench.pii_heldout import Doc, _Ctx, generate_split

FRESH3_LOCALES = (
    "fr_CA", "is_IS", "en_PK", "az_AZ", "ga_IE", "zu_ZA", "en_MS", "hy_AM", "ka_GE",
)  # fmt: skip
FRESH3_SEED = 73_000


def text_thread(c: _Ctx) -> str:
    me, other = c.first(), c.first()
    return (
        f"[08:02] {me}: running late, parcel {c.order()} still not here\n"
        f"[08:05] {other.lower()}: call the depot on {_phone(c)}\n"
        f"[08:06] {me}: ok, and the {c.product()} invoice was {c.amount()}"
    )


def shipping_label(c: _Ctx) -> str:
    _, _, full = c.person()
    return (
        f"SHIP TO:\n{full.upper()}\n{c.street()}\n{c.town()}\n"
        f"REF {c.order()}  WEIGHT 2.4 KG  CONTENTS {c.product()}"
    )


def hr_note(c: _Ctx) -> str:
    _, _, employee = c.person()
    _, _, contact = c.person()
    return (
        f"HR update: {employee} has moved to {c.street()}. Emergency contact is now {contact} "
        f"({_phone(c)}). Payroll reference {c.order()} unchanged; {c.product()} seat kept."
    )


def calendar_invite(c: _Ctx) -> str:
    _, _, organiser = c.person()
    first, _, one = c.person()
    _, _, two = c.person()
    return (
        f"Invitation: {c.product()} review\nOrganizer: {organiser} <{c.email()}>\n"
        f"Guests: {one}; {two}\nDial-in: {_phone(c)}\nNotes: {first} brings the {c.order()} "
        f"figures ({c.amount()})."
    )


def shop_receipt(c: _Ctx) -> str:
    cashier = c.first()
    _, _, customer = c.person()
    return (
        f"RECEIPT {c.order()}\n1 x {c.product()} .... {c.amount()}\nServed by: {cashier}\n"
        f"Loyalty member: {customer}\nE-receipt sent to {c.email()}\nThank you for shopping!"
    )


FRESH3_FAMILIES: dict[str, Callable[[_Ctx], str]] = {
    "text-thread": text_thread,
    "shipping-label": shipping_label,
    "hr-note": hr_note,
    "calendar-invite": calendar_invite,
    "shop-receipt": shop_receipt,
}


def generate(per_family: int) -> dict[str, list[Doc]]:
    return generate_split(FRESH3_FAMILIES, FRESH3_LOCALES, FRESH3_SEED, per_family)
