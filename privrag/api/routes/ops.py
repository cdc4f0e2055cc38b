"""Unversioned operational routes: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from privrag.api.auth import MetricsAuth
from privrag.api.routes._shared import GatewayDep
from privrag.api.schemas import ErrorBody, Health
from privrag.errors import StoreUnavailable

router = APIRouter()


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": ErrorBody}},
    summary="Readiness: store, catalog and model loaded",
)
def readyz(gw: GatewayDep) -> Health:
    try:
        ready = gw.rag.ready()
    except Exception as exc:
        raise StoreUnavailable("not ready") from exc
    if not ready:
        raise StoreUnavailable("not ready")
    return Health(status="ready")


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {}}},
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
        429: {"model": ErrorBody},
    },
    summary="Prometheus metrics (operator key or metrics token)",
)
def metrics(_reader: MetricsAuth, gw: GatewayDep) -> Response:
    return Response(generate_latest(gw.metrics.registry), media_type=CONTENT_TYPE_LATEST)
