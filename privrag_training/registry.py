"""Write side of the model registry: versioned artifact, model card, signature, catalog rows.

A version directory is written completely (weights, card, signature) before the catalog names
it, so a crash leaves at most an orphan directory that nothing serves. The card carries no
document text and no raw document ids: the dataset manifest lists keyed doc ids (``doc_uid``)
and keyed content hashes, which is also what the catalog's lineage rows hold. Weights of a
non-private run are sealed under the tenant's key (``privrag.registry.seal_weights``): they were
fitted to the tenant's documents with no noise, so they are as sensitive as the documents.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

from sentence_transformers import SentenceTransformer

from privrag.catalog import ModelRow
from privrag.registry import CARD, WEIGHTS, model_dir_for, seal_weights, sign_model, weights_key
from privrag.service import PrivRAG


def code_version() -> str:
    """The git commit of this checkout when there is one, else the package version."""
    here = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5
        )
        if out.returncode == 0:
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"privrag {version('privrag')}"
    except PackageNotFoundError:
        return "unknown"


def next_version(rag: PrivRAG, tenant_id: str) -> int:
    return max((m.version for m in rag.catalog.models(tenant_id)), default=0) + 1


def register(
    rag: PrivRAG,
    *,
    tenant_id: str,
    model: SentenceTransformer,
    card: dict[str, Any],
    doc_uids: list[str],
) -> tuple[str, int, Path]:
    """Save, sign and register; returns (model_id, version, directory)."""
    model_id = uuid.uuid4().hex
    version = next_version(rag, tenant_id)
    target = model_dir_for(rag.settings.data_dir, tenant_id, version)
    if target.exists():  # an orphan of a crashed earlier attempt: never registered
        shutil.rmtree(target)
    target.mkdir(parents=True, mode=0o700)
    private = bool(card["privacy"]["private"])
    if private:
        model.save(str(target / WEIGHTS))
    else:
        key = weights_key(rag.keyring, tenant_id, model_id)
        with tempfile.TemporaryDirectory(prefix="privrag-model-") as plain:
            model.save(plain)
            seal_weights(Path(plain), target / WEIGHTS, key, tenant_id=tenant_id, model_id=model_id)
    full = {
        **card,
        "model_id": model_id,
        "version": version,
        "tenant_id": tenant_id,
        "weights_sealed": not private,
    }
    (target / CARD).write_text(json.dumps(full, indent=2, sort_keys=True))
    sign_model(target, rag.signer)
    rag.catalog.add_model(
        ModelRow(
            model_id=model_id,
            tenant_id=tenant_id,
            version=version,
            created_at=int(full["created_at"]),
            private=private,
            epsilon=full["privacy"].get("epsilon"),
            delta=full["privacy"].get("delta"),
            path=str(target.relative_to(rag.settings.data_dir)),
        ),
        doc_uids,
    )
    return model_id, version, target
