"""Tenant models on the serving side: list them, verify their signatures, load them.

A model lives under ``<data-dir>/models/<tenant-id>/<version>/`` as ``weights/`` (a
sentence-transformers directory), ``card.json`` and ``signature.json``: an Ed25519 signature by
the deployment key (``PrivRAG.signer``) over the SHA-256 of every weight file and of the card.
Nothing is loaded before its signature verifies; a mismatch (a changed, added or missing file, an
edited card) raises ``KeyUnavailable``. The weights are not encrypted at rest: they are the output
of a DP computation (the card states its ε, δ), which is a release by design, and sentence-
transformers must read them as plain files; the non-private ceiling runs are the exception, so
they are never activated without an explicit override.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privrag.catalog import Catalog, ModelRow, ReembedJob
from privrag.crypto import Signer
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


def model_dir_for(data_dir: Path, tenant_id: str, version: int) -> Path:
    return data_dir / MODELS_DIR / tenant_id / str(version)


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

    def load(self, tenant_id: str, model_id: str, *, device: str, batch_size: int) -> Embedder:
        """Verify, then load; the embedder's ``model_id`` names tenant and version."""
        from privrag.embed import Embedder  # heavy: loaded only when a tenant model serves

        row = self.get(tenant_id, model_id)
        self.verify(tenant_id, model_id)
        return Embedder(
            self.path(row) / WEIGHTS,
            model_id=f"privrag/{tenant_id}/v{row.version}",
            device=device,
            batch_size=batch_size,
        )

    def embedder(self, rag: PrivRAG, tenant_id: str, model_id: str | None) -> Embedder:
        """The embedder of ``model_id`` (None: the base model), verified once per process."""
        if model_id is None:
            return rag.embedder
        with self._lock:
            if model_id not in self._loaded:
                self._loaded[model_id] = self.load(
                    tenant_id,
                    model_id,
                    device=rag.settings.embed_device,
                    batch_size=rag.settings.embed_batch_size,
                )
            return self._loaded[model_id]

    def activate(
        self, rag: PrivRAG, tenant: Tenant, version: int, *, allow_non_private: bool = False
    ) -> Switch:
        row = self.by_version(tenant.id, version)
        if not row.private and not allow_non_private:
            raise AccessDenied(
                f"model version {version} was trained without differential privacy; "
                "activating it needs an explicit override"
            )
        if row.flagged and not allow_non_private:
            raise AccessDenied(f"model version {version} is flagged: {row.flagged}")
        self.verify(tenant.id, row.model_id)
        return self._switch(rag, tenant, "activate", row.model_id)

    def rollback(self, rag: PrivRAG, tenant: Tenant) -> Switch:
        """Back to the model active before the current one (the base model at the bottom)."""
        pending = self.catalog.reembed_jobs(tenant.id)
        if pending and pending[0].action == "rollback":
            return self._switch(rag, tenant, "rollback", pending[0].model_id)
        history = self.catalog.activations(tenant.id)
        if not history:
            raise InvalidInput("the tenant already uses the base model; nothing to roll back")
        previous = history[-2] if len(history) >= 2 else None
        return self._switch(rag, tenant, "rollback", previous)

    def _switch(self, rag: PrivRAG, tenant: Tenant, action: str, model_id: str | None) -> Switch:
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
        documents = chunks = 0
        for row in rag.catalog.documents(tenant.id):
            if (row.ingested_at, row.doc_uid) <= (job.cursor_at, job.cursor_uid):
                continue
            with rag._write:
                current = rag.catalog.document(tenant.id, row.doc_uid)
                if current is not None:
                    chunks += self._reembed_document(rag, tenant, current, embedder)
                self.catalog.advance_reembed(tenant.id, row.ingested_at, row.doc_uid)
            documents += 1
        with rag._write:
            self.catalog.finish_reembed(tenant.id, int(rag.clock()))
        version = self.get(tenant.id, model_id).version if model_id is not None else None
        return Switch(tenant.name, model_id, version, documents, chunks)

    def _reembed_document(self, rag: PrivRAG, tenant: Tenant, row: Any, embedder: Embedder) -> int:
        chunks = rag.live_chunks(tenant, row)
        ids = [point_id for point_id, _ in chunks]
        texts = [text for _, text in chunks]
        scheme = rag.keyring.vector_scheme(tenant.id, dim=embedder.dim, writing=True)
        vectors = scheme.dense(embedder.embed(texts))
        rag.store.update_vectors(
            tenant.id, [(pid, vec.tolist()) for pid, vec in zip(ids, vectors, strict=True)]
        )
        return len(ids)
