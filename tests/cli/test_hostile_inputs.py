"""Every command against every class of hostile file: exit 2, one line on stderr, no traceback,
nothing changed on disk (the developers' brief, "Hostile input"; issue 11 point 1).

The hostile files are generated here, never stored. Each command runs in a fresh process, as a
user would run it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _nested_json(path: Path) -> None:
    path.write_text("[" * 200_000 + "]" * 200_000)


def _nested_object(path: Path) -> None:
    path.write_text('{"a":' * 100_000 + "1" + "}" * 100_000)


def _nested_yaml(path: Path) -> None:
    path.write_text("a:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)))


def _flow_yaml(path: Path) -> None:
    path.write_text("key: " + "[" * 100_000 + "]" * 100_000 + "\n")


def _alias_bomb(path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path.write_text("\n".join(lines) + "\n")


def _invalid_utf8(path: Path) -> None:
    path.write_bytes(b'{"bomFormat": "CycloneDX", "x": "\xff\xfe\xfa"}')


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    path.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"name": "a"')


def _wrong_shape(path: Path) -> None:
    path.write_text("[1, 2, 3]")


def _huge(path: Path) -> None:
    with open(path, "wb") as fh:  # sparse: no disk used
        fh.truncate(3 << 30)


def _directory(path: Path) -> None:
    path.mkdir()


FILES: dict[str, Callable[[Path], None]] = {
    "nested-json-array": _nested_json,
    "nested-json-object": _nested_object,
    "nested-yaml-block": _nested_yaml,
    "nested-yaml-flow": _flow_yaml,
    "yaml-alias-bomb": _alias_bomb,
    "invalid-utf8": _invalid_utf8,
    "binary": _binary,
    "empty": _empty,
    "truncated-json": _truncated,
    "wrong-shape": _wrong_shape,
    "huge-sparse": _huge,
    "directory": _directory,
    "missing": lambda path: None,
}

# command line with {bad} where the hostile file goes; {sbom}, {db}, {manifest} are valid inputs.
COMMANDS = {
    "scan": "scan {bad} --db {db}",
    "scan --vex": "scan {sbom} --vex {bad} --db {db}",
    "scan --build-vex": "scan {sbom} --build-vex {bad} --db {db}",
    "report candidates --vex": "report candidates {sbom} --vex {bad} --db {db}",
    "report candidates --findings": "report candidates --findings {bad}",
    "csaf new --decisions": "csaf new --manifest {manifest} --decisions {bad} -o {out}",
    "csaf new --findings": "csaf new --manifest {manifest} --decisions {decisions} --findings {bad} -o {out}",
    "csaf validate": "csaf validate {bad}",
    "csaf render": "csaf render {bad}",
    "db build --kev": "db build --kev {bad} --db {out}",
    "db build --osv": "db build --osv {bad} --db {out}",
    "db build --nvd": "db build --nvd {bad} --db {out}",
    "db build --cvelist": "db build --cvelist {bad} --db {out}",
    "db build --euvd": "db build --euvd {bad} --db {out}",
    "classify": "classify {bad}",
    "manifest check": "manifest check {bad}",
    "sbom info": "sbom info {bad}",
    "sbom check": "sbom check {bad}",
    "sbom validate": "sbom validate {bad}",
    "sbom convert": "sbom convert {bad} --to spdx-2.3",
    "sbom merge": "sbom merge {sbom} {bad}",
    "report open --product": "report open --kind vulnerability --product {bad} --aware-at 2026-12-01T09:30:00Z",
    "docs declaration": "docs declaration {bad} --format json",
    "docs technical --sbom": "docs technical {manifest} --sbom {bad} --format markdown",
    "docs check-security-txt": "docs check-security-txt {bad}",
}

# (command, file) pairs where the file is not hostile to that reader: a JSON array is a readable
# document that a validator must call invalid (exit 1), not refuse as unreadable input.
NOT_HOSTILE: set[tuple[str, str]] = {("csaf validate", "wrong-shape")} | {
    # A security.txt validator judges any readable file: not UTF-8 or not RFC 9116 is "invalid" (exit 1).
    ("docs check-security-txt", kind)
    for kind in ("yaml-alias-bomb", "invalid-utf8", "binary", "empty", "truncated-json", "wrong-shape")
}

DECISIONS = """\
id: ACME-2026-001
publisher: {name: ACME Corp, namespace: "https://acme.example", contact: psirt@acme.example}
tlp: WHITE
revisions:
  - {date: 2026-01-10, summary: Initial release}
