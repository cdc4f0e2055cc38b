from __future__ import annotations

from pathlib import Path

import pytest

from privrag.config import load_settings
from privrag.errors import ConfigError


def test_keystore_inside_the_stores_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="keystore"):
        load_settings(data_dir=tmp_path, keystore_dir=tmp_path / "shards" / "keys")


def test_chunk_overlap_must_be_smaller_than_the_chunk(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="chunk_overlap"):
        load_settings(data_dir=tmp_path, chunk_tokens=32, chunk_overlap=32)


def test_settings_come_from_the_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PRIVRAG_DATA_DIR", str(tmp_path / "x"))
    monkeypatch.setenv("PRIVRAG_CHUNK_TOKENS", "64")
    settings = load_settings()
    assert settings.data_dir == tmp_path / "x"
    assert settings.chunk_tokens == 64
    data = (tmp_path / "x").resolve()
    assert data not in settings.resolved_keystore_dir.parents
    assert data not in settings.resolved_master_key_file.parents


def test_keys_default_outside_the_data_dir_one_keystore_per_data_dir(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    first = load_settings(data_dir=tmp_path / "a")
    second = load_settings(data_dir=tmp_path / "b")
    assert (tmp_path / "state" / "privrag") in first.resolved_keystore_dir.parents
    assert first.resolved_master_key_file.parent == first.resolved_keystore_dir.parent
    assert first.resolved_keystore_dir != second.resolved_keystore_dir


def test_keystore_or_key_file_inside_the_data_dir_needs_an_explicit_override(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError, match="inside the data dir"):
        load_settings(data_dir=tmp_path, keystore_dir=tmp_path / "keys")
    with pytest.raises(ConfigError, match="inside the data dir"):
        load_settings(data_dir=tmp_path, master_key_file=tmp_path / "master.key")
    allowed = load_settings(
        data_dir=tmp_path, keystore_dir=tmp_path / "keys", allow_keys_in_data_dir=True
    )
    assert allowed.resolved_keystore_dir == tmp_path / "keys"


def test_a_legacy_keystore_in_the_data_dir_is_refused_not_silently_replaced(
    tmp_path: Path,
) -> None:
    (tmp_path / "keys").mkdir()
    with pytest.raises(ConfigError, match="older privrag"):
        load_settings(data_dir=tmp_path)


def _blas_threads() -> int:
    from threadpoolctl import threadpool_info

    return min(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


def test_opening_privrag_limits_numpy_blas_threads_unless_told_not_to(open_rag, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=2, user_api="blas"):
        before = _blas_threads()  # 2, unless the BLAS caps it at the machine's one core
        open_rag(tmp_path / "kept", blas_threads=0).close()
        assert _blas_threads() == before
        open_rag(tmp_path / "limited").close()
        assert _blas_threads() == 1
