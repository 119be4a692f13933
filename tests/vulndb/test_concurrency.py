"""Several writers and readers on one vulnerability database, from separate processes (issue 11.2).

Two builds into one path both succeed (one waits for the other) or one says clearly who it waited
for; a reader sees the old complete database or the new one, never a mixture; Ctrl-C or a kill
leaves no half-written database and no lock behind.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from crakit.vulndb import build_database, open_database
from crakit.vulndb.writelock import DatabaseBusy, lock_path
from tests.vulndb import workers
from tests.vulndb.helpers import osv_record, write_cdx, write_kev

# Large enough that a build lasts well beyond a process start, so the writers really overlap.
RECORDS = 20_000
SPAWN = multiprocessing.get_context("spawn")


def write_corpus(
    path: Path, count: int, *, modified: str = "2024-01-01T00:00:00Z", fixed: str = "1.5"
) -> Path:
    """An osv.dev-style all.zip of ``count`` PyPI records over 500 packages."""
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(count):
            record = osv_record(
                f"PYSEC-2099-{i}",
                "PyPI",
                f"pkg{i % 500}",
                # only record 0 affects pkg0 below ``fixed``; the others affect versions nobody uses
                events=[{"introduced": "0"}, {"fixed": fixed}] if i == 0 else [{"introduced": f"100.{i}"}],
                aliases=[f"CVE-2099-{i}"],
                modified=modified,
            )
            archive.writestr(f"{record['id']}.json", json.dumps(record))
    return path


def crakit(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crakit.cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def litter(folder: Path, keep: set[str]) -> list[str]:
    """Files beside the database that nobody should find there afterwards."""
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def snapshot(path: Path) -> tuple[int, int, str | None]:
    """What a reader sees: records (stored count, checked against the table), KEV entries, KEV version."""
    with open_database(path) as db:
        info = db.info()
        counted = db.conn.execute("SELECT COUNT(*) FROM vulns").fetchone()[0]
    assert info.records == counted, "the stored count disagrees with the table: a half-written database"
    return info.records, info.kev_entries, info.kev_catalog_version


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "sources"
    folder.mkdir()
    return write_corpus(folder / "all.zip", RECORDS), write_kev(
        folder / "kev.json", [("CVE-2099-0", "2024-03-01")]
    )


@pytest.mark.timeout(300)
def test_two_builds_into_one_new_path(tmp_path: Path, sources: tuple[Path, Path]) -> None:
    osv, kev = sources
    out = tmp_path / "out"
    target = out / "vulndb.sqlite"  # neither the file nor its folder exists yet
    builds = [
        crakit("db", "build", "--osv", str(osv), "--kev", str(kev), "--db", str(target)) for _ in range(2)
    ]
    results = [(b.wait(timeout=240), b.stderr.read() if b.stderr else "") for b in builds]
    for code, err in results:
        assert "Traceback" not in err and "internal error" not in err, err
        if code == 2:  # gave up waiting: one clear line that names the other writer
            assert "being written by another crakit process (pid" in err and err.count("\n") == 1, err
        else:
            assert code == 0, err
    assert 0 in [code for code, _ in results]
    assert litter(out, {"vulndb.sqlite"}) == []
    assert snapshot(target) == (RECORDS, 1, "2025.01.01")
    bom = write_cdx(tmp_path / "bom.json", ["pkg:pypi/pkg0@1.0", "pkg:pypi/pkg1@9.0"])
    scan = crakit("scan", str(bom), "--db", str(target), "--format", "json")
    stdout, stderr = scan.communicate(timeout=120)
    assert scan.returncode == 0, stderr
    findings = {(f["purl"], f["id"], f["exploited"]) for f in json.loads(stdout)["findings"]}
    assert findings == {("pkg:pypi/pkg0@1.0", "PYSEC-2099-0", True)}


@pytest.mark.timeout(300)
def test_a_reader_sees_the_old_or_the_new_database_during_an_update(tmp_path: Path) -> None:
    target = tmp_path / "vulndb.sqlite"
    build_database(
        target,
        [write_corpus(tmp_path / "v1.zip", RECORDS)],
        write_kev(tmp_path / "kev1.json", [("CVE-2099-0", "2024-03-01")]),
    )
    old = snapshot(target)
    # Every record changes, 5000 are new, the KEV catalogue grows: an incremental update of it all.
    v2 = write_corpus(tmp_path / "v2.zip", RECORDS + 5000, modified="2024-06-01T00:00:00Z", fixed="1.6")
    kev2 = write_kev(
        tmp_path / "kev2.json", [("CVE-2099-0", "2024-03-01"), ("CVE-2099-1", "2024-05-01")], "2025.06.01"
    )
    new = (RECORDS + 5000, 2, "2025.06.01")
    update = crakit("db", "build", "--osv", str(v2), "--kev", str(kev2), "--db", str(target))
    seen = set()
    while update.poll() is None:
        seen.add(snapshot(target))  # never raises, never a mixture
        assert seen <= {old, new}, seen
    assert update.returncode == 0, update.stderr.read() if update.stderr else ""
    assert snapshot(target) == new
    assert litter(tmp_path, {"vulndb.sqlite", "v1.zip", "v2.zip", "kev1.json", "kev2.json"}) == []


@pytest.mark.timeout(120)
def test_a_build_waits_for_the_writer_and_then_names_it(tmp_path: Path, sources: tuple[Path, Path]) -> None:
    osv, kev = sources
    target = tmp_path / "vulndb.sqlite"
    held, release = SPAWN.Event(), SPAWN.Event()
    holder = SPAWN.Process(target=workers.hold_write_lock, args=(str(target), held, release))
    holder.start()
    try:
        assert held.wait(60)
        waited_for: list[str] = []
        with pytest.raises(DatabaseBusy) as busy:
            build_database(target, [osv], kev, lock_wait=0.3, on_wait=waited_for.append)
    finally:
        release.set()
        holder.join(60)
    message = busy.value.diagnostics()
    assert busy.value.exit_code == 2 and "\n" not in message
    assert f"pid {holder.pid}" in message and f"pid {holder.pid}" in waited_for[0]
    assert not target.exists()  # nothing was written while another process held the lock
    # the holder ended and took its lock with it: the next build goes through
    build_database(target, [osv], kev, lock_wait=0)
    assert snapshot(target)[0] == RECORDS
    assert not lock_path(target).exists()


# The domain side of Ctrl-C: build_database cleans up and lets KeyboardInterrupt through (the CLI
# turns it into exit 130). Run as its own process so the signal arrives as it would from a terminal.
_BUILD = """
import sys
from pathlib import Path
from crakit.vulndb import build_database
try:
    build_database(Path(sys.argv[1]), [Path(sys.argv[2])], Path(sys.argv[3]))
