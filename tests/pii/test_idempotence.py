"""Placeholders never look like PII to a second pass.

For text whose PII is found by pattern or cue, scrubbing is a fixed point:
scrub(scrub(x).text).text == scrub(x).text. Bare names are found by a statistical model whose
decision can change with its neighbours, so for text containing them the guarantee is the one
about tokens: every token of the first pass survives the second pass verbatim.
"""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from privrag.pii import PiiPolicy, Scrubber
from privrag.pii.operators import TOKEN_RE

BARE_NAMES = ["Alice Johnson", "Mikko Virtanen"]
PII = [
    "Dr. Okafor", "alice@example.com", "+44 20 7946 0958", "(415) 555-2671",
    "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "536-22-8726", "203.0.113.45",
    "221B Baker Street, London", "password=Hunter2!x", "AKIAIOSFODNN7EXAMPLE",
    "born on 12 March 1985", "Koskikatu 25",
    # Shapes added in the second round: phones as written across borders, cue-found names.
    "+90 (333) 9156257", "06-1/873 5457 ext. 12", "paged Ilmari at 98404270",
    "\nRegards, Lucrețiu Voinea\n", "Verified by Berit Nygård", "Hátharasztii út 211., H-6237 Békéscsaba",
    "Employee\tMobile\nNatasha Hermansen\t+45 6007 2297",
]  # fmt: skip
FILLER = [
    "Please", "call", "the", "invoice", "was", "paid", "on", "Monday", "team", "Berlin", "report",
    "for", "Acme Corp", "version 2.3.1", "total 1,200 EUR", "ticket INC123456", ",", ".", "\n",
    "Regards,", "Hi", "contact", "address:", "phone:", "SSN", "card",
]  # fmt: skip
texts = st.lists(st.sampled_from(PII + FILLER), min_size=1, max_size=14).map(" ".join)
texts_with_names = st.lists(
    st.sampled_from(PII + FILLER + BARE_NAMES), min_size=1, max_size=14
).map(" ".join)


def _key(purpose: str, data: bytes) -> bytes:
    return hmac.new(
        b"idempotence-test-key", purpose.encode() + b"\0" + data, hashlib.sha256
    ).digest()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts)
# Found by this test in CI: a label reaching across an earlier token ("<EMAIL_ADDRESS> address:")
# was read as a key on the second pass, where the first saw "alice@example.com address:".
@example(text="Dr. Okafor alice@example.com address: version 2.3.1")
# Found by this test with the name model: the second scrub masked "<CREDIT_CARD>" as "<CREDIT>",
# so the model read the line before it in another context than the first time.
@example(text="\nRegards, Lucrețiu Voinea\n Monday Koskikatu 25 4111 1111 1111 1111")
def test_placeholder_scrubbing_is_idempotent(scrubber: Scrubber, text: str) -> None:
    once = scrubber.scrub(text).text
    assert scrubber.scrub(once).text == once


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts)
# Found by this test in CI with the name model: "Hátharasztii" was taken for a person, and the
# second scrub then read "<PERSON> út 211." as a street.
@example(text="Dr. Okafor Monday Hátharasztii út 211., H-6237 Békéscsaba")
def test_pseudonym_scrubbing_is_idempotent(scrubber: Scrubber, text: str) -> None:
    policy = PiiPolicy(operator="pseudonym")
    once = scrubber.scrub(text, keyed_hash=_key, policy=policy).text
    assert scrubber.scrub(once, keyed_hash=_key, policy=policy).text == once


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts_with_names)
def test_tokens_survive_a_second_pass(scrubber: Scrubber, text: str) -> None:
    once = scrubber.scrub(text).text
    twice = scrubber.scrub(once).text
    for token in set(TOKEN_RE.findall(once)):
        assert twice.count(token) >= once.count(token)
    assert not any(e for e in scrubber.analyze(once) if "<" in once[e.start : e.end])


def test_a_replacement_that_moves_context_out_of_reach_is_settled(scrubber: Scrubber) -> None:
    """A pseudonym longer than the name it replaces pushes "version" out of the phone's
    anti-context window; the second pass must still find nothing new."""
    policy = PiiPolicy(operator="pseudonym")
    text = "version 2.3.1 Dr. Okafor +44 20 7946 0958"
    once = scrubber.scrub(text, keyed_hash=_key, policy=policy).text
    assert scrubber.scrub(once, keyed_hash=_key, policy=policy).text == once
