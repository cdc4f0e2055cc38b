"""Long-running operator work as jobs: sweeps and model switches answer ``202`` with a job to
poll at ``/v1/admin/jobs/{id}`` (progress included). What can be refused at once (an unknown
tenant or version, ``as_of`` on a real sweep) is refused before a job starts.

Other kinds of work (training) plug in through ``gw.jobs.submit(kind, work)``: the routes here
only list and show jobs, whatever their kind.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from privrag.api.auth import OperatorAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.schemas_ops import (
    JobList,
    JobOut,
    ModelInfo,
    ModelList,
    ModelSwitch,
    ModelVerified,
    SweepRequest,
)
from privrag.errors import InvalidInput, KeyUnavailable
from privrag.registry import Switch
from privrag.service.jobs import Job, Progress

router = APIRouter(prefix="/v1/admin")


def job_out(job: Job) -> JobOut:
    return JobOut(**job.to_dict())


def accepted(job: Job, response: Response) -> JobOut:
    response.headers["Location"] = f"/v1/admin/jobs/{job.id}"
    return job_out(job)


@router.get("/jobs", response_model=JobList, responses=error_responses(), summary="Jobs (operator)")
def list_jobs(_op: OperatorAuth, gw: GatewayDep) -> JobList:
    return JobList(jobs=[job_out(j) for j in gw.jobs.list()])


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    responses=error_responses(404),
    summary="A job's status, progress and result (operator)",
)
def get_job(job_id: str, _op: OperatorAuth, gw: GatewayDep) -> JobOut:
    return job_out(gw.jobs.get(job_id))


@router.post(
    "/sweeps",
    response_model=JobOut,
    status_code=202,
    responses=error_responses(404),
    summary="Start a retention sweep (one tenant or all; dry_run and as_of to preview) (operator)",
)
def start_sweep(
    body: SweepRequest, _op: OperatorAuth, gw: GatewayDep, response: Response
) -> JobOut:
    if body.as_of is not None and not body.dry_run:
        raise InvalidInput("as_of is only allowed with dry_run")
    if body.tenant is not None:
        gw.rag.tenants.get(body.tenant)

    def work(progress: Progress) -> dict[str, Any]:
        results = gw.rag.sweep(
            body.tenant, dry_run=body.dry_run, as_of=body.as_of, progress=progress
        )
        return {"dry_run": body.dry_run, "tenants": {r.tenant: r.to_dict() for r in results}}

    return accepted(gw.jobs.submit("sweep", work, tenant=body.tenant), response)


def _switched(switch: Switch) -> dict[str, Any]:
    return {
        "tenant": switch.tenant,
        "version": switch.version,
        "documents": switch.documents,
        "chunks": switch.chunks,
    }


@router.get(
    "/tenants/{name}/models",
    response_model=ModelList,
    responses=error_responses(404),
    summary="A tenant's models and the one serving (operator)",
)
def list_models(name: str, _op: OperatorAuth, gw: GatewayDep) -> ModelList:
    tenant = gw.rag.tenants.get(name)
    active_id = gw.rag.models.active_model_id(tenant.id)
    models = [
        ModelInfo(
            version=r.version,
            model_id=r.model_id,
            created_at=r.created_at,
            private=r.private,
            epsilon=r.epsilon,
            delta=r.delta,
            flagged=r.flagged,
            active=r.model_id == active_id,
        )
        for r in gw.rag.models.list(tenant.id)
    ]
    active = next((m.version for m in models if m.active), None)
    return ModelList(active=active, models=models)


@router.get(
    "/tenants/{name}/models/{version}",
    response_model=dict[str, Any],
    responses=error_responses(404),
    summary="A model's verified card: its guarantee (epsilon, delta, unit), run and audit "
    "(operator)",
)
def show_model(name: str, version: int, _op: OperatorAuth, gw: GatewayDep) -> dict[str, Any]:
    return gw.rag.model_card(name, version)


@router.post(
    "/tenants/{name}/models/{version}/activate",
    response_model=JobOut,
    status_code=202,
    responses=error_responses(404, 409),
    summary="Serve a tenant with model VERSION: re-embeds every chunk as a job (operator)",
)
def activate_model(
    name: str,
    version: int,
    body: ModelSwitch,
    _op: OperatorAuth,
    gw: GatewayDep,
    response: Response,
) -> JobOut:
    tenant = gw.rag.tenants.get(name)
    gw.rag.models.by_version(tenant.id, version)

    def work(_progress: Progress) -> dict[str, Any]:
        return _switched(
            gw.rag.activate_model(name, version, allow_non_private=body.allow_non_private)
        )

    return accepted(gw.jobs.submit("model_activate", work, tenant=name), response)


@router.post(
    "/tenants/{name}/models/rollback",
    response_model=JobOut,
    status_code=202,
    responses=error_responses(404, 409),
    summary="Go back to the previously active model, re-embedding as a job (operator)",
)
def rollback_model(name: str, _op: OperatorAuth, gw: GatewayDep, response: Response) -> JobOut:
    gw.rag.tenants.get(name)

    def work(_progress: Progress) -> dict[str, Any]:
        return _switched(gw.rag.rollback_model(name))

    return accepted(gw.jobs.submit("model_rollback", work, tenant=name), response)


@router.post(
    "/tenants/{name}/models/verify",
    response_model=ModelVerified,
    responses=error_responses(404),
    summary="Check the signature over a model's weights and card (default: active) (operator)",
)
def verify_model(
    name: str, _op: OperatorAuth, gw: GatewayDep, version: int | None = None
) -> ModelVerified:
    tenant = gw.rag.tenants.get(name)
    if version is None:
        model_id = gw.rag.models.active_model_id(tenant.id)
        if model_id is None:
            return ModelVerified(version=None, ok=True, problem=None)
    else:
        model_id = gw.rag.models.by_version(tenant.id, version).model_id
    try:
        card = gw.rag.models.verify(tenant.id, model_id)
    except KeyUnavailable as exc:
        found = gw.rag.models.get(tenant.id, model_id).version
        return ModelVerified(version=found, ok=False, problem=exc.message)
    return ModelVerified(version=int(card["version"]), ok=True, card=card)
