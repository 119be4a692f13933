"""One query over many values, in IN lists of a bounded length (vulndb/chunked.py)."""

from __future__ import annotations

import sqlite3

from crakit.vulndb.chunked import CHUNK, rows_in


def test_every_value_is_asked_for_across_chunk_boundaries() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (eco TEXT, name TEXT)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?)", [(eco, f"n{i}") for eco in ("a", "b") for i in range(3 * CHUNK)]
    )
    wanted = [f"n{i}" for i in range(0, 3 * CHUNK, 2)] + ["absent"]  # more than two chunks
    got = list(
        rows_in(conn, "SELECT eco, name FROM t WHERE eco = ? AND name IN ({marks})", iter(wanted), ("b",))
    )
    assert sorted(got) == sorted(("b", n) for n in wanted if n != "absent")
    assert list(rows_in(conn, "SELECT name FROM t WHERE name IN ({marks})", [])) == []
