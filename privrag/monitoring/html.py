"""Render a DPIA report (``privrag.monitoring.report``) as one self-contained HTML page.

Charts are inline SVG, styles inline; no script, font, image or stylesheet is fetched from
anywhere, so the file can be mailed, archived and opened offline. Every value is escaped.
"""

from __future__ import annotations

import time
from html import escape
from typing import Any

STATUS_COLOURS = {"pass": "#1a7f37", "warn": "#9a6700", "fail": "#cf222e", "manual": "#57606a"}
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;
color:#1f2328;line-height:1.45}h1{margin-bottom:.2rem}h2{border-bottom:1px solid #d0d7de;
padding-bottom:.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;font-size:.9rem}
th{background:#f6f8fa}.status{font-weight:600;text-transform:uppercase;font-size:.8rem}
.muted{color:#57606a}figure{margin:.5rem 0}figcaption{font-size:.85rem;color:#57606a}
"""


def _when(ts: float | None) -> str:
    return "—" if ts is None else time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))


def bar_chart(title: str, rows: list[tuple[str, float]], *, unit: str = "") -> str:
    """Horizontal bars, one per row, labelled and valued; an empty chart says so."""
    if not rows or not any(v for _, v in rows):
        return f'<figure><figcaption>{escape(title)}</figcaption><p class="muted">none</p></figure>'
    height = 22 * len(rows) + 10
    top = max(v for _, v in rows) or 1
    bars = []
    for i, (label, value) in enumerate(rows):
        y = 5 + 22 * i
        width = 300 * value / top
        bars.append(
            f'<text x="175" y="{y + 14}" text-anchor="end" font-size="12">{escape(label)}</text>'
            f'<rect x="180" y="{y}" width="{width:.1f}" height="16" fill="#0969da">'
            f"<title>{escape(label)}: {value:g}{escape(unit)}</title></rect>"
            f'<text x="{185 + width:.1f}" y="{y + 13}" font-size="12">{value:g}{escape(unit)}</text>'
        )
    return (
        f'<figure><svg role="img" aria-label="{escape(title)}" width="560" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'
        f"<figcaption>{escape(title)}</figcaption></figure>"
    )


def table(headers: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return '<p class="muted">none</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _checklist(items: list[dict[str, str]]) -> str:
    rows = []
    for it in items:
        colour = STATUS_COLOURS.get(it["status"], "#57606a")
        rows.append(
            f'<tr data-status="{escape(it["status"])}"><td>{escape(it["item"])}</td>'
            f'<td class="status" style="color:{colour}">{escape(it["status"])}</td>'
            f"<td>{escape(it['detail'])}</td></tr>"
        )
    return (
        '<table id="checklist"><thead><tr><th>Item</th><th>Status</th><th>Detail</th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render(report: dict[str, Any]) -> str:
    s, ret, acc, tr, dl = (
        report["stored"],
        report["retention"],
        report["access"],
        report["training"],
        report["deletions"],
    )
    flags = s["injection_flags"]
    ledger = tr["ledger"]
    parts = [
        f"<h1>Data protection report: {escape(report['tenant'])}</h1>",
        f'<p class="muted">Tenant status {escape(report["status"])}; generated '
        f"{_when(report['generated_at'])}. Counts and types only: no document text, id or "
        "personal value appears in this report.</p>",
        "<h2>Privacy checklist</h2>",
        _checklist(report["checklist"]),
        "<h2>What is stored</h2>",
        f"<p>{s['documents']} documents in {s['chunks']} chunks.</p>",
        bar_chart(
            "Documents by classification",
            [(c, v["documents"]) for c, v in s["by_classification"].items()],
        ),
        bar_chart("PII entities replaced at ingest, by type", list(s["pii_entities"].items())),
        bar_chart("Chunks flagged by injection screening", list(flags.items()))
        if flags is not None
        else '<p class="muted">Injection screening counts are not recorded for this tenant.</p>',
        "<h2>Retention</h2>",
        f"<p>Policy: default {ret['policy']['default_days'] or 'keep'} days; by class "
        f"{escape(str(ret['policy']['by_class'] or '—'))}. Overdue: {ret['overdue_documents']}. "
        f"Holds: tenant {'yes' if ret['holds']['tenant'] else 'no'}, "
        f"{ret['holds']['documents']} documents.</p>",
        bar_chart(
            "Documents by time to expiry",
            [(b["bucket"], b["documents"]) for b in ret["expiry_histogram"]],
        ),
        "<h2>Access</h2>",
        table(
            ["Key", "Scopes", "Created", "Revoked", "Last used"],
            [
                [
                    k["key_id"],
                    ", ".join(k["scopes"]),
                    _when(k["created_at"]),
                    _when(k["revoked_at"]),
                    _when(k["last_used"]),
                ]
                for k in acc["keys"]
            ],
        ),
        "<h3>Anomaly events</h3>",
        table(
            ["Time", "Key", "Signals", "Action"],
            [
                [_when(a["time"]), a["key_id"], ", ".join(a["signals"]), a["action"]]
                for a in acc["anomalies"]
            ],
        ),
        "<h2>Training</h2>",
        "<p>No training has been charged to this tenant.</p>"
        if ledger is None
        else f"<p>Privacy budget: ε spent {ledger['spent_epsilon']:.3g} of "
        f"{ledger['budget_epsilon']:g} (δ {ledger['budget_delta']:g}); {ledger['runs']} DP runs, "
        f"{ledger['non_private_runs']} non-private{'; UNBOUNDED' if ledger['unbounded'] else ''}"
        ".</p>",
        bar_chart(
            "ε of each model version, in training order",
            [
                (f"v{m['version']} {_when(m['created_at'])}", m["epsilon"] or 0)
                for m in tr["models"]
            ],
        ),
        table(
            ["Version", "Created", "Private", "ε", "δ", "Active", "Flag"],
            [
                [
                    m["version"],
                    _when(m["created_at"]),
                    m["private"],
                    m["epsilon"],
                    m["delta"],
                    m["active"],
                    m["flagged"] or "—",
                ]
                for m in tr["models"]
            ],
        ),
        "<h2>Deletions</h2>",
        f"<p>{len(dl['receipts'])} signed receipts, {dl['documents']} documents and "
        f"{dl['chunks']} chunks deleted; receipt chain "
        f"{'verifies' if dl['receipts_verify'] else 'DOES NOT VERIFY'}.</p>",
        table(
            ["Receipt", "Kind", "Completed", "Documents", "Chunks", "Models to retrain"],
            [
                [
                    r["receipt_id"],
                    r["kind"],
                    _when(r["completed_at"]),
                    r["documents"],
                    r["chunks"],
                    r["retrain_required"],
                ]
                for r in dl["receipts"]
            ],
        ),
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>privrag report: {escape(report['tenant'])}</title><style>{CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>\n"
    )
