"""The protect step between embed and seal: a tenant's vectors and lexical terms, keyed.

``protect_chunks`` turns embedded chunks into what a store may hold: dense vectors under the
tenant's secret transform and sparse BM25 vectors over keyed term ids. ``query_vectors`` does the
same for one query in a given mode. A tenant whose vector scheme has no version (created before
vector protection, not yet re-protected) keeps raw vectors and has no lexical index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from privrag.crypto import VectorProtection
from privrag.errors import InvalidInput
from privrag.ingest.lexical import Bm25
from privrag.store import Field, SparseVector

if TYPE_CHECKING:
    import numpy as np

    from privrag.config import Settings
    from privrag.crypto import VectorScheme

MODES = ("dense", "sparse", "hybrid")
VECTOR_KEY_FIELD = Field.VECTOR_KEY


def vector_protection(settings: Settings) -> VectorProtection:
    """The noise setting; ``off`` (raw dense vectors) exists for benchmarks only, and settings
    refuse it outside benchmark mode."""
    return VectorProtection(None if settings.vector_protection == "off" else settings.vector_noise)


def protect_chunks(
    scheme: VectorScheme, texts: Sequence[str], vectors: np.ndarray, *, bm25: Bm25 | None = None
) -> tuple[np.ndarray, list[SparseVector | None]]:
    bm25 = bm25 or Bm25()
    terms = scheme.terms
    sparse: list[SparseVector | None] = (
        [bm25.document(text, terms) for text in texts] if terms is not None else [None] * len(texts)
    )
    return scheme.dense(vectors), sparse


def query_vectors(
    scheme: VectorScheme, text: str, vector: np.ndarray, mode: str
) -> tuple[list[float] | None, SparseVector | None]:
    """The dense and sparse query vectors ``mode`` asks for (None where it asks for none)."""
    check_mode(mode)
    dense = scheme.dense_query(vector, text).tolist() if mode != "sparse" else None
    if mode == "dense":
        return dense, None
    if scheme.terms is None:
        if mode == "sparse":
            raise InvalidInput(
                "this tenant has no lexical index yet: run its vector re-protection first"
            )
        return dense, None
    return dense, Bm25.query(text, scheme.terms)


def check_mode(mode: object) -> str:
    if mode not in MODES:
        raise InvalidInput(f"mode must be one of {', '.join(MODES)}")
    return str(mode)
