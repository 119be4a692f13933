"""Forked children: their bytes come back whole, a failed child says so, a cancelled one is reaped."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest

from crakit.forking import MAX_WORKERS, Forked, usable_workers

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="crakit forks only on Linux")


def test_a_child_sends_back_more_than_a_pipe_holds() -> None:
    data = os.urandom(3 * 1024 * 1024)  # a pipe buffer is 64 KiB: the child blocks until read
    child = Forked(lambda: data[::-1])
    assert child.result() == data[::-1]


def test_the_child_runs_in_another_process_and_sees_the_parents_objects() -> None:
    parent = os.getpid()
    table = {"objects": list(range(1000))}  # never pickled: the child sees it through the fork
    child = Forked(lambda: f"{os.getpid()} {sum(table['objects'])}".encode())
    pid, total = (child.result() or b"").split()
    assert int(pid) != parent
    assert int(total) == sum(range(1000))


@pytest.mark.parametrize("failure", ["raise", "exit"])
def test_a_failed_child_gives_none(failure: str) -> None:
    def work() -> bytes:
        if failure == "raise":
            raise ValueError("boom")
        os._exit(3)

    assert Forked(work).result() is None


def test_cancel_stops_and_reaps_a_running_child() -> None:
    child = Forked(lambda: time.sleep(60) or b"late")  # type: ignore[func-returns-value]
    pid = child._pid
    assert pid is not None
    child.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind
    child.cancel()  # twice is harmless


def test_workers_follow_the_request_and_the_cpus() -> None:
    assert usable_workers(3) == 3
    assert usable_workers(1) == 1
    assert usable_workers(0) == len(os.sched_getaffinity(0))


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert usable_workers(4) == 1
    finally:
        stop.set()
        thread.join()
    assert usable_workers(4) == 4


def test_a_request_is_capped() -> None:
    assert usable_workers(10_000) == MAX_WORKERS


def test_the_bytes_come_back_where_sigchld_is_ignored() -> None:
    """A process started with SIGCHLD ignored has its children reaped by the kernel: their exit
    status is gone, and the trailer alone says the bytes are whole."""
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert Forked(lambda: b"whole" * 100_000).result() == b"whole" * 100_000
        assert Forked(lambda: 1 / 0).result() is None  # type: ignore[arg-type,return-value]
    finally:
        signal.signal(signal.SIGCHLD, previous)


def test_an_interrupted_child_gives_none() -> None:
    def interrupted() -> bytes:
        raise KeyboardInterrupt  # Ctrl-C reaches the children too

    assert Forked(interrupted).result() is None
