"""Tenant models on the serving side: list, verify, load, serve, switch, delete.

A model lives under ``<data-dir>/models/<tenant-id>/<version>/`` as ``weights/`` (a
sentence-transformers directory), ``card.json`` and ``signature.json``: an Ed25519 signature by
the deployment key (``PrivRAG.signer``) over the SHA-256 of every weight file and of the card.
Nothing is loaded before its signature verifies; a mismatch (a changed, added or missing file, an
edited card) raises ``KeyUnavailable``. DP weights are stored in the clear: they are the output
of a DP computation (the card states its ε, δ), a release by design. Weights of a non-private
run are not: each file is sealed (AES-256-GCM) under a key derived from the tenant's hash key,
which offboarding destroys, and opened into a private temporary directory only to load them.

Serving rule, applied on every load, activation and rollback: a model that is non-private or
flagged (``retrain_required``, set when documents it saw are erased) does not serve unless an
operator overrode that model. A tenant whose active model becomes ineligible falls back to the
base model (a resumable re-embedding, like a rollback) and the fallback is reported to
``on_event`` for the audit log. Offboarding deletes the tenant's model directories.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privrag.catalog import Catalog, ModelRow, ReembedJob
from privrag.crypto import Signer, context, open_sealed, seal
from privrag.digests import file_digest
from privrag.errors import AccessDenied, Conflict, InvalidInput, KeyUnavailable, NotFound
from privrag.models import Tenant

if TYPE_CHECKING:
    from privrag.embed import Embedder
    from privrag.service import PrivRAG

MODELS_DIR = "models"
WEIGHTS = "weights"
CARD = "card.json"
SIGNATURE = "signature.json"
SEALED_SUFFIX = ".sealed"
OVERRIDES = "model_overrides"  # tenant setting: {model_id: reason the operator accepted}

Progress = Callable[[int, int], None]
EventSink = Callable[[dict[str, Any]], Any]
_log = logging.getLogger("privrag.registry")


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


@dataclass(frozen=True)
class Switch:
    """What an activation or rollback did: the model now serving and how many chunks moved."""

    tenant: str
    model_id: str | None  # None: the packaged base model
    version: int | None
    documents: int
    chunks: int
    skipped: tuple[int, ...] = field(default=())  # versions a rollback passed over (ineligible)


class ModelRegistry:
    """Read side of the registry for one deployment (the writer is ``privrag_training.registry``),
    the per-tenant embedder cache, and activation / rollback as a resumable re-embedding job.

    Query and chunk vectors must come from the same model, so switching a tenant's model
    re-embeds every chunk first (points keep their ids and payloads; only vectors change) and
    records the switch only when the last chunk is done. The job is journaled in the catalog
    with a cursor over documents in (ingested_at, doc_uid) order: rerunning the same activation
    or rollback after a crash resumes where it stopped. While it runs, the old model still
    serves queries, and chunks already moved rank against it less well: retrieval quality dips
    for the duration, isolation and correctness do not.
    """

    def __init__(self, data_dir: Path, catalog: Catalog, signer: Signer) -> None:
        self.data_dir = data_dir
        self.catalog = catalog
        self.signer = signer
        # Where serving decisions are reported (the API points it at its audit log).
        self.on_event: EventSink = _log_event
        self._loaded: dict[str, Embedder] = {}
        self._lock = threading.RLock()

    def list(self, tenant_id: str) -> list[ModelRow]:
        return self.catalog.models(tenant_id)

    def get(self, tenant_id: str, model_id: str) -> ModelRow:
        row = self.catalog.model(tenant_id, model_id)
        if row is None:
            raise NotFound(f"no model {model_id!r}")
        return row

    def by_version(self, tenant_id: str, version: int) -> ModelRow:
        for row in self.catalog.models(tenant_id):
            if row.version == version:
                return row
        raise NotFound(f"no model version {version}")

    def active_model_id(self, tenant_id: str) -> str | None:
        history = self.catalog.activations(tenant_id)
        return history[-1] if history else None

    def path(self, row: ModelRow) -> Path:
        return self.data_dir / row.path

    def verify(self, tenant_id: str, model_id: str) -> dict[str, Any]:
        row = self.get(tenant_id, model_id)
        card = verify_model(self.path(row), self.signer)
        if card.get("model_id") != model_id or card.get("tenant_id") != tenant_id:
            raise KeyUnavailable(f"model {model_id!r}: its card names another model or tenant")
        return card

    def card(self, tenant_id: str, version: int) -> dict[str, Any]:
        """The verified card of model ``version`` (``privrag model show``)."""
        return self.verify(tenant_id, self.by_version(tenant_id, version).model_id)

    # the serving rule

    def overrides(self, tenant_id: str) -> dict[str, str]:
        return dict(self.catalog.tenant_settings(tenant_id).get(OVERRIDES, {}))

    def ineligible(self, tenant_id: str, row: ModelRow) -> str | None:
        """Why ``row`` may not serve without an operator's override (None: it may)."""
        reasons = []
        if not row.private:
            reasons.append("trained without differential privacy")
        if row.flagged:
            reasons.append(f"flagged {row.flagged}")
        if not reasons:
            return None
        reason = "; ".join(reasons)
        return None if self.overrides(tenant_id).get(row.model_id) == reason else reason

    def override(self, tenant_id: str, version: int) -> str:
        """An operator accepts model ``version`` as it is now (non-private and/or flagged): it
        may serve. A later, different flag needs a new override. Returns what was accepted."""
        row = self.by_version(tenant_id, version)
        reason = self.ineligible(tenant_id, row)
        if reason is None:
            raise InvalidInput(f"model version {version} needs no override")
        settings = self.catalog.tenant_settings(tenant_id)
        settings[OVERRIDES] = {**settings.get(OVERRIDES, {}), row.model_id: reason}
        self.catalog.set_tenant_settings(tenant_id, settings)
        self.on_event(
            {
                "event": "model.override",
                "tenant_id": tenant_id,
                "model_id": row.model_id,
                "version": version,
                "reason": reason,
            }
        )
        return reason

    def load(
        self, rag: PrivRAG, tenant_id: str, model_id: str, *, device: str, batch_size: int
    ) -> Embedder:
        """Verify, then load; the embedder's ``model_id`` names tenant and version."""
        from privrag.embed import Embedder  # heavy: loaded only when a tenant model serves

        row = self.get(tenant_id, model_id)
        self.verify(tenant_id, model_id)
        weights = self.path(row) / WEIGHTS
        name = f"privrag/{tenant_id}/v{row.version}"
        if not is_sealed(weights):
            return Embedder(weights, model_id=name, device=device, batch_size=batch_size)
        key = weights_key(rag.keyring, tenant_id, model_id)
        with opened_weights(weights, key, tenant_id=tenant_id, model_id=model_id) as plain:
            embedder = Embedder(plain, model_id=name, device=device, batch_size=batch_size)
            _ = embedder.digest  # read while the opened files exist
        return embedder

    def embedder(self, rag: PrivRAG, tenant_id: str, model_id: str | None) -> Embedder:
        """The embedder of ``model_id`` (None: the base model), verified once per process. An
        active model that may no longer serve (see the module docstring) is replaced by the
        base model first."""
        if model_id is None:
            return rag.embedder
        with self._lock:
            row = self.get(tenant_id, model_id)
            if self.ineligible(tenant_id, row) is not None:
                self.fall_back(rag, tenant_id)
                return rag.embedder
            if model_id not in self._loaded:
                self._loaded[model_id] = self.load(
                    rag,
                    tenant_id,
                    model_id,
                    device=rag.settings.embed_device,
                    batch_size=rag.settings.embed_batch_size,
                )
            return self._loaded[model_id]

    def fall_back(
        self, rag: PrivRAG, tenant_id: str, *, progress: Progress | None = None
    ) -> Switch | None:
        """If the tenant's active model may not serve, switch the tenant to the base model and
        report it; None when nothing had to change. Call it after flagging models (sweep,
        erasure) so that no query waits for the re-embedding."""
        with self._lock:
            model_id = self.active_model_id(tenant_id)
            if model_id is None:
                return None
            row = self.get(tenant_id, model_id)
            reason = self.ineligible(tenant_id, row)
            if reason is None:
                return None
            tenant = self.catalog.tenant_by_id(tenant_id)
            if tenant is None:
                raise NotFound("no such tenant")
            self._loaded.pop(model_id, None)
            switch = self._switch(rag, tenant, "fallback", None, progress=progress)
            self.on_event(
                {
                    "event": "model.fallback",
                    "tenant_id": tenant_id,
                    "model_id": model_id,
                    "version": row.version,
                    "reason": reason,
                    "now_serving": "base",
                    "chunks": switch.chunks,
                }
            )
            return switch

    def activate(
        self,
        rag: PrivRAG,
        tenant: Tenant,
        version: int,
        *,
        allow_non_private: bool = False,
        progress: Progress | None = None,
    ) -> Switch:
        """Switch to model ``version``. A non-private or flagged model needs
        ``allow_non_private``, which records the operator's override for that model."""
        row = self.by_version(tenant.id, version)
        reason = self.ineligible(tenant.id, row)
        if reason is not None:
            if not allow_non_private:
                raise AccessDenied(
                    f"model version {version} is {reason}; serving it needs an explicit override"
                )
            self.override(tenant.id, version)
        self.verify(tenant.id, row.model_id)
        return self._switch(rag, tenant, "activate", row.model_id, progress=progress)

    def rollback(self, rag: PrivRAG, tenant: Tenant, *, progress: Progress | None = None) -> Switch:
        """Back to the most recent earlier model that may serve (the base model at the bottom);
        models that are now non-private without override or flagged are passed over."""
        pending = self.catalog.reembed_jobs(tenant.id)
        if pending and pending[0].action == "rollback":
            return self._switch(rag, tenant, "rollback", pending[0].model_id, progress=progress)
        history = self.catalog.activations(tenant.id)
        if not history:
            raise InvalidInput("the tenant already uses the base model; nothing to roll back")
        current = history[-1]
        skipped: list[int] = []
        target: str | None = None  # the base model, when no earlier model may serve
        for candidate in reversed(history[:-1]):
            if candidate is None:
                break
            if candidate == current:
                continue
            row = self.get(tenant.id, candidate)
            if self.ineligible(tenant.id, row) is None:
                target = candidate
                break
            if row.version not in skipped:
                skipped.append(row.version)
        switch = self._switch(rag, tenant, "rollback", target, progress=progress)
        return Switch(
            switch.tenant,
            switch.model_id,
            switch.version,
            switch.documents,
            switch.chunks,
            tuple(skipped),
        )

    def delete_tenant(self, tenant_id: str) -> None:
        """Offboarding: forget the tenant's loaded models and delete their directories."""
        with self._lock:
            for row in self.catalog.models(tenant_id):
                self._loaded.pop(row.model_id, None)
            delete_tenant_models(self.data_dir, tenant_id)

    def _switch(
        self,
        rag: PrivRAG,
        tenant: Tenant,
        action: str,
        model_id: str | None,
        *,
        progress: Progress | None = None,
    ) -> Switch:
        pending = self.catalog.reembed_jobs(tenant.id)
        if pending:
            job = pending[0]
            if (job.action, job.model_id) != (action, model_id):
                raise Conflict(
                    "another model switch is under way for this tenant; rerun it to finish first"
                )
        else:
            job = ReembedJob(tenant.id, action, model_id, -1, "", int(rag.clock()))
            self.catalog.begin_reembed(job)
        embedder = self.embedder(rag, tenant.id, model_id)
        rows = rag.catalog.documents(tenant.id)
        documents = chunks = 0
        for done, row in enumerate(rows, start=1):
            if (row.ingested_at, row.doc_uid) <= (job.cursor_at, job.cursor_uid):
                continue
            with rag._write:
                current = rag.catalog.document(tenant.id, row.doc_uid)
                if current is not None:
                    chunks += self._reembed_document(rag, tenant, current, embedder)
                self.catalog.advance_reembed(tenant.id, row.ingested_at, row.doc_uid)
            documents += 1
            if progress is not None:
                progress(done, len(rows))
        with rag._write:
            self.catalog.finish_reembed(tenant.id, int(rag.clock()))
        version = self.get(tenant.id, model_id).version if model_id is not None else None
        return Switch(tenant.name, model_id, version, documents, chunks)

    def _reembed_document(self, rag: PrivRAG, tenant: Tenant, row: Any, embedder: Embedder) -> int:
        chunks = rag.live_chunks(tenant, row)
        ids = [point_id for point_id, _ in chunks]
        texts = [text for _, text in chunks]
        vectors = embedder.embed(texts)
        rag.store.update_vectors(
            tenant.id, [(pid, vec.tolist()) for pid, vec in zip(ids, vectors, strict=True)]
        )
        return len(ids)


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


def _log_event(event: dict[str, Any]) -> None:
    _log.warning("model serving event: %s", json.dumps(event, sort_keys=True))
