"""A third Faker split, HELD-OUT-FRESH: template families, locales and a seed that no detector was
looked at or tuned against, written before the round of tuning it checks (2026-12-03) and only
ever reported.

Why a third split: the first HELD-OUT split (bench/pii_heldout.py) was read, leak by leak, to
find the weaknesses fixed in that round, so it no longer tells us how the scrubber does on text
nobody has seen. This split takes its place; once its leaks are read to tune against, it joins
the seen splits and a new one has to be written. Formats: helpdesk tickets, vCards, timestamped
SMS threads, HR letters, Markdown tables, application log lines, and prose with phone numbers
reformatted the ways people write them (dots, spaces, country codes, extensions), in locales
with Greek, Cyrillic, Hebrew and Devanagari scripts among them.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.pii_heldout import Doc, _Ctx, generate_split

FRESH_LOCALES = (
    "en_IE", "en_NZ", "de_AT", "de_CH", "pt_PT", "es_MX", "el_GR", "ru_RU", "uk_UA", "hr_HR",
    "sl_SI", "lv_LV", "fr_CH", "id_ID", "he_IL", "hi_IN",
)  # fmt: skip
FRESH_SEED = 31_000

DEPARTMENTS = ("Procurement", "Customer Success", "Finance", "Logistics", "Legal")
ROLES = ("Account Manager", "Data Analyst", "Site Engineer", "Buyer", "Controller")
STATUS = ("Approved", "Pending", "Escalated", "Resolved", "On hold")


def _reformat_phone(c: _Ctx, phone: str) -> str:
    """The same number written another way: dots or spaces for separators, a country code, an
    extension."""
    style = c.rng.randrange(5)
    digits = "".join(ch for ch in phone if ch.isdigit())
    if style == 0 and len(digits) >= 8:
        phone = ".".join(digits[i : i + 3] for i in range(0, len(digits), 3))
    elif style == 1 and len(digits) >= 8:
        phone = f"+{c.rng.randint(30, 98)} {digits[:3]} {digits[3:6]} {digits[6:]}"
    elif style == 2:
        phone = phone.replace("-", " ")
    if c.rng.random() < 0.3:
        phone += c.rng.choice((" ext. ", " x", " ext ", " (ext. ")) + str(c.rng.randint(10, 999))
        if phone.count("(") > phone.count(")"):
            phone += ")"
    return phone


def _phone(c: _Ctx) -> str:
    raw = c.fk.phone_number()
    written = _reformat_phone(c, raw)
    return c.add("PHONE_NUMBER", written)


def _keep(c: _Ctx, options: tuple[str, ...]) -> str:
    return c.keepword(c.rng.choice(options))


def helpdesk_ticket(c: _Ctx) -> str:
    ticket = c.keepword(f"TKT-{c.rng.randint(10000, 99999)}")
    _, _, full = c.person()
    return (
        f"Ticket {ticket} ({c.product()}), status {_keep(c, STATUS)}.\n"
        f"Opened by {full} <{c.email()}>. Caller said: reach me at {_phone(c)}.\n"
        f"Assigned to {c.person()[2]} in {_keep(c, DEPARTMENTS)}; invoice {c.order()} "
        f"disputed for {c.amount()}."
    )


def vcard(c: _Ctx) -> str:
    first, last, _ = c.person()
    return (
        f"BEGIN:VCARD\nVERSION:3.0\nN:{last};{first};;;\nFN:{first} {last}\n"
        f"ORG:{c.product()}\nTITLE:{_keep(c, ROLES)}\nTEL;TYPE=CELL:{_phone(c)}\n"
        f"EMAIL;TYPE=WORK:{c.email()}\nADR;TYPE=HOME:;;{c.street()};{c.fk.city()};;"
        f"{c.fk.postcode()};\nEND:VCARD"
    )


def sms_thread(c: _Ctx) -> str:
    a, b = c.first(), c.first()
    if c.rng.random() < 0.5:
        a, b = a.lower(), b.lower()
        c.pii[-2:] = [("PERSON", a), ("PERSON", b)]
    h = c.rng.randint(7, 20)
    return (
        f"[{h:02d}:04] {a}: the {c.product()} invoice {c.order()} is still {_keep(c, STATUS)}\n"
        f"[{h:02d}:06] {b}: I'll ring the supplier, their number is {_phone(c)}\n"
        f"[{h:02d}:11] {a}: thanks, amount was {c.amount()}"
    )


def hr_letter(c: _Ctx) -> str:
    _, _, full = c.person()
    _, _, manager = c.person()
    dept = _keep(c, DEPARTMENTS)
    return (
        f"Dear {full},\n\nFurther to your interview with {manager}, we are pleased to offer you "
        f"the role of {_keep(c, ROLES)} in our {dept} team, starting on the first of next month. "
        f"Please return the signed contract to {c.email()} or call {c.first()} on {_phone(c)}."
        f"\n\nKind regards\n\n{manager}\nHead of {dept}"
    )


def markdown_table(c: _Ctx) -> str:
    rows = ["| Contact | Tel. | Address | Account | Status |", "|---|---|---|---|---|"]
    for _ in range(c.rng.randint(2, 4)):
        rows.append(
            f"| {c.person()[2]} | {_phone(c)} | {c.street()} | {c.order()} | {_keep(c, STATUS)} |"
        )
    return "\n".join(rows)


def app_log(c: _Ctx) -> str:
    lines = []
    for i in range(c.rng.randint(2, 3)):
        lines.append(
            f"2026-11-0{i + 1}T08:1{i}:44Z INFO checkout order={c.order()} "
            f'customer="{c.person()[2]}" email={c.email()} phone="{_phone(c)}" '
            f"amount={c.amount()} product={c.product().replace(' ', '_')}"
        )
    # The keep word above is the product with a space; what the log holds has an underscore.
    c.keep = [w for w in c.keep if " " not in w]
    return "\n".join(lines)


def phone_prose(c: _Ctx) -> str:
    first, _, full = c.person()
    return (
        f"{full} moved to {_keep(c, DEPARTMENTS)} last week. Her new direct line is "
        f"{_phone(c)}, or try {_phone(c)} from abroad. {first} still owns {c.order()}.\n"
        f"{c.person()[2]} - {_phone(c)}"
    )


FRESH_FAMILIES: dict[str, Callable[[_Ctx], str]] = {
    "helpdesk-ticket": helpdesk_ticket,
    "vcard": vcard,
    "sms-thread": sms_thread,
    "hr-letter": hr_letter,
    "markdown-table": markdown_table,
    "app-log": app_log,
    "phone-prose": phone_prose,
}


def generate(per_family: int) -> dict[str, list[Doc]]:
    return generate_split(FRESH_FAMILIES, FRESH_LOCALES, FRESH_SEED, per_family)