except KeyboardInterrupt:
    sys.exit(130)
"""


def _interrupt_mid_build(target: Path, osv: Path, kev: Path, sig: signal.Signals) -> int:
    build = subprocess.Popen([sys.executable, "-c", _BUILD, str(target), str(osv), str(kev)])
    work = target.with_name(target.name + ".building")
    while not work.exists():  # the import has started: the work file is there
        assert build.poll() is None, "the build ended before it could be interrupted"
        time.sleep(0.005)
    os.kill(build.pid, sig)
    return build.wait(timeout=120)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("existing", [False, True], ids=["new-path", "existing-database"])
def test_ctrl_c_leaves_no_half_written_database_and_no_lock(
    tmp_path: Path, sources: tuple[Path, Path], existing: bool
) -> None:
    osv, kev = sources
    out = tmp_path / "out"
    out.mkdir()
    target = out / "vulndb.sqlite"
    if existing:
        build_database(target, [write_corpus(tmp_path / "small.zip", 10)], kev)
    before = target.read_bytes() if existing else None
    assert _interrupt_mid_build(target, osv, kev, signal.SIGINT) == 130
    assert litter(out, {"vulndb.sqlite"}) == []  # no work file, no journal, no lock file
    assert (target.read_bytes() if target.exists() else None) == before


@pytest.mark.timeout(300)
def test_a_killed_build_leaves_no_stale_lock(tmp_path: Path, sources: tuple[Path, Path]) -> None:
    osv, kev = sources
    target = tmp_path / "out" / "vulndb.sqlite"
    target.parent.mkdir()
    assert _interrupt_mid_build(target, osv, kev, signal.SIGKILL) == -signal.SIGKILL
    assert not target.exists()  # the half-built work file was never moved into place
    build_database(target, [osv], kev, lock_wait=0)  # no wait: the kernel released the lock
    assert snapshot(target)[0] == RECORDS
    assert litter(target.parent, {"vulndb.sqlite"}) == []
