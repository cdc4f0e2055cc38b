"""The DPIA / data-inventory report of one tenant, as JSON-ready data.

Built from the facade's public methods (inventory, retention, PII policy, keys, privacy ledger,
model registry, receipts) and the request audit log (last use per key, anomaly events). It
holds counts, types, opaque ids and timestamps only: no document text, id, source or detected
value, so the report can be shared with a DPO. ``privrag.monitoring.html`` renders it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privrag.errors import PrivragError
from privrag.models import CLASSIFICATIONS

if TYPE_CHECKING:
    from privrag.service import PrivRAG

DAY = 86400
# Expiry buckets, in days from now (upper bounds); "never" and "overdue" apart.
EXPIRY_BUCKETS = ((30, "≤ 30 days"), (90, "31-90 days"), (365, "91-365 days"))
ANOMALY_WINDOW_DAYS = 30
FULL_SCOPES = {"ingest", "query", "delete"}


def _audit_events(path: Path, tenant: str, key_ids: set[str]) -> tuple[dict[str, float], list[Any]]:
    """Last request time per key and the tenant's anomaly events, from the audit log."""
    last_used: dict[str, float] = {}
    anomalies: list[dict[str, Any]] = []
    if not path.exists():
        return last_used, anomalies
    with path.open() as fh:
        for line in fh:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            key_id = event.get("key_id")
            if key_id in key_ids and event.get("event") == "request":
                last_used[key_id] = max(last_used.get(key_id, 0.0), float(event.get("time", 0)))
            if event.get("event") == "key_anomaly" and event.get("tenant") == tenant:
                anomalies.append(
                    {
                        "time": event.get("time"),
                        "key_id": key_id,
                        "signals": event.get("signals", []),
                        "action": event.get("action"),
                    }
                )
    return last_used, anomalies


def _expiry_histogram(expiries: list[int | None], now: int) -> list[dict[str, Any]]:
    counts = {label: 0 for _, label in EXPIRY_BUCKETS}
    counts["> 1 year"] = 0
    counts["never"] = 0
    for expires in expiries:
        if expires is None:
            counts["never"] += 1
            continue
        days = (expires - now) / DAY
        label = next((lab for bound, lab in EXPIRY_BUCKETS if days <= bound), "> 1 year")
        counts[label] += 1
    return [{"bucket": label, "documents": n} for label, n in counts.items()]


def build_report(rag: PrivRAG, tenant_name: str) -> dict[str, Any]:
    tenant = rag.tenants.get(tenant_name)
    inv = rag.inventory(tenant_name)
    now = int(inv["now"])
    policy = rag.tenants.retention(tenant_name)
    keys = rag.access().list_keys(tenant.id)
    last_used, anomalies = _audit_events(
        Path(rag.settings.audit_path), tenant_name, {k.key_id for k in keys}
    )
    ledger = rag.privacy_ledger(tenant_name)
    active = rag.models.active_model_id(tenant.id)
    models = []
    for row in rag.models.list(tenant.id):
        models.append(
            {
                "version": row.version,
                "created_at": row.created_at,
                "private": row.private,
                "epsilon": row.epsilon,
                "delta": row.delta,
                "flagged": row.flagged,
                "active": row.model_id == active,
                "card": _card_summary(rag, tenant_name, row.version),
            }
        )
    classes = inv["classes"]
    stored = {
        "documents": sum(c["documents"] for c in classes.values()),
        "chunks": sum(c["chunks"] for c in classes.values()),
        "by_classification": {
            c: classes.get(c, {"documents": 0, "chunks": 0}) for c in CLASSIFICATIONS
        },
        "pii_entities": dict(sorted(inv["entities"].items(), key=lambda kv: (-kv[1], kv[0]))),
        "injection_flags": inv["flags"],
        "pii_policy": rag.tenants.pii_policy(tenant_name).to_dict(),
    }
    receipts = inv["receipts"]
    report: dict[str, Any] = {
        "tenant": tenant_name,
        "status": tenant.status,
        "generated_at": now,
        "stored": stored,
        "retention": {
            "policy": policy.to_dict(),
            "expiry_histogram": _expiry_histogram(inv["expiries"], now),
            "overdue_documents": inv["overdue"],
            "holds": {"tenant": inv["tenant_hold"], "documents": inv["held_documents"]},
        },
        "access": {
            "keys": [
                {
                    "key_id": k.key_id,
                    "scopes": sorted(k.scopes),
                    "created_at": k.created_at,
                    "revoked_at": k.revoked_at,
                    "last_used": last_used.get(k.key_id),
                }
                for k in keys
            ],
            "anomalies": anomalies,
        },
        "training": {
            "ledger": _ledger_summary(ledger),
            "models": models,
            "active_version": next((m["version"] for m in models if m["active"]), None),
        },
        "deletions": {
            "receipts": receipts,
            "documents": sum(r["documents"] for r in receipts),
            "chunks": sum(r["chunks"] for r in receipts),
            "receipts_verify": rag.verify_receipts().ok,
        },
    }
    report["checklist"] = checklist(report, now)
    return report


