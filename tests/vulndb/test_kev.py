"""The CISA KEV catalogue in both published forms, and its join into scans."""

from __future__ import annotations

from pathlib import Path

import pytest

from crakit.vulndb.errors import SourceError
from crakit.vulndb.importers.kev import parse_kev, read_kev

pytestmark = pytest.mark.corpus


def test_json_and_csv_forms_agree(shared_data: Path) -> None:
    from_json = read_kev(shared_data / "kev" / "known_exploited_vulnerabilities.json")
    from_csv = read_kev(shared_data / "kev" / "known_exploited_vulnerabilities.csv")
    assert from_json.catalog_version == "2025.08.25"
    assert len(from_json.entries) == 1404
    assert {(e.cve, e.date_added) for e in from_json.entries} == {
        (e.cve, e.date_added) for e in from_csv.entries
    }


def test_history_snapshot_is_older(shared_data: Path) -> None:
    old = read_kev(shared_data / "kev" / "history" / "known_exploited_vulnerabilities.2025.08.18.json")
    new = read_kev(shared_data / "kev" / "known_exploited_vulnerabilities.json")
    assert {e.cve for e in old.entries} < {e.cve for e in new.entries}


@pytest.mark.parametrize("raw", [b"{}", b'{"vulnerabilities": 3}', b"a,b\n1,2\n", b"\xff\xfe\x00bad"])
def test_not_a_kev_catalogue(raw: bytes) -> None:
    with pytest.raises(SourceError):
        parse_kev(raw, "x")


def test_corpus_kev_join(corpus_db: Path, tmp_path: Path) -> None:
    """PYSEC-2022-236 (pyspark) aliases CVE-2022-33891, which CISA added on 2023-03-07."""
    from crakit.sbom import Component, Sbom
    from crakit.vulndb import open_database, scan

    comp = Component(ref="a", name="pyspark", version="3.1.1", purl="pkg:pypi/pyspark@3.1.1")
    with open_database(corpus_db) as db:
        result = scan([Sbom("cyclonedx", "1.6", "json", (comp,))], db)
    hits = [f for f in result.findings if "CVE-2022-33891" in f.all_ids]
    assert len(hits) == 1 and hits[0].exploited and hits[0].kev_date_added == "2023-03-07"


@pytest.mark.parametrize(
    "rows",
    [
        [5, {"cveID": 5, "dateAdded": 7}],  # nothing that is an entry
        [{"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10"}, "x"],  # one good, one not
        [{"cveID": "CVE-2021-44228", "dateAdded": "garbage"}],  # no date it was added
        [{"cveID": "not a cve", "dateAdded": "2021-12-10"}],
        [{"dateAdded": "2021-12-10"}],
    ],
)
def test_a_catalogue_with_rows_that_are_no_entries_is_refused_whole(
    rows: list[object], tmp_path: Path, small_db: Path
) -> None:
    # The catalogue replaces the stored one whole: keeping only the rows that read would drop
    # known exploited vulnerabilities without a word, and --fail-on exploited with them.
    import json

    from crakit.vulndb import open_database
    from crakit.vulndb.build import build_database

    before = open_database(small_db).kev({"CVE-2099-0002"})
    path = tmp_path / "kev.json"
    path.write_text(json.dumps({"vulnerabilities": rows}), encoding="utf-8")
    with pytest.raises(SourceError, match=r"entry \d+ of \d+ is not a KEV entry"):
        build_database(small_db, [], kev=path)
    assert before and open_database(small_db).kev({"CVE-2099-0002"}) == before


def test_an_empty_catalogue_does_not_replace_a_stored_one(tmp_path: Path, small_db: Path) -> None:
    from crakit.vulndb import open_database
    from crakit.vulndb.build import build_database

    path = tmp_path / "kev.json"
    path.write_text('{"vulnerabilities": []}', encoding="utf-8")
    with pytest.raises(SourceError, match="lists no vulnerabilities"):
        build_database(small_db, [], kev=path)
    assert open_database(small_db).info().kev_entries > 0
