"""Share CPU-bound work with forked children, each sending back its result as bytes.

Why a bare ``fork`` and not :mod:`multiprocessing`: the work needs the parent's objects as they
are (parsed SBOMs, thousands of components); a forked child sees them without pickling anything,
and sends back only its compact result. A pool would pickle the inputs, start an interpreter per
worker (spawn) or fork anyway, and cost more to start than a 10,000-component scan takes.

Forking is used only where it is safe: Linux (macOS's system libraries are not fork-safe), and a
process with one thread (a thread holding a lock at the fork would leave it held in the child
forever). Everywhere else :func:`usable_workers` says 1 and the caller runs the work itself. A
child that fails for any reason yields ``None``: the caller redoes that share in-process, so a
child never changes a result, only the time it takes.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable

MAX_WORKERS = 64  # each worker is a process and a pipe: a typo like --jobs 1000 must not exhaust them

# Written after a child's bytes with their length: the bytes are whole only when it is there. The
# exit status cannot say so in a process that ignores SIGCHLD (its children are reaped unseen).
_TRAILER = b"crakit-forked-done"


def usable_workers(requested: int | None = None) -> int:
    """How many processes may share work now: ``requested`` (None or 0: one per CPU this process
    may run on; at most :data:`MAX_WORKERS`), or 1 where forking is unsafe (not Linux, or more
    than one thread running)."""
    if sys.platform != "linux" or not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    wanted = requested or len(os.sched_getaffinity(0))
    return max(1, min(wanted, MAX_WORKERS))


class Forked:
    """``work()`` run in a forked child; :meth:`result` waits for its bytes.

    The child never returns into the caller's code: it writes its bytes to a pipe and leaves with
    ``os._exit`` (no ``atexit`` handlers, no flushing of the parent's buffers, no closing of the
    parent's database connections). Raises :class:`OSError` when no pipe or process can be had
    (the caller then does the work itself)."""

    def __init__(self, work: Callable[[], bytes]) -> None:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # the child
            code = 1
            try:
                os.close(read_end)
                data = work()
                view = memoryview(data + _TRAILER + len(data).to_bytes(8, "big"))
                while view:
                    view = view[os.write(write_end, view) :]
                code = 0
            except BaseException:  # any failure at all: the parent redoes the share
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid: int | None = pid
        self._read = read_end

    def result(self) -> bytes | None:
        """The child's bytes, or None when it failed (the caller then does the work itself)."""
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self._read, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self._read)
            status = self._reap()
        data = b"".join(chunks)
        end = len(data) - len(_TRAILER) - 8
        if status not in (0, None) or end < 0 or data[end : end + len(_TRAILER)] != _TRAILER:
            return None
        if int.from_bytes(data[-8:], "big") != end:
            return None
        return data[:end]

    def cancel(self) -> None:
        """Stop the child if it still runs (the caller gave up, e.g. on Ctrl-C), and reap it."""
        if self._pid is None:
            return
        import signal  # only a cancelled child needs it

        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.close(self._read)
        self._reap()

    def _reap(self) -> int | None:
        """The child's exit code; None when it cannot be known (SIGCHLD ignored: the kernel
        reaped it already)."""
        if self._pid is None:
            return None
        pid, self._pid = self._pid, None
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status)
