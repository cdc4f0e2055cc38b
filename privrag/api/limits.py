"""Token buckets: per-key and per-tenant request rates, and a per-key retrieval budget.

In memory and per process: each API replica keeps its own buckets, so a fleet of N replicas
admits up to N times the configured rates (put a shared limiter in front for a hard global cap).
The clock is injected, so tests move time instead of sleeping. Thread-safe.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from privrag.errors import RateLimited


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class Buckets:
    """Many named buckets of one shape: ``capacity`` tokens, refilled at ``rate`` per second."""

    def __init__(self, *, rate: float, capacity: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.capacity = capacity
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def _refilled(self, name: str) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = _Bucket(self.capacity, now)
        elapsed = max(0.0, now - bucket.stamp)
        bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.rate)
        bucket.stamp = now
        return bucket

    def wait_for(self, name: str, amount: float) -> float:
        """Seconds until ``amount`` tokens are there (0 when they are there now)."""
        with self._lock:
            bucket = self._refilled(name)
            missing = amount - bucket.tokens
            return 0.0 if missing <= 0 else missing / self.rate

    def take(self, name: str, amount: float = 1.0, *, strict: bool = True) -> float:
        """Take ``amount`` tokens and return 0, or take nothing and return the seconds to wait.
        ``strict=False`` takes what was used even if that drives the bucket negative (a debt
        that delays the next admission), for amounts only known after the fact."""
        with self._lock:
            bucket = self._refilled(name)
            if strict and bucket.tokens < amount:
                return (amount - bucket.tokens) / self.rate
            bucket.tokens -= amount
            return 0.0


def retry_after(seconds: float) -> int:
    """A whole number of seconds for the Retry-After header, at least 1."""
    return max(1, math.ceil(seconds))


class Limits:
    """The gateway's limits, built from Settings values."""

    def __init__(
        self,
        *,
        key_rate: float,
        key_burst: int,
        tenant_rate: float,
        tenant_burst: int,
        retrieval_per_hour: int,
        clock: Callable[[], float],
    ) -> None:
        self.keys = Buckets(rate=key_rate, capacity=key_burst, clock=clock)
        self.tenants = Buckets(rate=tenant_rate, capacity=tenant_burst, clock=clock)
        self.retrieval = Buckets(
            rate=retrieval_per_hour / 3600.0, capacity=retrieval_per_hour, clock=clock
        )

    def admit(self, key_id: str, tenant_id: str | None) -> None:
        """Charge one request to the key and its tenant; raise RateLimited when either is dry."""
        wait = self.keys.take(key_id)
        if wait:
            raise RateLimited("too many requests for this key", retry_after=retry_after(wait))
        if tenant_id is not None:
            wait = self.tenants.take(tenant_id)
            if wait:
                raise RateLimited(
                    "too many requests for this tenant", retry_after=retry_after(wait)
                )

    def check_retrieval(self, key_id: str, k: int) -> None:
        """Refuse a query that could push the key past its hourly chunk budget."""
        wait = self.retrieval.wait_for(key_id, min(k, self.retrieval.capacity))
        if wait:
            raise RateLimited(
                "this key's hourly retrieval budget is spent",
                retry_after=retry_after(wait),
                code="retrieval_budget_exhausted",
            )

    def charge_retrieval(self, key_id: str, chunks: int) -> None:
        self.retrieval.take(key_id, chunks, strict=False)
