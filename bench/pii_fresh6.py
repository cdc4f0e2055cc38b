"""An eighth Faker split, HELD-OUT-FRESH-6: written before any tuning against it, while a learned
name detector was being built elsewhere, to measure that detector (and the scrubber as it stands)
on text nobody has read. From then on FRESH-5, measured untuned and its leaks never read, counts
as used, and this split is the unseen one. Families in shapes no earlier split has: IT
access-request tickets (surname-first names, logins derived from names, approvers as initial and
surname, temporary passwords and connector keys), expense-reimbursement claims with a
column-aligned item table (names inside item details, attendees in parentheses, an IBAN written
in groups of four, now and then a card number), property maintenance logs (work orders whose
notes start with the tenant's surname, Mr/Ms with a possessive, contractors surname-first),
event guest lists with dietary notes (one guest a line in five name forms, plus-ones in
parentheses, names typed in lower case) and onboarding checklists in Markdown (ticked boxes with
birth date, national id, home address, payroll IBAN, emergency contact, login and first-login
password).

Locales: fourteen of none of the earlier splits. Faker 37.4 gives few of them names of their
own: fr_QC is a deprecated alias of fr_CA (a HELD-OUT-FRESH-3 locale) and warns once; de_LI and
de_LU have surnames of their own but only "John" and "Jane" for given names; the other eleven
(bs_BA, lb_LU, it_CH, mt_MT, sq_AL, fil_PH, en_PH, ng_NG, el_CY, ar_AE, en_BD) fall back to
Faker's en_US names, the name list of a DEV locale. The learned name model being built
(privrag/pii/name_training) is meant to train on no name of these locales' lists, en_US's included,
so that every name here is unseen to it; to the rule-based scrubber, tuned on DEV, most names
here are a DEV locale's, in new shapes.
What is new per locale is the phone numbers (bs_BA, de_LI, de_LU, it_CH, ar_AE, and
Philippine mobiles and landlines; the rest en_US formats), street addresses (fil_PH, en_PH,
en_BD; the rest en_US), IBANs (CH, PH; the rest GB) and ids (Philippine SSS numbers); a national
id in the US format (the en_US fallback) is counted as US_SSN, any other as NATIONAL_ID.

Every PII value is recorded exactly as written, a person once per form with words of its own (a
later mention by given name alone, or in another order, is not recorded again, as in the earlier
splits). Checked when it was written: redacting the recorded values and those later mentions
leaves no leak and every keep word. Nothing in privrag/pii was written looking at it;
`bench.pii` never prints its leaks.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable

from bench.pii_heldout import Doc, _Ctx, generate_split

FRESH6_LOCALES = (
    "bs_BA", "de_LI", "de_LU", "lb_LU", "it_CH", "mt_MT", "sq_AL", "fil_PH", "en_PH", "ng_NG",
    "el_CY", "fr_QC", "ar_AE", "en_BD",
)  # fmt: skip
FRESH6_SEED = 131_000

DEPARTMENTS = ("Treasury", "Field Service", "Facilities", "Internal Audit", "Partner Sales")
ACCESS_ROLES = ("read-only ledger", "AP clerk", "report viewer", "warehouse supervisor")
ROLES = (
    "Payroll Specialist", "Field Technician", "Treasury Analyst", "Facilities Coordinator",
    "Audit Associate",
)  # fmt: skip
EXPENSES = ("Airfare", "Rail", "Hotel", "Taxi", "Meals", "Conference fee", "Parking")
JOBS = (
    ("Boiler pressure low", "heating engineer"),
    ("Leak under kitchen sink", "plumber"),
    ("Entry phone not buzzing", "electrician"),
    ("Mould on bathroom ceiling", "decorator"),
    ("Lift stuck between floors", "lift contractor"),
    ("Window latch broken", "glazier"),
)
DIETS = (
    "vegetarian", "vegan", "gluten-free", "halal", "kosher", "lactose-free", "pescatarian",
    "no dietary requirements",
)  # fmt: skip
EVENTS = (
    "Winter Partner Dinner", "Supplier Summit Gala", "Quarter-Close Celebration",
    "Customer Advisory Board Lunch",
)  # fmt: skip
DOMAINS = ("northgate-group.com", "alderpoint.eu", "kestrel-holdings.net", "meridianhq.org")
RELATIONS = ("parent", "sibling", "partner", "spouse", "cousin", "flatmate")


def _keep(c: _Ctx, options: tuple[str, ...]) -> str:
    return c.keepword(c.rng.choice(options))


def _who(c: _Ctx) -> tuple[str, str]:
    """A new person's ``(given, surname)``, not recorded: each written form is recorded where
    it is written."""
    return c.fk.first_name(), c.fk.last_name()


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text``, as logins and mailbox names are made."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def _login(c: _Ctx, given: str, surname: str, style: int | None = None) -> str:
    g, s = _fold(given) or "x", _fold(surname) or "x"
    forms = (g[0] + s, f"{g}.{s}", s + g[0], f"{g}{s[0]}", f"{s}.{g}")
    return forms[c.rng.randrange(len(forms)) if style is None else style]


def _work_email(c: _Ctx, given: str, surname: str, login: str = "") -> str:
    """A company mailbox for the person, not the same string as their login."""
    locals_ = [_login(c, given, surname, style) for style in range(5)]
    local = c.rng.choice([x for x in locals_ if x != login] or locals_)
    return c.add("EMAIL_ADDRESS", f"{local}@{c.rng.choice(DOMAINS)}")


def _phone(c: _Ctx) -> str:
    """A number of the locale's own formats; Faker's Philippine providers have no
    ``phone_number``, and ar_AE's include three-digit service numbers, which are redrawn."""
    for _ in range(20):
        if c.locale in ("fil_PH", "en_PH"):
            number = c.rng.choice((c.fk.mobile_number, c.fk.landline_number))()
        else:
            number = c.fk.phone_number()
        if len(re.sub(r"\D", "", number)) >= 7:
            break
    return c.add("PHONE_NUMBER", number)


