"""A generated corpus of short business documents with synthetic PII, for throughput benches.

Deterministic for a seed; the values are fake (example domains, test card numbers, 555 phones).
"""

from __future__ import annotations

import random

from privrag.models import Document

FIRST = ["Maria", "John", "Aisha", "Tom", "Priya", "Daniel", "Sofia", "Wei", "Lena", "Omar"]
LAST = ["Gonzalez", "Whitaker", "Khan", "Becker", "Raman", "Okafor", "Lindqvist", "Chen", "Novak"]
TOPICS = [
    "refund for order {n} has not arrived after {d} days",
    "the invoice {n} was charged twice on the corporate card",
    "a laptop for the new hire starting on day {d} of the quarter",
    "access to the analytics dashboard was revoked after the audit",
    "the shipment {n} arrived damaged and needs a replacement",
    "the contract renewal for the enterprise plan is due in {d} days",
]
FILLER = (
    "The team reviewed the request and agreed on next steps. Billing will confirm the amount, "
    "support will follow up within two business days, and the account owner gets a summary. "
    "Escalate to the duty manager if the customer has not heard back by the end of the week."
)


def documents(count: int, *, seed: int = 7, filler: int = 1) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}@example.com"
        phone = f"+1 415 555 {rng.randint(100, 999):04d}"
        topic = rng.choice(TOPICS).format(n=rng.randint(1000, 9999), d=rng.randint(2, 30))
        text = f"Ticket {i}: {first} {last} ({email}, {phone}) reports that {topic}. " + " ".join(
            [FILLER] * filler
        )
        docs.append(Document(id=f"doc-{i}", text=text, source=f"helpdesk/{i}"))
    return docs


def queries(count: int, *, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(TOPICS).format(n=rng.randint(1000, 9999), d=rng.randint(2, 30))
        for _ in range(count)
    ]