fixed_version: "2.4.2"
vulnerabilities:
  CVE-2021-44228: {status: affected, description: Log4Shell.}
"""


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("valid")
    db = work / "vulns.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "crakit.cli.main",
            "db",
            "build",
            "--osv",
            str(EXAMPLES / "osv"),
            "--kev",
            str(EXAMPLES / "kev.json"),
            "--db",
            str(db),
        ],
        check=True,
        capture_output=True,
    )
    decisions = work / "decisions.yaml"
    decisions.write_text(DECISIONS)
    return {
        "db": db,
        "sbom": EXAMPLES / "homegate-sbom.cdx.json",
        "manifest": EXAMPLES / "homegate-router.yaml",
        "decisions": decisions,
    }


def _snapshot(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.stat().st_size < (64 << 20):
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[str(path.relative_to(folder))] = "dir" if path.is_dir() else "big"
    return out


def _run(
    command: str, bad: Path, valid: dict[str, Path], cwd: Path, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    argv = command.format(bad=bad, out=cwd / "out.file", **{k: str(v) for k, v in valid.items()}).split()
    env = {**os.environ, "NO_COLOR": "1", "CRAKIT_DATABASE_URL": f"sqlite:///{cwd / 'ws.db'}"}
    env.pop("CRAKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(FILES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_hostile_input_is_refused_cleanly(
    command: str, kind: str, valid: dict[str, Path], tmp_path: Path
) -> None:
    if (command, kind) in NOT_HOSTILE:
        pytest.skip("not hostile to this reader")
    bad = tmp_path / "input.file"
    FILES[kind](bad)
    before = _snapshot(tmp_path)
    result = _run(COMMANDS[command], bad, valid, tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    lines = [
        line for line in result.stderr.splitlines() if line.strip() and not line.startswith("crakit: warning")
    ]
    assert len(lines) == 1, result.stderr
    assert "internal error" not in result.stderr
    after = _snapshot(tmp_path)
    assert after == before, "the command changed files on disk although it refused its input"


def _corrupt_sqlite(path: Path, *, wal: bool = False) -> None:
    """SQLite's magic string and random bytes. ``wal``: the header's file format bytes (18, 19)
    claim write-ahead logging, as one random header in 256 does: SQLite then makes ``-wal`` and
    ``-shm`` files beside it before it finds the file is no database."""
    data = bytearray(b"SQLite format 3\x00" + os.urandom(8192))
    if wal:
        data[18] = data[19] = 2
    elif data[19] == 2:
        data[19] = 1
    path.write_bytes(bytes(data))


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")


def _bad_schema_version(path: Path, value: object) -> None:
    """crakit's application id on a file whose schema version is no number."""
    from crakit.vulndb.store import APPLICATION_ID

    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (value,))
    conn.close()


_ALTERED_SUMMARY = ("record-count-text", "ecosystem-counts-not-json", "ecosystem-counts-a-list")


