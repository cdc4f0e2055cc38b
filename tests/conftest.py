"""Shared fixtures: the heavy real components (Presidio + spaCy, MiniLM) load once per session.

Every test gets its own data dir, keystore and master key; nothing touches the network.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from privrag.offline import force_offline

force_offline()

from privrag.config import Settings, load_settings  # noqa: E402
from privrag.models import Document  # noqa: E402


@pytest.fixture(scope="session")
def scrubber():  # type: ignore[no-untyped-def]
    from privrag.pii import Scrubber

    return Scrubber()


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from privrag.embed import Embedder

    return Embedder()


@pytest.fixture
def master_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def settings_for(master_key: str) -> Callable[..., Settings]:
    def build(data_dir: Path, **overrides: object) -> Settings:
        values: dict[str, object] = {"data_dir": data_dir, "master_key": master_key}
        values.update(overrides)
        return load_settings(**values)

    return build


class Clock:
    """An injectable clock: tests move time instead of sleeping."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def open_rag(settings_for, scrubber, embedder, clock) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    from privrag.service import PrivRAG

    opened: list[PrivRAG] = []

    def open_(data_dir: Path, **overrides: object) -> PrivRAG:
        rag = PrivRAG(
            settings_for(data_dir, **overrides), scrubber=scrubber, embedder=embedder, clock=clock
        )
        opened.append(rag)
        return rag

    yield open_
    for rag in opened:
        rag.close()


@pytest.fixture
def rag(open_rag, tmp_path):  # type: ignore[no-untyped-def]
    return open_rag(tmp_path / "data")


def doc(doc_id: str, text: str, **fields: object) -> Document:
    return Document(id=doc_id, text=text, **fields)  # type: ignore[arg-type]
