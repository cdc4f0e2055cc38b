"""The open embedded shards of one process, kept within a budget whatever the tenant count.

Each open Qdrant Edge shard holds memory maps, a search thread and resident pages, so a process
serving 10,000 tenants cannot keep them all open. ``ShardPool`` opens a shard on first use and
closes the least recently used idle ones once the count, the estimated memory maps or the bytes on
disk of the open shards pass ``ShardBudget``, and closes any shard idle for ``idle_s`` at the next
call (no background thread). Invariants: a shard is open at most once; a shard in use is never
closed by eviction (the budget is exceeded instead, until it is released); calls on one shard are
serialised by that shard's lock while different shards proceed independently; a call that lost
its shard to ``drop``/``close`` (closed under it) retries against a fresh open, never a closed
handle.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

H = TypeVar("H")


@dataclass(frozen=True)
class ShardBudget:
    """How much of the process the open shards may hold. The defaults keep at most 256 shards
    open (one search thread each; ~20 maps for a small shard, ~75 once it has payload indexes:
    at most ~19,000 of Linux's default ``vm.max_map_count`` of 65,530), within 4 GiB charged
    (resident growth at open, ~0.3 MB for a small shard and ~30 MB with payload indexes, or bytes
    on disk, whichever is larger), and close any shard idle 5 minutes."""

    max_open: int = 256
    max_maps: int = 20_000
    max_bytes: int = 4 << 30
    idle_s: float = 300.0


@dataclass(frozen=True)
class ShardCost:
    """What one open shard is charged against the budget: estimated maps, and bytes (resident
    growth at open or real bytes on disk, whichever is larger)."""

    maps: int
    bytes: int


class _Entry(Generic[H]):
    __slots__ = ("closed", "cost", "handle", "last_used", "lock", "refs")

    def __init__(self, handle: H, cost: ShardCost, now: float) -> None:
        self.handle = handle
        self.cost = cost
        self.lock = threading.RLock()
        self.refs = 0
        self.last_used = now
        self.closed = False


class ShardPool(Generic[H]):
    def __init__(
        self,
        budget: ShardBudget,
        *,
        close: Callable[[H], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget = budget
        self._close_handle = close
        self._clock = clock
        self._entries: OrderedDict[str, _Entry[H]] = OrderedDict()
        self._maps = 0
        self._bytes = 0
        # Opening and closing run under this lock: the engine holds the GIL through both, so
        # nothing would run beside them anyway, and no shard can be opened twice.
        self._lock = threading.Lock()

    @contextmanager
    def use(self, key: str, open_: Callable[[], tuple[H, ShardCost] | None]) -> Iterator[H | None]:
        """The open shard ``key`` (opened by ``open_`` if needed; None if it has none), held
        exclusively for the body and marked in use so no eviction closes it."""
        while True:
            entry = self._acquire(key, open_)
            if entry is None:
                yield None
                return
            try:
                with entry.lock:
                    if not entry.closed:
                        yield entry.handle
                        return
            finally:
                with self._lock:
                    entry.refs -= 1
                    entry.last_used = self._clock()

    def _acquire(
        self, key: str, open_: Callable[[], tuple[H, ShardCost] | None]
    ) -> _Entry[H] | None:
        with self._lock:
            now = self._clock()
            entry = self._entries.get(key)
            if entry is None:
                opened = open_()
                if opened is None:
                    self._evict(now)
                    return None
                entry = _Entry(opened[0], opened[1], now)
                self._entries[key] = entry
                self._maps += entry.cost.maps
                self._bytes += entry.cost.bytes
            else:
                self._entries.move_to_end(key)
            entry.refs += 1
            entry.last_used = now
            try:
                self._evict(now)
            except BaseException:
                entry.refs -= 1
                raise
            return entry

    def recost(self, key: str, cost: ShardCost) -> None:
        """A shard grew or shrank (a write, a compaction): charge its new cost."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.closed:
                return
            self._maps += cost.maps - entry.cost.maps
            self._bytes += cost.bytes - entry.cost.bytes
            entry.cost = cost
            self._evict(self._clock())

    def _over(self) -> bool:
        b = self.budget
        return (
            len(self._entries) > b.max_open or self._maps > b.max_maps or self._bytes > b.max_bytes
        )

    def _evict(self, now: float) -> None:
        # Least recently used first; stop at the first shard that is neither idle nor needed
        # to get back within the budget.
        for key in list(self._entries):
            entry = self._entries[key]
            idle = now - entry.last_used >= self.budget.idle_s
            if not (idle or self._over()):
                break
            if entry.refs == 0:
                self._close_entry(key, entry)

    def _close_entry(self, key: str, entry: _Entry[H]) -> None:
        del self._entries[key]
        self._maps -= entry.cost.maps
        self._bytes -= entry.cost.bytes
        entry.closed = True
        self._close_handle(entry.handle)

    def drop(self, key: str, then: Callable[[], None] = lambda: None) -> None:
        """Close ``key`` once its current call finishes, then run ``then`` (remove its files)
        before anyone can open it again."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                # Calls on this shard release its lock before they need the pool lock, so
                # waiting for it here cannot deadlock.
                with entry.lock:
                    self._close_entry(key, entry)
            then()

    def close(self) -> None:
        with self._lock:
            for key, entry in list(self._entries.items()):
                with entry.lock:
                    self._close_entry(key, entry)

    def stats(self) -> dict[str, int]:
        """Open shards and what they are charged: for tests, benchmarks and metrics."""
        with self._lock:
            return {"open": len(self._entries), "maps": self._maps, "bytes": self._bytes}

    def is_open(self, key: str) -> bool:
        with self._lock:
            return key in self._entries
