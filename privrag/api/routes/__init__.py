"""The HTTP routes, one module per concern; ``ROUTERS`` is what the app mounts, in order."""

from privrag.api.routes import admin, documents, ops, retention, reveal

ROUTERS = (documents.router, admin.router, retention.router, reveal.router, ops.router)

__all__ = ["ROUTERS"]
