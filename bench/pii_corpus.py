"""A generated corpus of realistic business documents with labelled PII, for the PII bench.

Each document records the PII values it contains (type, value) and ordinary business words that
must survive scrubbing (product names, cities, dates, amounts, order numbers, versions). Several
locales: names, streets, phone formats, IBAN countries and ids differ per locale. Deterministic for
a seed; every value is synthetic (checksums are computed so validators see realistic numbers).
"""

from __future__ import annotations

import base64
import json
import random
import string
from dataclasses import dataclass, field


@dataclass
class LabelledDoc:
    kind: str
    locale: str
    text: str
    pii: list[tuple[str, str]] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)


LOCALES = {
    "en_US": dict(
        first=["James", "Maria", "Robert", "Jennifer", "Michael", "Linda", "DeShawn", "Ashley",
               "Kevin", "Tiffany", "Carlos", "Megan", "Tyler", "Brianna"],
        last=["Johnson", "Williams", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
              "Anderson", "Thompson", "Washington", "Nguyen", "Patel", "O'Connor", "McAllister"],
        streets=["Maple Avenue", "Oak Street", "Sunset Boulevard", "Lincoln Drive", "Cedar Lane",
                 "Washington Street", "Park Place", "Lakeview Court", "Elm Road", "Highland Ave"],
        cities=[("Springfield", "IL", "62704"), ("Austin", "TX", "78701"),
                ("Portland", "OR", "97205"), ("Columbus", "OH", "43215"),
                ("Denver", "CO", "80202")],
        country="USA", iban=None, street_first=False),
    "en_GB": dict(
        first=["Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Jack", "Freya", "Callum",
               "Siobhan", "Rhys", "Imogen"],
        last=["Smith", "Jones", "Taylor", "Brown", "Evans", "Wilson", "Hughes", "Patel",
              "Davies", "Robinson", "Fitzgerald", "Campbell"],
        streets=["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane",
                 "Queensway", "Kings Road", "Manor Close", "Orchard Way", "Albert Terrace"],
        cities=[("Manchester", "", "M1 4BT"), ("Leeds", "", "LS1 5AB"), ("Bristol", "", "BS1 6QF"),
                ("Glasgow", "", "G2 3JD"), ("Cardiff", "", "CF10 1EP")],
        country="United Kingdom", iban="GB", street_first=False),
    "de_DE": dict(
        first=["Lukas", "Anna", "Maximilian", "Sophie", "Jonas", "Lea", "Felix", "Hannah",
               "Jürgen", "Ursula", "Björn", "Käthe"],
        last=["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
              "Schäfer", "Hoffmann", "Zimmermann", "Krüger"],
        streets=["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee",
                 "Am Marktplatz", "Goethestraße", "Birkenweg", "Kirchgasse", "Rosenstraße"],
        cities=[("Berlin", "", "10115"), ("München", "", "80331"), ("Hamburg", "", "20095"),
                ("Köln", "", "50667"), ("Leipzig", "", "04109")],
        country="Deutschland", iban="DE", street_first=True),
    "fr_FR": dict(
        first=["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Théo", "Océane",
               "Mathis", "Inès", "Gaël"],
        last=["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
              "Lefèvre", "Moreau", "Girard", "Fontaine"],
        streets=["rue de la Paix", "avenue Victor Hugo", "boulevard Saint-Michel",
                 "rue des Lilas", "chemin des Vignes", "place de la République",
                 "rue du Moulin", "allée des Tilleuls"],
        cities=[("Paris", "", "75002"), ("Lyon", "", "69003"), ("Marseille", "", "13001"),
                ("Toulouse", "", "31000"), ("Nantes", "", "44000")],
        country="France", iban="FR", street_first=False),
    "es_ES": dict(
        first=["Lucía", "Hugo", "Martina", "Alejandro", "Paula", "Javier", "Carmen", "Álvaro",
               "Nerea", "Iñigo"],
        last=["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
              "Pérez", "Gómez", "Ruiz de la Torre"],
        streets=["Calle Mayor", "Avenida de la Constitución", "Calle del Sol", "Paseo de Gracia",
                 "Calle de Alcalá", "Plaza de España", "Camino Real"],
        cities=[("Madrid", "", "28013"), ("Barcelona", "", "08007"), ("Sevilla", "", "41004"),
                ("Valencia", "", "46002"), ("Bilbao", "", "48001")],
        country="España", iban="ES", street_first=True),
    "nl_NL": dict(
        first=["Daan", "Emma", "Sem", "Julia", "Lucas", "Sophie", "Bram", "Fleur", "Joost",
               "Anouk"],
        last=["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
              "Smit", "Meijer", "de Boer"],
        streets=["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenlaan", "Prinsengracht",
                 "Julianalaan", "Marktplein", "Beukenlaan"],
        cities=[("Amsterdam", "", "1012 AB"), ("Utrecht", "", "3511 CE"),
                ("Rotterdam", "", "3011 AD"), ("Eindhoven", "", "5611 AZ")],
        country="Nederland", iban="NL", street_first=True),
    "nordic": dict(
        first=["Mikko", "Aino", "Lars", "Ingrid", "Sven", "Astrid", "Mads", "Freja", "Eero",
               "Sigrid", "Ólafur", "Björk"],
        last=["Virtanen", "Korhonen", "Andersson", "Johansson", "Nielsen", "Hansen", "Larsen",
              "Mäkinen", "Lindqvist", "Bergström", "Jónsdóttir", "Halvorsen"],
        streets=["Mannerheimintie", "Storgatan", "Vesterbrogade", "Karl Johans gate",
                 "Hämeenkatu", "Drottninggatan", "Nørregade", "Aleksanterinkatu", "Kungsvägen",
                 "Puistotie"],
        cities=[("Helsinki", "", "00100"), ("Stockholm", "", "111 52"),
                ("København", "", "1620"), ("Oslo", "", "0154"), ("Tampere", "", "33100")],
        country="Finland", iban="FI", street_first=True),
    "pl_PL": dict(
        first=["Jakub", "Zofia", "Kacper", "Zuzanna", "Mateusz", "Wiktoria", "Łukasz",
               "Małgorzata"],
        last=["Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamińska",
              "Lewandowski", "Zieliński"],
        streets=["ul. Marszałkowska", "ul. Długa", "ul. Piotrkowska", "al. Jerozolimskie",
                 "ul. Floriańska", "ul. Kwiatowa"],
        cities=[("Warszawa", "", "00-950"), ("Kraków", "", "31-010"), ("Łódź", "", "90-001"),
                ("Gdańsk", "", "80-831")],
        country="Polska", iban="PL", street_first=True),
    "it_IT": dict(
        first=["Giulia", "Francesco", "Chiara", "Alessandro", "Sofia", "Lorenzo", "Giorgia",
               "Matteo"],
        last=["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
              "Ricci"],
        streets=["Via Roma", "Via Garibaldi", "Corso Vittorio Emanuele", "Piazza Navona",
                 "Viale Europa", "Via dei Mille"],
        cities=[("Milano", "MI", "20121"), ("Roma", "RM", "00184"), ("Torino", "TO", "10121"),
                ("Bologna", "BO", "40121")],
        country="Italia", iban="IT", street_first=True),
}  # fmt: skip

