"""The CLI's answers to a mistyped or unusable data dir, duplicate ids and --version: one clean
line and the documented exit code, never a traceback, and never a data dir made by accident."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from typer.testing import CliRunner

import privrag
from privrag.cli import app

runner = CliRunner()


def invoke(master_key: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app, list(args), env={"PRIVRAG_MASTER_KEY": master_key, "PRIVRAG_URL": ""}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def test_version(master_key: str) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"privrag {privrag.__version__}\n"
    assert privrag.__version__ == "0.1.0"


def test_a_data_dir_that_is_a_file_is_refused(tmp_path: Path, master_key: str) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    code, err = invoke(master_key, "tenant", "create", "acme", "--data-dir", str(target))
    assert code == 2 and err == f"error: data dir {target} is not a directory\n"


def test_read_commands_never_create_a_data_dir(tmp_path: Path, master_key: str) -> None:
    typo = tmp_path / "privrag-dta"
    for args in (
        ["query", "--tenant", "acme", "x"],
        ["doc", "list", "--tenant", "acme"],
        ["tenant", "list"],
        ["retention", "sweep"],
        ["retention", "verify"],
    ):
        code, err = invoke(master_key, *args, "--data-dir", str(typo))
        assert code == 3 and err.startswith(f"error: no data dir at {typo}"), args
    assert not typo.exists()


def test_documents_with_one_id_from_two_files_are_refused(tmp_path: Path, master_key: str) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text("Some notes.")
    code, err = invoke(
        master_key,
        "ingest",
        "--tenant",
        "acme",
        str(tmp_path / "a" / "notes.txt"),
        str(tmp_path / "b" / "notes.txt"),
        "--data-dir",
        str(tmp_path / "data"),
    )
    assert code == 2 and "'notes.txt' is also given by" in err and "a/notes.txt" in err
    assert not (tmp_path / "data").exists()


def test_a_wrong_or_missing_master_key_is_named_and_no_second_key_file_is_made(
    tmp_path: Path, master_key: str
) -> None:
    data = tmp_path / "data"
    assert invoke(master_key, "tenant", "create", "acme", "--data-dir", str(data))[0] == 0
    other = base64.b64encode(os.urandom(32)).decode()
    code, err = invoke(other, "tenant", "list", "--data-dir", str(data))
    assert code == 1 and "the master key does not match this data dir" in err
    result = runner.invoke(
        app, ["tenant", "list", "--data-dir", str(data)], env={"PRIVRAG_MASTER_KEY": None}
    )
    assert result.exit_code == 2 and "PRIVRAG_MASTER_KEY is unset" in result.stderr
    assert not list(data.rglob("master.key"))
