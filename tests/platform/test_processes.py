"""Real server processes: SIGKILL during a burst loses nothing that was acknowledged, and two
processes on one database behave like one (rate limits, sessions, throttling, the audit chain)."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest

from tests.platform_kit import auth, cli, early_warning, server

pytestmark = pytest.mark.slow


def _token(url: str, role: str = "manufacturer", organisation: str = "ACME", state: str | None = None) -> str:
    extra = ["--member-state", state] if state else []
    out = cli(
        "platform",
        "token",
        "create",
        "--database-url",
        url,
        "--role",
        role,
        "--organisation",
        organisation,
        *extra,
        "--format",
        "json",
    )
    return str(json.loads(out.stdout)["token"])


def test_sigkill_during_a_burst_loses_no_acknowledged_notification(database_url: str, tmp_path: Path) -> None:
    cli("platform", "init", "--database-url", database_url)
    token = _token(database_url)
    acknowledged: dict[str, dict[str, Any]] = {}
    lock = threading.Lock()
    killed = threading.Event()
    with server(database_url, "--rate-limit", "1000000", log=tmp_path / "first.log") as (base, process):

        def submit(number: int) -> None:
            body = early_warning(
                case=f"BURST-{number}", summary=f"burst {number} {'x' * (number % 97)}".strip()
            )
            try:
                reply = httpx.post(f"{base}/api/v1/notifications", json=body, headers=auth(token), timeout=30)
            except httpx.HTTPError:
                return  # the server died under this request: not acknowledged, nothing promised
            if reply.status_code == 201:
                with lock:
                    acknowledged[reply.json()["id"]] = body
                    if len(acknowledged) >= 60 and not killed.is_set():
                        killed.set()
                        process.send_signal(signal.SIGKILL)

        with ThreadPoolExecutor(max_workers=24) as pool:
            list(pool.map(submit, range(400)))
        assert killed.is_set(), "the burst ended before the kill"
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
    assert 60 <= len(acknowledged) < 400
    with server(database_url, "--rate-limit", "1000000", log=tmp_path / "second.log") as (base, _process):
        for notification, sent in acknowledged.items():
            reply = httpx.get(f"{base}/api/v1/notifications/{notification}", headers=auth(token), timeout=30)
            assert reply.status_code == 200, notification
            stored = reply.json()
            assert stored["case"] == sent["case"]
            assert stored["fields"]["summary"] == sent["fields"]["summary"]
            assert stored["fields"]["title"] == sent["fields"]["title"]
    assert cli("platform", "audit", "verify", "--database-url", database_url).returncode == 0


def _wait_for_a_fresh_minute() -> None:
    # the rate-limit window is the calendar minute: do not start a counting test at its very end
    if datetime.now(UTC).second > 50:
        time.sleep(61 - datetime.now(UTC).second)


def _people(url: str) -> str:
    from crakit import accounts, platform
    from crakit.store import open_database

    now = datetime.now(UTC)
    with (
        open_database(url, [accounts.MIGRATIONS, platform.MIGRATIONS]) as store,
        store.transaction() as session,
    ):
        org = accounts.find_organisation(session, "csirt", "NCSC-IE (CSIRT-IE)")
        assert org is not None
        made = accounts.create_person(
            session, "niamh@csirt.ie", "Niamh", "correct horse battery staple", now=now
        )
        accounts.add_membership(session, made.person.id, org.id, "analyst", now=now)
    return made.totp_secret


def _login(client: httpx.Client, base: str, password: str, secret: str) -> httpx.Response:
    page = client.get(f"{base}/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    return client.post(
        f"{base}/login",
        data={
            "email": "niamh@csirt.ie",
            "password": password,
            "code": pyotp.TOTP(secret).now(),
            "csrf_token": csrf.group(1),
        },
    )


def test_two_processes_behave_like_one(database_url: str, tmp_path: Path) -> None:
    cli("platform", "init", "--database-url", database_url)
    maker = _token(database_url)
    csirt = _token(database_url, "csirt", "CSIRT IE", "IE")
    limited = _token(database_url, "enisa", "ENISA")
    writer = _token(database_url, "manufacturer", "Initech")
    secret = _people(database_url)
    common = ("--rate-limit", "10", "--insecure-cookies")
    with (
        server(database_url, *common, log=tmp_path / "a.log") as (a, _pa),
        server(database_url, *common, log=tmp_path / "b.log") as (b, _pb),
    ):
        # what one process stored, the other serves
        filed = httpx.post(f"{a}/api/v1/notifications", json=early_warning(), headers=auth(maker)).json()
        assert httpx.get(f"{b}/api/v1/notifications/{filed['id']}", headers=auth(csirt)).status_code == 200

        # one rate limit across both processes
        _wait_for_a_fresh_minute()
        statuses = [httpx.get(f"{base}/api/v1/me", headers=auth(limited)).status_code for base in (a, b) * 6]
        assert statuses.count(200) == 10 and statuses.count(429) == 2

        # a session started on A works on B; signing out on B ends it on A
        with httpx.Client() as browser:
            assert _login(browser, a, "correct horse battery staple", secret).status_code == 303
            assert browser.get(f"{b}/api/v1/me").json()["member_state"] == "IE"
            page = browser.get(f"{b}/inbox").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert csrf
            browser.post(f"{b}/logout", data={"csrf_token": csrf.group(1)})
            assert browser.get(f"{a}/api/v1/me").status_code == 401

        # failed sign-ins count together: three on A and two on B lock the account on both
        with httpx.Client() as attacker:
            for base in (a, a, a, b, b):
                assert _login(attacker, base, "wrong password here", secret).status_code == 401
            assert _login(attacker, a, "correct horse battery staple", secret).status_code == 429
            assert _login(attacker, b, "correct horse battery staple", secret).status_code == 429

        # concurrent writers on both processes keep one intact audit chain
        def file(number: int) -> int:
            base = (a, b)[number % 2]
            body = early_warning(case=f"TWO-{number}")
            return httpx.post(
                f"{base}/api/v1/notifications", json=body, headers=auth(writer), timeout=60
            ).status_code

        _wait_for_a_fresh_minute()
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(file, range(16)))
        assert statuses.count(201) == 10 and statuses.count(429) == 6  # 10 per minute, across both
    verified = json.loads(
        cli("platform", "audit", "verify", "--database-url", database_url, "--format", "json").stdout
    )
    assert verified["intact"] and verified["entries"] >= 12
