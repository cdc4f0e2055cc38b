"""Where the master key lives, behind one small interface: ``KeyWrapper`` wraps and unwraps keys.

Only the keystore's tenant keys and the deployment signing key are ever wrapped; data is never
encrypted through this. ``LocalWrapper`` holds the 32-byte master key in process (from
PRIVRAG_MASTER_KEY or a 0600 file) and produces exactly the sealed format the keystore always
had. ``privrag.crypto.vault.VaultTransitWrapper`` keeps the master key inside Vault (or OpenBao)
Transit: the process never sees it, and revoking its token stops every unwrap. Both bind the
associated data, so a wrapped key moved to another tenant or label does not unwrap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from privrag.crypto.aead import open_sealed, seal

if TYPE_CHECKING:
    from privrag.config import Settings


class KeyWrapper(Protocol):
    def wrap(self, key: bytes, aad: bytes) -> bytes:
        """Encrypt ``key`` bound to ``aad``; the result is opaque and safe to store."""
        ...

    def unwrap(self, blob: bytes, aad: bytes) -> bytes:
        """The key, or ``KeyUnavailable`` (wrong aad, tampered blob, master key unreachable)."""
        ...


class LocalWrapper:
    def __init__(self, master_key: bytes) -> None:
        self.master_key = master_key

    def wrap(self, key: bytes, aad: bytes) -> bytes:
        return seal(self.master_key, key, aad)

    def unwrap(self, blob: bytes, aad: bytes) -> bytes:
        return open_sealed(self.master_key, blob, aad)


def as_wrapper(master: bytes | KeyWrapper) -> KeyWrapper:
    return LocalWrapper(master) if isinstance(master, bytes) else master


def load_key_wrapper(settings: Settings) -> KeyWrapper:
    """Vault Transit when PRIVRAG_VAULT_URL is set, else the local master key (env or file)."""
    if settings.vault_url is not None:
        from privrag.crypto.vault import VaultTransitWrapper

        return VaultTransitWrapper.from_settings(settings)
    from privrag.crypto.master import load_master_key

    return LocalWrapper(load_master_key(settings))
