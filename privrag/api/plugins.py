"""Route plugins: operator routes that another package (the training plugin) adds to the API
without importing the web framework, and without privrag ever importing it.

At start the app loads the ``privrag.routes`` entry points; each is a callable that receives a
``PluginRoutes`` and declares operations on it. Every operation is an operator route under
``/v1/admin/tenants/{name}/``: the tenant is resolved (404 if unknown) and the operator key
checked before the handler runs, like every other operator route. A ``read`` answers at once
with what its handler returns. A ``job`` answers ``202`` with a job to poll at
``/v1/admin/jobs/{id}``: its handler runs in the request, so whatever it refuses (a bad
config, an unknown version) is refused before a job starts, and returns the work (called with
``progress(done, total)``) that the job runs. Bodies are pydantic models the plugin declares,
so the OpenAPI document describes them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response

from privrag.api.auth import OperatorAuth
from privrag.api.routes._shared import GatewayDep, error_responses
from privrag.api.routes.jobs import accepted
from privrag.api.schemas_ops import JobOut
from privrag.api.state import Gateway, request_info

if TYPE_CHECKING:
    from privrag.service import PrivRAG

GROUP = "privrag.routes"
Handler = Callable[["PrivRAG", str, Any], Any]
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class PluginRoute:
    method: str
    path: str  # below /v1/admin/tenants/{name}
    summary: str
    handler: Handler
    body: type[Any] | None = None
    job: str | None = None  # the job kind; None: answered at once


class PluginRoutes:
    """What a ``privrag.routes`` entry point receives. Example::

    def register(routes):
        @routes.read("GET", "/budget", summary="A tenant's privacy budget")
        def budget(rag, tenant, _body):
            return {...}
    """

    def __init__(self) -> None:
        self.routes: list[PluginRoute] = []

    def read(
        self, method: str, path: str, *, summary: str, body: type[Any] | None = None
    ) -> Callable[[Handler], Handler]:
        """``handler(rag, tenant, body)`` returns the JSON answer."""
        if method not in _METHODS:
            raise ValueError(f"method must be one of {_METHODS}")
        return self._add(method, path, summary, body, None)

    def job(
        self, path: str, *, kind: str, summary: str, body: type[Any] | None = None
    ) -> Callable[[Handler], Handler]:
        """``handler(rag, tenant, body)`` refuses at once or returns ``work(progress)``, which
        runs as a job of ``kind`` (a POST answered ``202``)."""
        return self._add("POST", path, summary, body, kind)

    def _add(
        self, method: str, path: str, summary: str, body: type[Any] | None, job: str | None
    ) -> Callable[[Handler], Handler]:
        if not path.startswith("/"):
            raise ValueError("a plugin route's path starts with '/'")

        def decorate(handler: Handler) -> Handler:
            self.routes.append(PluginRoute(method, path, summary, handler, body, job))
            return handler

        return decorate


def plugin_router() -> APIRouter:
    """The routes every installed ``privrag.routes`` plugin declares."""
    routes = PluginRoutes()
    for plugin in entry_points(group=GROUP):
        plugin.load()(routes)
    router = APIRouter(prefix="/v1/admin/tenants/{name}")
    for route in routes.routes:
        router.add_api_route(
            route.path,
            _endpoint(route),
            methods=[route.method],
            status_code=202 if route.job else 200,
            response_model=JobOut if route.job else None,
            responses=error_responses(404, 409),
            summary=f"{route.summary} (operator)",
        )
    return router


def _endpoint(route: PluginRoute) -> Callable[..., Any]:
    def endpoint(
        name: str, gw: Gateway, request: Request, response: Response, body: Any = None, **_: Any
    ) -> Any:
        gw.rag.tenants.get(name)
        request_info(request).touched(tenant=name)
        answer = route.handler(gw.rag, name, body)
        if route.job is None:
            return answer
        return accepted(gw.jobs.submit(route.job, answer, tenant=name), response)

    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("name", keyword, annotation=str),
        inspect.Parameter("_op", keyword, annotation=OperatorAuth),
        inspect.Parameter("gw", keyword, annotation=GatewayDep),
        inspect.Parameter("request", keyword, annotation=Request),
        inspect.Parameter("response", keyword, annotation=Response),
    ]
    if route.body is not None:
        params.append(inspect.Parameter("body", keyword, annotation=route.body))
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = f"plugin_{route.method.lower()}_{route.path.strip('/').replace('/', '_')}"
    return endpoint
