"""Worker processes for the database concurrency tests (importable by ``multiprocessing``'s spawn)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def hold_write_lock(database: str, held: Any, release: Any) -> None:
    """Take the database's write lock as a build would, say so, and keep it until told."""
    from crakit.vulndb.writelock import write_lock

    with write_lock(Path(database), wait=0):
        held.set()
        release.wait()
