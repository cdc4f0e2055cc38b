"""The README's HTTP walkthrough runs as written: its shell block is extracted and run with bash
against the server it starts (on a free port instead of 8000, in a scratch directory)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


def walkthrough() -> str:
    (block,) = [b for b in shell_blocks() if "privrag serve" in b and "curl" in b]
    return block


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_the_http_walkthrough_runs_as_written(tmp_path: Path, master_key: str) -> None:
    port = str(free_port())
    script = walkthrough().replace("8000", port)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),  # this checkout's privrag, whatever the venv was installed from
        "PRIVRAG_DATA_DIR": str(tmp_path / "privrag-data"),
        "PRIVRAG_MASTER_KEY": master_key,
        "PRIVRAG_AUDIT_FSYNC": "false",
        "PRIVRAG_URL": "",
        "PRIVRAG_API_KEY": "",
    }
    done = subprocess.run(
        [
            "bash",
            "-c",
            "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script,
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert '"name":"acme"' in lines[0].replace(" ", "")
    query = next(line for line in lines if line.startswith('{"results"'))
    assert '"doc_id": "t-1"' in query and "maria@example.com" not in query
    assert "acme\tactive" in lines
    assert '"deleted": []' in done.stdout


def test_every_shell_block_names_only_commands_that_exist() -> None:
    from typer.main import get_command

    from privrag.cli import app

    root = get_command(app)
    for block in shell_blocks():
        for line in block.splitlines():
            words = line.split("#")[0].split()
            if not words or words[0] != "privrag":
                continue
            command = root
            for word in words[1:]:
                sub = getattr(command, "commands", {}).get(word)
                if sub is None:
                    break
                command = sub
            assert command is not root, line
