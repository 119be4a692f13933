"""The command-line contract: init, token create, audit verify (0 intact, 1 after tampering),
rotate-key, purge; and `crakit report submit` against a real platform process on loopback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.platform_kit import AWARE, auth, cli, early_warning, server


def test_init_token_and_audit_verify(database_url: str, tmp_path: Path) -> None:
    init = cli("platform", "init", "--database-url", database_url, "--format", "json", cwd=tmp_path)
    assert len(json.loads(init.stdout)["seeded"]) == 29  # 27 CSIRTs, ENISA, the operator
    again = cli("platform", "init", "--database-url", database_url, "--format", "json", cwd=tmp_path)
    assert json.loads(again.stdout)["seeded"] == []
    token = json.loads(
        cli(
            "platform",
            "token",
            "create",
            "--database-url",
            database_url,
            "--role",
            "csirt",
            "--organisation",
            "CSIRT IE",
            "--member-state",
            "IE",
            "--format",
            "json",
        ).stdout
    )
    assert token["token"].startswith("crk_") and token["member_state"] == "IE"
    missing = cli(
        "platform",
        "token",
        "create",
        "--database-url",
        database_url,
        "--role",
        "csirt",
        "--organisation",
        "X",
        check=False,
    )
    assert missing.returncode == 2 and "member-state" in missing.stderr
    verify = cli("platform", "audit", "verify", "--database-url", database_url, "--format", "json")
    assert json.loads(verify.stdout)["intact"] is True


def test_cli_filed_notification_audit_tamper_exit_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    cli("platform", "init", "--database-url", url)
    maker = json.loads(
        cli(
            "platform",
            "token",
            "create",
            "--database-url",
            url,
            "--role",
            "manufacturer",
            "--organisation",
            "ACME",
            "--format",
            "json",
        ).stdout
    )["token"]
    with server(url) as (base, _process):
        assert (
            httpx.post(f"{base}/api/v1/notifications", json=early_warning(), headers=auth(maker)).status_code
            == 201
        )
    assert cli("platform", "audit", "verify", "--database-url", url).returncode == 0
    with sqlite3.connect(tmp_path / "p.db") as connection:
        connection.execute("UPDATE audit_log SET detail = '{}' WHERE seq = 1")
    broken = cli("platform", "audit", "verify", "--database-url", url, check=False)
    assert broken.returncode == 1 and "entry 1" in broken.stderr


def test_rotate_key_and_purge_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    cli("platform", "init", "--database-url", url)
    result = json.loads(cli("platform", "rotate-key", "--database-url", url, "--format", "json").stdout)
    assert result == {"tenants": 0, "rows_resealed": 0, "master_changed": False}
    purged = json.loads(cli("platform", "purge", "--database-url", url, "--format", "json").stdout)
    assert purged == {"mode": "redact", "count": 0, "notifications": []}


def test_init_writes_a_private_master_key_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    cli("platform", "init", "--database-url", url, cwd=tmp_path, env={"CRAKIT_PLATFORM_MASTER_KEY": ""})
    key = tmp_path / "crakit-platform-master.key"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"


@pytest.mark.slow
def test_report_submit_files_a_workspace_case_and_records_the_platform_id(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    cli("platform", "init", "--database-url", url)
    maker = json.loads(
        cli(
            "platform",
            "token",
            "create",
            "--database-url",
            url,
            "--role",
            "manufacturer",
            "--organisation",
            "ACME",
            "--format",
            "json",
        ).stdout
    )["token"]
    coordinator = json.loads(
        cli(
            "platform",
            "token",
            "create",
            "--database-url",
            url,
            "--role",
            "csirt",
            "--organisation",
            "CSIRT IE",
            "--member-state",
            "IE",
            "--format",
            "json",
        ).stdout
    )["token"]
    enisa = json.loads(
        cli(
            "platform",
            "token",
            "create",
            "--database-url",
            url,
            "--role",
            "enisa",
            "--organisation",
            "ENISA",
            "--format",
            "json",
        ).stdout
    )["token"]
    workspace = ["--workspace", str(tmp_path / "ws")]
    fields = [
        "--field",
        "main_establishment_ms=IE",
        "--field",
        "summary=Exploited in the wild",
        "--field",
        "product_name=ACME Gateway",
        "--field",
        "product_version=4.2",
        "--field",
        "member_states=IE,DE",
        "--field",
        "manufacturer_name=ACME",
    ]
    opened = json.loads(
        cli(
            "report",
            "open",
            "--kind",
            "vulnerability",
            "--aware-at",
            AWARE,
            "--title",
            "Auth bypass",
            *fields,
            *workspace,
            "--format",
            "json",
        ).stdout
    )
    with server(url) as (base, _process):
        submitted = cli(
            "report",
            "submit",
            str(opened["id"]),
            "--stage",
            "early-warning",
            "--platform",
            base,
            "--token",
            maker,
            *workspace,
            "--format",
            "json",
        )
        reply: Any = json.loads(submitted.stdout)
        platform_id = reply["platform_id"]
        assert reply["coordinator"] == "IE"
        for token in (coordinator, enisa):
            seen = httpx.get(f"{base}/api/v1/notifications/{platform_id}", headers=auth(token))
            assert seen.status_code == 200 and seen.json()["fields"]["summary"] == "Exploited in the wild"
        cli(
            "report", "update", str(opened["id"]), "--field", "v21=One request bypasses the check", *workspace
        )
        second = json.loads(
            cli(
                "report",
                "submit",
                str(opened["id"]),
                "--stage",
                "notification",
                "--platform",
                base,
                "--token",
                maker,
                *workspace,
                "--format",
                "json",
            ).stdout
        )
        assert second["platform_id"] == platform_id
        refused = cli(
            "report",
            "submit",
            str(opened["id"]),
            "--stage",
            "early-warning",
            "--platform",
            base,
            "--token",
            maker,
            *workspace,
            check=False,
        )
        assert refused.returncode == 2 and "refused" in refused.stderr
    history = json.loads(cli("report", "history", str(opened["id"]), *workspace, "--format", "json").stdout)
    submitted_entries = [e for e in history["entries"] if e["action"] == "submitted"]
    assert [e["detail"]["reference"] for e in submitted_entries] == [platform_id, platform_id]
    assert submitted_entries[0]["detail"]["evidence"][0]["platform"] == base
    unreachable = cli(
        "report",
        "submit",
        str(opened["id"]),
        "--stage",
        "final",
        "--platform",
        "http://127.0.0.1:9",
        "--token",
        maker,
        *workspace,
        check=False,
    )
    assert unreachable.returncode == 2 and "cannot reach" in unreachable.stderr
