"""Helpers of the workbench tests: a vulnerability database from OSV/KEV files in their real
formats, a local SMTP server (aiosmtpd) and a webhook receiver on loopback, manifests and SBOMs."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from tests.manifest_factory import manifest_dict
from tests.vulndb.helpers import osv_record, write_kev, write_records

# One advisory for a package no product ships: the database is not empty, the products are clean.
UNRELATED = osv_record(
    "GHSA-0000-0000-0001", "PyPI", "unrelated-pkg", events=[{"introduced": "0"}, {"fixed": "9.0"}]
)
# What "new data" brings: a flaw in demo-pkg before 2.0, which CISA KEV lists as exploited.
NEW = osv_record(
    "GHSA-wb13-demo-0001",
    "PyPI",
    "demo-pkg",
    events=[{"introduced": "0"}, {"fixed": "2.0"}],
    aliases=["CVE-2099-1313"],
    summary="demo flaw",
    modified="2026-12-01T00:00:00Z",
)
NPM_NEW = osv_record(
    "GHSA-wb13-left-0002", "npm", "left-pad", events=[{"introduced": "0"}, {"fixed": "9.9.9"}]
)


def build_initial(tmp: Path) -> Path:
    from crakit.vulndb import build_database

    db = tmp / "vulndb.sqlite"
    build_database(db, [write_records(tmp / "osv0", [UNRELATED])], write_kev(tmp / "kev0.json", []))
    return db


def new_data(tmp: Path, *, npm: bool = False) -> tuple[Path, Path]:
    records = [NEW, NPM_NEW] if npm else [NEW]
    return write_records(tmp / "osv1", records), write_kev(
        tmp / "kev1.json", [("CVE-2099-1313", "2026-12-02")]
    )


def manifest_yaml(name: str = "HomeGate AX3000", version: str = "2.1") -> bytes:
    data = manifest_dict(**{"product.name": name, "product.version": version})
    return yaml.safe_dump(data).encode()


def cyclonedx(components: list[tuple[str, str, str]]) -> bytes:
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "components": [
                {"type": "library", "bom-ref": purl, "name": name, "version": version, "purl": purl}
                for name, version, purl in components
            ],
        }
    ).encode()


SBOM = cyclonedx(
    [
        ("demo-pkg", "1.0", "pkg:pypi/demo-pkg@1.0"),
        ("left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0"),
        ("requests", "2.31.0", "pkg:pypi/requests@2.31.0"),
    ]
)


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[Any] = field(default_factory=list)


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """aiosmtpd on 127.0.0.1, a free port; every message received lands in ``messages``."""
    import socket
    from email import message_from_bytes

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox("127.0.0.1", port)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            box.messages.append(message_from_bytes(envelope.content))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Hook:
    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@contextmanager
def webhook_receiver() -> Iterator[Hook]:
    hook = Hook("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hook.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


def make_app(database_url: str, vulndb: Path, *, private_webhooks: bool = True) -> Any:
    """The workbench app; webhooks to the loopback receiver are allowed unless ``private_webhooks`` is False."""
    from crakit.web import WebSettings, create_app
    from crakit.web.workbench import workbench_feature

    # the role matrix makes more requests per token than the default per-minute limit allows
    settings = WebSettings(
        database_url=database_url, site_name="crakit workbench", max_body_bytes=50_000_000, rate_limit=100_000
    )
    return create_app(settings, [workbench_feature(vulndb, private_webhooks=private_webhooks)])


def token(database_url: str, role: str, organisation: str = "default") -> str:
    from click.testing import CliRunner

    from crakit.cli.main import cli

    result = CliRunner().invoke(
        cli,
        [
            "workbench",
            "token",
            "create",
            "--database-url",
            database_url,
            "--role",
            role,
            "--organisation",
            organisation,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["token"])


@contextmanager
def serve(database_url: str, vulndb: Path, *extra: str, log: Path | None = None) -> Iterator[str]:
    """``crakit serve`` in its own process (with its job runner when asked); yields the base URL."""
    import subprocess
    import sys

    from tests.platform_kit import free_port, wait_ready

    port = free_port()
    output = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crakit.cli.main",
            "serve",
            "--database-url",
            database_url,
            "--vulndb",
            str(vulndb),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--insecure-cookies",
            *extra,
        ],
        stdout=output,
        stderr=output,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process)
        yield base
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log:
            output.close()  # type: ignore[union-attr]


def flat_mirror(tmp_path: Path) -> str:
    """A flat record mirror (as ``crakit db update --mirror`` reads) holding the new data."""
    osv, kev = new_data(tmp_path)
    base = tmp_path / "mirror"
    (base / "osv").mkdir(parents=True)
    (base / "kev").mkdir()
    ids = []
    for record in sorted(osv.glob("*.json")):
        (base / "osv" / record.name).write_bytes(record.read_bytes())
        ids.append(record.stem)
    (base / "osv" / "INDEX.csv").write_text(
        "id,modified,ecosystems\n" + "".join(f"{i},2026-12-01T00:00:00Z,PyPI\n" for i in ids)
    )
    (base / "kev" / "known_exploited_vulnerabilities.json").write_bytes(kev.read_bytes())
    return base.as_uri()
