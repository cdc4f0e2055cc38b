from __future__ import annotations

import base64
import logging
import os
from pathlib import Path

import pytest

from privrag.config import load_settings
from privrag.crypto import Keyring, load_master_key
from privrag.crypto.aead import new_key
from privrag.errors import ConfigError, KeyUnavailable


def test_master_key_file_is_created_0600_with_a_warning(
    tmp_path: Path, caplog, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PRIVRAG_MASTER_KEY", raising=False)
    settings = load_settings(data_dir=tmp_path / "d")
    with caplog.at_level(logging.WARNING):
        key = load_master_key(settings)
    path = settings.resolved_master_key_file
    assert path.stat().st_mode & 0o777 == 0o600
    assert "master key" in caplog.text
    assert load_master_key(settings) == key


def test_a_world_readable_master_key_file_is_refused(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PRIVRAG_MASTER_KEY", raising=False)
    settings = load_settings(data_dir=tmp_path / "d")
    load_master_key(settings)
    settings.resolved_master_key_file.chmod(0o644)
    with pytest.raises(ConfigError):
        load_master_key(settings)


def test_tenant_key_versions_rotate_and_old_ones_are_destroyed(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys", new_key())
    ring.create_tenant("t1")
    key, wrapped = ring.new_data_key("t1", "doc", 7)
    assert wrapped.version == 1
    assert ring.keystore.add_version("t1") == 2
    rewrapped = ring.wrap_data_key("t1", "doc", 7, key)
    key3, wrapped3 = ring.new_data_key("t1", "doc3", 1)
    v3 = ring.keystore.add_version("t1")
    rewrap = ring.data_key_rewrapper("t1", v3)  # a rotation's batch: versions read once
    moved = [rewrap("doc", 7, rewrapped), rewrap("doc3", 1, wrapped3)]
    assert [m.version for m in moved] == [v3, v3]
    with pytest.raises(KeyUnavailable):
        rewrap("doc3", 2, wrapped3)  # bound to its generation
    ring.keystore.destroy_versions_below("t1", v3)
    assert ring.unwrap_data_key("t1", "doc", 7, moved[0]) == key
    assert ring.unwrap_data_key("t1", "doc3", 1, moved[1]) == key3
    for doc, gen, old in [("doc", 7, wrapped), ("doc", 7, rewrapped), ("doc3", 1, wrapped3)]:
        with pytest.raises(KeyUnavailable):
            ring.unwrap_data_key("t1", doc, gen, old)  # older versions are destroyed


def test_a_data_key_is_bound_to_its_tenant_document_and_generation(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys", new_key())
    ring.create_tenant("t1")
    _, wrapped = ring.new_data_key("t1", "doc", 1)
    for tenant, doc, gen in [("t1", "other", 1), ("t1", "doc", 2)]:
        with pytest.raises(KeyUnavailable):
            ring.unwrap_data_key(tenant, doc, gen, wrapped)


def test_the_wrong_master_key_opens_nothing(tmp_path: Path) -> None:
    Keyring(tmp_path / "keys", new_key()).create_tenant("t1")
    with pytest.raises(KeyUnavailable):
        Keyring(tmp_path / "keys", new_key()).new_data_key("t1", "d", 1)


def test_keyed_hashes_differ_across_tenants_and_purposes_and_survive_rotation(
    tmp_path: Path,
) -> None:
    ring = Keyring(tmp_path / "keys", new_key())
    ring.create_tenant("a")
    ring.create_tenant("b")
    tag = ring.keyed_hash("a", "subject-tag", b"alice@example.com")
    assert tag != ring.keyed_hash("b", "subject-tag", b"alice@example.com")
    assert tag != ring.keyed_hash("a", "pseudonym", b"alice@example.com")
    ring.keystore.add_version("a")
    fresh = Keyring(tmp_path / "keys", ring.keystore._master)
    assert fresh.keyed_hash("a", "subject-tag", b"alice@example.com") == tag


def test_destroying_a_tenant_removes_its_key_file(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys", new_key())
    ring.create_tenant("a")
    ring.destroy_tenant("a")
    assert not os.listdir(tmp_path / "keys")
    with pytest.raises(KeyUnavailable):
        ring.keyed_hash("a", "x", b"y")


def test_settings_refuse_a_short_master_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="32 bytes"):
        load_settings(data_dir=tmp_path, master_key=base64.b64encode(b"short").decode())


def test_vector_schemes_kept_in_memory_are_bounded_and_rederive_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process serving many tenants keeps only the recently used rotations (~0.6 MB each)."""
    import numpy as np

    from privrag.crypto import keyring as keyring_module

    monkeypatch.setattr(keyring_module, "SCHEME_CACHE", 2)
    ring = Keyring(tmp_path / "keys", new_key())
    tenants = ["a", "b", "c", "d"]
    for t in tenants:
        ring.create_tenant(t)
    first = ring.vector_scheme("a", dim=16)
    assert first.transform is not None
    rotation = first.transform.rotation.copy()
    for t in tenants[1:]:
        ring.vector_scheme(t, dim=16)
    assert len(ring._schemes) == 2
    again = ring.vector_scheme("a", dim=16)
    assert again is not first and again.transform is not None
    assert np.array_equal(again.transform.rotation, rotation)
