"""Keys, sealing and signing; the only importer of ``cryptography`` in privrag."""

from privrag.crypto.aead import context, open_sealed, seal
from privrag.crypto.keyring import Keyring, TenantHasher, WrappedKey
from privrag.crypto.master import load_master_key
from privrag.crypto.signing import Signer

__all__ = [
    "Keyring",
    "Signer",
    "TenantHasher",
    "WrappedKey",
    "context",
    "load_master_key",
    "open_sealed",
    "seal",
]
