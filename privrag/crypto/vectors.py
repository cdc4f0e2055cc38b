"""Keyed vector protection: a tenant's secret transform, applied to every vector before a store.

Scale-and-perturb in the style of Fuchsbauer, Ghosal, Hauke and O'Neill ("Approximate
distance-comparison-preserving symmetric encryption", SCN 2022), behind a secret rotation:
``protect(x) = s * R @ x + n`` where ``R`` is a Haar-random orthogonal matrix and ``s`` a scale,
both derived from the tenant's vector key (HKDF -> ChaCha20 keystream -> Gaussians -> QR), and
``n`` is drawn uniformly from the ball of radius ``s * beta / 4``. ``beta`` is the approximation
factor: whenever ``|x - y| < |x - z| - beta``, the protected vectors compare the same way, so
ranking survives up to ``beta``; below it, close pairs may swap. Queries get the same transform.

Stored vectors take their noise from fresh OS randomness, not from a keyed PRF of the point id:
the scheme's security argument needs independent noise per encryption, nothing ever needs to
recompute it (vectors are never decrypted; re-embedding draws new noise), and a PRF would give an
attacker holding several backups identical noise for an unchanged point. Query noise is the one
keyed exception: seeded by an HMAC of the (scrubbed) query text under the vector key, so the same
query gets the same answer every time; queries are never stored, and a repeat is recognisable to
whoever sees query traffic either way. The cosine store divides out ``s``; what it keeps is the
noise-to-signal ratio ``beta / 4``.

The lexical index uses a second subkey of the same versioned vector key, so rotating the key
renames every stored term id as well as rotating the vectors.
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from privrag.config import DEFAULT_VECTOR_NOISE
from privrag.crypto.aead import new_key

DEFAULT_BETA = DEFAULT_VECTOR_NOISE
_SALT = b"privrag/vector-key/v1"
# Up to this many rows are rotated through R's Householder factors (O(d^2) a row) rather than
# by forming R (O(d^3) once): a query, or a document's few chunks on a tenant not yet warm.
_FACTOR_ROWS = 8


def _subkey(key: bytes, label: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=label.encode()).derive(key)


def _stream(key: bytes, nbytes: int) -> bytes:
    # ChaCha20 with a fixed nonce is a CSPRNG stream for a key used for this one purpose only.
    encryptor = Cipher(algorithms.ChaCha20(key, b"\x00" * 16), mode=None).encryptor()
    return encryptor.update(b"\x00" * nbytes)


def _uniforms(key: bytes, count: int) -> np.ndarray:
    """``count`` uniforms in (0, 1), 53 bits each, from the keyed stream."""
    words = np.frombuffer(_stream(key, 8 * count), dtype="<u8")
    return ((words >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def _gaussians(key: bytes, count: int) -> np.ndarray:
    """Box-Muller over the keyed uniforms, in float64. The arithmetic runs in torch, whose
    vectorised log/sin/cos are ~3x numpy's scalar ones on AVX2; the results agree to an ulp."""
    pairs = (count + 1) // 2
    u = torch.from_numpy(_uniforms(key, 2 * pairs))
    radius = torch.sqrt(-2.0 * torch.log(u[:pairs]))
    angle = 2.0 * math.pi * u[pairs:]
    return torch.cat([radius * torch.cos(angle), radius * torch.sin(angle)])[:count].numpy()


@dataclass(frozen=True)
class VectorProtection:
    """The noise setting: ``beta`` (approximation factor); ``beta=None`` is the benchmark-only
    ``off``, which leaves vectors as the model made them."""

    beta: float | None = DEFAULT_BETA

    def __post_init__(self) -> None:
        if self.beta is not None and not 0.0 <= self.beta <= 2.0:
            raise ValueError("vector noise beta must be between 0 and 2")


