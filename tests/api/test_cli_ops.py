"""Every operator command runs beside a running server (which owns the data dir) through
``--url`` and an operator key, with the same output as locally."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from privrag.cli import app
from tests.api.conftest import Api

runner = CliRunner()
DAY = 86_400


def cli(api: Api, *args: str) -> tuple[int, str, str]:
    env = {"PRIVRAG_URL": api.url, "PRIVRAG_OPERATOR_KEY": api.operator_key}
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_operator_commands_run_while_the_server_owns_the_data_dir(api: Api, clock) -> None:  # type: ignore[no-untyped-def]
    assert cli(api, "tenant", "create", "acme")[:2] == (0, "created tenant acme\n")
    code, out, _ = cli(api, "tenant", "list", "--json")
    assert code == 0 and json.loads(out) == {"tenants": [{"name": "acme", "status": "active"}]}

    code, out, _ = cli(
        api, "retention", "policy", "--tenant", "acme", "--class-days", "restricted=30"
    )
    assert code == 0
    code, out, _ = cli(
        api, "retention", "policy", "--tenant", "acme", "--default-days", "1", "--json"
    )
    assert json.loads(out)["policy"] == {"default_days": 1, "by_class": {"restricted": 30}}

    key = api.key("acme")
    api.client(key).post("/v1/documents", json={"documents": [{"id": "d1", "text": "Old memo."}]})
    code, out, _ = cli(api, "retention", "sweep", "--dry-run", "--as-of", "2100-01-01", "--json")
    assert code == 0 and json.loads(out)["tenants"]["acme"]["deleted"] == ["d1"]
    clock.advance(2 * DAY)
    code, out, _ = cli(api, "retention", "sweep")
    assert (code, out) == (0, "acme: deleted 1 document, 0 held\n")
    code, out, _ = cli(api, "retention", "verify")
    assert (code, out) == (0, "receipts intact: 1 receipt\n")

    assert cli(api, "tenant", "hold", "acme")[0] == 0
    code, out, _ = cli(api, "tenant", "holds")
    assert (code, out) == (0, "acme\t(whole tenant)\n")
    code, out, _ = cli(api, "tenant", "pii-policy", "acme", "--add", "DATE_TIME")
    assert code == 0 and "DATE_TIME" in json.loads(out)["entities"]

    code, out, _ = cli(api, "operator-key", "create", "--label", "bob")
    bob = out.strip().splitlines()[-1]
    assert code == 0 and bob.startswith("prk_op")
    # Made through the server, bob's key is the caller's to the two-person rule.
    row = api.rag._runtime.catalog.api_keys.get(bob.split("_")[1])
    assert row is not None and row.created_by == api.operator_key.split("_")[1]
    code, out, _ = cli(api, "operator-key", "list", "--json")
    assert "bob" in [k["label"] for k in json.loads(out)["keys"]]
    assert cli(api, "tenant", "keys", "acme")[0] == 0
    code, out, _ = cli(api, "audit", "verify")
    assert code == 0 and out.startswith("audit log intact")
    code, out, _ = cli(api, "model", "list", "--tenant", "acme")
    assert (code, out) == (0, "* base  packaged all-MiniLM-L6-v2\n")


def test_client_mode_errors_keep_their_exit_codes(api: Api) -> None:
    code, _, err = cli(api, "retention", "policy", "--tenant", "nobody")
    assert code == 3 and err.startswith("error: no tenant")
    api.tenant("acme")
    code, _, err = cli(api, "tenant", "pii-policy", "acme", "--add", "FOO")
    assert code == 2 and "unknown PII entity type FOO" in err
    code, _, err = cli(api, "tenant", "create", "acme")
    assert code == 5
    result = runner.invoke(
        app, ["tenant", "list", "--url", api.url], env={"PRIVRAG_OPERATOR_KEY": ""}
    )
    assert result.exit_code == 2 and "--operator-key" in result.stderr


def test_a_local_command_on_a_data_dir_the_server_owns_says_so_with_its_own_code(
    api: Api, master_key: str
) -> None:
    env = {"PRIVRAG_URL": "", "PRIVRAG_MASTER_KEY": master_key}
    result = runner.invoke(app, ["tenant", "list", "--data-dir", str(api.data_dir)], env=env)
    assert result.exit_code == 7 and result.stderr.startswith("error:")
