"""Vault (or OpenBao) Transit as the master key: tenant keys are wrapped and unwrapped by the
server's named Transit key and the master key never enters this process; the only importer of
``hvac``.

A wrapped blob is ``b"\\x02" + <Transit ciphertext "vault:vN:...">``; the associated data goes to
Transit as ``associated_data`` (AES-GCM keys), so the binding to tenant and label is enforced by
the server. Rotating the Transit key changes no plaintext key; old versions keep unwrapping. Every hvac
or transport error becomes ``KeyUnavailable``: without Vault nothing opens, by design.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import hvac
import hvac.exceptions
import requests

from privrag.errors import KeyUnavailable

if TYPE_CHECKING:
    from privrag.config import Settings

_FORMAT = b"\x02"


class VaultTransitWrapper:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        key_name: str = "privrag",
        mount_point: str = "transit",
        verify: bool | str = True,
        timeout_s: int = 10,
        namespace: str | None = None,
    ) -> None:
        self._client = hvac.Client(
            url=url, token=token, verify=verify, timeout=timeout_s, namespace=namespace
        )
        self._key = key_name
        self._mount = mount_point

    @classmethod
    def from_settings(cls, settings: Settings) -> VaultTransitWrapper:
        assert settings.vault_url is not None and settings.vault_token is not None
        verify: bool | str = settings.vault_tls_verify
        if verify and settings.vault_ca_cert is not None:
            verify = str(settings.vault_ca_cert)
        return cls(
            settings.vault_url,
            settings.vault_token.get_secret_value(),
            key_name=settings.vault_transit_key,
            mount_point=settings.vault_transit_mount,
            verify=verify,
            namespace=settings.vault_namespace,
        )

    def _call(self, what: str, fn: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return dict(fn(name=self._key, mount_point=self._mount, **kwargs)["data"])
        except (hvac.exceptions.VaultError, requests.RequestException, KeyError) as exc:
            raise KeyUnavailable(f"Vault Transit could not {what} a key") from exc

    def wrap(self, key: bytes, aad: bytes) -> bytes:
        data = self._call(
            "wrap",
            self._client.secrets.transit.encrypt_data,
            plaintext=_b64(key),
            associated_data=_b64(aad),
        )
        return _FORMAT + str(data["ciphertext"]).encode()

    def unwrap(self, blob: bytes, aad: bytes) -> bytes:
        if blob[:1] != _FORMAT:
            raise KeyUnavailable("this key was not wrapped by Vault Transit")
        data = self._call(
            "unwrap",
            self._client.secrets.transit.decrypt_data,
            ciphertext=blob[1:].decode(),
            associated_data=_b64(aad),
        )
        return base64.b64decode(data["plaintext"])


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
