"""What every command group shares: options, the error mapping, and the two ways to reach data.

A command talks either to the service on a local data dir or, with ``--url``, to a running
server through the SDK. ``tenant_session`` (a tenant's documents) and ``operator_session``
(everything else) hide which: both answer with ``privrag.Client``'s methods and typed values
(``_local`` gives a local ``PrivRAG`` the same face), so each command has one code path. A ``PrivragError``
becomes one clean line on stderr and the exit code its class carries.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from privrag.config import load_settings
from privrag.errors import AccessDenied, ConfigError, InvalidInput, NotFound, PrivragError
from privrag.models import Document, IngestReport

if TYPE_CHECKING:
    from privrag.service import DocumentInfo, PrivRAG, QueryResult, SweepResult

out = Console()
err = Console(stderr=True)

StepProgress = Callable[[int, int | None], None]


def with_progress(label: str, run: Callable[[StepProgress], Any]) -> Any:
    """``run(progress)`` under a transient bar on stderr; ``progress(done, total)`` moves it."""
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)
        return run(lambda done, total: bar.update(task, completed=done, total=total))


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
OperatorKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--operator-key",
        envvar="PRIVRAG_OPERATOR_KEY",
        help="Operator key: needed with --url, and where the command records who acts.",
    ),
]
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
    """One line of output, written as given: no markup, no highlighting, tabs and long ids
    intact for scripts."""
    sys.stdout.write(text + "\n")


@contextmanager
def service(data_dir: Path | None, *, create: bool = True) -> Iterator[PrivRAG]:
    """The service on ``data_dir``. Commands that only read pass ``create=False``: a typo in
    ``--data-dir`` then says so instead of making a new, empty data dir."""
    from privrag.service import PrivRAG

    with errors():
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        settings = load_settings(**overrides)
        where = Path(settings.data_dir)
        if where.exists() and not where.is_dir():
            raise InvalidInput(f"data dir {where} is not a directory")
        if not create and not where.is_dir():
            raise NotFound(f"no data dir at {where} (check --data-dir or PRIVRAG_DATA_DIR)")
        if settings.embed_device.startswith("cuda"):
            import torch

            if not torch.cuda.is_available():
                raise ConfigError(
                    f"PRIVRAG_EMBED_DEVICE={settings.embed_device} but CUDA is not available"
                )
        try:
            rag = PrivRAG(settings)
        except OSError as exc:
            raise InvalidInput(f"cannot use data dir {where}: {exc.strerror or exc}") from exc
        try:
            yield rag
        finally:
            rag.close()


class TenantSession(Protocol):
    """One tenant's data, local or remote; answers with the SDK's typed values."""

    def ingest(self, documents: Sequence[Document]) -> list[IngestReport]: ...

    def query(
        self,
        text: str,
        *,
        k: int = 5,
        classifications: Sequence[str] | None = None,
        mode: str = "hybrid",
        exclude_flags: Sequence[str] | None = None,
    ) -> QueryResult: ...

    def list_documents(self) -> list[str]: ...

    def get_document(self, doc_id: str) -> DocumentInfo: ...

    def delete(self, doc_id: str) -> None: ...

    def forget(self, subject: str, *, entity_type: str | None = None) -> SweepResult: ...


@contextmanager
def tenant_session(
    tenant: str | None,
    data_dir: Path | None,
    url: str | None,
    api_key: str | None,
    *,
    create: bool = True,
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
    from privrag.cli._local import LocalTenant

    with service(data_dir, create=create) as rag, errors():
        if not tenant:
            raise InvalidInput("--tenant is required (or use --url with --api-key)")
        yield LocalTenant(rag, tenant)


@contextmanager
def operator_session(
    data_dir: Path | None, url: str | None, operator_key: str | None, *, create: bool = True
) -> Iterator[Any]:
    """Operator work on ``data_dir``, or (with ``url``) on the server as the operator whose key
    is given: ``privrag.Client``'s methods and answers either way (``_local.LocalOperator``)."""
    if url:
        from privrag.client import Client

        with errors():
            if not operator_key:
                raise InvalidInput("--url needs --operator-key (or PRIVRAG_OPERATOR_KEY)")
            with Client(url, operator_key) as client:
                yield client
        return
    from privrag.cli._local import LocalOperator

    with service(data_dir, create=create) as rag, errors():
        yield LocalOperator(rag, operator_key)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun if count == 1 else noun + 's'}"


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, default=_plain) + "\n")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        return to_dict() if to_dict else dataclasses.asdict(value)
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


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