def _iban(c: _Ctx) -> str:
    iban = c.fk.iban()
    if c.rng.random() < 0.5:
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return c.add("IBAN_CODE", iban)


def _national_id(c: _Ctx) -> str:
    value = str(c.fk.ssn())
    kind = "US_SSN" if re.fullmatch(r"\d{3}-\d{2}-\d{4}", value) else "NATIONAL_ID"
    return c.add(kind, value)


def _password(c: _Ctx) -> str:
    alphabet = string.ascii_letters + string.digits
    body = "".join(c.rng.choice(alphabet) for _ in range(c.rng.randint(10, 14)))
    return c.add("SECRET", body + c.rng.choice("!#%*?"))


def _token(c: _Ctx, prefix: str) -> str:
    alphabet = string.ascii_letters + string.digits
    body = "".join(c.rng.choice(alphabet) for _ in range(c.rng.randint(28, 36)))
    return c.add("SECRET", prefix + body)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _dob(c: _Ctx) -> str:
    born = c.fk.date_of_birth(minimum_age=19, maximum_age=63)
    fmt = c.rng.choice(("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d %b %Y"))
    return c.add("DATE_OF_BIRTH", born.strftime(fmt))


# Places and private mailboxes are drawn once a document's people are known: Faker's fallback
# cities and streets are made of names ("East Jane", "3405 John Highway", "Joseph Ville") and its
# mailboxes of names too, so one that shares a name word with a person of the document would make
# that person read as leaked wherever the place survives. Until then the text holds a marker.
CITY, TOWN, STREET, EMAIL = "\x00city\x00", "\x00town\x00", "\x00street\x00", "\x00email\x00"
_MARKER = re.compile("\x00(city|town|street|email)\x00")
_NAME_WORD = re.compile(r"[^\W\d_]{3,}")


def _finish(c: _Ctx, text: str) -> str:
    names = {w.lower() for t, v in c.pii if t == "PERSON" for w in _NAME_WORD.findall(v)}

    def draw(match: re.Match[str]) -> str:
        kind = match.group(1)
        for _ in range(50):
            if kind == "city":
                value = c.fk.city()
            elif kind == "town":
                value = c.town()
            elif kind == "street":
                value = c.fk.street_address().split("\n")[0]
            else:
                value = c.fk.email()
            words = _NAME_WORD.findall(value.split("@")[0].replace(".", " "))
            if not names & {w.lower() for w in words}:
                break
        if kind == "street":
            c.add("STREET_ADDRESS", value)
        elif kind == "email":
            c.add("EMAIL_ADDRESS", value)
        return value

    return _MARKER.sub(draw, text)


def access_request(c: _Ctx) -> str:
    given, surname = _who(c)
    request = c.keepword(f"AR-{c.rng.randint(100000, 999999)}")
    dept = _keep(c, DEPARTMENTS)
    requested_for = c.add("PERSON", f"{surname.upper()}, {given}")
    login = c.add("PERSON", _login(c, given, surname))
    email = _work_email(c, given, surname, login)
    m_given, m_surname = _who(c)
    manager = c.add("PERSON", f"{m_given[0]}. {m_surname}")
    o_given, o_surname = _who(c)
    owner = c.add("PERSON", f"{o_given} {o_surname}")
    owner_login = c.add("PERSON", _login(c, o_given, o_surname))
    system, role = c.product(), _keep(c, ACCESS_ROLES)
    reason = c.rng.choice(
        (
            f"{given} takes over the month-end accruals from {_possessive(owner)} team and "
            f"needs the same view.",
            f"New starter in {dept}; {owner} asked for the same access as the rest of the team.",
            f"Temporary cover while {owner} is on leave, until the end of the quarter.",
        )
    )
    lines = [
        f"ACCESS REQUEST {request}        priority: normal",
        f"Requested for: {requested_for} ({dept})        login: {login}",
        f'System: {system} / role "{role}"',
        f"Business reason: {reason}",
        f"Approvals: line manager {manager} - approved; data owner {owner_login} - pending",
        f"Provisioning: account created, temporary password {_password(c)} (must be changed at "
        f"first logon).",
    ]
    if c.rng.random() < 0.5:
        lines.append(f"Reporting connector key issued: {_token(c, 'qz_live_')}")
    lines.append(f"Questions to the requester on {_phone(c)} or {email}.")
    return _finish(c, "\n".join(lines))


