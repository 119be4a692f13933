"""Concurrent writers on one case, from several processes, on SQLite and PostgreSQL (issue 11.2).

Every history entry must hold the true old value (the read-modify-write happens inside one locked
transaction), the hash chain must stay intact, and no change may be lost or refused.
"""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest

from crakit.reporting import CaseClosed, Kind, NewCase, case_history, get_case, open_case
from crakit.store import open_store
from tests.reporting import workers

AWARE = datetime(2026, 10, 2, 8, 15, tzinfo=UTC)
WORKERS, UPDATES, EVENTS = 4, 25, 10  # 100 field updates + 20 evidence entries on one case
# spawn, not fork: each worker starts as a fresh crakit process, as `crakit report update` would.
SPAWN = multiprocessing.get_context("spawn")


def _open_case(url: str) -> int:
    with open_store(url) as store:
        case = open_case(
            store,
            NewCase(kind=Kind.VULNERABILITY, aware_at=AWARE, product={"name": "HomeGate"}),
            actor="a",
            now=AWARE,
        )
    return int(case.id)


def _run(processes: list[multiprocessing.process.BaseProcess]) -> None:
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    assert [p.exitcode for p in processes] == [0] * len(processes), "a worker failed (see its stderr)"


@pytest.mark.timeout(300)
def test_concurrent_updates_record_the_true_old_value(database_url):
    case_id = _open_case(database_url)
    start = SPAWN.Event()
    processes = [
        SPAWN.Process(target=workers.update_summary, args=(database_url, case_id, w, UPDATES, start))
        for w in range(WORKERS)
    ] + [
        SPAWN.Process(target=workers.record_events, args=(database_url, case_id, w, EVENTS, start))
        for w in range(2)
    ]
    for process in processes:
        process.start()
    start.set()  # all at once
    for process in processes:
        process.join()
    assert [p.exitcode for p in processes] == [0] * len(processes), "a worker failed (see its stderr)"

    with open_store(database_url) as store:
        history = case_history(store, case_id)
        final = get_case(store, case_id).fields["summary"]
    assert history.intact
    assert [e.seq for e in history.entries] == list(range(1, len(history.entries) + 1))
    updates = [e for e in history.entries if e.action == "updated"]
    assert len(updates) == WORKERS * UPDATES
    assert sum(e.action == "drafted" for e in history.entries) == 2 * EVENTS
    previous = None
    wrong = []
    for entry in updates:
        if entry.detail["old"] != previous:
            wrong.append((entry.seq, entry.detail["old"], previous))
        previous = entry.detail["new"]
    assert wrong == [], f"{len(wrong)} of {len(updates)} entries record a stale old value: {wrong[:5]}"
    assert final == previous
    # every value written is in the history exactly once
    assert sorted(e.detail["new"] for e in updates) == sorted(
        f"w{w}-{s}" for w in range(WORKERS) for s in range(UPDATES)
    )


@pytest.mark.timeout(120)
def test_concurrent_close_closes_once(database_url):
    case_id = _open_case(database_url)
    start, results = SPAWN.Event(), SPAWN.Queue()
    processes = [
        SPAWN.Process(target=workers.close_case, args=(database_url, case_id, start, results))
        for _ in range(3)
    ]
    for process in processes:
        process.start()
    start.set()
    outcomes = sorted(results.get(timeout=100) for _ in processes)
    for process in processes:
        process.join()
    assert outcomes == sorted(["closed", CaseClosed.__name__, CaseClosed.__name__])
    with open_store(database_url) as store:
        history = case_history(store, case_id)
    assert [e.action for e in history.entries] == ["opened", "closed"] and history.intact


@pytest.mark.timeout(120)
def test_first_commands_in_a_new_workspace_migrate_once(database_url):
    # Nobody has opened this database yet: every worker's first open_store races to migrate it.
    start = SPAWN.Event()
    processes = [SPAWN.Process(target=workers.open_cases, args=(database_url, w, 3, start)) for w in range(3)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join()
    assert [p.exitcode for p in processes] == [0] * len(processes), "a worker failed (see its stderr)"
    with open_store(database_url) as store:
        from crakit.reporting import list_cases

        cases = list_cases(store)
        assert len(cases) == 9
        assert all(case_history(store, case.id).intact for case in cases)
