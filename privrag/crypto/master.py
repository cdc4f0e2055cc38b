"""Where the master key comes from: PRIVRAG_MASTER_KEY, or a 0600 key file made on first run.

The master key only wraps tenant keys; it never touches data directly, so rotating it rewraps
the keystore and re-encrypts nothing. A generated key file is convenient for one machine and
unsafe for anything else: we say so loudly when we make one.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from privrag.config import Settings, decode_master_key
from privrag.crypto.aead import new_key
from privrag.errors import ConfigError, KeyUnavailable
from privrag.files import create_new

log = logging.getLogger(__name__)


def load_master_key(settings: Settings) -> bytes:
    if settings.master_key is not None:
        return decode_master_key(settings.master_key.get_secret_value())
    path = settings.resolved_master_key_file
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise ConfigError(f"master key file {path} is readable by others (mode {mode:o})")
        try:
            return decode_master_key(path.read_text())
        except ValueError as exc:
            raise KeyUnavailable(f"master key file {path} is not a base64 32-byte key") from exc
    if (settings.resolved_keystore_dir / "signing.key").exists():
        # A forgotten PRIVRAG_MASTER_KEY must not quietly make a second key for an existing
        # data dir: everything sealed under the first would stop opening.
        raise ConfigError(
            f"no master key: PRIVRAG_MASTER_KEY is unset and {path} does not exist, but the "
            f"keystore {settings.resolved_keystore_dir} was made under a master key; set "
            "PRIVRAG_MASTER_KEY (or PRIVRAG_MASTER_KEY_FILE) to that key"
        )
    return _create_key_file(path)


def _create_key_file(path: Path) -> bytes:
    key = new_key()
    create_new(path, base64.b64encode(key) + b"\n")
    log.warning(
        "created a new master key file at %s (mode 0600). Anyone who can read it can open every "
        "tenant's data: back it up apart from the data dir, or set PRIVRAG_MASTER_KEY from a "
        "secret manager instead.",
        path,
    )
    return key
