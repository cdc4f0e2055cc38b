"""Keyed vector protection: a secret rotation from the tenant's vector key, fresh bounded noise,
ranking kept, keys versioned beside the tenant keys and destroyed with them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privrag.crypto import Keyring, TermHasher, VectorProtection, VectorTransform, vectors
from privrag.crypto.aead import new_key
from privrag.errors import KeyUnavailable

DIM = 64


def unit(n: int, dim: int = DIM, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    return a @ b.T


def test_the_rotation_is_orthogonal_and_a_function_of_the_key_alone() -> None:
    key = new_key()
    one, two = VectorTransform(key, DIM, beta=0.25), VectorTransform(key, DIM, beta=1.0)
    r = one.rotation
    assert np.allclose(r @ r.T, np.eye(DIM), atol=1e-5)
    assert np.array_equal(r, two.rotation) and one.scale == two.scale
    other = VectorTransform(new_key(), DIM, beta=0.25).rotation
    assert not np.allclose(r, other, atol=0.1)


def reference_rotation(key: bytes, dim: int) -> np.ndarray:
    """The derivation as first written and stored data was protected with: numpy Box-Muller
    over the keyed uniforms, numpy QR, sign fix. Faster code must give the same rotation."""
    rotation_key = vectors._subkey(key, f"dense-rotation/{dim}")
    u = vectors._uniforms(rotation_key, dim * dim)
    half = dim * dim // 2
    radius, angle = np.sqrt(-2.0 * np.log(u[:half])), 2.0 * np.pi * u[half:]
    g = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)]).reshape(dim, dim)
    q, r = np.linalg.qr(g)
    return q * np.sign(np.diag(r))


@pytest.mark.parametrize("dim", [DIM, 384])
def test_the_rotation_is_the_one_stored_vectors_were_protected_with(dim: int) -> None:
    key = new_key()
    reference = reference_rotation(key, dim)
    assert np.abs(VectorTransform(key, dim, beta=0.0).rotation - reference).max() < 1e-6
    # A cold tenant's query goes through the QR factors without forming R: same rotation.
    cold, x = VectorTransform(key, dim, beta=0.0), unit(3, dim)
    through_factors = cold.protect(x)
    assert "rotation" not in cold.__dict__
    assert np.abs(through_factors - cold.scale * (x @ reference.T)).max() < 1e-5 * cold.scale
    assert "_householder" in cold.__dict__
    assert np.abs(cold.rotation - reference).max() < 1e-6
    assert "_householder" not in cold.__dict__  # once R is formed it is the one matrix held


def test_without_noise_every_inner_product_survives() -> None:
    t = VectorTransform(new_key(), DIM, beta=0.0)
    x = unit(20)
    assert np.allclose(cosine(t.protect(x), t.protect(x)), x @ x.T, atol=1e-5)


@settings(max_examples=25, deadline=None)
@given(beta=st.floats(0.01, 2.0), seed=st.integers(0, 2**16))
def test_noise_is_fresh_and_inside_the_ball_of_radius_s_beta_over_4(beta: float, seed: int) -> None:
    t = VectorTransform(new_key(), DIM, beta=beta)
    x = unit(8, seed=seed)
    a, b = t.protect(x), t.protect(x)
    clean = t.scale * (x @ t.rotation.T)
    radius = np.linalg.norm(a - clean, axis=1)
    assert np.all(radius <= t.scale * beta / 4 * (1 + 1e-4))
    assert not np.allclose(a, b)


def test_protection_keeps_the_nearest_neighbours(embedder) -> None:  # type: ignore[no-untyped-def]
    """Recall@10 of protected documents and queries against the unprotected ranking >= 0.95,
    with the default noise, on MiniLM embeddings of 300 short documents and 60 queries."""
    from tests.crypto.test_attack import texts

    docs = embedder.embed(texts(300, seed=5))
    questions = texts(60, seed=6)
    queries = embedder.embed(questions)
    t = VectorTransform(new_key(), embedder.dim, beta=VectorProtection().beta or 0.0)
    protected_queries = np.stack(
        [t.protect_query(q, s) for q, s in zip(queries, questions, strict=True)]
    )
    truth = np.argsort(-cosine(queries, docs), axis=1)[:, :10]
    got = np.argsort(-cosine(protected_queries, t.protect(docs)), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, got, strict=True)])
    assert recall >= 0.95


def test_term_ids_are_keyed() -> None:
    key = new_key()
    assert TermHasher(key)("insulin") == TermHasher(key)("insulin")
    assert TermHasher(key)("insulin") != TermHasher(new_key())("insulin")
    assert TermHasher(key)("insulin") != TermHasher(key)("insulins")


def test_vector_keys_are_versioned_and_rotation_destroys_the_old_version(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys", new_key())
    ring.create_tenant("t1")
    first = ring.vector_scheme("t1", dim=DIM)
    assert first.version == 1 and first.transform is not None
    assert ring.begin_vector_version("t1") == 2
    assert ring.begin_vector_version("t1") == 2  # a rerun resumes the same version
    assert ring.vector_scheme("t1", dim=DIM).version == 1  # queries stay on the current one
    assert ring.vector_scheme("t1", dim=DIM, writing=True).version == 2
    assert ring.finish_vector_version("t1") == 2
    assert ring.vector_scheme("t1", dim=DIM).version == 2
    with pytest.raises(KeyUnavailable):
        ring.keystore.vector_key("t1", 1)


def test_offboarding_destroys_the_vector_keys(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys", new_key())
    ring.create_tenant("t1")
    ring.vector_scheme("t1", dim=DIM)
    ring.destroy_tenant("t1")
    with pytest.raises(KeyUnavailable):
        ring.vector_scheme("t1", dim=DIM)
    with pytest.raises(KeyUnavailable):
        Keyring(tmp_path / "keys", new_key()).keystore.vector_key("t1", 1)


def test_off_leaves_dense_vectors_raw_but_keeps_keyed_terms(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys", new_key(), protection=VectorProtection(beta=None))
    ring.create_tenant("t1")
    scheme = ring.vector_scheme("t1", dim=DIM)
    x = unit(3)
    assert scheme.transform is None and np.array_equal(scheme.dense(x), x)
    assert scheme.terms is not None


def test_a_beta_outside_0_to_2_is_refused() -> None:
    with pytest.raises(ValueError):
        VectorProtection(beta=3.0)


def test_the_same_query_text_gets_the_same_protected_vector() -> None:
    t = VectorTransform(new_key(), DIM, beta=0.5)
    q = unit(1)[0]
    assert np.array_equal(t.protect_query(q, "refund"), t.protect_query(q, "refund"))
    assert not np.array_equal(t.protect_query(q, "refund"), t.protect_query(q, "refunds"))
