"""``python -m crakit.jobs``: the job runner ``crakit serve`` starts beside the web server."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from crakit.jobs import JobConfig, apply_schema, defer_monitor, run_in_process, run_worker
from crakit.portfolio import MailSettings


def _follow_parent(poll: float = 1.0) -> None:
    """End this runner when the process that started it (``crakit serve``) is gone.

    uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, so ``serve`` may die before its
    own clean-up stops us; an orphaned runner would keep monitoring and mailing with nobody
    serving. A changed parent pid means we were re-parented: stop as on SIGTERM."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="crakit-jobs-parent", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crakit.jobs", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--vulndb", required=True, type=Path)
    parser.add_argument("--monitor-every", type=int, default=60, help="minutes; 0: no monitoring schedule")
    parser.add_argument("--mirror")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--smtp-host")
    parser.add_argument("--smtp-port", type=int, default=25)
    parser.add_argument("--mail-from", default="crakit-workbench@localhost")
    parser.add_argument("--smtp-starttls", action="store_true")
    parser.add_argument("--private-webhooks", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s crakit-jobs %(levelname)s %(message)s")
    _follow_parent()
    mail = (
        MailSettings(args.smtp_host, args.smtp_port, args.mail_from, starttls=args.smtp_starttls)
        if args.smtp_host
        else None
    )
    config = JobConfig(
        args.database_url, args.vulndb, args.mirror, mail, private_webhooks=args.private_webhooks
    )
    if make_url(args.database_url).get_backend_name() == "postgresql":
        apply_schema(config)
        if args.monitor_every and args.mirror:
            # with a mirror of its own the schedule starts with a run; the official sources
            # (gigabytes) are first fetched after one interval, not by merely starting the server
            defer_monitor(config)
        run_worker(config, workers=args.workers, monitor_every=args.monitor_every)
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    run_in_process(config, monitor_every=args.monitor_every * 60, stop=stop, first_now=bool(args.mirror))
    return 0


if __name__ == "__main__":
    sys.exit(main())
