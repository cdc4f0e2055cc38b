"""Value objects returned by scrubbing, and the keyed-hash protocol the caller supplies.

Entity offsets always point into the *original* text. A ``ScrubResult`` never holds an original
value except in ``originals``, which only the reversible operator fills and which the caller must
seal before it goes anywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Protocol


class KeyedHash(Protocol):
    """HMAC-SHA256 under a per-tenant key; ``purpose`` separates the uses of one key."""

    def __call__(self, purpose: str, data: bytes) -> bytes: ...


@dataclass(frozen=True)
class Entity:
    type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class SubjectTag:
    type: str
    tag: str


@dataclass(frozen=True)
class ScrubResult:
    text: str
    entities: tuple[Entity, ...]
    subject_tags: tuple[SubjectTag, ...]
    originals: tuple[tuple[str, str], ...] = ()

    def entity_counts(self) -> dict[str, int]:
        return dict(Counter(e.type for e in self.entities))
