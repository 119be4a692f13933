"""``crakit db update`` against mirrors served over loopback HTTP (never the internet)."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crakit.vulndb import open_database
from crakit.vulndb.errors import SourceError
from crakit.vulndb.update import UpdateOptions, update_database
from tests.vulndb.helpers import osv_record


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def serve() -> Iterator[functools.partial[str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield functools.partial(start)
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.corpus
def test_update_from_shared_data_mirror(
    shared_data: Path, serve: functools.partial[str], tmp_path: Path
) -> None:
    url = serve(shared_data)
    db = tmp_path / "db.sqlite"
    report = update_database(db, UpdateOptions(mirror=url, ecosystems=("NuGet", "RubyGems", "npm")))
    # What the mirror holds for those ecosystems, counted independently from the corpus index.
    import csv

    wanted = {"NuGet", "RubyGems", "npm"}
    with (shared_data / "osv" / "INDEX.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = {
        r["id"]
        for r in rows
        if wanted & set(r["ecosystems"].split(";")) and r.get("withdrawn", "").lower() in ("", "false", "0")
    }
    assert report.osv is not None and report.osv.added == len(expected)
    with open_database(db) as database:
        info = database.info()
    # A record is stored under every ecosystem it affects, so multi-ecosystem records bring others along.
    assert wanted <= set(dict(info.ecosystems))
    assert info.kev_catalog_version == "2025.08.25"
    assert any(loc.startswith(url) for _, loc, _, _ in info.sources)
    # A second run changes nothing: the import is incremental by `modified`.
    again = update_database(db, UpdateOptions(mirror=url, ecosystems=("NuGet", "RubyGems", "npm")))
    assert again.osv is not None and again.osv.added == 0 and again.osv.unchanged == report.osv.added


def test_update_from_osv_dev_zip_layout(serve: functools.partial[str], tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "PyPI").mkdir(parents=True)
    with zipfile.ZipFile(site / "PyPI" / "all.zip", "w") as archive:
        for i in range(3):
            rec = osv_record(
                f"PYSEC-2099-{i}", "PyPI", f"pkg{i}", events=[{"introduced": "0"}, {"fixed": "1.0"}]
            )
            archive.writestr(f"PYSEC-2099-{i}.json", json.dumps(rec))
    (site / "known_exploited_vulnerabilities.json").write_text(
        json.dumps({"catalogVersion": "1", "vulnerabilities": []}), encoding="utf-8"
    )
    db = tmp_path / "db.sqlite"
    report = update_database(db, UpdateOptions(mirror=serve(site), ecosystems=("PyPI",)))
    assert report.osv is not None and report.osv.added == 3 and report.kev_entries == 0


def test_update_failures_leave_the_database_alone(serve: functools.partial[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "db.sqlite"
    with pytest.raises(SourceError, match=r"no PyPI/all\.zip"):
        update_database(db, UpdateOptions(mirror=serve(empty), ecosystems=("PyPI",)))
    assert not db.exists()
    with pytest.raises(SourceError, match="failed"):
        update_database(db, UpdateOptions(mirror="http://127.0.0.1:9", ecosystems=("PyPI",), timeout=2))
    with pytest.raises(SourceError, match="scheme"):
        update_database(db, UpdateOptions(mirror="ftp://example.invalid", ecosystems=("PyPI",)))
