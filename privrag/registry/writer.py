"""Write side of the registry: a new version's artifact, card, signature and catalog rows.

A version directory is written completely (weights, card, signature) before the catalog names
it, so a crash leaves at most an orphan directory that nothing serves. The card carries no
document text and no raw document ids: the dataset manifest lists keyed doc ids (``doc_uid``)
and keyed content hashes, which is also what the catalog's lineage rows hold. Weights of a
non-private run are sealed under the tenant's key: they were fitted to the tenant's documents
with no noise, so they are as sensitive as the documents.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privrag.catalog import ModelRow
from privrag.models import Tenant
from privrag.registry.artifacts import (
    CARD,
    WEIGHTS,
    model_dir_for,
    seal_weights,
    sign_model,
    weights_key,
)

if TYPE_CHECKING:
    from privrag.runtime import Runtime


@dataclass(frozen=True)
class Registered:
    model_id: str
    version: int
    path: Path
    card: dict[str, Any]


def register(
    runtime: Runtime,
    tenant: Tenant,
    *,
    save: Callable[[Path], None],
    card: dict[str, Any],
    doc_uids: Sequence[str],
) -> Registered:
    """Save (``save(directory)`` writes a sentence-transformers model), sign and register a new
    version of ``tenant``'s model; ``card["privacy"]["private"]`` decides whether its weights
    are sealed."""
    catalog = runtime.catalog
    data_dir = runtime.settings.data_dir
    model_id = uuid.uuid4().hex
    version = max((m.version for m in catalog.models.list(tenant.id)), default=0) + 1
    target = model_dir_for(data_dir, tenant.id, version)
    if target.exists():  # an orphan of a crashed earlier attempt: never registered
        shutil.rmtree(target)
    target.mkdir(parents=True, mode=0o700)
    private = bool(card["privacy"]["private"])
    if private:
        save(target / WEIGHTS)
    else:
        key = weights_key(runtime.keyring, tenant.id, model_id)
        with tempfile.TemporaryDirectory(prefix="privrag-model-") as plain:
            save(Path(plain))
            seal_weights(Path(plain), target / WEIGHTS, key, tenant_id=tenant.id, model_id=model_id)
    full = {
        **card,
        "model_id": model_id,
        "version": version,
        "tenant_id": tenant.id,
        "weights_sealed": not private,
    }
    (target / CARD).write_text(json.dumps(full, indent=2, sort_keys=True))
    sign_model(target, runtime.signer)
    catalog.models.add(
        ModelRow(
            model_id=model_id,
            tenant_id=tenant.id,
            version=version,
            created_at=int(full["created_at"]),
            private=private,
            epsilon=full["privacy"].get("epsilon"),
            delta=full["privacy"].get("delta"),
            path=str(target.relative_to(data_dir)),
        ),
        doc_uids,
    )
    return Registered(model_id=model_id, version=version, path=target, card=full)
