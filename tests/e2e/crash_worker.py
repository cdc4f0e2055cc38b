"""Subprocess for the kill -9 tests: runs one sweep or ingest and SIGKILLs itself just before
the Nth step that writes durable state (catalog, shard, keystore, receipt log).

    python -m tests.e2e.crash_worker DATA_DIR NOW ACTION KILL_AT COUNT_FILE

KILL_AT 0 runs to the end and writes how many steps there were to COUNT_FILE.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from privrag.catalog.documents import Documents
from privrag.catalog.journal import Journal
from privrag.config import load_settings
from privrag.crypto.keystore import Keystore
from privrag.models import Document
from privrag.retention.receipts import ReceiptLog
from privrag.service import PrivRAG
from privrag.store.edge import EdgeStore

STEPS = [
    (Journal, "begin_ingest"),
    (Journal, "commit_ingest"),
    (Journal, "begin_operation"),
    (Documents, "remove"),
    (Journal, "finish"),
    (Documents, "rewrap"),
    (Journal, "drop_operation"),
    (EdgeStore, "upsert"),
    (EdgeStore, "delete_document"),
    (EdgeStore, "compact"),
    (Keystore, "add_version"),
    (Keystore, "destroy_versions_below"),
    (ReceiptLog, "append"),
]


def instrument(kill_at: int) -> list[int]:
    calls = [0]
    for cls, name in STEPS:
        original = getattr(cls, name)

        def step(*args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return _original(*args, **kwargs)

        setattr(cls, name, step)
    return calls


def main() -> None:
    data_dir, now, action, kill_at, count_file = sys.argv[1:6]
    calls = instrument(int(kill_at))
    rag = PrivRAG(load_settings(data_dir=Path(data_dir)), clock=lambda: float(now))
    if action == "sweep":
        rag.sweep("alpha")
    else:
        docs = [
            Document(id=f"new-{i}", text=f"Fresh memo {i} about the harbour.") for i in range(3)
        ]
        docs.append(Document(id="keep-0", text="Replacement text for the first kept memo."))
        rag.ingest("alpha", docs)
    rag.close()
    Path(count_file).write_text(str(calls[0]))


if __name__ == "__main__":
    main()
