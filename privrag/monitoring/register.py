"""The red team's vulnerability register and its canary tenants: one row per check (check,
expected, observed, severity, status), written as JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from privrag.models import Document

SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class Finding:
    check: str
    expected: str
    observed: str
    severity: str
    status: str  # pass | fail | skip


@dataclass
class Register:
    url: str
    findings: list[Finding] = field(default_factory=list)

    def add(
        self, check: str, ok: bool | None, *, expected: str, observed: str, severity: str
    ) -> None:
        status = "skip" if ok is None else "pass" if ok else "fail"
        self.findings.append(Finding(check, expected, observed, severity, status))

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "fail"]

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "checks": len(self.findings),
            "failed": len(self.failed),
            "findings": [asdict(f) for f in self.findings],
        }

    def to_markdown(self) -> str:
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = [
            f"# Vulnerability register: {self.url}",
            "",
            f"{len(self.findings)} checks, {len(self.failed)} failed.",
            "",
            "| check | expected | observed | severity | status |",
            "|---|---|---|---|---|",
        ]
        order = {s: i for i, s in enumerate(("fail", "skip", "pass"))}
        for f in sorted(
            self.findings, key=lambda f: (order[f.status], SEVERITIES.index(f.severity))
        ):
            lines.append(
                f"| {cell(f.check)} | {cell(f.expected)} | {cell(f.observed)} | {f.severity} "
                f"| {f.status.upper()} |"
            )
        return "\n".join(lines) + "\n"

    def write(self, out: Path) -> tuple[Path, Path]:
        out.parent.mkdir(parents=True, exist_ok=True)
        json_path, md_path = out.with_suffix(".json"), out.with_suffix(".md")
        json_path.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        md_path.write_text(self.to_markdown())
        return json_path, md_path


@dataclass
class Canary:
    """One canary tenant: its keys and the unique strings nothing else may ever return."""

    tenant: str
    token: str
    keys: dict[str, str]
    doc_id: str
    pii: dict[str, str]

    def documents(self) -> list[Document]:
        p = self.pii
        return [
            Document(
                id=self.doc_id,
                text=(
                    f"Canary record {self.token}: {p['name']} ({p['email']}, phone {p['phone']}) "
                    f"asked about the {self.token} refund for a card payment."
                ),
                source=f"mail/{p['email']}",
                metadata={"contact": p["email"], "phone": p["phone"], "marker": self.token},
                classification="confidential",
            ),
            Document(
                id=f"{self.doc_id}-memo",
                text=f"Internal memo {self.token}: the shipping policy covers damaged parcels.",
                classification="internal",
            ),
        ]

    @property
    def secrets(self) -> list[str]:
        return [self.pii["name"], self.pii["email"], self.pii["phone"]]
