"""Token buckets: per-key and per-tenant request rates, per-key and per-tenant retrieval budgets
(the exfiltration brake), the throttle on failed authentication, and ingest admission by cost
(characters per request, per tenant per second, and a few ingests at a time).

A query reserves its ``k`` chunks from both retrieval budgets at once, before it searches, and
gives back what it did not return: concurrent queries can never together exceed a budget.

In memory and per process: each API replica keeps its own buckets, so a fleet of N replicas
admits up to N times the configured rates (put a shared limiter in front for a hard global cap).
The clock is injected, so tests move time instead of sleeping. Thread-safe.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from privrag.errors import InvalidInput, RateLimited


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

    def give(self, name: str, amount: float) -> None:
        """Return unused tokens (never past capacity)."""
        with self._lock:
            bucket = self._refilled(name)
            bucket.tokens = min(self.capacity, bucket.tokens + amount)

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


@dataclass(frozen=True)
class IngestCost:
    """How ingest is admitted (see ``Settings.api_ingest_*``)."""

    max_request_chars: int
    chars_per_second: float
    chars_burst: int
    concurrency: int
    queue: int
    wait_s: float


class IngestAdmission:
    """Admits an ingest by its cost: refuses a request over the character limit (422), charges
    its characters to the tenant's bucket (429 when dry), then holds one of a few slots while
    it runs (429 when the slots and the queue before them are full)."""

    def __init__(
        self, *, max_request_chars: int, chars: Buckets, slots: int, queue: int, wait_s: float
    ) -> None:
        self.max_request_chars = max_request_chars
        self.chars = chars
        self._slots = threading.BoundedSemaphore(slots)
        self._queue = queue + slots
        self._wait_s = wait_s
        self._waiting = 0
        self._lock = threading.Lock()

    @contextmanager
    def admit(self, tenant_id: str, chars: int) -> Iterator[None]:
        if chars > self.max_request_chars:
            raise InvalidInput(f"at most {self.max_request_chars} characters per request")
        wait = self.chars.take(tenant_id, chars)
        if wait:
            raise RateLimited(
                "this tenant's ingest rate (characters per second) is spent",
                retry_after=retry_after(wait),
                code="ingest_rate_limited",
            )
        with self._lock:
            full = self._waiting >= self._queue
            if not full:
                self._waiting += 1
        if full:
            self.chars.give(tenant_id, chars)
            raise RateLimited("the server is busy ingesting", retry_after=1, code="ingest_busy")
        try:
            admitted = self._slots.acquire(timeout=self._wait_s)
        finally:
            with self._lock:
                self._waiting -= 1
        if not admitted:
            self.chars.give(tenant_id, chars)
            raise RateLimited("the server is busy ingesting", retry_after=1, code="ingest_busy")
        try:
            yield
        finally:
            self._slots.release()


class Tally:
    """Counts throttled requests so the audit log gets one line per ``window`` seconds instead of
    one per request: ``note()`` says when a line is due and how many it stands for."""

    def __init__(self, *, clock: Callable[[], float], window: float = 60.0) -> None:
        self._clock = clock
        self._window = window
        self._count = 0
        self._last: float | None = None
        self._lock = threading.Lock()

    def note(self) -> int:
        """Count one; the number to audit now (this one and those held back), or 0."""
        with self._lock:
            self._count += 1
            now = self._clock()
            if self._last is not None and now - self._last < self._window:
                return 0
            self._last, count, self._count = now, self._count, 0
            return count

    def drain(self) -> int:
        """What is held back (at shutdown)."""
        with self._lock:
            count, self._count = self._count, 0
            return count


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
        tenant_retrieval_per_hour: int,
        auth_failures_per_second: float,
        auth_failure_burst: int,
        ingest: IngestCost,
        clock: Callable[[], float],
    ) -> None:
        self.keys = Buckets(rate=key_rate, capacity=key_burst, clock=clock)
        self.tenants = Buckets(rate=tenant_rate, capacity=tenant_burst, clock=clock)
        self.retrieval = Buckets(
            rate=retrieval_per_hour / 3600.0, capacity=retrieval_per_hour, clock=clock
        )
        self.tenant_retrieval = Buckets(
            rate=tenant_retrieval_per_hour / 3600.0,
            capacity=tenant_retrieval_per_hour,
            clock=clock,
        )
        self._reserving = threading.Lock()
        self.auth_failures = Buckets(
            rate=auth_failures_per_second, capacity=auth_failure_burst, clock=clock
        )
        self.throttled = Tally(clock=clock)
        self.ingest = IngestAdmission(
            max_request_chars=ingest.max_request_chars,
            chars=Buckets(rate=ingest.chars_per_second, capacity=ingest.chars_burst, clock=clock),
            slots=ingest.concurrency,
            queue=ingest.queue,
            wait_s=ingest.wait_s,
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

    def check_auth_throttle(self, client: str) -> None:
        """Refuse every request from an address whose failed authentications ran dry."""
        wait = self.auth_failures.wait_for(client, 1)
        if wait:
            raise RateLimited(
                "too many failed authentications from this address",
                retry_after=retry_after(wait),
                code="auth_throttled",
            )

    def auth_failed(self, client: str) -> None:
        self.auth_failures.take(client, strict=False)

    def reserve_retrieval(self, key_id: str, tenant_id: str, k: int) -> int:
        """Reserve up to ``k`` chunks from the key's and the tenant's hourly budgets together, or
        raise and reserve nothing. Returns the reservation: ``k``, or less when a budget is
        smaller than ``k`` altogether; the query must return no more chunks than that."""
        amount = int(min(k, self.retrieval.capacity, self.tenant_retrieval.capacity))
        with self._reserving:
            wait = max(
                self.retrieval.wait_for(key_id, amount),
                self.tenant_retrieval.wait_for(tenant_id, amount),
            )
            if wait:
                raise RateLimited(
                    "the hourly retrieval budget of this key or its tenant is spent",
                    retry_after=retry_after(wait),
                    code="retrieval_budget_exhausted",
                )
            self.retrieval.take(key_id, amount, strict=False)
            self.tenant_retrieval.take(tenant_id, amount, strict=False)
        return amount

    def release_retrieval(self, key_id: str, tenant_id: str, unused: int) -> None:
        """Give back the part of a reservation the query did not return."""
        if unused > 0:
            self.retrieval.give(key_id, unused)
            self.tenant_retrieval.give(tenant_id, unused)
