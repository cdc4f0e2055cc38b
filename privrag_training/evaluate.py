"""Held-out inverse-cloze retrieval: recall@10 and nDCG@10 of a model on examples it never saw.

Each held-out document's query sentence is searched against the contexts of all held-out
documents; exactly one context is relevant. These metrics are computed on private documents
and are not covered by the run's epsilon (they are a small, deliberate, non-DP release recorded
in the card); the held-out documents themselves never enter training.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from privrag_training.dataset import Example


def ranks(query_vectors: np.ndarray, context_vectors: np.ndarray) -> list[int]:
    """1-based rank of context i for query i (vectors L2-normalised)."""
    scores = query_vectors @ context_vectors.T
    own = np.diag(scores)
    return [int((row > own[i]).sum()) + 1 for i, row in enumerate(scores)]


def metrics_from_ranks(found: Sequence[int], k: int = 10) -> dict[str, float]:
    if not found:
        return {"recall@10": 0.0, "ndcg@10": 0.0, "count": 0}
    recall = sum(r <= k for r in found) / len(found)
    ndcg = sum(1.0 / math.log2(r + 1) for r in found if r <= k) / len(found)
    return {"recall@10": round(recall, 4), "ndcg@10": round(ndcg, 4), "count": len(found)}


def inverse_cloze_metrics(model: object, examples: Sequence[Example]) -> dict[str, float]:
    """``model`` is a SentenceTransformer (base or fine-tuned)."""
    if not examples:
        return metrics_from_ranks([])
    encode = model.encode  # type: ignore[attr-defined]
    q = encode([e.query for e in examples], normalize_embeddings=True, show_progress_bar=False)
    c = encode([e.context for e in examples], normalize_embeddings=True, show_progress_bar=False)
    return metrics_from_ranks(ranks(np.asarray(q), np.asarray(c)))
