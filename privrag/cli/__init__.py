"""The ``privrag`` command: one module per command group, each a thin layer over the service.

``_common`` holds the options, the error mapping (a ``PrivragError`` becomes one line on stderr and
the exit code its class carries) and ``tenant_session``, through which the commands that also run
against a server (``--url``) have one code path.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from privrag.cli import (
    documents,
    maintenance,
    models,
    ops,
    redteam,
    report,
    retention,
    screen,
    tenants,
)

app = typer.Typer(
    help="privrag: a privacy-preserving, tenant-isolated RAG store.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(tenants.app, name="tenant")
app.add_typer(documents.app, name="doc")
app.add_typer(ops.operator_app, name="operator-key")
app.add_typer(ops.audit_app, name="audit")
app.add_typer(retention.app, name="retention")
app.add_typer(models.app, name="model")
app.add_typer(maintenance.pii_app, name="pii")
app.add_typer(maintenance.vectors_app, name="vectors")


def _version(value: bool) -> None:
    if value:
        from privrag import __version__

        typer.echo(f"privrag {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """privrag: a privacy-preserving, tenant-isolated RAG store."""


for command in (
    documents.ingest,
    documents.query,
    ops.scrub,
    screen.screen,
    ops.demo,
    ops.migrate,
    ops.serve,
    report.report,
    redteam.redteam,
    retention.forget,
    tenants.approve,
    tenants.cancel,
):
    app.command()(command)
# Plugins (the training package) add their commands; privrag itself never imports them.
for plugin in entry_points(group="privrag.commands"):
    plugin.load()(app)


def main() -> None:
    app()
