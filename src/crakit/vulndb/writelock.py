"""One writer at a time per vulnerability database: an advisory lock on a file beside it.

Why a lock file and not SQLite's own locking: a build writes a new file beside the database and
renames it into place (readers only ever see a complete database, :mod:`crakit.vulndb.build`).
SQLite locks live on the database file, which for a new path does not exist yet, and which the
rename replaces under any lock held on the old one; neither protects the shared ``.building``
file or the rename. ``flock`` on ``<database>.lock`` covers the whole build (however long it
takes; SQLite's busy timeout is per statement), and is released by the kernel when the process ends however it ends
(Ctrl-C, a crash, ``kill -9``), so a lock can never go stale. POSIX only (``fcntl``).
"""

from __future__ import annotations

import fcntl
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from crakit.vulndb.errors import VulnDbError

_POLL_SECONDS = 0.1  # flock has no timeout: try, then sleep this long, until the deadline


class DatabaseBusy(VulnDbError):
    """Another process kept writing the database for longer than this one would wait (exit 2)."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextmanager
def write_lock(
    database: Path, *, wait: float, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the write lock of ``database`` for the ``with`` block.

    Waits up to ``wait`` seconds for another writer, calling ``on_wait`` once with its
    description when it has to wait; then raises :class:`DatabaseBusy` naming that writer.
    The lock file is removed on release.
    """
    path = lock_path(database)
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise VulnDbError(
                f"cannot open or create the lock file {path}: {exc.strerror}",
                hint="the database's folder must be writable",
            ) from None
        try:
            while not _try_lock(fd):
                holder = _holder(path)
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"{database} is being written by another crakit process ({holder}); "
                        f"gave up after waiting {wait:g} s",
                        hint="run the command again when that one has finished, or stop it if it hangs",
                    )
                if not told and on_wait is not None:
                    on_wait(holder)
                    told = True
                time.sleep(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
            # The previous holder removes the file before it unlocks: a lock taken on a file no
            # longer at ``path`` protects nothing, so open the current one and try again.
            if _is_current(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        _describe(fd)
        yield
    finally:
        path.unlink(missing_ok=True)  # while still holding the lock (see above)
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _is_current(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _describe(fd: int) -> None:
    """Write who holds the lock, for the message of anyone who has to wait."""
    from crakit.vulndb.store import now_iso

    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:200] if sys.argv else "?"
    text = f"pid {os.getpid()} on {socket.gethostname()}, `{command}`, since {now_iso()}"
    os.ftruncate(fd, 0)
    os.pwrite(fd, text.encode("utf-8", "replace"), 0)


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text[:300] or "it has not said who it is yet"
