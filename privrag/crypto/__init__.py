"""Keys, sealing and signing; the only importer of ``cryptography`` in privrag."""

from privrag.crypto.aead import context, open_sealed, seal
from privrag.crypto.keyring import Keyring, TenantHasher, WrappedKey
from privrag.crypto.master import load_master_key
from privrag.crypto.signing import Signer
from privrag.crypto.wrapping import KeyWrapper, LocalWrapper, load_key_wrapper

__all__ = [
    "KeyWrapper",
    "Keyring",
    "LocalWrapper",
    "Signer",
    "TenantHasher",
    "WrappedKey",
    "context",
    "load_key_wrapper",
    "load_master_key",
    "open_sealed",
    "seal",
]
