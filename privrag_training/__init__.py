"""DP fine-tuning of the retrieval embedder on one tenant's documents.

A run builds its dataset through ``PrivRAG`` for exactly one tenant (one item per document),
is calibrated and charged to that tenant's privacy ledger before it starts, trains a few top
layers of the packaged MiniLM with DP-SGD (Opacus; this package is its only importer), and
writes a signed, versioned artifact with a model card. Entry point: ``privrag_training.job.train``.
"""

from privrag_training.config import TrainConfig
from privrag_training.ledger import PrivacyBudget, PrivacyLedger

__all__ = ["PrivacyBudget", "PrivacyLedger", "TrainConfig"]
