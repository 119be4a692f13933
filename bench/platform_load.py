#!/usr/bin/env python3
"""Load on the reference reporting platform: N concurrent early-warning submissions from another
process (this one) to ``crakit platform serve`` on loopback, on SQLite and (when
``CRAKIT_TEST_DATABASE_URL`` is set) PostgreSQL.

Reports throughput and p50/p90/p99 latency of ``POST /api/v1/notifications`` (each one a validated,
routed, encrypted, audited write committed before the 201), and as a baseline in the same run the
same numbers for ``GET /api/v1/health`` (one trivial query). Compare the ratio, not the absolute
times across machines. Every 201 is read back afterwards and the audit chain verified.

usage: python bench/platform_load.py [--requests 1000] [--concurrency 1000] [--sqlite-only]
"""

from __future__ import annotations

import os
import sys

# This file is named like the standard library's ``platform`` module, which uuid and others import:
# take the script's own folder off the import path before anything imports it.
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import asyncio
import base64
import json
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

MASTER = base64.b64encode(os.urandom(32)).decode()
ENV = {**os.environ, "CRAKIT_PLATFORM_MASTER_KEY": MASTER}


def crakit(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *args], env=ENV, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"crakit {' '.join(args)}: {done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def body(number: int) -> dict[str, Any]:
    aware = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "stage": "early-warning",
        "case": f"BENCH-{uuid.uuid4().hex}",
        "main_establishment": ("IE", "DE", "FR", "NL", "BE")[number % 5],
        "fields": {
            "notification_type": "Vulnerability",
            "title": f"Benchmark notification {number}",
            "summary": "Exploited in the wild. " * 20,
            "product_name": "Gateway",
            "product_version": "4.2",
            "member_states": ["IE", "DE", "FR"],
            "aware_at": aware,
        },
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def burst(
    base: str, token: str, count: int, concurrency: int, post: bool
) -> tuple[float, list[float], list[str]]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    ids: list[str] = []
    async with httpx.AsyncClient(limits=limits, timeout=300) as client:

        async def one(number: int) -> None:
            async with gate:
                started = time.perf_counter()
                if post:
                    reply = await client.post(
                        f"{base}/api/v1/notifications",
                        json=body(number),
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    if reply.status_code != 201:
                        raise SystemExit(f"HTTP {reply.status_code}: {reply.text[:200]}")
                    ids.append(reply.json()["id"])
                else:
                    reply = await client.get(f"{base}/api/v1/health")
                    reply.raise_for_status()
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(count)))
        return time.perf_counter() - started, latencies, ids


def run(label: str, url: str, count: int, concurrency: int) -> None:
    crakit("platform", "init", "--database-url", url)
    token = json.loads(
        crakit(
            "platform",
            "token",
            "create",
            "--database-url",
            url,
            "--role",
            "manufacturer",
            "--organisation",
            "Bench",
            "--format",
            "json",
        )
    )["token"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crakit.cli.main",
            "platform",
            "serve",
            "--database-url",
            url,
            "--port",
            str(port),
            "--rate-limit",
            "10000000",
        ],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        health_time, health, _ = asyncio.run(burst(base, token, count, concurrency, post=False))
        post_time, posts, ids = asyncio.run(burst(base, token, count, concurrency, post=True))
        with httpx.Client(timeout=60) as client:
            missing = [
                i
                for i in ids[:: max(1, len(ids) // 100)]
                if client.get(
                    f"{base}/api/v1/notifications/{i}", headers={"Authorization": f"Bearer {token}"}
                ).status_code
                != 200
            ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    verified = json.loads(crakit("platform", "audit", "verify", "--database-url", url, "--format", "json"))
    print(f"\n{label}: {count} requests, {concurrency} concurrent, loopback, server in its own process")
    for name, elapsed, values in (
        ("GET health (baseline)", health_time, health),
        ("POST notification", post_time, posts),
    ):
        print(
            f"  {name:24} {count / elapsed:8.1f} req/s   p50 {percentile(values, 0.5) * 1000:8.1f} ms   "
            f"p90 {percentile(values, 0.9) * 1000:8.1f} ms   p99 {percentile(values, 0.99) * 1000:8.1f} ms"
        )
    print(
        f"  ratio POST/GET throughput: {(count / post_time) / (count / health_time):.2f}; "
        f"sampled read-back missing: {len(missing)}; audit chain intact: {verified['intact']} "
        f"({verified['entries']} entries); mean POST latency {statistics.mean(posts) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1000)
    parser.add_argument("--sqlite-only", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", options.requests, options.concurrency)
    base = os.environ.get("CRAKIT_TEST_DATABASE_URL")
    if base and not options.sqlite_only:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from crakit.store.testing import isolated_postgres_url

        with isolated_postgres_url(base) as url:
            run("PostgreSQL", url, options.requests, options.concurrency)


if __name__ == "__main__":
    main()
