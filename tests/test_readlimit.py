"""Size limits are checked before reading: a huge or odd file is a one-line input error, fast."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crakit.errors import InputError
from crakit.readlimit import read_limited


def test_small_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"{}")
    assert read_limited(path, 10) == b"{}"


def test_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 11)
    with pytest.raises(InputError, match="too large"):
        read_limited(path, 10)


@pytest.mark.parametrize("kind", ["missing", "directory", "fifo"])
def test_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "thing"
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    with pytest.raises(InputError):
        read_limited(path, 10)


@pytest.mark.parametrize(
    "args",
    [
        ["csaf", "validate"],
        ["csaf", "render", "--format", "markdown"],
    ],
)
def test_sparse_giant_csaf_file_is_refused_fast(tmp_path: Path, args: list[str]) -> None:
    huge = tmp_path / "advisory.json"
    with huge.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # 2 GiB, sparse: costs no disk
    out = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *args, str(huge)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2, out.stderr
    assert "too large" in out.stderr and out.stderr.count("\n") == 1