def expense_claim(c: _Ctx) -> str:
    given, surname = _who(c)
    claim = c.keepword(f"EXP-26-{c.rng.randint(10000, 99999)}")
    dept = _keep(c, DEPARTMENTS)
    claimant = c.add("PERSON", f"{surname} {given}")
    b_given, b_surname = _who(c)
    booker = c.add("PERSON", f"{b_given} {b_surname}")
    guests = [_who(c) for _ in range(c.rng.randint(1, 3))]
    guest_list = ", ".join(c.add("PERSON", f"{g[0]}. {s}") for g, s in guests)
    product = c.product()
    items = [
        ("Airfare", f"return flight, booked by {booker}"),
        ("Hotel", c.rng.choice(("1 night", "2 nights", "3 nights", "4 nights"))),
        ("Meals", f"client dinner ({guest_list}, self)"),
        (c.rng.choice(("Taxi", "Rail", "Parking", "Conference fee")), "receipt attached"),
    ]
    rows = ["Date    Category        Details                                        Amount"]
    total = 0.0
    for day, (category, details) in enumerate(items[: c.rng.randint(3, 4)], start=3):
        cents = c.rng.randint(1_000, 60_000)
        total += cents / 100
        amount = c.keepword(f"{cents / 100:.2f}")
        rows.append(f"{day:02d}/11   {c.keepword(category):<15} {details:<46} {amount:>8}")
    lines = [
        f"EXPENSE CLAIM {claim}",
        f"Claimant: {claimant}, {dept}",
        f"Purpose: customer workshop on {product} in {CITY}",
        "",
        *rows,
        f"Total claimed: {c.keepword(f'{total:.2f}')}",
        "",
    ]
    if c.rng.random() < 0.35:
        card = c.fk.credit_card_number()
        if c.rng.random() < 0.5:
            card = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
        lines.append(
            f"Note: the hotel charged {given}'s own card {c.add('CREDIT_CARD', card)} instead "
            f"of the company card; please refund it with this claim."
        )
    a_given, a_surname = _who(c)
    lines += [
        f"Reimburse to: {_iban(c)} (account holder: {given} {surname})",
        f"Approver: {c.add('PERSON', f'{a_given[0]}. {a_surname}')} "
        f"(cost centre {c.keepword(f'CC-{c.rng.randint(1000, 9999)}')})",
    ]
    return _finish(c, "\n".join(lines))


def maintenance_log(c: _Ctx) -> str:
    lines = [f"MAINTENANCE LOG  {STREET}, {TOWN}", ""]
    jobs = c.rng.sample(JOBS, c.rng.randint(2, 3))
    forms = c.rng.sample(range(5), len(jobs))
    for (issue, trade), form in zip(jobs, forms, strict=True):
        order = c.keepword(f"WO-{c.rng.randint(10000, 99999)}")
        flat = f"flat {c.rng.randint(1, 9)}{c.rng.choice('ABCD')}"
        given, surname = _who(c)
        title = "Ms" if c.rng.random() < 0.5 else "Mr"
        if form == 0:
            note = (
                f"{c.add('PERSON', surname)} rang it in from {_phone(c)}; {c.keepword(trade)} "
                f"attended next day."
            )
        elif form == 1:
            note = (
                f"Tenant {c.add('PERSON', f'{given} {surname}')} "
                f"<{_work_email(c, given, surname)}> asked for a morning visit; "
                f"{c.keepword(trade)} booked."
            )
        elif form == 2:
            k_given, k_surname = _who(c)
            keys = c.add("PERSON", f"{k_given[0]}. {k_surname}")
            note = (
                f"Keys for {title} {c.add('PERSON', surname)}'s flat left with {keys} at the "
                f"concierge desk; the {c.keepword(trade)} collected them."
            )
        elif form == 3:
            note = (
                f"Contractor ({c.keepword(trade)}): {c.add('PERSON', f'{surname}, {given}')}, "
                f"mobile {_phone(c)}. Tenant away until Friday."
            )
        else:
            note = (
                f"{c.add('PERSON', f'{given} {surname}')} ({flat}) says the {c.keepword(trade)} "
                f"left without finishing; call back on {_phone(c)}."
            )
        cost = c.keepword(f"{c.rng.randint(40, 900)}.{c.rng.choice(('00', '50', '80'))}")
        status = c.rng.choice(("closed", "open", "waiting for parts"))
        lines += [
            f"{order}  {c.rng.randint(1, 28):02d} Nov  {flat}  {c.keepword(issue)}",
            note,
            f"Cost {cost}, status {status}.",
            "",
        ]
    return _finish(c, "\n".join(lines).rstrip())


