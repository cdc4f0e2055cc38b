"""The runtime monitor: per-key signals on the request path, their metrics, and the policy that
acts on a key whose signal crosses its threshold.

Cheap on the request path: ``observe_query`` hashes the returned chunk ids into the key's
bounded state under one lock (no I/O except a cached corpus-size lookup every ``CORPUS_TTL_S``
per tenant); ``admit`` is one dict lookup. Keys are kept in LRU order, at most
``policy.max_keys`` of them, and an evicted key's metric series are removed, so neither memory
nor the number of series grows without bound. Metric labels are key ids (opaque), fixed signal
and action names, and route templates: never a tenant name or anything a caller typed.

When a key crosses: one ``key_anomaly`` audit event and a metric, then the policy's action:
``alert`` (nothing more), ``throttle`` (one request per ``throttle_interval_s`` for
``throttle_s``, others 429 ``key_throttled``; in memory, per process) or ``suspend`` (the key is
revoked in the catalog, so every replica refuses it from the next request; an operator issues a
new one).
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from privrag.errors import PrivragError, RateLimited
from privrag.monitoring.signals import KeySignals, MonitorPolicy, Reading

CORPUS_TTL_S = 60.0
_REFUSED = {401, 403, 429}


class KeyThrottled(RateLimited):
    code = "key_throttled"


class _Gauges:
    def __init__(self, registry: CollectorRegistry) -> None:
        def gauge(name: str, doc: str) -> Gauge:
            return Gauge(name, doc, ["key_id"], registry=registry)

        self.window = gauge(
            "privrag_key_novel_chunks_window", "Chunks new to the key, this window."
        )
        self.baseline = gauge("privrag_key_volume_baseline", "Learned novel chunks per window.")
        self.zscore = gauge("privrag_key_volume_zscore", "This window against the baseline.")
        self.coverage = gauge(
            "privrag_key_coverage_ratio", "Distinct chunks over the horizon / tenant chunks."
        )
        self.overlap = gauge(
            "privrag_key_result_overlap", "Jaccard overlap with the key's previous result set."
        )
        self.weak = gauge(
            "privrag_key_weak_query_share",
            "Share of the key's recent queries whose best hit matched below the relevance floor.",
        )
        self.score = gauge(
            "privrag_key_anomaly_score", "max(volume, coverage, weak_queries) score; 1 fires."
        )
        self.refusals = gauge(
            "privrag_key_refusal_ratio", "Moving share of the key's requests refused (403/429)."
        )
        self.all = (
            self.window,
            self.baseline,
            self.zscore,
            self.coverage,
            self.overlap,
            self.weak,
            self.score,
            self.refusals,
        )

    def forget(self, key_id: str) -> None:
        for g in self.all:
            with contextlib.suppress(KeyError):
                g.remove(key_id)


class Monitor:
    def __init__(
        self,
        policy: MonitorPolicy,
        *,
        registry: CollectorRegistry,
        clock: Callable[[], float],
        corpus_size: Callable[[str], int],
        on_event: Callable[[dict[str, Any]], Any],
        revoke: Callable[[str], Any],
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._corpus_size = corpus_size
        self._on_event = on_event
        self._revoke = revoke
        self._lock = threading.Lock()
        self._keys: OrderedDict[str, KeySignals] = OrderedDict()
        self._refused: dict[str, float] = {}
        self._throttled: dict[str, tuple[float, float]] = {}
        self._corpus: dict[str, tuple[float, int]] = {}
        self._gauges = _Gauges(registry)
        self.anomalies = Counter(
            "privrag_key_anomalies",
            "Keys whose signal crossed its threshold, by signal and the action taken.",
            ["signal", "action"],
            registry=registry,
        )
        self.restricted = Gauge(
            "privrag_keys_throttled", "Keys throttled now by the monitor.", registry=registry
        )
        self.drift = Histogram(
            "privrag_result_drift",
            "1 - Jaccard overlap of a key's consecutive result sets.",
            registry=registry,
            buckets=(0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0),
        )
        self.cpu = Histogram(
            "privrag_http_request_cpu_seconds",
            "Process CPU seconds while the request was in flight (an upper bound when requests "
            "overlap).",
            ["route"],
            registry=registry,
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
        )

    def admit(self, key_id: str) -> None:
        """Refuse a throttled key's request unless its interval has passed."""
        if key_id not in self._throttled:
            return
        now = self._clock()
        with self._lock:
            until, next_allowed = self._throttled.get(key_id, (0.0, 0.0))
            if now >= until:
                self._throttled.pop(key_id, None)
                self.restricted.set(len(self._throttled))
                return
            if now < next_allowed:
                raise KeyThrottled(
                    "this key is throttled after unusual retrieval; an operator can issue a new "
                    "key",
                    retry_after=max(1.0, next_allowed - now),
                )
            self._throttled[key_id] = (until, now + self.policy.throttle_interval_s)

    def _corpus_chunks(self, tenant: str, now: float) -> int:
        cached = self._corpus.get(tenant)
        if cached is not None and now - cached[0] < CORPUS_TTL_S:
            return cached[1]
        chunks = self._corpus_size(tenant)
        if len(self._corpus) >= self.policy.max_keys:
            self._corpus.clear()
        self._corpus[tenant] = (now, chunks)
        return chunks

    def _signals(self, key_id: str) -> KeySignals:
        state = self._keys.get(key_id)
        if state is None:
            state = self._keys[key_id] = KeySignals(self.policy)
            while len(self._keys) > self.policy.max_keys:
                old, _ = self._keys.popitem(last=False)
                self._refused.pop(old, None)
                self._gauges.forget(old)
        else:
            self._keys.move_to_end(key_id)
        return state

    def observe_query(
        self,
        *,
        tenant: str,
        key_id: str,
        chunk_ids: Sequence[str],
        relevance: float | None = None,
    ) -> Reading:
        """Account one answered query (or fetch: no ``relevance``) of ``key_id``; act if it
        crossed."""
        now = self._clock()
        corpus = self._corpus_chunks(tenant, now)
        with self._lock:
            reading = self._signals(key_id).observe(
                now, [hash(c) for c in chunk_ids], corpus, relevance
            )
            already = key_id in self._throttled
        g = self._gauges
        g.window.labels(key_id=key_id).set(reading.window_novel)
        g.baseline.labels(key_id=key_id).set(reading.baseline)
        g.zscore.labels(key_id=key_id).set(reading.zscore)
        g.coverage.labels(key_id=key_id).set(reading.coverage)
        g.overlap.labels(key_id=key_id).set(reading.overlap)
        g.weak.labels(key_id=key_id).set(reading.weak_share)
        g.score.labels(key_id=key_id).set(reading.score)
        self.drift.observe(1.0 - reading.overlap)
        crossed = reading.crossed()
        if crossed and not already:
            self._act(tenant, key_id, crossed, reading, now)
        return reading

    def _act(self, tenant: str, key_id: str, crossed: list[str], r: Reading, now: float) -> None:
        action = self.policy.action
        for signal in crossed:
            self.anomalies.labels(signal=signal, action=action).inc()
        if action in ("throttle", "suspend"):
            # Suspension also throttles here at once, in case revocation fails below.
            with self._lock:
                self._throttled[key_id] = (now + self.policy.throttle_s, now)
                self.restricted.set(len(self._throttled))
        event: dict[str, Any] = {
            "event": "key_anomaly",
            "tenant": tenant,
            "key_id": key_id,
            "signals": crossed,
            "action": action,
            "reading": {k: v if v is None else round(v, 4) for k, v in asdict(r).items()},
        }
        if action == "suspend":
            try:
                self._revoke(key_id)
            except PrivragError as exc:
                event["action_error"] = exc.code
        self._on_event(event)

    def observe_request(self, *, key_id: str | None, route: str, status: int, cpu_s: float) -> None:
        """Every request: CPU cost by route, and the key's moving refusal share."""
        self.cpu.labels(route=route).observe(max(0.0, cpu_s))
        if key_id is None:
            return
        refused = 1.0 if status in _REFUSED else 0.0
        with self._lock:
            self._signals(key_id)
            share = self._refused.get(key_id, 0.0)
            share += self.policy.alpha * (refused - share)
            self._refused[key_id] = share
        self._gauges.refusals.labels(key_id=key_id).set(share)

    def throttled(self, key_id: str) -> bool:
        return key_id in self._throttled