class VectorTransform:
    """One tenant key version's transform for vectors of one dimension."""

    def __init__(self, key: bytes, dim: int, *, beta: float) -> None:
        self._rotation_key = _subkey(key, f"dense-rotation/{dim}")
        self._scale_key = _subkey(key, "dense-scale")
        self._query_key = _subkey(key, "query-noise")
        self.dim = dim
        self.beta = beta

    def _factorise(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The QR factorisation of the keyed Gaussian matrix, in float64, as LAPACK keeps it
        (Householder vectors and scales), and the sign fix that makes Q Haar-distributed rather
        than biased by the QR convention: ``R = Q diag(signs)``."""
        g = _gaussians(self._rotation_key, self.dim * self.dim).reshape(self.dim, self.dim)
        a, tau = torch.geqrf(torch.from_numpy(g))
        return a, tau, torch.sign(torch.diagonal(a))

    @cached_property
    def _householder(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The factors in float32 (the size of ``R``): enough to rotate a query in O(d^2)
        without forming ``R``, which costs as much again as the factorisation. A cold tenant's
        query needs nothing more; its error (~1e-7 of the norm) is far below the noise."""
        a, tau, signs = self._factorise()
        return a.float(), tau.float(), signs.float()

    @cached_property
    def rotation(self) -> np.ndarray:
        a, tau, signs = self._factorise()
        rotation = (torch.linalg.householder_product(a, tau) * signs).numpy().astype(np.float32)
        self.__dict__.pop("_householder", None)  # R replaces the factors: one matrix held
        return rotation

    def _rotate(self, x: np.ndarray) -> np.ndarray:
        """``x @ R.T``: through ``R`` once it is formed or for a batch, else through the factors."""
        if "rotation" in self.__dict__ or len(x) > _FACTOR_ROWS:
            return x @ self.rotation.T
        a, tau, signs = self._householder
        rows = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)) * signs
        return torch.ormqr(a, tau, rows.T).T.numpy()

    @cached_property
    def scale(self) -> float:
        # s in [1, 256): the published scheme's secret scale; a cosine store normalises it away.
        return float(2.0 ** (8.0 * _uniforms(self._scale_key, 1)[0]))

    def protect(self, vectors: np.ndarray) -> np.ndarray:
        """Rotate, scale and perturb each row; fresh noise per row on every call."""
        return self._protect(vectors, new_key())

    def protect_query(self, vector: np.ndarray, text: str) -> np.ndarray:
        """One query vector, its noise seeded by a keyed hash of the query text."""
        seed = hmac.new(self._query_key, text.encode(), "sha256").digest()
        return self._protect(np.asarray(vector, dtype=np.float32)[None, :], seed)[0]

    def _protect(self, vectors: np.ndarray, seed: bytes) -> np.ndarray:
        x = np.asarray(vectors, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise ValueError(f"expected vectors of dimension {self.dim}")
        out = self.scale * self._rotate(x)
        if self.beta > 0 and len(x):
            out += self._noise(len(x), seed)
        return out.astype(np.float32)

    def _noise(self, n: int, seed: bytes) -> np.ndarray:
        g = _gaussians(_subkey(seed, "direction"), n * self.dim).reshape(n, self.dim)
        u = _uniforms(_subkey(seed, "radius"), n)
        # Uniform in the d-ball: a uniform direction times radius R * u^(1/d).
        radius = self.scale * self.beta / 4 * u ** (1.0 / self.dim)
        return g / np.linalg.norm(g, axis=1, keepdims=True) * radius[:, None]


class TermHasher:
    """Keyed term ids for the lexical index: 32-bit prefixes of HMAC-SHA256 under a subkey."""

    def __init__(self, key: bytes) -> None:
        self._key = _subkey(key, "lexical-terms")
        self._cache: dict[str, int] = {}

    def __call__(self, term: str) -> int:
        found = self._cache.get(term)
        if found is None:
            digest = hmac.new(self._key, term.encode(), "sha256").digest()
            found = int.from_bytes(digest[:4], "big")
            if len(self._cache) < 200_000:
                self._cache[term] = found
        return found
