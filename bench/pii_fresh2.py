"""A fourth Faker split, HELD-OUT-FRESH-2: written on 2026-12-03 after HELD-OUT-FRESH
(bench/pii_fresh.py) had been measured once untuned and its leaks were about to be read to fix
what they showed. From then on FRESH counts as seen, and this split is the one that says how
the scrubber does on formats nobody tuned against: invoice address blocks, minutes in prose,
YAML records, forwarded mails, delivery notes; locales of neither earlier split.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.pii_fresh import _phone
from bench.pii_heldout import Doc, _Ctx, generate_split

FRESH2_LOCALES = ("nl_BE", "fr_BE", "es_AR", "es_CL", "es_CO", "en_IN", "bg_BG", "lt_LT", "et_EE")
FRESH2_SEED = 52_000


def invoice_block(c: _Ctx) -> str:
    _, _, full = c.person()
    return (
        f"INVOICE {c.order()}\nBill to:\n{full}\n{c.street()}\n{c.town()}\nTel {_phone(c)}\n\n"
        f"{c.product()} subscription, total {c.amount()} EUR, due in 30 days."
    )


def minutes_prose(c: _Ctx) -> str:
    _, _, opener = c.person()
    first, _, presenter = c.person()
    return (
        f"Minutes. {opener} opened the meeting and handed over to {presenter}, who presented "
        f"the {c.product()} numbers ({c.amount()} so far). {first} will circulate the slides; "
        f"questions to {c.email()}."
    )


def yaml_record(c: _Ctx) -> str:
    return (
        f"customer:\n  name: {c.person()[2]}\n  phone: '{_phone(c)}'\n  address: {c.street()}\n"
        f"  plan: {c.product()}\n  last_order: {c.order()}"
    )


def forwarded_mail(c: _Ctx) -> str:
    first, _, full = c.person()
    return (
        f"---------- Forwarded message ---------\nFrom: {full} <{c.email()}>\n"
        f"Subject: {c.product()} renewal\n\n{first} wrote:\n> Can we move {c.order()} to next "
        f"month? My number changed to {_phone(c)}."
    )


def delivery_note(c: _Ctx) -> str:
    driver = c.first()
    _, _, neighbour = c.person()
    return (
        f"Driver {driver} left the parcel for {c.order()} with {neighbour} (neighbour) at "
        f"{c.street()}. Contact number on file: {_phone(c)}."
    )


FRESH2_FAMILIES: dict[str, Callable[[_Ctx], str]] = {
    "invoice-block": invoice_block,
    "minutes-prose": minutes_prose,
    "yaml-record": yaml_record,
    "forwarded-mail": forwarded_mail,
    "delivery-note": delivery_note,
}


def generate(per_family: int) -> dict[str, list[Doc]]:
    return generate_split(FRESH2_FAMILIES, FRESH2_LOCALES, FRESH2_SEED, per_family)
