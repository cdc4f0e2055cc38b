"""Model artifacts on disk: where a version lives, its signature, sealed weights, its card.

A model lives under ``<data-dir>/models/<tenant-id>/<version>/`` as ``weights/`` (a
sentence-transformers directory), ``card.json`` and ``signature.json``: an Ed25519 signature by
the deployment key over the SHA-256 of every weight file and of the card. Nothing is loaded
before its signature verifies; a mismatch (a changed, added or missing file, an edited card)
raises ``KeyUnavailable``. DP weights are stored in the clear: they are the output of a DP
computation (the card states its ε, δ), a release by design. Weights of a non-private run are
not: each file is sealed (AES-256-GCM) under a key derived from the tenant's hash key, which
offboarding destroys, and opened into a private temporary directory only to load them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privrag.crypto import Signer, context, open_sealed, seal
from privrag.digests import file_digest
from privrag.errors import KeyUnavailable

if TYPE_CHECKING:
    pass

MODELS_DIR = "models"
WEIGHTS = "weights"
CARD = "card.json"
SIGNATURE = "signature.json"
SEALED_SUFFIX = ".sealed"


def model_dir_for(data_dir: Path, tenant_id: str, version: int) -> Path:
    return data_dir / MODELS_DIR / tenant_id / str(version)


def delete_tenant_models(data_dir: Path, tenant_id: str) -> None:
    """Remove every model directory of the tenant (offboarding; idempotent)."""
    target = data_dir / MODELS_DIR / tenant_id
    if target.exists():
        shutil.rmtree(target)


def weights_key(keyring: Any, tenant_id: str, model_id: str) -> bytes:
    """The tenant-bound key that seals a non-private model's weights: derived from the tenant's
    hash key, which shredding does not rotate and offboarding destroys."""
    return bytes(keyring.keyed_hash(tenant_id, "model-weights", model_id.encode()))


def seal_weights(plain: Path, weights: Path, key: bytes, *, tenant_id: str, model_id: str) -> None:
    """Write every file under ``plain`` to ``weights`` sealed; the path is bound in the AAD."""
    for path in sorted(plain.rglob("*")):
        if path.is_file():
            rel = str(path.relative_to(plain))
            out = weights / (rel + SEALED_SUFFIX)
            out.parent.mkdir(parents=True, exist_ok=True)
            aad = context("model-weights", tenant_id, model_id, rel)
            out.write_bytes(seal(key, path.read_bytes(), aad))


def is_sealed(weights: Path) -> bool:
    return any(p.name.endswith(SEALED_SUFFIX) for p in weights.rglob("*"))


@contextmanager
def opened_weights(weights: Path, key: bytes, *, tenant_id: str, model_id: str) -> Iterator[Path]:
    """A private temporary directory with the weights opened, removed on exit."""
    with tempfile.TemporaryDirectory(prefix="privrag-model-") as tmp:
        os.chmod(tmp, 0o700)
        out = Path(tmp)
        for path in sorted(weights.rglob("*" + SEALED_SUFFIX)):
            rel = str(path.relative_to(weights))[: -len(SEALED_SUFFIX)]
            aad = context("model-weights", tenant_id, model_id, rel)
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(open_sealed(key, path.read_bytes(), aad))
        yield out


def weight_digests(model_dir: Path) -> dict[str, str]:
    weights = model_dir / WEIGHTS
    return {
        str(p.relative_to(weights)): file_digest(p)
        for p in sorted(weights.rglob("*"))
        if p.is_file()
    }


def signed_message(digests: dict[str, str], card_bytes: bytes) -> bytes:
    """The exact bytes the deployment key signs: file digests and the card's digest."""
    body = {
        "files": dict(sorted(digests.items())),
        "card_sha256": hashlib.sha256(card_bytes).hexdigest(),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign_model(model_dir: Path, signer: Signer) -> None:
    card_bytes = (model_dir / CARD).read_bytes()
    digests = weight_digests(model_dir)
    signature = signer.sign(signed_message(digests, card_bytes))
    record = {
        "algorithm": "ed25519",
        "files": digests,
        "card_sha256": hashlib.sha256(card_bytes).hexdigest(),
        "signature": base64.b64encode(signature).decode(),
        "public_key": signer.public_key_pem(),
    }
    (model_dir / SIGNATURE).write_text(json.dumps(record, indent=2, sort_keys=True))


def verify_model(model_dir: Path, signer: Signer) -> dict[str, Any]:
    """The card, if the signature over the weights and card verifies; else ``KeyUnavailable``."""
    try:
        card_bytes = (model_dir / CARD).read_bytes()
        record = json.loads((model_dir / SIGNATURE).read_text())
        signature = base64.b64decode(record["signature"], validate=True)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyUnavailable(
            f"model at {model_dir.name} has no readable card or signature"
        ) from exc
    message = signed_message(weight_digests(model_dir), card_bytes)
    if not signer.verify(message, signature):
        raise KeyUnavailable(
            f"model version {model_dir.name}: signature does not match its weights and card"
        )
    return dict(json.loads(card_bytes))


def describe_card(card: dict[str, Any]) -> str:
    """A model card for people (``privrag model show``): the guarantee first, then the run."""
    privacy = card.get("privacy", {})
    dataset = card.get("dataset", {})
    metrics = card.get("metrics", {})
    audit = card.get("audit")
    if privacy.get("private"):
        guarantee = (
            f"ε={privacy['epsilon']} δ={privacy['delta']:g} ({privacy.get('accountant')}), "
            f"noise multiplier {privacy['noise_multiplier']:.4g}, clip "
            f"{privacy['max_grad_norm']}, sample rate {privacy['sample_rate']:.4g}, "
            f"{privacy['steps']} steps"
        )
    else:
        guarantee = "none: trained without differential privacy (weights sealed at rest)"
    lines = [
        f"model v{card.get('version')} ({card.get('model_id')}) of tenant "
        f"{card.get('tenant_name')}, trained {card.get('trained_at')}",
        f"guarantee: {guarantee}",
        f"unit: {privacy.get('unit')}",
        f"adjacency: {privacy.get('adjacency')}",
        f"randomness: {privacy.get('randomness')}",
        f"trained: {', '.join(card.get('trainable_layers', []))} "
        f"({card.get('trainable_parameters')} parameters); objective "
        f"{card.get('objective', {}).get('kind')}",
        f"documents: {dataset.get('train_documents')} trained, "
        f"{dataset.get('heldout_documents')} held out",
        f"held-out nDCG@10 {metrics.get('before', {}).get('ndcg@10')} -> "
        f"{metrics.get('after', {}).get('ndcg@10')} (not covered by ε)",
    ]
    if audit:
        lines.append(
            f"audit: ε_lower={audit['epsilon_lower']} (at most {audit['max_certifiable']} "
            f"certifiable with {audit['canaries']} canaries), claimed "
            f"{audit['claimed_epsilon']}; {audit['correct']}/{audit['guesses']} guesses right"
        )
    ledger = privacy.get("ledger_after")
    if ledger:
        spent = "∞" if ledger.get("unbounded") else f"{ledger['spent_epsilon']:.3f}"
        lines.append(f"tenant ledger after this run: spent {spent} of {ledger['budget_epsilon']:g}")
    return "\n".join(lines)