IBAN_BBAN = {
    "GB": lambda r: "".join(r.choices(string.ascii_uppercase, k=4)) + _digits(r, 14),
    "DE": lambda r: _digits(r, 18),
    "FR": lambda r: _digits(r, 23),
    "ES": lambda r: _digits(r, 20),
    "NL": lambda r: "".join(r.choices(string.ascii_uppercase, k=4)) + _digits(r, 10),
    "FI": lambda r: _digits(r, 14),
    "PL": lambda r: _digits(r, 24),
    "IT": lambda r: r.choice(string.ascii_uppercase) + _digits(r, 22),
}

PRODUCTS = ["Atlas CRM", "Nimbus Storage", "Orion Analytics", "Helix Payroll", "Quartz ERP",
            "Vega Helpdesk", "Pulsar API Gateway", "Cobalt BI", "Zenith HR"]  # fmt: skip
COMPANIES = ["Northwind Traders", "Contoso Ltd", "Globex Corporation", "Initech", "Umbrella GmbH",
             "Stark Industries", "Wayne Enterprises", "Acme Logistics", "Fabrikam Inc"]  # fmt: skip
DEPARTMENTS = ["Finance", "Engineering", "Customer Success", "Procurement", "Legal", "Marketing",
               "Operations", "Facilities"]  # fmt: skip
WORDS = ["quarterly", "renewal", "migration", "deployment", "invoice", "refund", "onboarding",
         "escalation", "maintenance", "subscription", "warehouse", "shipment", "contract",
         "compliance", "dashboard", "forecast", "budget", "outage", "latency", "backlog"]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip


def _digits(r: random.Random, n: int) -> str:
    return "".join(r.choices(string.digits, k=n))


