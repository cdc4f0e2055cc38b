"""Keys, sealing, signing and vector protection; the only importer of ``cryptography``."""

from privrag.crypto.aead import context, open_sealed, seal
from privrag.crypto.keyring import Keyring, TenantHasher, VectorScheme, WrappedKey
from privrag.crypto.master import load_master_key
from privrag.crypto.signing import Signer
from privrag.crypto.vectors import DEFAULT_BETA, TermHasher, VectorProtection, VectorTransform
from privrag.crypto.wrapping import KeyWrapper, LocalWrapper, load_key_wrapper

__all__ = [
    "DEFAULT_BETA",
    "KeyWrapper",
    "Keyring",
    "LocalWrapper",
    "Signer",
    "TenantHasher",
    "TermHasher",
    "VectorProtection",
    "VectorScheme",
    "VectorTransform",
    "WrappedKey",
    "context",
    "load_key_wrapper",
    "load_master_key",
    "open_sealed",
    "seal",
]