def _altered_summary(path: Path, source: Path, key: str, value: str) -> None:
    """A crakit database whose summary (meta table) holds a value no build writes."""
    path.write_bytes(source.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
    conn.close()


def _damaged_crakit_db(path: Path, source: Path) -> None:
    data = bytearray(source.read_bytes())
    # Keep the header (so it opens) and overwrite the pages that hold the tables.
    for offset in range(8192, len(data), 4096):
        data[offset : offset + 512] = os.urandom(512)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "kind",
    [
        "corrupt",
        "wal-header",
        "wal-header-side-files-there",
        "foreign",
        "schema-version-text",
        "schema-version-null",
        "record-count-text",
        "ecosystem-counts-not-json",
        "ecosystem-counts-a-list",
        "damaged",
    ],
)
@pytest.mark.parametrize(
    "command", ["scan {sbom} --db {bad}", "db info --db {bad}", "db build --kev {kev} --db {bad}"]
)
def test_bad_database_files_are_refused(
    command: str, kind: str, valid: dict[str, Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.db"
    if kind == "corrupt":
        _corrupt_sqlite(bad)
    elif kind.startswith("wal-header"):
        # Refused, and the -wal/-shm files SQLite made are gone; ones already there are kept.
        _corrupt_sqlite(bad, wal=True)
        if kind.endswith("there"):
            (tmp_path / "bad.db-wal").write_bytes(b"someone else's")
            (tmp_path / "bad.db-shm").write_bytes(b"\x00" * 64)
    elif kind == "foreign":
        _foreign_sqlite(bad)
    elif kind.startswith("schema-version"):
        _bad_schema_version(bad, "4x" if kind.endswith("text") else None)
    elif kind == "record-count-text":
        _altered_summary(bad, valid["db"], "record_count", "many")
    elif kind.startswith("ecosystem-counts"):
        _altered_summary(bad, valid["db"], "ecosystem_counts", "[1, 2]" if kind.endswith("list") else "{")
    else:
        _damaged_crakit_db(bad, valid["db"])
    before = _snapshot(tmp_path)
    argv = command.format(bad=bad, kev=EXAMPLES / "kev.json", sbom=valid["sbom"]).split()
    result = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    if command.startswith("db build") and kind in _ALTERED_SUMMARY:
        # A build counts the records again and rewrites the summary: the file is repaired.
        assert result.returncode == 0, result.stderr
        info = subprocess.run(
            [sys.executable, "-m", "crakit.cli.main", "db", "info", "--db", str(bad), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert info.returncode == 0 and json.loads(info.stdout)["records"] > 0, info.stderr
        return
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    after = _snapshot(tmp_path)
    if kind.endswith("there"):
        # SQLite rewrites a -shm file it opens (its shared-memory index, rebuilt by every reader,
        # holding no data): it must still be there; everything else unchanged.
        assert "bad.db-shm" in after
        del after["bad.db-shm"], before["bad.db-shm"]
    assert after == before


@pytest.mark.parametrize(
    "command",
    [
        "scan {sbom} --db {db} -o {target}",
        "scan {sbom} --db {db} --format json -o {target}",
        "init {target}",
        "db build --osv {osv} --db {target}",
    ],
)
@pytest.mark.parametrize("where", ["missing-folder", "directory", "read-only-folder"])
def test_unwritable_outputs_are_refused(
    command: str, where: str, valid: dict[str, Path], tmp_path: Path
) -> None:
    if where == "read-only-folder" and os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; CI runs as root (the other cases still run)")
    if where == "missing-folder":
        target = tmp_path / "no" / "such" / "out.file"
    elif where == "directory":
        target = tmp_path / "a-directory"
        target.mkdir()
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        target = folder / "out.file"
    before = _snapshot(tmp_path)
    argv = command.format(
        target=target, osv=EXAMPLES / "osv", **{k: str(v) for k, v in valid.items()}
    ).split()
    result = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "alteration",
    [
        "UPDATE vulns SET names = 'x'",
        "UPDATE vulns SET names = 5",
        "UPDATE vulns SET related_cves = '[1, 2]'",
        "UPDATE affected SET data = 'text'",
        "UPDATE package_index SET data = x'deadbeef'",
        "UPDATE package_index SET data = 7",
        "DROP TABLE vulns",
        "DROP TABLE package_index",
        "DROP TABLE aliases",
    ],
)
@pytest.mark.parametrize("command", ["scan {sbom} --db {bad}", "db build --kev {kev} --osv {osv} --db {bad}"])
def test_a_database_altered_inside_is_refused_and_kept(
    alteration: str, command: str, valid: dict[str, Path], tmp_path: Path
) -> None:
    # Contents no import writes (a hand edit, a tool that wrote the file): the scan refuses the
    # database by its path, the build leaves it as it was; neither crashes (exit 3).
    bad = tmp_path / "bad.db"
    bad.write_bytes(valid["db"].read_bytes())
    with sqlite3.connect(bad) as conn:
        conn.execute(alteration)
    conn.close()
    before = _snapshot(tmp_path)
    argv = command.format(bad=bad, kev=EXAMPLES / "kev.json", osv=EXAMPLES / "osv", sbom=valid["sbom"])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crakit.cli.main",
            *argv.split(),
            *(["-o", str(tmp_path / "out.json")] if "scan" in argv else []),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    errors = [line for line in result.stderr.splitlines() if not line.startswith("crakit: warning")]
    assert result.returncode != 3 and "internal error" not in result.stderr, result.stderr
    if "scan" in argv and alteration == "DROP TABLE aliases":
        assert result.returncode in (0, 1), result.stderr  # a table only builds use
        return
    if "build" in argv and alteration.startswith("UPDATE"):
        # An incremental build rewrites only what changed: rows it does not touch stay as they
        # are (the scan refuses them, above), so it may succeed.
        assert result.returncode in (0, 2), result.stderr
        return
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert len(errors) == 1, result.stderr
    assert _snapshot(tmp_path) == before


def test_a_build_through_a_symbolic_link_updates_the_database_it_names(
    valid: dict[str, Path], tmp_path: Path
) -> None:
    real = tmp_path / "real.db"
    real.write_bytes(valid["db"].read_bytes())
    real.chmod(0o600)
    link = tmp_path / "current.db"
    link.symlink_to(real.name)
    loop_a, loop_b = tmp_path / "a.db", tmp_path / "b.db"
    loop_a.symlink_to(loop_b.name)
    loop_b.symlink_to(loop_a.name)
    build = [sys.executable, "-m", "crakit.cli.main", "db", "build", "--kev", str(EXAMPLES / "kev.json")]
    result = subprocess.run([*build, "--db", str(link)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and (real.stat().st_mode & 0o777) == 0o600
    result = subprocess.run([*build, "--db", str(loop_a)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "loop of symbolic links" in result.stderr, result.stderr
    assert loop_a.is_symlink() and loop_b.is_symlink()
    # Not a file at all (a pipe standing in for /dev/null): refused, never renamed over.
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    osv = ["--osv", str(EXAMPLES / "osv")]
    for fresh in ([], ["--fresh"]):  # read first as the database to update; or built anew
        result = subprocess.run(
            [*build, *osv, *fresh, "--db", str(pipe)], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 2 and str(pipe) in result.stderr, result.stderr
        assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.slow
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_pipe_given_as_a_file_is_refused_not_waited_on(
    command: str, valid: dict[str, Path], tmp_path: Path
) -> None:
    # Opening a FIFO blocks until someone writes to it, and then it may never end: every input is
    # checked to be a regular file before it is opened (a CI job must not hang on a wrong path).
    bad = tmp_path / "input.file"
    os.mkfifo(bad)
    try:
        result = _run(COMMANDS[command], bad, valid, tmp_path, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command} waited on a pipe")
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


def test_a_report_written_to_a_device_or_pipe_is_written_into_it(
    valid: dict[str, Path], tmp_path: Path
) -> None:
    # -o /dev/null (or a pipe) is written to as it is: the report used to be written beside it
    # and renamed over it, which as root replaced /dev/null itself with a regular file. A pipe
    # stands in for the device here (a test must never risk the machine's /dev/null).
    import threading

    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    scan = ["scan", str(valid["sbom"]), "--db", str(valid["db"]), "--format", "json", "-o", str(pipe)]
    result = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *scan],
        capture_output=True,
        text=True,
        timeout=120,
    )
    reader.join(timeout=30)
    assert result.returncode in (0, 1), result.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode), "the pipe was replaced by a file"
    assert got and json.loads(got[0])["findings"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pipe"]
