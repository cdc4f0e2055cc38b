"""The identification attack on a copied data dir: what someone without keys learns from vectors.

The attacker holds a copy of the data dir (no keystore), the public ``qdrant_edge`` package and
the public MiniLM model, and a list of candidate texts that includes the stored ones. They read
every stored vector straight from the shard files and match it to its nearest candidate
embedding. With ``known`` (text, stored vector) pairs they first fit the orthogonal map between
the two spaces (Procrustes), which undoes a secret rotation once the pairs span the space; the
noise is what is left between them. Shared by ``tests/crypto/test_attack.py`` and
``bench.retrieval``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import qdrant_edge as qe


def read_shard(shard_dir: Path) -> dict[str, tuple[str, np.ndarray]]:
    """Point id -> (opaque document uid, dense vector) exactly as stored, no key needed."""
    shard = qe.EdgeShard.load(str(shard_dir))
    out: dict[str, tuple[str, np.ndarray]] = {}
    offset = None
    try:
        while True:
            records, offset = shard.scroll(
                qe.ScrollRequest(offset=offset, limit=512, with_payload=True, with_vector=True)
            )
            for r in records:
                vector = r.vector.get("", []) if isinstance(r.vector, dict) else r.vector
                out[str(r.id)] = ((r.payload or {}).get("doc", ""), np.asarray(vector, np.float32))
            if offset is None:
                return out
    finally:
        shard.close()


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def procrustes(stored: np.ndarray, plain: np.ndarray) -> np.ndarray:
    """The orthogonal W with ``stored ~ plain @ W.T`` that fits the known pairs best."""
    u, _, vt = np.linalg.svd(_unit(stored).T @ _unit(plain))
    return np.asarray(u @ vt, dtype=np.float32)


def identify(
    stored: np.ndarray,
    candidates: np.ndarray,
    *,
    known_stored: np.ndarray | None = None,
    known_plain: np.ndarray | None = None,
) -> np.ndarray:
    """For each stored vector, the index of its nearest candidate (after mapping the stored
    vectors back through the Procrustes fit when known pairs are given)."""
    mapped = _unit(stored)
    if known_stored is not None and known_plain is not None and len(known_stored):
        mapped = mapped @ procrustes(known_stored, known_plain)
    return np.asarray(np.argmax(mapped @ _unit(candidates).T, axis=1))