def _card_summary(rag: PrivRAG, tenant: str, version: int) -> dict[str, Any] | None:
    try:
        card = rag.model_card(tenant, version)
    except PrivragError:
        return None
    keep = ("epsilon", "delta", "accountant", "unit", "adjacency", "documents", "steps")
    return {k: card[k] for k in keep if k in card and not isinstance(card[k], (list, dict))}


def _ledger_summary(ledger: dict[str, Any] | None) -> dict[str, Any] | None:
    if ledger is None:
        return None
    return {
        "budget_epsilon": ledger.get("budget", {}).get("epsilon"),
        "budget_delta": ledger.get("budget", {}).get("delta"),
        "spent_epsilon": ledger.get("spent_epsilon"),
        "remaining_epsilon": ledger.get("remaining_epsilon"),
        "unbounded": bool(ledger.get("unbounded")),
        "runs": len(ledger.get("events", [])),
        "non_private_runs": len(ledger.get("non_private_runs", [])),
    }


def _item(item: str, status: str, detail: str) -> dict[str, str]:
    return {"item": item, "status": status, "detail": detail}


def checklist(r: dict[str, Any], now: int) -> list[dict[str, str]]:
    """The privacy checklist, each item's status for this tenant: pass, warn, fail, or manual
    (a person has to decide it)."""
    stored, ret, access, training = r["stored"], r["retention"], r["access"], r["training"]
    pii = sum(stored["pii_entities"].values())
    never = next(b["documents"] for b in ret["expiry_histogram"] if b["bucket"] == "never")
    live_keys = [k for k in access["keys"] if k["revoked_at"] is None]
    broad = [k for k in live_keys if set(k["scopes"]) >= FULL_SCOPES]
    recent = [a for a in access["anomalies"] if (a["time"] or 0) >= now - ANOMALY_WINDOW_DAYS * DAY]
    ledger = training["ledger"]
    flagged_active = [m for m in training["models"] if m["active"] and m["flagged"]]
    flags = stored["injection_flags"]
    items = [
        _item(
            "PII is scrubbed before storage",
            "pass",
            f"{pii} entities replaced at ingest ({len(stored['pii_entities'])} types), operator "
            f"{stored['pii_policy'].get('operator', 'placeholder')}",
        ),
        _item("Encrypted at rest under the tenant's own keys", "pass", "AES-256-GCM per document"),
        _item(
            "A retention period is set",
            "pass" if ret["policy"]["default_days"] or ret["policy"]["by_class"] else "warn",
            f"{never} documents never expire" if never else "every document has an expiry",
        ),
        _item(
            "Nothing is kept past its expiry",
            "fail" if ret["overdue_documents"] else "pass",
            f"{ret['overdue_documents']} documents past expiry await the sweep",
        ),
        _item(
            "Legal holds are known and justified",
            "manual" if ret["holds"]["tenant"] or ret["holds"]["documents"] else "pass",
            f"tenant hold: {ret['holds']['tenant']}, documents held: {ret['holds']['documents']}",
        ),
        _item(
            "Keys follow least privilege",
            "warn" if broad else "pass",
            f"{len(live_keys)} live keys, {len(broad)} with ingest+query+delete",
        ),
        _item(
            f"No retrieval anomalies in the last {ANOMALY_WINDOW_DAYS} days",
            "fail" if recent else "pass",
            f"{len(recent)} anomaly events",
        ),
        _item(
            "Training stays within the privacy budget",
            "pass"
            if ledger is None
            else "fail"
            if ledger["unbounded"]
            else "pass"
            if (ledger["spent_epsilon"] or 0) <= (ledger["budget_epsilon"] or 0)
            else "fail",
            "no training"
            if ledger is None
            else "non-private run: unbounded"
            if ledger["unbounded"]
            else f"ε {ledger['spent_epsilon']:.3g} of {ledger['budget_epsilon']:g}",
        ),
        _item(
            "No serving model was trained on erased data",
            "fail" if flagged_active else "pass",
            f"{sum(1 for m in training['models'] if m['flagged'])} models flagged",
        ),
        _item(
            "Deletions leave verifiable receipts",
            "pass" if r["deletions"]["receipts_verify"] else "fail",
            f"{len(r['deletions']['receipts'])} receipts for this tenant",
        ),
        _item(
            "Stored content is screened for prompt injection",
            "warn" if flags is None or sum(flags.values()) else "pass",
            "screening counts not recorded for this tenant's documents"
            if flags is None
            else f"{sum(flags.values())} flagged chunks",
        ),
        _item(
            "A DPIA for this use case is signed off",
            "manual",
            f"review this report; generated {time.strftime('%Y-%m-%d', time.gmtime(now))}",
        ),
    ]
    return items
