"""The Python SDK for a running privrag server: ``Client`` (sync) and ``AsyncClient``, on httpx.

Both speak every route (``_calls`` holds each as one ``Call``), answer with the service's own
value objects (``QueryResult``, ``DocumentInfo``, ``SweepResult``, ``Job``...) and raise the
service's own ``PrivragError`` classes, so code moves between ``PrivRAG`` and a server unchanged
in its error handling.
"""

from privrag.client._async import AsyncClient
from privrag.client._sync import Client
from privrag.service.jobs import Job

__all__ = ["AsyncClient", "Client", "Job"]
