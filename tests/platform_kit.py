"""Building blocks for the reporting platform's tests: an app on a given database, tokens for every
party, request bodies, and real server processes (uvicorn) on loopback."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

MASTER = bytes(range(32))
MASTER_B64 = base64.b64encode(MASTER).decode()
AWARE = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0).isoformat().replace("+00:00", "Z")

PARTIES = {
    "manufacturer": ("manufacturer", "ACME Devices", None),
    "other_manufacturer": ("manufacturer", "Globex", None),
    "coordinator": ("csirt", "CSIRT IE", "IE"),
    "recipient": ("csirt", "BSI", "DE"),
    "bystander": ("csirt", "CERT-FR", "FR"),
    "enisa": ("enisa", "ENISA", None),
    "admin": ("admin", "Platform operator", None),
}


def make_app(database_url: str, *, private_webhooks: bool = True, **settings: Any) -> Any:
    """The platform app; ``private_webhooks``: the tests' webhook receivers listen on loopback."""
    from crakit.platform import PlatformConfig
    from crakit.web import WebSettings, create_app
    from crakit.web.reporting_platform import platform_feature

    # a high rate limit by default: the role matrix alone sends hundreds of requests per token
    options = {"site_name": "crakit reporting platform", "rate_limit": 100_000, **settings}
    return create_app(
        WebSettings(database_url=database_url, **options),
        [platform_feature(PlatformConfig(MASTER, private_webhooks=private_webhooks))],
    )


def seed_tokens(app: Any) -> dict[str, str]:
    from crakit.platform import create_token, seed

    now = datetime.now(UTC)
    tokens = {}
    with app.state.store.transaction() as session:
        seed(session, now=now)
        for name, (role, organisation, state) in PARTIES.items():
            tokens[name] = create_token(session, role, organisation, state, now=now)[1].token
    return tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def early_warning(case: str = "REF-1", main: str = "IE", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "notification_type": "Vulnerability",
        "title": "Authentication bypass in ACME Gateway",
        "summary": "Exploited in the wild against the management interface.",
        "product_name": "ACME Gateway",
        "product_version": "4.0 to 4.2.1",
        "member_states": ["IE", "DE", "NL"],
        "aware_at": AWARE,
    }
    base.update(fields)
    return {"stage": "early-warning", "case": case, "main_establishment": main, "fields": base}


NOTIFICATION_FIELDS = {
    "general_information": "Missing authorisation check on /api/admin; one unauthenticated request.",
    "attack_vector": "network",
    "cve_id": "CVE-2026-12345",
}

FINAL_FIELDS = {
    "fix_available_at": AWARE,
    "security_update": "4.2.2 fixes the check.",
    "severity": "Critical: full takeover.",
    "impact": "Administrative access without credentials.",
    "measures_taken": "Released 4.2.2.",
    "user_measures": "Install 4.2.2.",
}


@dataclass
class Client:
    """A thin JSON client bound to one token (the tests read like the API docs)."""

    http: Any
    token: str

    def get(self, path: str, **kw: Any) -> Any:
        return self.http.get(path, headers=auth(self.token), **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.http.post(path, json=body, headers={**auth(self.token), **kw.pop("headers", {})}, **kw)

    def patch(self, path: str, body: Any) -> Any:
        return self.http.patch(path, json=body, headers=auth(self.token))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, check: bool = True) -> Any:
    full_env = {**os.environ, "CRAKIT_PLATFORM_MASTER_KEY": MASTER_B64, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"crakit {' '.join(args)} -> {result.returncode}: {result.stderr}")
    return result


@contextmanager
def server(
    database_url: str, *extra: str, port: int | None = None, log: Path | None = None
) -> Iterator[tuple[str, Any]]:
    """``crakit platform serve`` in its own process; yields (base URL, process). Always stopped."""
    port = port or free_port()
    env = {**os.environ, "CRAKIT_PLATFORM_MASTER_KEY": MASTER_B64}
    output = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crakit.cli.main",
            "platform",
            "serve",
            "--database-url",
            database_url,
            "--port",
            str(port),
            *extra,
        ],
        env=env,
        stdout=output,
        stderr=output,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log:
            output.close()  # type: ignore[union-attr]


def wait_ready(base: str, process: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become ready")
