"""The output filter remembers what it found per text (keyed digest -> spans and flags): a
remembered answer equals a fresh one, nothing of the text is kept, and the memory is bounded."""

from __future__ import annotations

import pytest

from privrag.screening import output
from privrag.screening.output import FilteredText, filter_hit_text

TEXTS = [
    "Deploy with key AKIAIOSFODNN7EXAMPLE on the staging box.",
    "db_password=Xk9#fQ2!vL7m and the port is 5432",
    "Download it from https://files.example.com/a.zip today.",
    "Write to jane at example dot com for access.",
    "Then run `rm -rf /tmp/cache` on the host.",
    "key sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc and https://x.example.org/y and `ls -la`",
    "Plain prose about a refund for <PERSON> with nothing else in it.",
    "",
]


def fresh(text: str) -> FilteredText:
    spans, flags = output._find(text)
    return FilteredText(output._redact(text, list(spans)) if spans else text, flags)


@pytest.mark.parametrize("text", TEXTS)
def test_a_remembered_answer_equals_a_fresh_one(text: str) -> None:
    first = filter_hit_text(text)
    again = filter_hit_text(text)
    assert first == again == fresh(text)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the detectors run on, with an empty memory to start from."""
    monkeypatch.setattr(output, "_REMEMBERED", output._Remembered(16))
    seen: list[str] = []
    real = output._find

    def counting(text: str) -> output._Found:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(output, "_find", counting)
    return seen


def test_the_second_look_at_a_text_does_not_run_the_detectors(calls: list[str]) -> None:
    text = "Deploy with key AKIAIOSFODNN7EXAMPLE at https://a.example.com now."
    assert filter_hit_text(text) == filter_hit_text(text)
    assert len(calls) == 1
    # One character more is another text.
    assert filter_hit_text(text + "!").text.endswith("now.!")
    assert len(calls) == 2


def test_the_memory_holds_no_text_and_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    memo = output._Remembered(4)
    monkeypatch.setattr(output, "_REMEMBERED", memo)
    for i in range(10):
        filter_hit_text(f"secret AKIAIOSFODNN7EXAMPL{i % 10} number {i}")
    assert len(memo) == 4
    for digest, (spans, flags) in memo._found.items():
        assert isinstance(digest, bytes) and len(digest) == 16
        assert all(isinstance(a, int) and isinstance(b, int) for a, b in spans)
        assert all(f in output.OUTPUT_FLAGS for f in flags)


def test_digests_are_keyed_per_process_memory() -> None:
    a, b = output._Remembered(4), output._Remembered(4)
    assert a.digest("same text", "t1") != b.digest("same text", "t1")
    assert a.digest("same text", "t1") == a.digest("same text", "t1")


def test_one_tenant_never_finds_what_another_tenants_query_left(calls: list[str]) -> None:
    # A shared entry would answer tenant B faster when tenant A had just been shown the same
    # text: a timing signal about another tenant's data.
    text = "Rotate key AKIAIOSFODNN7EXAMPLE before Friday."
    assert filter_hit_text(text, scope="tenant-a") == filter_hit_text(text, scope="tenant-b")
    assert len(calls) == 2
    filter_hit_text(text, scope="tenant-a")
    assert len(calls) == 2
