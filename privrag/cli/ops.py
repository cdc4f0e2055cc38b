"""Deployment commands: ``serve``, ``migrate``, ``demo``, ``scrub``, ``operator-key``, ``audit``."""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from privrag.cli._common import (
    DataDir,
    JsonOpt,
    OperatorKeyOpt,
    UrlOpt,
    err,
    errors,
    operator_session,
    out,
    print_json,
    say,
)
from privrag.config import load_settings
from privrag.errors import InvalidInput

operator_app = typer.Typer(help="Operator credentials for the HTTP API.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


def scrub() -> None:
    """Scrub PII from JSONL on stdin ({"text"}) to JSONL on stdout, in the same order.

    Example: privrag scrub < records.jsonl > scrubbed.jsonl
    """
    from privrag.pii import Scrubber

    with errors():
        records = []
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"line {number}: not valid JSON") from exc
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InvalidInput(f'line {number}: expected an object with a "text" string')
            records.append(record["text"])
        scrubber = Scrubber()
        for result in scrubber.scrub_batch(records):
            entities = [{"type": e.type, "start": e.start, "end": e.end} for e in result.entities]
            sys.stdout.write(json.dumps({"text": result.text, "entities": entities}) + "\n")


def demo(
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Keep the demo data here.")
    ] = None,
) -> None:
    """Two tenants, a bundled corpus full of synthetic PII, a few queries side by side.

    Example: privrag demo
    """
    from privrag.demo import run_demo

    with errors(), _demo_dir(data_dir) as where:
        run_demo(where, out)


@contextmanager
def _demo_dir(data_dir: Path | None) -> Iterator[Path]:
    if data_dir is not None:
        yield data_dir
        return
    with tempfile.TemporaryDirectory(prefix="privrag-demo-") as tmp:
        # An ephemeral master key: the demo leaves nothing behind that could open its data.
        os.environ.setdefault("PRIVRAG_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
        # Its keystore beside the data, in the same throwaway folder, so no keys are left in
        # the per-user state dir either.
        os.environ.setdefault("PRIVRAG_KEYSTORE_DIR", str(Path(tmp) / "keys"))
        yield Path(tmp) / "data"


def migrate(
    to: Annotated[str, typer.Option("--to", help="Qdrant URL of the target cluster.")],
    qdrant_api_key: Annotated[
        str | None,
        typer.Option("--qdrant-api-key", envvar="PRIVRAG_QDRANT_API_KEY", help="Its API key."),
    ] = None,
    batch: Annotated[int, typer.Option("--batch", min=1, max=10_000)] = 256,
    data_dir: DataDir = None,
) -> None:
    """Copy the embedded data dir's vectors to a Qdrant cluster; rerun to resume.

    Points move as stored (sealed payloads, same ids and vectors); the catalog and keystore stay.
    Afterwards set PRIVRAG_QDRANT_URL to the cluster and start the service as usual.

    Example: privrag migrate --to https://qdrant.internal:6333 --data-dir ./privrag-data
    """
    from privrag.service import PrivRAG

    with errors():
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        source_settings = load_settings(**overrides, qdrant_url=None)
        target_settings = load_settings(**overrides, qdrant_url=to, qdrant_api_key=qdrant_api_key)
        with PrivRAG(source_settings) as rag:
            report = rag.migrate_store(target_settings, batch=batch)
    for name, item in report:
        note = " (resumed)" if item.resumed else ""
        say(f"{name}: {item.target_count} points{note}")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Run the HTTP API (owns the data dir; other processes use --url).

    Example: privrag serve --host 127.0.0.1 --port 8000
    """
    from privrag.api import create_app
    from privrag.api.server import serve as run

    with errors():
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
        api = create_app(load_settings(**overrides))
    run(api, host=host, port=port)


@operator_app.command("create")
def operator_key_create(
    label: Annotated[str, typer.Option(help="Who holds this key.")] = "",
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Create an operator key (printed once; only its hash is kept). With --url, an existing
    operator key creates it on the running server.

    Example: privrag operator-key create --label alice
    """
    with operator_session(data_dir, url, operator_key) as ops:
        issued = ops.create_operator_key(label)
    say(f"operator key id: {issued.key_id}")
    sys.stdout.write(issued.key + "\n")


@operator_app.command("list")
def operator_key_list(
    as_json: JsonOpt = False,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """List operator keys (ids, labels, revoked or not; never the keys).

    Example: privrag operator-key list
    """
    from privrag.cli.tenants import print_keys

    with operator_session(data_dir, url, operator_key, create=False) as ops:
        keys = ops.list_keys(None)
    print_keys(keys, as_json)


@operator_app.command("revoke")
def operator_key_revoke(
    key_id: str,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Revoke an operator or tenant key by its id, at once. On the host any key, another
    operator's included; over --url an operator key revokes only tenant keys and itself.

    Example: privrag operator-key revoke op1a2b3c4d5e6f7a8b
    """
    with operator_session(data_dir, url, operator_key, create=False) as ops:
        ops.revoke_key(key_id)
    say(f"revoked {key_id}")


@audit_app.command("verify")
def audit_verify(
    path: Annotated[
        Path | None, typer.Option("--path", help="Audit log file (default: in the data dir).")
    ] = None,
    as_json: JsonOpt = False,
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="PEM of the deployment signing key (default: signing.pub.pem in the keystore).",
        ),
    ] = None,
    data_dir: DataDir = None,
    url: UrlOpt = None,
    operator_key: OperatorKeyOpt = None,
) -> None:
    """Check the audit log's hash chain and its signed head; exit 6 on any edited, removed or
    reordered line, and on a re-chained log with a rewritten head.

    Example: privrag audit verify --data-dir ./privrag-data
    """
    from privrag.audit import VerifyReport, verify
    from privrag.crypto.signing import PUBLIC_KEY_FILE, pem_verifier

    report: VerifyReport
    check = None
    if url:
        with operator_session(data_dir, url, operator_key) as ops:
            report = ops.verify_audit()
    else:
        with errors():
            overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir else {}
            settings = load_settings(**overrides)
            pem = public_key or settings.resolved_keystore_dir / PUBLIC_KEY_FILE
            if public_key is not None and not public_key.is_file():
                raise InvalidInput(f"no public key file at {public_key}")
            check = pem_verifier(pem.read_text()) if pem.is_file() else None
            report = verify(path or settings.audit_path, check_signature=check)
    if as_json:
        print_json(report)
    elif report.ok:
        unsigned = "" if check or url else " (head signature not checked: no public key)"
        say(f"audit log intact: {report.count} lines{unsigned}")
    else:
        where = f" at line {report.line}" if report.line else ""
        err.print(f"audit log FAILED{where}: {report.problem}", markup=False, highlight=False)
    if not report.ok:
        raise typer.Exit(6)
