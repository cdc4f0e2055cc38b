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
    assert settings.resolved_keystore_dir == tmp_path / "x" / "keys"
