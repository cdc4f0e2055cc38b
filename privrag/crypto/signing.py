"""The deployment's Ed25519 signing key: signs deletion receipts and model artifacts.

The private key is kept in the keystore directory, sealed under the master key, created on first
use. Verification needs only the public key, so receipts and model cards can be checked by
anyone holding ``public_key_pem()``.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from privrag.crypto.aead import context
from privrag.crypto.wrapping import KeyWrapper, as_wrapper
from privrag.errors import KeyUnavailable
from privrag.files import create_new

_AAD = context("deployment-signing-key", "ed25519", 1)


class Signer:
    def __init__(self, keystore_dir: Path, master_key: bytes | KeyWrapper) -> None:
        wrapper = as_wrapper(master_key)
        path = keystore_dir / "signing.key"
        if path.exists():
            # The first thing sealed under the master key that every open reads: a failure here
            # means the key is not the one this keystore was made with, not a damaged file.
            try:
                raw = wrapper.unwrap(path.read_bytes(), _AAD)
            except KeyUnavailable as exc:
                raise KeyUnavailable(
                    f"the master key does not match this data dir (its keystore {keystore_dir} "
                    "was sealed under another key): set PRIVRAG_MASTER_KEY or "
                    "PRIVRAG_MASTER_KEY_FILE to the key it was created with"
                ) from exc
            self._key = Ed25519PrivateKey.from_private_bytes(raw)
        else:
            self._key = Ed25519PrivateKey.generate()
            raw = self._key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
            create_new(path, wrapper.wrap(raw, _AAD))
        self.public_key = self._key.public_key()

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def verify(self, message: bytes, signature: bytes) -> bool:
        return verify_signature(self.public_key, message, signature)

    def public_key_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()


def verify_signature(public_key: Ed25519PublicKey, message: bytes, signature: bytes) -> bool:
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True
