"""``create_app(settings)``: the secure gateway over one PrivRAG.

The app owns one PrivRAG (and so the data dir lock) unless a caller passes one in. An outer
ASGI layer gives every request an id, reads the whole body before anything parses it: too
large is 413, too slow 408, and a body cut short (fewer bytes than its Content-Length, or a
client gone before the end) is never handed to a route (audited as 499). It turns
any unexpected exception into the generic ``internal`` error body (no trace ever leaves), and
writes exactly one audit line, one structured log line and the metrics per request: route
templates, statuses, ids and keyed hashes only, never payload text. An answer is held until its
audit line is on disk, so no client holds an answer that a crash could leave unaudited; when the
line cannot be written the answer is withheld and a 503 goes out instead (fail closed).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from privrag.api import errors
from privrag.api.content_type import JsonBodies
from privrag.api.limits import IngestCost, Limits
from privrag.api.metrics import Metrics
from privrag.api.plugins import plugin_router
from privrag.api.routes import ROUTERS
from privrag.api.state import Gateway, RequestInfo
from privrag.audit import AuditLog
from privrag.config import Settings
from privrag.errors import PrivragError
from privrag.monitoring import Monitor, policy_from_settings

if TYPE_CHECKING:
    from privrag.service import PrivRAG

log = logging.getLogger("privrag.api")

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Metric labels and audit lines name one of these; any other method is "OTHER", so junk methods
# cannot grow the metric series (or the audit line) without bound.
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_RATE_CODES = {
    "rate_limited": "request_rate",
    "ingest_rate_limited": "ingest_chars",
    "ingest_busy": "ingest_slots",
    "retrieval_budget_exhausted": "retrieval_budget",
    "auth_throttled": "auth_failures",
}


# Routes whose answer is withheld when its audit line cannot be written.
_WITHHELD_PREFIX = "/v1/"
AUDIT_UNAVAILABLE = "the audit log could not be written, so nothing was returned; try again later"

# Markers _bounded_body returns instead of a replaying receive.
_CUT_SHORT: Any = object()
_TIMED_OUT: Any = object()


class JsonLogFormatter(logging.Formatter):
    """One JSON object per log line; fields come from ``extra={"fields": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        return json.dumps(line, default=str)


class GatewayMiddleware:
    def __init__(self, app: ASGIApp, gateway: Gateway) -> None:
        self.app = app
        self.gw = gateway

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info = RequestInfo(request_id=uuid.uuid4().hex)
        scope.setdefault("state", {})["privrag"] = info
        started = time.perf_counter()
        cpu_started = time.process_time()
        status = 500
        response_started = recorded = False
        held: Message | None = None  # the answer's start, sent once its audit line is written

        async def record() -> bool:
            nonlocal recorded
            recorded = True
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            return await self._record(scope, info, status, seconds, cpu)

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started, held
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", info.request_id.encode()))
                held = {**message, "headers": headers}
                return
            last_part = message["type"] == "http.response.body" and not message.get("more_body")
            if last_part and not recorded:
                written = await record()
                if not written and scope["path"].startswith(_WITHHELD_PREFIX):
                    # The API's answer is withheld (fail closed), replaced by a 503 that says
                    # nothing was returned. A body already streaming stays cut short instead:
                    # the client never holds it whole. Probes and metrics carry no tenant data
                    # and still answer.
                    self.gw.metrics.refusals.labels(reason="audit_unavailable").inc()
                    if not response_started:
                        info.code = "store_unavailable"
                        await self._error(send_with_id, 503, info, AUDIT_UNAVAILABLE)
                    return
            if held is not None:
                await send(held)
                held, response_started = None, True
            await send(message)

        try:
            try:
                with anyio.fail_after(self.gw.settings.api_body_timeout_s):
                    replay = await self._bounded_body(scope, receive)
            except TimeoutError:
                replay = _TIMED_OUT
            if replay is None:
                info.code = "payload_too_large"
                limit = self.gw.settings.api_max_body_bytes
                await self._error(
                    send_with_id, 413, info, f"the request body is larger than {limit} bytes"
                )
            elif replay is _TIMED_OUT:
                info.code = "request_timeout"
                await self._error(send_with_id, 408, info, "the request body came too slowly")
            elif replay is _CUT_SHORT:
                # Nobody is left to answer; the status is for the audit line only.
                info.code, status = "client_disconnected", 499
            else:
                await self.app(scope, replay, send_with_id)
        except Exception as exc:
            # The message may name internals or carry input: log its type only.
            log.error(
                "unhandled error",
                extra={"fields": {"request_id": info.request_id, "error": type(exc).__name__}},
            )
            if not response_started:
                info.code = "internal"
                await self._error(send_with_id, 500, info, errors.INTERNAL_MESSAGE)
        finally:
            if not recorded:  # no answer went out (a client gone), or the app failed mid-body
                await record()

    async def _bounded_body(self, scope: Scope, receive: Receive) -> Receive | None:
        """Read the whole body (at most the limit) up front; None when it is too large,
        ``_CUT_SHORT`` when the client left before sending all of it."""
        limit = self.gw.settings.api_max_body_bytes
        if scope["method"] not in _BODY_METHODS:
            return receive
        declared: int | None = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return None
                if declared > limit:
                    return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return _CUT_SHORT
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        if declared is not None and size != declared:
            return _CUT_SHORT
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    async def _error(self, send: Send, status: int, info: RequestInfo, message: str) -> None:
        payload = errors.body_bytes(info.code or "internal", message, info.request_id)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    async def _record(
        self, scope: Scope, info: RequestInfo, status: int, seconds: float, cpu: float
    ) -> bool:
        """Metrics, the monitor, the audit line and the log line of one request; False when the
        audit line could not be written."""
        route_obj = scope.get("route")
        route = getattr(route_obj, "path", None) or "unmatched"
        method = scope.get("method", "")
        method = method if method in _METHODS else "OTHER"
        metrics = self.gw.metrics
        metrics.latency.labels(route=route, method=method).observe(seconds)
        metrics.requests.labels(route=route, method=method, status=str(status)).inc()
        self.gw.monitor.observe_request(key_id=info.key_id, route=route, status=status, cpu_s=cpu)
        event: dict[str, Any] = {
            "event": "request",
            "request_id": info.request_id,
            "tenant": info.tenant,
            "key_id": info.key_id,
            "route": f"{method} {route}",
            "status": status,
            "latency_ms": round(seconds * 1000, 2),
        }
        if info.code:
            event["code"] = info.code
            if status >= 400:
                metrics.refusals.labels(reason=info.code).inc()
            if info.code in _RATE_CODES:
                metrics.rate_limited.labels(limit=_RATE_CODES[info.code]).inc()
            if info.code == "auth_throttled":
                # A flood must not become a flood of fsynced audit lines: one line per window
                # says how many throttled requests it stands for.
                count = self.gw.limits.throttled.note()
                if not count:
                    return True
                event = {"event": "auth_throttled", "route": event["route"], "count": count}
            if info.code == "retrieval_budget_exhausted":
                event["event"] = "retrieval_budget_exhausted"
        if info.chunk_ids:
            event["chunks"] = info.chunk_ids
        if info.model:
            event["model"] = info.model
        if info.query_hash:
            event["query_hash"] = info.query_hash
        if info.documents is not None:
            event["documents"] = info.documents
        if info.target:
            event["target"] = info.target
        if info.unreadable:
            event["unreadable_points"] = info.unreadable
        try:
            await anyio.to_thread.run_sync(self.gw.audit.append, event)
        except PrivragError:
            log.error("audit append failed", extra={"fields": {"request_id": info.request_id}})
            return False
        log.info("request", extra={"fields": {k: v for k, v in event.items() if k != "chunks"}})
        return True


def create_app(
    settings: Settings,
    *,
    rag: PrivRAG | None = None,
    clock: Callable[[], float] | None = None,
) -> FastAPI:
    """Build the app. Without ``rag`` it opens its own PrivRAG on ``settings`` (taking the data
    dir lock) and closes it at shutdown; with one, the caller keeps ownership. ``clock`` drives
    the rate limits (monotonic seconds by default)."""
    owned = rag is None
    if rag is None:
        from privrag.service import PrivRAG

        rag = PrivRAG(settings)
    operator_key = settings.operator_key.get_secret_value() if settings.operator_key else None
    metrics = Metrics()
    audit = AuditLog(
        settings.audit_path, fsync=settings.audit_fsync, clock=rag.clock, signer=rag.signer
    )
    access = rag.access(operator_key=operator_key)
    served = rag
    gw = Gateway(
        settings=settings,
        rag=rag,
        access=access,
        audit=audit,
        limits=Limits(
            key_rate=settings.api_rate_per_key,
            key_burst=settings.api_burst_per_key,
            tenant_rate=settings.api_rate_per_tenant,
            tenant_burst=settings.api_burst_per_tenant,
            retrieval_per_hour=settings.api_retrieval_budget_per_hour,
            tenant_retrieval_per_hour=settings.api_retrieval_budget_per_tenant_hour,
            auth_failures_per_second=settings.api_auth_failures_per_second,
            auth_failure_burst=settings.api_auth_failure_burst,
            ingest=IngestCost(
                max_request_chars=settings.api_max_request_chars,
                chars_per_second=settings.api_ingest_chars_per_second,
                chars_burst=settings.api_ingest_chars_burst,
                concurrency=settings.api_ingest_concurrency,
                queue=settings.api_ingest_queue,
                wait_s=settings.api_ingest_wait_s,
            ),
            clock=clock or time.monotonic,
        ),
        metrics=metrics,
        monitor=Monitor(
            policy_from_settings(settings),
            registry=metrics.registry,
            clock=clock or time.monotonic,
            corpus_size=lambda tenant: served.corpus_size(tenant)[1],
            on_event=audit.append,
            revoke=access.revoke,
        ),
    )
    # Serving decisions on tenant models (fallback from a flagged model, an operator's
    # override) land in the same hash-chained audit log as the requests.
    rag.models.on_event = gw.audit.append

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        served.warm_queries()
        yield
        held_back = gw.limits.throttled.drain()
        if held_back:
            gw.audit.append({"event": "auth_throttled", "count": held_back})
        gw.audit.close()
        if owned:
            rag.close()

    app = _routes_app(lifespan=lifespan)
    app.state.gateway = gw
    app.add_middleware(JsonBodies)
    app.add_middleware(GatewayMiddleware, gateway=gw)
    return app


def _routes_app(**kwargs: Any) -> FastAPI:
    app = FastAPI(
        title="privrag",
        version="1",
        summary="Tenant-isolated, PII-scrubbed retrieval.",
        docs_url=None,  # served offline by routes/docs.py
        redoc_url=None,
        **kwargs,
    )
    for router in ROUTERS:
        app.include_router(router)
    # Plugins (the training package) add operator routes; privrag never imports them.
    app.include_router(plugin_router())
    app.add_exception_handler(PrivragError, errors.privrag_error)
    app.add_exception_handler(RequestValidationError, errors.validation_error)
    app.add_exception_handler(StarletteHTTPException, errors.http_error)
    return app


def openapi_schema() -> dict[str, Any]:
    """The OpenAPI document, without opening a data dir (for clients and contract tests)."""
    return _routes_app().openapi()
