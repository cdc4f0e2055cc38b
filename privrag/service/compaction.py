"""Physical removal after a single delete, within a bounded delay.

Deleting a document marks its points deleted in the shard, but their vectors and sealed payloads
stay in the segment files until the shard is compacted; the vector of scrubbed text is no
secret to someone holding the files (its key is gone, the vector is not). ``Compactor`` compacts
a tenant's shard at most ``delay`` seconds after the first delete that asked for it: deletes in
between share that one compaction (its deadline never moves later), so a burst of deletes costs
one pass. ``delay == 0`` compacts at once, inside the delete. ``close()`` runs what is due before
the store closes. A crash inside the window leaves the deleted points in the files (unreadable:
their keys are gone) until the tenant's next delete, sweep or erasure compacts.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from privrag.errors import PrivragError

if TYPE_CHECKING:
    from privrag.runtime import Runtime

log = logging.getLogger(__name__)


class Compactor:
    def __init__(self, runtime: Runtime, *, delay: float) -> None:
        self._rt = runtime
        self._delay = delay
        self._due: dict[str, float] = {}
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def schedule(self, tenant_id: str) -> None:
        """Compact ``tenant_id``'s shard within ``delay`` seconds from now."""
        if self._delay <= 0:
            self._compact(tenant_id)
            return
        with self._cond:
            if self._closed:
                return
            self._due.setdefault(tenant_id, time.monotonic() + self._delay)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="privrag-compactor", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def close(self) -> None:
        """Compact whatever is still due, then stop; a second call does nothing."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    now = time.monotonic()
                    ready = [t for t, at in self._due.items() if at <= now or self._closed]
                    if ready or (self._closed and not self._due):
                        break
                    nearest = min(self._due.values(), default=now + 60.0)
                    self._cond.wait(timeout=max(0.01, nearest - now))
                if not ready:
                    return
                for tenant_id in ready:
                    del self._due[tenant_id]
            for tenant_id in ready:
                self._compact(tenant_id)

    def _compact(self, tenant_id: str) -> None:
        try:
            with self._rt.write:
                if not self._rt.closed:
                    self._rt.store.compact(tenant_id)
        except PrivragError as exc:
            # The points are already unreadable (keys gone); the next delete retries.
            log.warning("compaction failed", extra={"fields": {"error": type(exc).__name__}})
