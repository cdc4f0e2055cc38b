"""What every command group shares: options, the error mapping, and the two ways to reach data.

A command talks either to the service on a local data dir or, with ``--url``, to a running
server through the SDK. ``tenant_session`` hides which: both answer ``ingest``/``query``/``delete``
with the same shapes (the HTTP API's), so each command has one code path. A ``PrivragError``
becomes one clean line on stderr and the exit code its class carries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol

import typer
from rich.console import Console

from privrag.config import load_settings
from privrag.errors import AccessDenied, InvalidInput, PrivragError
from privrag.models import Document

if TYPE_CHECKING:
    from privrag.service import PrivRAG

out = Console()
err = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="PRIVRAG_DATA_DIR", help="Data directory."),
]
TenantOpt = Annotated[str, typer.Option("--tenant", "-t", help="Tenant name.")]
# Client mode: with --url the command talks to a running server and the key names the tenant.
LocalTenantOpt = Annotated[
    str | None, typer.Option("--tenant", "-t", help="Tenant name (not with --url).")
]
UrlOpt = Annotated[
    str | None,
    typer.Option("--url", envvar="PRIVRAG_URL", help="Use the server at this URL."),
]
ApiKeyOpt = Annotated[
    str | None,
    typer.Option("--api-key", envvar="PRIVRAG_API_KEY", help="API key for --url."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
OperatorKey = Annotated[
    str,
    typer.Option(
        "--operator-key",
        envvar="PRIVRAG_OPERATOR_KEY",
        help="Your operator key (privrag operator-key create); it names who acts.",
    ),
]


@contextmanager
def errors() -> Iterator[None]:
    try:
        yield
    except PrivragError as exc:
        err.print(f"error: {exc.message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


def say(text: str) -> None:
    """One line of output, printed as given (no markup, no highlighting of ids)."""
    out.print(text, markup=False, highlight=False)


@contextmanager
def service(data_dir: Path | None) -> Iterator[PrivRAG]:
    from privrag.service import PrivRAG

    with errors():
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        rag = PrivRAG(load_settings(**overrides))
        try:
            yield rag
        finally:
            rag.close()


class TenantSession(Protocol):
    """One tenant's data, local or remote; answers in the HTTP API's shapes."""

    def ingest(self, documents: Sequence[Document]) -> dict[str, Any]: ...

    def query(self, text: str, *, k: int = 5, mode: str = "hybrid") -> dict[str, Any]: ...

    def delete(self, doc_id: str) -> None: ...


class _LocalTenant:
    def __init__(self, rag: PrivRAG, tenant: str) -> None:
        rag.tenants.get(tenant)
        self._rag = rag
        self._tenant = tenant

    def ingest(self, documents: Sequence[Document]) -> dict[str, Any]:
        reports = self._rag.ingest(self._tenant, documents)
        entities: dict[str, int] = {}
        for report in reports:
            for kind, count in report.entities.items():
                entities[kind] = entities.get(kind, 0) + count
        return {
            "documents": [
                {"id": r.doc_id, "chunks": r.chunks, "entities": r.entities, "replaced": r.replaced}
                for r in reports
            ],
            "chunks": sum(r.chunks for r in reports),
            "entities": entities,
        }

    def query(self, text: str, *, k: int = 5, mode: str = "hybrid") -> dict[str, Any]:
        result = self._rag.query(self._tenant, text, k=k, mode=mode)
        return {
            "results": [h.to_dict() for h in result.hits],
            "model": {"id": result.model_id, "digest": result.model_digest},
        }

    def delete(self, doc_id: str) -> None:
        self._rag.delete(self._tenant, doc_id)


@contextmanager
def tenant_session(
    tenant: str | None, data_dir: Path | None, url: str | None, api_key: str | None
) -> Iterator[TenantSession]:
    """The service on ``data_dir`` bound to ``tenant``, or (with ``url``) the server, where the
    API key names the tenant."""
    if url:
        from privrag.client import Client

        with errors():
            if not api_key:
                raise InvalidInput("--url needs --api-key (or PRIVRAG_API_KEY)")
            with Client(url, api_key) as client:
                yield client
        return
    with service(data_dir) as rag, errors():
        if not tenant:
            raise InvalidInput("--tenant is required (or use --url with --api-key)")
        yield _LocalTenant(rag, tenant)


def operator(rag: PrivRAG, key: str) -> str:
    """The operator identity behind ``key``; anything else is refused."""
    principal = rag.access().authenticate(key)
    if not principal.is_operator:
        raise AccessDenied("an operator key is required")
    return str(principal.key_id)


def parse_time(value: str) -> int:
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"--as-of {value!r} is not an ISO 8601 date or time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