def guest_list(c: _Ctx) -> str:
    event = _keep(c, EVENTS)
    o_given, o_surname = _who(c)
    organiser = _work_email(c, o_given, o_surname)
    lines = [
        f"{event} - {c.rng.randint(1, 28)} December - final guest list",
        f"RSVPs to {organiser}; seating by {c.add('PERSON', o_given)}.",
    ]
    guests: list[tuple[str, bool]] = []
    n = c.rng.randint(4, 6)
    for i in range(n):
        if i in (0, (n + 1) // 2):
            lines += ["", f"Table {i // ((n + 1) // 2) + 1}"]
        given, surname = _who(c)
        form = c.rng.randrange(5)
        if form == 0:
            who = c.add("PERSON", f"{surname}, {given}")
        elif form == 1:
            partner = c.add("PERSON", c.fk.first_name())
            who = f"{c.add('PERSON', f'{given} {surname}')} (+1: {partner})"
        elif form == 2:
            who = c.add("PERSON", f"{surname.upper()} {given}")
        elif form == 3:
            who = c.add("PERSON", f"{given[0]}. {surname}")
        else:
            who = c.add("PERSON", f"{given} {surname}".lower())
        guests.append((given, form != 3))
        line = f"{who} - {_keep(c, DIETS)}"
        if c.rng.random() < 0.4:
            line += f" - {c.product()}"
        if c.rng.random() < 0.25:
            line += f"; arriving late, mobile {_phone(c)}"
        lines.append(line)
    given, named = c.rng.choice(guests)
    if not named:
        c.add("PERSON", given)
    lines += [
        "",
        f"Kitchen notes: {_possessive(given)} partner has a severe nut allergy; "
        f"{c.keepword('vegan')} and {c.keepword('halal')} mains are plated separately.",
    ]
    return _finish(c, "\n".join(lines))


def onboarding_checklist(c: _Ctx) -> str:
    given, surname = _who(c)
    role, dept = _keep(c, ROLES), _keep(c, DEPARTMENTS)
    full = c.add("PERSON", f"{given} {surname}")
    h_given, h_surname = _who(c)
    b_given, b_surname = _who(c)
    e_given, e_surname = _who(c)
    t_given = c.fk.first_name()
    login = c.add("PERSON", _login(c, given, surname))
    laptop = c.keepword(f"LT-{c.rng.randint(1000, 9999)}")
    items = [
        "Contract signed and returned",
        f"Personal data form: born {_dob(c)}, ID no. {_national_id(c)}",
        f"Home address: {STREET}, {TOWN}",
        f"Bank details for payroll: {_iban(c)}",
        f"Emergency contact: {c.rng.choice(RELATIONS)} "
        f"{c.add('PERSON', f'{e_given} {e_surname}')}, {_phone(c)}",
        f"Laptop {laptop} and badge issued; directory account {login}, first-login password "
        f"{_password(c)}",
        f"Welcome lunch with {_possessive(c.add('PERSON', t_given))} team; intro to {c.product()}",
        f"Private e-mail for payslips: {EMAIL}",
    ]
    head, tail = items[:1], items[1:]
    c.rng.shuffle(tail)
    boxes = [f"- [{'x' if c.rng.random() < 0.6 else ' '}] {item}" for item in head + tail]
    return _finish(
        c,
        "\n".join(
            [
                f"## Onboarding: {full} - {role}, {dept} (start 01.12.2026)",
                f"Owner: HR ({c.add('PERSON', f'{h_given[0]}. {h_surname}')})   Buddy: "
                f"{c.add('PERSON', f'{b_given} {b_surname}'.lower())}",
                "",
                *boxes,
            ]
        ),
    )


FRESH6_FAMILIES: dict[str, Callable[[_Ctx], str]] = {
    "access-request": access_request,
    "expense-claim": expense_claim,
    "maintenance-log": maintenance_log,
    "guest-list": guest_list,
    "onboarding": onboarding_checklist,
}


def generate(per_family: int) -> dict[str, list[Doc]]:
    return generate_split(FRESH6_FAMILIES, FRESH6_LOCALES, FRESH6_SEED, per_family)
