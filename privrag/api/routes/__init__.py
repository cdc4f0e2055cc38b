"""The HTTP routes, one module per concern; ``ROUTERS`` is what the app mounts, in order."""

from privrag.api.routes import (
    admin,
    docs,
    documents,
    fetch,
    jobs,
    maintenance,
    ops,
    report,
    retention,
    reveal,
    settings,
)

ROUTERS = (
    fetch.router,
    documents.router,
    admin.router,
    retention.router,
    reveal.router,
    settings.router,
    jobs.router,
    maintenance.router,
    ops.router,
    report.router,
    docs.router,
)

__all__ = ["ROUTERS"]
