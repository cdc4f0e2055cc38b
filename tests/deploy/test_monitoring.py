"""deploy/monitoring holds up: the alert rules and the Grafana dashboard parse, and every metric
they query is one the gateway exports (so a renamed metric cannot silently blind an alert)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client import CollectorRegistry

from privrag.api.metrics import Metrics
from privrag.monitoring import Monitor, MonitorPolicy

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"
METRIC = re.compile(r"\bprivrag_[a-z0-9_]+")
SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_sum", "_count"),
    "gauge": ("",),
}


def exported() -> set[str]:
    """Every sample name the app's registry can expose (families exist before any sample)."""
    metrics = Metrics()
    Monitor(
        MonitorPolicy(),
        registry=metrics.registry,
        clock=lambda: 0.0,
        corpus_size=lambda tenant: 0,
        on_event=lambda event: None,
        revoke=lambda key_id: None,
    )
    registry: CollectorRegistry = metrics.registry
    names = set()
    for family in registry.collect():
        names.update(family.name + s for s in SUFFIXES[family.type])
    return names


def rule_exprs() -> list[str]:
    rules = yaml.safe_load((MONITORING / "prometheus-rules.yml").read_text())
    return [r["expr"] for group in rules["groups"] for r in group["rules"]]


def dashboard_exprs() -> list[str]:
    dash = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    return [t["expr"] for p in dash["panels"] for t in p["targets"]]


def test_every_alert_has_a_name_severity_and_summary() -> None:
    rules = yaml.safe_load((MONITORING / "prometheus-rules.yml").read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            assert rule["alert"].startswith("Privrag")
            assert rule["labels"]["severity"] in {"info", "warning", "critical"}
            assert rule["annotations"]["summary"]


def test_alert_rules_query_only_exported_metrics() -> None:
    names = exported()
    used = {m for expr in rule_exprs() for m in METRIC.findall(expr)}
    assert used - names == set()
    assert {"privrag_key_anomalies_total", "privrag_key_anomaly_score"} <= used


def test_dashboard_queries_only_exported_metrics_and_covers_the_signals() -> None:
    names = exported()
    used = {m for expr in dashboard_exprs() for m in METRIC.findall(expr)}
    assert used - names == set()
    assert {
        "privrag_key_coverage_ratio",
        "privrag_key_volume_baseline",
        "privrag_key_refusal_ratio",
        "privrag_result_drift_bucket",
        "privrag_http_request_cpu_seconds_sum",
        "privrag_http_request_duration_seconds_bucket",
    } <= used