def _luhn_complete(prefix: str, length: int, r: random.Random) -> str:
    body = prefix + _digits(r, length - len(prefix) - 1)
    for check in string.digits:
        candidate = body + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch)
            if i % 2 == 1:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def _card(r: random.Random) -> str:
    kind = r.choice(["visa", "mc", "amex", "visa"])
    if kind == "amex":
        n = _luhn_complete(r.choice(["34", "37"]), 15, r)
        return r.choice([n, f"{n[:4]} {n[4:10]} {n[10:]}"])
    n = _luhn_complete("4" if kind == "visa" else r.choice(["51", "53", "55", "2221"]), 16, r)
    sep = r.choice(["", " ", "-"])
    return sep.join(n[i : i + 4] for i in range(0, 16, 4))


def _iban(country: str, r: random.Random) -> str:
    bban = IBAN_BBAN[country](r)
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    iban = f"{country}{98 - number % 97:02d}{bban}"
    return r.choice([iban, " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))])


def _phone(locale: str, r: random.Random) -> str:
    d = lambda n: _digits(r, n)  # noqa: E731
    formats = {
        "en_US": [f"({d(3)}) {d(3)}-{d(4)}", f"{d(3)}-{d(3)}-{d(4)}", f"+1 {d(3)} {d(3)} {d(4)}",
                  f"{d(3)}.{d(3)}.{d(4)}"],
        "en_GB": [f"+44 20 {d(4)} {d(4)}", f"07{d(3)} {d(6)}", f"0161 {d(3)} {d(4)}",
                  f"+44 (0)7{d(3)} {d(6)}"],
        "de_DE": [f"+49 30 {d(8)}", f"030 {d(4)} {d(4)}", f"0151 {d(8)}", f"+49 (0)89 {d(7)}"],
        "fr_FR": [f"0{r.randint(1, 7)} {d(2)} {d(2)} {d(2)} {d(2)}", f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
                  f"0{r.randint(1, 7)}.{d(2)}.{d(2)}.{d(2)}.{d(2)}"],
        "es_ES": [f"+34 6{d(2)} {d(3)} {d(3)}", f"91 {d(3)} {d(2)} {d(2)}", f"6{d(2)} {d(3)} {d(3)}"],
        "nl_NL": [f"+31 6 {d(8)}", f"020-{d(7)}", f"06-{d(8)}"],
        "nordic": [f"+358 40 {d(3)} {d(4)}", f"+46 8 {d(3)} {d(2)} {d(2)}", f"+45 {d(2)} {d(2)} {d(2)} {d(2)}",
                   f"040 {d(3)} {d(4)}"],
        "pl_PL": [f"+48 {d(3)} {d(3)} {d(3)}", f"{d(3)}-{d(3)}-{d(3)}"],
        "it_IT": [f"+39 02 {d(4)} {d(4)}", f"3{d(2)} {d(3)} {d(4)}", f"+39 3{d(2)} {d(7)}"],
    }  # fmt: skip
    return r.choice(formats[locale])


def _ssn(r: random.Random) -> str:
    return f"{r.randint(1, 665):03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"


def _nino(r: random.Random) -> str:
    first = r.choice("ABCEGHJKLMNPRSTWXYZ")
    second = r.choice("ABCEGHJKLMNPRSTWXYZ")
    if first + second in {"GB", "NK", "TN"}:
        second = "A"
    body = _digits(r, 6)
    return r.choice([f"{first}{second}{body}{r.choice('ABCD')}",
                     f"{first}{second} {body[:2]} {body[2:4]} {body[4:]} {r.choice('ABCD')}"])  # fmt: skip


def _dob(r: random.Random) -> str:
    y, m, dd = r.randint(1950, 2003), r.randint(1, 12), r.randint(1, 28)
    return r.choice([f"{y}-{m:02d}-{dd:02d}", f"{dd:02d}/{m:02d}/{y}", f"{dd}.{m}.{y}",
                     f"{dd} {MONTHS[m - 1]} {y}", f"{MONTHS[m - 1]} {dd}, {y}"])  # fmt: skip


def _token(r: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(r.choices(alphabet, k=n))


def _secret(r: random.Random) -> tuple[str, str]:
    """(value, how it is written in a config or log line)."""
    kind = r.randrange(9)
    if kind == 0:
        v = "AKIA" + _token(r, 16, string.ascii_uppercase + string.digits)
        return v, f"aws_access_key_id = {v}"
    if kind == 1:
        v = _token(r, 40, string.ascii_letters + string.digits + "/+")
        return v, f"aws_secret_access_key = {v}"
    if kind == 2:
        v = "ghp_" + _token(r, 36)
        return v, f"GITHUB_TOKEN={v}"
    if kind == 3:
        v = "sk_live_" + _token(r, 24)
        return v, f"stripe.api_key = '{v}'"
    if kind == 4:
        header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
        body = (
            base64.urlsafe_b64encode(json.dumps({"sub": _digits(r, 6), "iat": 1700000000}).encode())
            .decode()
            .rstrip("=")
        )
        v = f"{header}.{body}.{_token(r, 43, string.ascii_letters + string.digits + '_-')}"
        return v, f"Authorization: Bearer {v}"
    if kind == 5:
        v = _token(r, 12, string.ascii_letters + string.digits + "!#%")
        return v, f"DATABASE_URL=postgres://app_user:{v}@db.internal:5432/orders"
    if kind == 6:
        v = _token(r, 14, string.ascii_letters + string.digits + "!@#$")
        return v, f'  "password": "{v}",'
    if kind == 7:
        body = "\n".join(
            _token(r, 64, string.ascii_letters + string.digits + "+/") for _ in range(4)
        )
        v = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
        return v, v
    v = "xoxb-" + _digits(r, 11) + "-" + _digits(r, 12) + "-" + _token(r, 24)
    return v, f"slack_bot_token: {v}"


class _Builder:
    def __init__(self, r: random.Random, locale: str) -> None:
        self.r = r
        self.locale = locale
        self.loc = LOCALES[locale]
        self.pii: list[tuple[str, str]] = []
        self.keep: list[str] = []

    def p(self, kind: str, value: str) -> str:
        self.pii.append((kind, value))
        return value

    def k(self, value: str) -> str:
        self.keep.append(value)
        return value

    def name(self) -> str:
        full = f"{self.r.choice(self.loc['first'])} {self.r.choice(self.loc['last'])}"
        return self.p("PERSON", full)

    def raw_name(self) -> str:
        """A name that only appears inside another value (an e-mail address), so not counted."""
        return f"{self.r.choice(self.loc['first'])} {self.r.choice(self.loc['last'])}"

    def first_name(self) -> str:
        return self.p("PERSON", self.r.choice(self.loc["first"]))

    def email(self, person: str | None = None) -> str:
        base = (person or "info").lower().replace(" ", ".").replace("'", "")
        base = base.translate(str.maketrans("äöüßéèçáíóúñłśżźąęåøæ", "aouseecaiounlszzaeaoa"))
        domain = self.r.choice(["example.com", "mail.example.org", "corp.example.net"])
        return self.p("EMAIL_ADDRESS", f"{base}@{domain}")

    def phone(self) -> str:
        return self.p("PHONE_NUMBER", _phone(self.locale, self.r))

    def address(self) -> str:
        street = self.r.choice(self.loc["streets"])
        number = str(self.r.randint(1, 240))
        city, region, postcode = self.r.choice(self.loc["cities"])
        if self.loc["street_first"]:
            line = f"{street} {number}"
            tail = f"{postcode} {city}"
        else:
            line = f"{number} {street}"
            tail = f"{city}, {region} {postcode}" if region else f"{city} {postcode}"
            if self.locale == "fr_FR":
                tail = f"{postcode} {city}"
        if self.r.random() < 0.3:
            line += self.r.choice([", Apt. 4B", ", Suite 210", ", Flat 3", " 2. OG"])
        sep = self.r.choice(["\n", ", "])
        self.pii.append(("STREET_ADDRESS", line))
        return f"{line}{sep}{tail}"

    def dob(self) -> str:
        return self.p("DATE_OF_BIRTH", _dob(self.r))

    def card(self) -> str:
        return self.p("CREDIT_CARD", _card(self.r))

    def iban(self) -> str:
        return self.p("IBAN_CODE", _iban(self.loc["iban"] or "GB", self.r))

    def ip(self) -> str:
        r = self.r
        return self.p(
            "IP_ADDRESS",
            f"{r.randint(11, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        )

    def national_id(self) -> tuple[str, str]:
        if self.locale == "en_US":
            return "Social Security number", self.p("US_SSN", _ssn(self.r))
        if self.locale == "en_GB":
            return "National Insurance number", self.p("UK_NINO", _nino(self.r))
        label = {"de_DE": "Steuer-ID", "fr_FR": "numéro de sécurité sociale", "es_ES": "DNI",
                 "nl_NL": "BSN", "nordic": "henkilötunnus", "pl_PL": "PESEL",
                 "it_IT": "codice fiscale"}[self.locale]  # fmt: skip
        if self.locale == "es_ES":
            n = self.r.randint(10_000_000, 99_999_999)
            value = f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"
        elif self.locale == "it_IT":
            value = (
                "".join(self.r.choices(string.ascii_uppercase, k=6)) + _digits(self.r, 2)
                + self.r.choice("ABCDEHLMPRST") + _digits(self.r, 2)
                + self.r.choice(string.ascii_uppercase) + _digits(self.r, 3)
                + self.r.choice(string.ascii_uppercase)
            )  # fmt: skip
        elif self.locale == "nordic":
            value = (
                f"{_digits(self.r, 6)}-{_digits(self.r, 3)}{self.r.choice('ABCDEFHJKLMNPRSTUVWXY')}"
            )
        else:
            value = _digits(self.r, 11 if self.locale in {"de_DE", "pl_PL"} else 9)
            if self.locale == "fr_FR":
                value = f"{self.r.choice('12')} {_digits(self.r, 2)} {self.r.randint(1, 12):02d} {_digits(self.r, 2)} {_digits(self.r, 3)} {_digits(self.r, 3)} {_digits(self.r, 2)}"
        return label, self.p("NATIONAL_ID", value)

    def keep_bits(self) -> dict[str, str]:
        r = self.r
        return {
            "product": self.k(r.choice(PRODUCTS)),
            "company": self.k(r.choice(COMPANIES)),
            "dept": self.k(r.choice(DEPARTMENTS)),
            "city": self.k(r.choice(self.loc["cities"])[0]),
            "date": self.k(f"{r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(2022, 2025)}"),
            "iso_date": self.k(
                f"{r.randint(2022, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
            ),
            "amount": self.k(f"{r.randint(120, 98000):,}.{r.randint(0, 99):02d}"),
            "order": self.k(f"ORD-{r.randint(100000, 999999)}"),
            "ticket": self.k(f"INC{r.randint(1000000, 9999999)}"),
            "version": self.k(f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}"),
            "qty": self.k(str(r.randint(2, 500))),
            "word": self.k(r.choice(WORDS)),
            "word2": self.k(r.choice(WORDS)),
            "pct": self.k(f"{r.randint(1, 99)}%"),
        }


def _ticket(b: _Builder) -> str:
    kb = b.keep_bits()
    person = b.name()
    return (
        f"Ticket {kb['ticket']} - {kb['product']} {kb['word']} issue\n"
        f"Reporter: {person} ({b.email(person)})\nPriority: High\n\n"
        f"Customer reports that the {kb['word2']} job fails since version {kb['version']} "
        f"was rolled out on {kb['iso_date']}. Please call back on {b.phone()} before noon. "
        f"Affected order {kb['order']}, {kb['qty']} line items, total {kb['amount']} EUR. "
        f"The {kb['dept']} team in {kb['city']} is aware.\n"
        f"Card on file: {b.card()}. Assigned to {b.first_name()} from {kb['company']}."
    )


def _hr_note(b: _Builder) -> str:
    kb = b.keep_bits()
    person = b.name()
    label, value = b.national_id()
    return (
        f"HR note - {kb['dept']} - confidential\n"
        f"Employee {person}, born on {b.dob()}, joined {kb['company']} on {kb['date']}. "
        f"{label}: {value}. Home address:\n{b.address()}\n"
        f"Salary account IBAN {b.iban()}. Manager {b.name()} approved a {kb['pct']} "
        f"adjustment after the {kb['word']} review; {kb['qty']} hours of leave remain."
    )


def _invoice(b: _Builder) -> str:
    kb = b.keep_bits()
    person = b.name()
    return (
        f"INVOICE {kb['order']}\nDate: {kb['iso_date']}\nBill to: {person}\n{b.address()}\n"
        f"Item: {kb['product']} subscription x {kb['qty']}\nTotal due: {kb['amount']} EUR\n"
        f"Pay by transfer to IBAN {b.iban()} or card ending in the number {b.card()}.\n"
        f"Questions: {b.email(person)} / {b.phone()}. Vendor: {kb['company']}, {kb['city']}."
    )


def _log(b: _Builder) -> str:
    kb = b.keep_bits()
    ip1, ip2 = b.ip(), b.ip()
    user = b.email(b.raw_name())
    return (
        f"{kb['iso_date']}T10:42:17Z INFO  gateway version={kb['version']} service={kb['product']}\n"
        f"{kb['iso_date']}T10:42:18Z WARN  login failed user={user} src={ip1} attempts=3\n"
        f"{kb['iso_date']}T10:42:19Z INFO  request id={kb['ticket']} client={ip2} latency_ms={kb['qty']}\n"
        f"{kb['iso_date']}T10:42:20Z ERROR upstream {kb['word']} timeout after 30s, retry 2 of 5"
    )


def _config(b: _Builder) -> str:
    kb = b.keep_bits()
    lines = [f"# {kb['product']} deployment, {kb['dept']} ({kb['version']})", "[service]",
             "region = eu-west-1", f"replicas = {kb['qty']}"]  # fmt: skip
    for _ in range(b.r.randint(1, 3)):
        value, line = _secret(b.r)
        b.pii.append(("SECRET", value))
        lines.append(line)
    lines.append(f"owner_email = {b.email(b.raw_name())}")
    return "\n".join(lines)


def _email(b: _Builder) -> str:
    kb = b.keep_bits()
    sender, recipient = b.name(), b.name()
    greeting = {"de_DE": "Hallo", "fr_FR": "Bonjour", "es_ES": "Hola", "it_IT": "Ciao"}.get(
        b.locale, b.r.choice(["Hi", "Dear", "Hello"])
    )
    first = recipient.split()[0]
    return (
        f"From: {sender} <{b.email(sender)}>\nTo: {b.email(recipient)}\n"
        f"Subject: {kb['word']} plan for {kb['product']}\n\n{greeting} {first},\n\n"
        f"following our call on {kb['date']}, {kb['company']} will move the {kb['word2']} to "
        f"{kb['city']}. My mobile is {b.phone()} if anything comes up; the budget is "
        f"{kb['amount']} and {kb['pct']} is already committed.\n\nBest regards,\n{sender}\n"
        f"{kb['dept']}"
    )


def _chat(b: _Builder) -> str:
    kb = b.keep_bits()
    value, _ = _secret(b.r)
    pw = b.r.choice([f"the temporary password is {value}", f"pwd: {value}"])
    if not value.startswith("-----"):
        b.pii.append(("SECRET", value))
    else:
        pw = f"the {kb['word']} runbook is in the wiki"
    return (
        f"[{kb['iso_date']} 09:15] {b.first_name()}: can someone reset access for {b.name()}? "
        f"{pw}\n"
        f"[{kb['iso_date']} 09:17] {b.first_name()}: done, also the {kb['product']} "
        f"{kb['word2']} is back to {kb['pct']} capacity"
    )


def _customer_letter(b: _Builder) -> str:
    kb = b.keep_bits()
    person = b.name()
    return (
        f"{person}\n{b.address()}\n\n{kb['city']}, {kb['date']}\n\n"
        f"Dear {person},\n\nthank you for your order {kb['order']} of {kb['qty']} units of "
        f"{kb['product']}. Your date of birth ({b.dob()}) was used only to verify the account. "
        f"Refunds go to {b.iban()}.\n\nYours sincerely,\n{kb['company']} {kb['dept']}"
    )


def _travel(b: _Builder) -> str:
    kb = b.keep_bits()
    person = b.name()
    passport = b.p("PASSPORT", "".join(b.r.choices(string.ascii_uppercase, k=2)) + _digits(b.r, 7))
    return (
        f"Travel request for {person} ({kb['dept']}): flight to {kb['city']} on {kb['date']}, "
        f"hotel budget {kb['amount']}. Passport number {passport}, date of birth {b.dob()}. "
        f"Emergency contact {b.name()} on {b.phone()}."
    )


KINDS = {
    "ticket": _ticket,
    "hr_note": _hr_note,
    "invoice": _invoice,
    "log": _log,
    "config": _config,
    "email": _email,
    "chat": _chat,
    "letter": _customer_letter,
    "travel": _travel,
}


def generate(count: int, *, seed: int = 11) -> list[LabelledDoc]:
    r = random.Random(seed)
    docs = []
    kinds = sorted(KINDS)
    locales = sorted(LOCALES)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        locale = r.choice(locales)
        b = _Builder(r, locale)
        text = KINDS[kind](b)
        # Keep words are drawn for every template; count only those the text really contains.
        keep = sorted({w for w in b.keep if w in text})
        docs.append(LabelledDoc(kind, locale, text, b.pii, keep))
    return docs
