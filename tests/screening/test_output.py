"""The output filter: secrets in a result are redacted with the scrubber's own detectors; URLs,
e-mail-like strings and code are flagged, never removed; plain prose passes untouched."""

from __future__ import annotations

import pytest

from privrag.screening import filter_hit_text


@pytest.mark.parametrize(
    "secret",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    ],
)
def test_secrets_that_reached_a_result_are_redacted(secret: str) -> None:
    shown = filter_hit_text(f"Deploy with key {secret} on the staging box.")
    assert secret not in shown.text
    assert shown.text == "Deploy with key <SECRET> on the staging box."
    assert "secret_redacted" in shown.flags


def test_a_labelled_password_is_redacted() -> None:
    shown = filter_hit_text("db_password=Xk9#fQ2!vL7m and the port is 5432")
    assert "Xk9#fQ2!vL7m" not in shown.text and "5432" in shown.text


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Download it from https://files.example.com/a.zip today.", "url"),
        ("Write to jane at example dot com for access.", "email"),
        ("Reach the desk at help(at)example(dot)org please.", "email"),
        ("Then run `rm -rf /tmp/cache` on the host.", "code"),
        ("```\nimport os\nos.remove(path)\n```", "code"),
    ],
)
def test_third_party_content_is_flagged_not_removed(text: str, flag: str) -> None:
    shown = filter_hit_text(text)
    assert flag in shown.flags
    assert shown.text == text


def test_plain_prose_and_scrubber_placeholders_pass_untouched() -> None:
    text = "<PERSON> asked for a refund of order 1042 at <EMAIL_ADDRESS>; approve it by Friday."
    shown = filter_hit_text(text)
    assert shown.text == text and shown.flags == ()
