"""Every route as a ``Call``: method, path, body and the parser that turns the JSON answer into
the service's own value objects. ``Client`` and ``AsyncClient`` only send calls, so both speak
exactly the same API; the error mapping and the retry schedule live here too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx

from privrag import errors
from privrag.access import IssuedKey
from privrag.audit import VerifyReport
from privrag.models import Document, Hit, IngestReport, Provenance, Tenant
from privrag.pii.policy import PiiPolicy
from privrag.retention import RetentionPolicy
from privrag.service.jobs import Job
from privrag.service.results import DocumentInfo, QueryResult, SweepResult

T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[Any], T]
    json: Any = None
    params: dict[str, Any] = field(default_factory=dict)


def _seg(value: str) -> str:
    return quote(str(value), safe="")


def _none(_: Any) -> None:
    return None


def _same(value: Any) -> Any:
    return value


def error_for(response: httpx.Response) -> errors.PrivragError:
    """The ``PrivragError`` a local call would have raised, chosen by the stable code."""
    try:
        detail = response.json()["error"]
        code, message = str(detail["code"]), str(detail["message"])
    except (ValueError, KeyError, TypeError):
        code, message = "internal", f"server answered {response.status_code}"
    if response.status_code == 429:
        return errors.RateLimited(message, retry_after=retry_after(response) or 1.0, code=code)
    cls = errors.by_code(code) or errors.by_status(response.status_code)
    error = cls(message)
    error.code = code
    return error


def retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["retry-after"]))
    except (KeyError, ValueError):
        return None


def backoff(attempt: int, response: httpx.Response | None, *, base: float, cap: float) -> float:
    """Seconds before retry ``attempt`` (0-based): the server's Retry-After when it gives one,
    else exponential backoff with full jitter."""
    if response is not None and (hint := retry_after(response)) is not None:
        return min(hint, cap)
    return random.uniform(0, min(cap, base * 2**attempt))


def job(value: Mapping[str, Any]) -> Job:
    progress = value.get("progress") or {}
    return Job(
        id=value["id"],
        kind=value["kind"],
        status=value["status"],
        created_at=value["created_at"],
        tenant=value.get("tenant"),
        done=progress.get("done", 0),
        total=progress.get("total"),
        finished_at=value.get("finished_at"),
        result=value.get("result"),
        error=value.get("error"),
    )


def job_error(finished: Job) -> errors.PrivragError:
    detail = finished.error or {}
    code = detail.get("code", "internal")
    cls = errors.by_code(code) or errors.PrivragError
    error = cls(detail.get("message", "the job failed"))
    error.code = code
    return error


def sweep_results(value: Mapping[str, Any]) -> list[SweepResult]:
    return [
        SweepResult(tenant=name, deleted=r["deleted"], held=r["held"], receipt=r["receipt"])
        for name, r in value["tenants"].items()
    ]


def _tenant(value: Mapping[str, Any]) -> Tenant:
    # Tenant ids are internal; over HTTP a tenant is its name.
    return Tenant(id="", name=value["name"], created_at=value["created_at"], status=value["status"])


def _hit(value: Mapping[str, Any]) -> Hit:
    return Hit(
        doc_id=value["doc_id"],
        chunk_id=value["chunk_id"],
        text=value["text"],
        score=value["score"],
        provenance=Provenance(**value["provenance"]),
        flags=tuple(value.get("flags", ())),
    )


def _query(value: Mapping[str, Any]) -> QueryResult:
    model = value["model"]
    return QueryResult(
        hits=[_hit(h) for h in value["results"]], model_id=model["id"], model_digest=model["digest"]
    )


def _ingested(value: Mapping[str, Any]) -> list[IngestReport]:
    return [
        IngestReport(
            doc_id=d["id"],
            chunks=d["chunks"],
            entities=d["entities"],
            replaced=d["replaced"],
            flagged=d.get("flagged", 0),
        )
        for d in value["documents"]
    ]


def _erasure(tenant: str) -> Callable[[Any], SweepResult]:
    return lambda v: SweepResult(
        tenant=tenant, deleted=v["deleted"], held=v["held"], receipt=v["receipt"]
    )


def _verified(value: Mapping[str, Any]) -> VerifyReport:
    return VerifyReport(value["ok"], value["count"], value.get("problem"), value.get("line"))


def _retention(value: Mapping[str, Any]) -> RetentionPolicy:
    return RetentionPolicy.from_dict(dict(value))


def _pii(value: Mapping[str, Any]) -> PiiPolicy:
    return PiiPolicy.from_dict({"entities": value["entities"], "operator": value["operator"]})


# tenant-key routes (the key names the tenant)


def ingest(documents: Sequence[Document]) -> Call[list[IngestReport]]:
    docs = [{k: v for k, v in asdict(d).items() if v is not None} for d in documents]
    return Call("POST", "/v1/documents", _ingested, {"documents": docs})


def query(
    text: str,
    k: int,
    classifications: Sequence[str] | None,
    mode: str = "hybrid",
    exclude_flags: Sequence[str] | None = None,
) -> Call[QueryResult]:
    body: dict[str, Any] = {"query": text, "k": k, "mode": mode}
    if classifications is not None:
        body["filter"] = {"classification": list(classifications)}
    if exclude_flags is not None:
        body["exclude_flags"] = list(exclude_flags)
    return Call("POST", "/v1/query", _query, body)


def list_documents() -> Call[list[str]]:
    return Call("GET", "/v1/documents", lambda v: list(v["documents"]))


def get_document(doc_id: str) -> Call[DocumentInfo]:
    return Call("GET", f"/v1/documents/{_seg(doc_id)}", lambda v: DocumentInfo(**v))


def fetch_documents(doc_ids: Sequence[str]) -> Call[list[dict[str, Any]]]:
    return Call(
        "POST", "/v1/documents/fetch", lambda v: list(v["documents"]), {"ids": list(doc_ids)}
    )


def delete(doc_id: str) -> Call[None]:
    return Call("DELETE", f"/v1/documents/{_seg(doc_id)}", _none)


def forget(subject: str, entity_type: str | None) -> Call[SweepResult]:
    return Call("POST", "/v1/forget", _erasure(""), {"subject": subject, "type": entity_type})


# operator routes

A = "/v1/admin"


def create_tenant(name: str) -> Call[Tenant]:
    return Call("POST", f"{A}/tenants", _tenant, {"name": name})


def list_tenants() -> Call[list[Tenant]]:
    return Call("GET", f"{A}/tenants", lambda v: [_tenant(t) for t in v["tenants"]])


def set_suspended(name: str, suspended: bool) -> Call[Tenant]:
    action = "suspend" if suspended else "resume"
    return Call("POST", f"{A}/tenants/{_seg(name)}/{action}", _tenant)


def create_key(tenant: str, scopes: Iterable[str]) -> Call[IssuedKey]:
    return Call(
        "POST",
        f"{A}/tenants/{_seg(tenant)}/keys",
        lambda v: IssuedKey(v["key_id"], v["key"], tuple(v["scopes"]), "tenant", v["tenant"]),
        {"scopes": sorted(scopes)},
    )


def list_keys(tenant: str | None) -> Call[list[dict[str, Any]]]:
    path = f"{A}/tenants/{_seg(tenant)}/keys" if tenant else f"{A}/operator-keys"
    return Call("GET", path, lambda v: list(v["keys"]))


def create_operator_key(label: str) -> Call[IssuedKey]:
    return Call(
        "POST",
        f"{A}/operator-keys",
        lambda v: IssuedKey(v["key_id"], v["key"], ("admin",), "operator"),
        {"label": label},
    )


def revoke_key(key_id: str) -> Call[None]:
    return Call("DELETE", f"{A}/keys/{_seg(key_id)}", _none)


def retention(tenant: str) -> Call[RetentionPolicy]:
    return Call("GET", f"{A}/tenants/{_seg(tenant)}/retention", _retention)


def update_retention(
    tenant: str,
    default_days: int | None,
    drop_default: bool,
    by_class: Mapping[str, int | None] | None,
    clear: bool,
) -> Call[tuple[RetentionPolicy, int]]:
    body: dict[str, Any] = {"by_class": dict(by_class or {}), "clear": clear}
    if default_days is not None or drop_default:
        body["default_days"] = None if drop_default else default_days
    return Call(
        "PATCH",
        f"{A}/tenants/{_seg(tenant)}/retention",
        lambda v: (_retention(v["policy"]), int(v["redated"])),
        body,
    )


def pii_policy(tenant: str) -> Call[PiiPolicy]:
    return Call("GET", f"{A}/tenants/{_seg(tenant)}/pii-policy", _pii)


def update_pii_policy(
    tenant: str, operator: str | None, add: Iterable[str], drop: Iterable[str]
) -> Call[PiiPolicy]:
    body = {"operator": operator, "add": sorted(add), "drop": sorted(drop)}
    return Call("PATCH", f"{A}/tenants/{_seg(tenant)}/pii-policy", _pii, body)


def hold(tenant: str, doc_id: str | None, on: bool) -> Call[None]:
    where = f"{A}/tenants/{_seg(tenant)}"
    if doc_id is not None:
        where += f"/documents/{_seg(doc_id)}"
    return Call("PUT" if on else "DELETE", f"{where}/hold", _none)


def holds() -> Call[dict[str, Any]]:
    return Call("GET", f"{A}/holds", _same)


def forget_in(tenant: str, subject: str, entity_type: str | None) -> Call[SweepResult]:
    body = {"subject": subject, "type": entity_type}
    return Call("POST", f"{A}/tenants/{_seg(tenant)}/forget", _erasure(tenant), body)


def reveal(tenant: str, doc_id: str) -> Call[dict[str, str]]:
    path = f"{A}/tenants/{_seg(tenant)}/documents/{_seg(doc_id)}/reveal"
    return Call("POST", path, lambda v: dict(v["originals"]))


def request_offboarding(tenant: str) -> Call[str]:
    return Call("POST", f"{A}/tenants/{_seg(tenant)}/deletion", lambda v: str(v["request_id"]))


def approve_offboarding(request_id: str) -> Call[dict[str, Any]]:
    return Call("POST", f"{A}/deletions/{_seg(request_id)}/approve", lambda v: dict(v["receipt"]))


def cancel_offboarding(request_id: str) -> Call[None]:
    return Call("POST", f"{A}/deletions/{_seg(request_id)}/cancel", _none)


def pending_offboardings() -> Call[list[dict[str, Any]]]:
    return Call("GET", f"{A}/deletions", lambda v: list(v["deletions"]))


def start_sweep(tenant: str | None, dry_run: bool, as_of: int | None) -> Call[Job]:
    body = {"tenant": tenant, "dry_run": dry_run, "as_of": as_of}
    return Call("POST", f"{A}/sweeps", job, body)


def get_job(job_id: str) -> Call[Job]:
    return Call("GET", f"{A}/jobs/{_seg(job_id)}", job)


def list_jobs() -> Call[list[Job]]:
    return Call("GET", f"{A}/jobs", lambda v: [job(j) for j in v["jobs"]])


def list_models(tenant: str) -> Call[dict[str, Any]]:
    return Call("GET", f"{A}/tenants/{_seg(tenant)}/models", _same)


def start_activation(tenant: str, version: int, allow_non_private: bool) -> Call[Job]:
    path = f"{A}/tenants/{_seg(tenant)}/models/{int(version)}/activate"
    return Call("POST", path, job, {"allow_non_private": allow_non_private})


def start_rollback(tenant: str) -> Call[Job]:
    return Call("POST", f"{A}/tenants/{_seg(tenant)}/models/rollback", job)


def verify_model(tenant: str, version: int | None) -> Call[dict[str, Any]]:
    params = {} if version is None else {"version": int(version)}
    return Call("POST", f"{A}/tenants/{_seg(tenant)}/models/verify", _same, params=params)


def model_card(tenant: str, version: int) -> Call[dict[str, Any]]:
    return Call("GET", f"{A}/tenants/{_seg(tenant)}/models/{int(version)}", _same)


def start_training(tenant: str, config: Mapping[str, Any]) -> Call[Job]:
    return Call("POST", f"{A}/tenants/{_seg(tenant)}/train", job, dict(config))


def budget(tenant: str) -> Call[dict[str, Any]]:
    return Call("GET", f"{A}/tenants/{_seg(tenant)}/budget", _same)


def set_budget(tenant: str, epsilon: float) -> Call[dict[str, Any]]:
    return Call("PUT", f"{A}/tenants/{_seg(tenant)}/budget", _same, {"epsilon": epsilon})


def start_rescrub(tenant: str) -> Call[Job]:
    return Call("POST", f"{A}/tenants/{_seg(tenant)}/pii/rescrub", job)


def start_reprotection(tenant: str) -> Call[Job]:
    return Call("POST", f"{A}/tenants/{_seg(tenant)}/vectors/reprotect", job)


def verify_receipts() -> Call[VerifyReport]:
    return Call("GET", f"{A}/receipts/verify", _verified)


def verify_audit() -> Call[VerifyReport]:
    return Call("GET", f"{A}/audit/verify", _verified)


def ready() -> Call[bool]:
    return Call("GET", "/readyz", lambda v: v.get("status") == "ready")
