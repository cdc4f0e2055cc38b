"""Runtime monitoring through the real gateway: a crawler key walking one tenant with random
words is throttled well within 200 queries, with an audit event and metrics; a user asking
about what they work on, at a person's pace, raises nothing, and neither does an evaluation key
asking on-topic questions at one a second until it has read the whole corpus. Volume and
coverage thresholds are scaled to the 90-chunk test corpus through the same settings an
operator would use; the relevance floor is the default."""

from __future__ import annotations

import json
import random
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from privrag.monitoring import Monitor, MonitorPolicy
from tests.monitoring.conftest import Live, corpus

# Words of everyday English, unrelated to the corpus topics: the crawler does not know them.
WORDS = [
    "apple",
    "river",
    "window",
    "garden",
    "silver",
    "morning",
    "yellow",
    "candle",
    "forest",
    "engine",
    "bottle",
    "letter",
    "mountain",
    "pencil",
    "summer",
    "orange",
    "harbor",
    "blanket",
    "violin",
    "ladder",
    "planet",
    "kitchen",
    "thunder",
    "marble",
    "feather",
    "island",
    "saddle",
    "rocket",
    "velvet",
    "meadow",
    "lantern",
    "compass",
    "anchor",
    "puzzle",
    "tunnel",
    "whisper",
]
USER_QUERIES = [
    "refund for an invoice charged twice",
    "damaged parcel from the courier",
    "password reset after a phishing email",
    "refund on the corporate card",
    "tracking number of the damaged shipment",
    "credit note for the refund",
]


def key_id(key: str) -> str:
    return key.split("_")[1]


@pytest.fixture(scope="module")
def live(live_server: Any) -> Live:
    live = live_server(
        monitor_window_s=60,
        monitor_min_volume=45,
        monitor_min_distinct=45,
        monitor_coverage=0.5,
        monitor_throttle_s=900,
        monitor_throttle_interval_s=10,
    )
    assert live.operator.post("/v1/admin/tenants", json={"name": "acme"}).status_code == 201
    writer = live.client(live.key("acme", ("ingest",)))
    docs = [{"id": d.id, "text": d.text} for d in corpus(90)]
    for start in range(0, len(docs), 64):
        r = writer.post("/v1/documents", json={"documents": docs[start : start + 64]})
        assert r.status_code == 200, r.text
    return live


def anomalies(live: Live, key: str) -> list[dict[str, Any]]:
    events = [json.loads(line) for line in live.audit_lines]
    return [e for e in events if e.get("event") == "key_anomaly" and e.get("key_id") == key_id(key)]


def metric(live: Live, name: str, **labels: str) -> float:
    text = live.operator.get("/metrics").text
    for line in text.splitlines():
        if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_user_at_a_persons_pace_raises_nothing(live: Live) -> None:
    key = live.key("acme", ("query",))
    user = live.client(key)
    for i in range(24):
        live.clock.advance(30)
        r = user.post("/v1/query", json={"query": USER_QUERIES[i % len(USER_QUERIES)], "k": 5})
        assert r.status_code == 200, r.text
    assert anomalies(live, key) == []
    assert metric(live, "privrag_key_anomaly_score", key_id=key_id(key)) < 1.0


def test_a_random_word_crawler_is_throttled_within_200_queries(live: Live) -> None:
    key = live.key("acme", ("query",))
    crawler = live.client(key)
    rng = random.Random(7)
    refused_at = None
    for i in range(200):
        live.clock.advance(1)
        r = crawler.post("/v1/query", json={"query": " ".join(rng.sample(WORDS, 3)), "k": 10})
        if r.status_code == 429:
            assert r.json()["error"]["code"] == "key_throttled"
            assert int(r.headers["Retry-After"]) >= 1
            refused_at = i + 1
            break
        assert r.status_code == 200, r.text
    assert refused_at is not None and refused_at <= 200
    (event,) = anomalies(live, key)
    assert event["action"] == "throttle"
    assert event["tenant"] == "acme"
    assert set(event["signals"]) <= {"volume", "coverage", "weak_queries"}
    assert event["reading"]["relevance"] < 0.45
    assert "text" not in json.dumps(event)
    assert metric(live, "privrag_key_anomalies_total", action="throttle") >= 1
    assert metric(live, "privrag_keys_throttled") >= 1
    assert metric(live, "privrag_key_anomaly_score", key_id=key_id(key)) >= 1.0

    # Throttled, not cut off: one request per interval, then back to normal after throttle_s.
    live.clock.advance(11)
    assert crawler.post("/v1/query", json={"query": "invoice", "k": 1}).status_code == 200
    assert crawler.post("/v1/query", json={"query": "invoice", "k": 1}).status_code == 429
    live.clock.advance(900)
    assert crawler.post("/v1/query", json={"query": "invoice", "k": 1}).status_code == 200


def test_a_fast_key_asking_real_questions_reads_everything_and_raises_nothing(live: Live) -> None:
    """Fast enough for volume and wide enough for coverage had its reads been unanchored."""
    from tests.monitoring.conftest import TOPICS

    key = live.key("acme", ("query",))
    evaluator = live.client(key)
    rng = random.Random(3)
    returned: set[str] = set()
    for i in range(60):
        live.clock.advance(1)
        topic = sorted(TOPICS)[i % len(TOPICS)]
        words = TOPICS[topic].split()
        query = f"what about the {topic} {' '.join(rng.sample(words, 3))}?"
        r = evaluator.post("/v1/query", json={"query": query, "k": 10})
        assert r.status_code == 200, r.text
        returned.update(hit["chunk_id"] for hit in r.json()["results"])
    assert len(returned) >= 80
    assert anomalies(live, key) == []
    assert metric(live, "privrag_key_weak_query_share", key_id=key_id(key)) == 0.0
    assert metric(live, "privrag_key_anomaly_score", key_id=key_id(key)) < 1.0


def test_request_cost_and_refusals_are_measured(live: Live) -> None:
    key = live.key("acme", ("query",))
    client = live.client(key)
    assert client.post("/v1/query", json={"query": "invoice", "k": 1}).status_code == 200
    assert client.post("/v1/documents", json={"documents": []}).status_code == 403
    assert metric(live, "privrag_http_request_cpu_seconds_count", route="/v1/query") >= 1
    assert metric(live, "privrag_key_refusal_ratio", key_id=key_id(key)) > 0
    assert metric(live, "privrag_result_drift_count") >= 1


def test_the_suspend_policy_revokes_the_key(live: Live) -> None:
    """The policy's "suspend" revokes through the real key store: the key's next request is
    401 on every replica sharing the catalog."""
    key = live.key("acme", ("query",))
    events: list[dict[str, Any]] = []
    monitor = Monitor(
        MonitorPolicy(action="suspend", min_volume=20, min_distinct=20),
        registry=CollectorRegistry(),
        clock=live.clock,
        corpus_size=lambda tenant: live.rag.corpus_size(tenant)[1],
        on_event=events.append,
        revoke=live.rag.access().revoke,
    )
    client = live.client(key)
    for i in range(10):
        hits = client.post("/v1/query", json={"query": WORDS[i], "k": 10}).json()["results"]
        monitor.observe_query(
            tenant="acme", key_id=key_id(key), chunk_ids=[h["chunk_id"] for h in hits]
        )
        if events:
            break
    assert events and events[0]["action"] == "suspend"
    assert "action_error" not in events[0]
    r = httpx.post(
        f"{live.url}/v1/query",
        json={"query": "invoice"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.status_code == 401
