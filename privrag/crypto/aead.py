"""AES-256-GCM sealing with associated data.

A sealed blob is ``b"\\x01" + nonce(12) + ciphertext||tag``. The associated data is never stored
in the blob: the opener must rebuild it from context (tenant, document, chunk, key version), so a
ciphertext moved to any other context fails to open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from privrag.errors import KeyUnavailable

_FORMAT = b"\x01"
_NONCE = 12
KEY_BYTES = 32


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return _FORMAT + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + _NONCE + 16 or blob[:1] != _FORMAT:
        raise KeyUnavailable("sealed value is malformed")
    try:
        return AESGCM(key).decrypt(blob[1 : 1 + _NONCE], blob[1 + _NONCE :], aad)
    except InvalidTag as exc:
        raise KeyUnavailable("sealed value does not open in this context") from exc


def context(*parts: str | int) -> bytes:
    """Associated data from labelled parts; length-prefixed so no two contexts collide."""
    out = bytearray()
    for part in parts:
        raw = str(part).encode()
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)
