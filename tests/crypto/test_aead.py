from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from privrag.crypto import context, open_sealed, seal
from privrag.crypto.aead import new_key
from privrag.errors import KeyUnavailable

KEY = new_key()


@given(st.binary(max_size=4096), st.lists(st.text(max_size=20), max_size=4))
def test_open_of_seal_is_identity(plaintext: bytes, parts: list[str]) -> None:
    aad = context(*parts)
    assert open_sealed(KEY, seal(KEY, plaintext, aad), aad) == plaintext


def test_sealing_twice_gives_different_ciphertexts() -> None:
    aad = context("chunk", "t", "d", 1, 0)
    assert seal(KEY, b"same", aad) != seal(KEY, b"same", aad)


@pytest.mark.parametrize(
    "other",
    [
        context("chunk", "t2", "d", 1, 0),
        context("chunk", "t", "d2", 1, 0),
        context("chunk", "t", "d", 2, 0),
        context("chunk", "t", "d", 1, 1),
    ],
)
def test_a_ciphertext_does_not_open_in_another_context(other: bytes) -> None:
    blob = seal(KEY, b"payload", context("chunk", "t", "d", 1, 0))
    with pytest.raises(KeyUnavailable):
        open_sealed(KEY, blob, other)


def test_tampered_or_wrong_key_fails_closed() -> None:
    aad = context("x")
    blob = bytearray(seal(KEY, b"payload", aad))
    blob[-1] ^= 1
    with pytest.raises(KeyUnavailable):
        open_sealed(KEY, bytes(blob), aad)
    with pytest.raises(KeyUnavailable):
        open_sealed(new_key(), seal(KEY, b"payload", aad), aad)


def test_context_parts_cannot_be_shifted_into_each_other() -> None:
    assert context("ab", "c") != context("a", "bc")
