"""The deployment's Ed25519 signing key: signs deletion receipts and model artifacts.

The private key is kept in the keystore directory, sealed under the master key, created on first
use; its public key is written beside it (``signing.pub.pem``), outside the data dir, so the
audit log's signed head can be checked without the master key. Verification needs only the
public key, so receipts, model cards and the audit head can be checked by anyone holding
``public_key_pem()``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from privrag.crypto.aead import context
from privrag.crypto.wrapping import KeyWrapper, as_wrapper
from privrag.errors import InvalidInput, KeyUnavailable
from privrag.files import create_new, write_atomic

_AAD = context("deployment-signing-key", "ed25519", 1)
PUBLIC_KEY_FILE = "signing.pub.pem"


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
        public = keystore_dir / PUBLIC_KEY_FILE
        if not public.exists() or public.read_text() != self.public_key_pem():
            write_atomic(public, self.public_key_pem().encode())

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def verify(self, message: bytes, signature: bytes) -> bool:
        return verify_signature(self.public_key, message, signature)

    def public_key_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()


def pem_verifier(pem: str) -> Callable[[bytes, bytes], bool]:
    """``check(message, signature)`` against an Ed25519 public key in PEM form."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise InvalidInput("not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput("not an Ed25519 public key")
    return lambda message, signature: verify_signature(key, message, signature)


def verify_signature(public_key: Ed25519PublicKey, message: bytes, signature: bytes) -> bool:
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True
