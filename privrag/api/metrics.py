"""Prometheus metrics of one app, in the app's own registry (two apps never collide).

Labels are bounded: route templates (never raw paths; "unmatched" for anything else), the seven
standard methods (any other is "OTHER"), statuses, entity types, error codes. No label ever
carries a tenant-supplied string, and no label names a tenant. ``/metrics`` needs the operator
credential or ``PRIVRAG_METRICS_TOKEN`` unless ``PRIVRAG_METRICS_PUBLIC=true``.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "privrag_http_request_duration_seconds",
            "Request latency by route.",
            ["route", "method"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.requests = Counter(
            "privrag_http_requests",
            "Requests by route and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.pii_entities = Counter(
            "privrag_pii_entities",
            "PII entities replaced, by type and where they were found.",
            ["type", "where"],
            registry=self.registry,
        )
        self.refusals = Counter(
            "privrag_refusals",
            "Requests refused, by error code.",
            ["reason"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "privrag_rate_limit_hits",
            "Requests refused by a rate limit or the retrieval budget.",
            ["limit"],
            registry=self.registry,
        )
        self.ingest_documents = Counter(
            "privrag_ingest_documents", "Documents ingested.", registry=self.registry
        )
        self.ingest_chunks = Counter(
            "privrag_ingest_chunks", "Chunks ingested.", registry=self.registry
        )
        self.retrieved_chunks = Counter(
            "privrag_retrieved_chunks", "Chunks returned by queries.", registry=self.registry
        )
        self.unreadable_points = Counter(
            "privrag_unreadable_points",
            "Points a query skipped because they did not open (tampered or key destroyed).",
            registry=self.registry,
        )
