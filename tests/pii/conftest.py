"""Shared fixtures for the PII tests: one Scrubber per session (loading spaCy takes seconds) and
per-tenant keyed hashes built from fixed test keys."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import pytest

from privrag.pii import KeyedHash, Scrubber


def make_keyed_hash(key: bytes) -> KeyedHash:
    def keyed_hash(purpose: str, data: bytes) -> bytes:
        return hmac.new(key, purpose.encode() + b"\x00" + data, hashlib.sha256).digest()

    return keyed_hash


@pytest.fixture(scope="session")
def scrubber() -> Scrubber:
    return Scrubber()


@pytest.fixture(scope="session")
def tenant_a() -> KeyedHash:
    return make_keyed_hash(b"tenant-a-test-key-0123456789abcdef")


@pytest.fixture(scope="session")
def tenant_b() -> KeyedHash:
    return make_keyed_hash(b"tenant-b-test-key-fedcba9876543210")


@pytest.fixture(scope="session")
def detected(scrubber: Scrubber) -> Callable[[str], list[tuple[str, str]]]:
    """(type, value) pairs the default policy finds in a text."""

    def run(text: str) -> list[tuple[str, str]]:
        return [(e.type, text[e.start : e.end]) for e in scrubber.analyze(text)]

    return run
