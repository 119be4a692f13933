"""The technical documentation (Annex VII): every point, an honest completeness table, the evidence."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from crakit.documents import DocumentError, NotApplicable, TechnicalInputs, build_technical, read_evidence
from crakit.documents.evidence import ANNEX_I, SLOTS, write_templates
from crakit.manifest import Manifest
from tests.documents.conftest import COMPLETE, manifest

REPO = Path(__file__).resolve().parents[2]
ANNEX_VII = [
    "VII.1",
    "VII.1.a",
    "VII.1.b",
    "VII.1.c",
    "VII.1.d",
    "VII.2.a",
    "VII.2.b",
    "VII.2.c",
    "VII.3",
    "VII.4",
    "VII.5",
    "VII.6",
    "VII.7",
    "VII.8",
]


def _keys(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.key for item in document.items()]


def test_every_annex_vii_point_and_every_annex_i_point_is_there(router: Manifest) -> None:
    document = build_technical(router, today=dt.date(2028, 2, 1))
    keys = _keys(document)
    for key in ANNEX_VII:
        assert key in keys
    assert sum(1 for k in keys if k.startswith("I.part-i-")) == 14
    assert sum(1 for k in keys if k.startswith("I.part-ii-")) == 8
    assert any(k.startswith("A.II.8") for k in keys) and any(k.startswith("B.V.") for k in keys)


def test_without_evidence_every_manufacturer_text_is_listed_as_missing(router: Manifest) -> None:
    missing = {item.key for item in build_technical(router).missing()}
    for key in ("VII.1.a", "VII.1.b", "VII.1.c", "VII.2.a", "VII.2.c", "VII.3", "VII.4", "VII.5", "VII.6"):
        assert key in missing
    assert all(f"I.{slot.id.removeprefix('annex-i-')}" in missing for slot in ANNEX_I)
    assert "VII.8" in missing and "VII.2.b.vulns" in missing  # no --sbom, no scan
    assert "VII.7" not in missing  # the declaration facts are all given


def test_written_evidence_leaves_the_table_and_appears_in_the_document(
    router: Manifest, tmp_path: Path
) -> None:
    folder = tmp_path / "evidence"
    write_templates(folder, hardware=True, component=False)
    (folder / "annex-vii-1a-intended-purpose.md").write_text("Home **router** for consumers.\n")
    (folder / "annex-i-part-i-2m.md").write_text("Applies: yes\nA factory reset wipes every setting.\n")
    (folder / "annex-i-part-i-2l.md").write_text("Applies: no\n")  # not applicable, but no justification
    (folder / "annex-i-part-ii-3.md").write_text("Applies: no\nWe never test.\n")  # Part II always applies
    (folder / "notes-to-self.md").write_text("typo'd name\n")
    document = build_technical(router, TechnicalInputs(evidence=folder))
    by_key = {item.key: item for item in document.items()}
    assert by_key["VII.1.a"].complete and "Home **router**" in (by_key["VII.1.a"].markdown or "")
    assert by_key["I.part-i-2m"].complete and by_key["I.part-i-2m"].text.startswith("Applies: yes")
    assert "justification" in (by_key["I.part-i-2l"].missing or "")
    assert "applies to every product" in (by_key["I.part-ii-3"].missing or "")
    assert not by_key["VII.1.b"].complete  # the template alone (a comment) is not a text
    assert any("notes-to-self.md" in n.text for n in document.notes)


def test_every_evidence_file_name_is_documented() -> None:
    doc = (REPO / "docs" / "documents.md").read_text()
    for slot in SLOTS:
        assert slot.id in doc, slot.id


def test_scan_with_vex_decisions(router: Manifest, tmp_path: Path) -> None:
    from crakit.vulndb import build_database

    db = tmp_path / "vulns.db"
    build_database(db, osv=[REPO / "examples" / "osv"], kev=REPO / "examples" / "kev.json")
    vex = tmp_path / "triage.openvex.json"
    vex.write_text(
        json.dumps(
            {
                "@context": "https://openvex.dev/ns/v0.2.0",
                "@id": "https://example.be/vex/1",
                "author": "Example NV",
                "timestamp": "2028-01-01T00:00:00Z",
                "version": 1,
                "statements": [
                    {
                        "vulnerability": {"name": "CVE-2023-32681"},
                        "products": [{"@id": "pkg:pypi/requests@2.28.2"}],
                        "status": "not_affected",
                        "justification": "vulnerable_code_not_in_execute_path",
                    }
                ],
            }
        )
    )
    document = build_technical(
        router,
        TechnicalInputs(sbom=REPO / "examples" / "homegate-sbom.cdx.json", vulndb=db, vex=(vex,)),
    )
    status = next(i for i in document.items() if i.key == "VII.2.b.vulns")
    assert status.table is not None
    rows = {row[0].split(" ")[0]: row for row in status.table.rows}
    assert rows["PYSEC-2023-74"][4].startswith("not_affected")
    assert rows["GHSA-jfh8-c2jp-5v3q"][3] == "yes"  # Log4Shell is in CISA KEV
    assert rows["GO-2023-2102"][3] == "yes"  # HTTP/2 Rapid Reset, through the record's `related`
    open_findings = len(rows) - 1  # every finding but the one the VEX statement settles
    assert f"{open_findings} open finding(s)" in (status.missing or "")
    sbom = next(i for i in document.items() if i.key == "VII.8")
    assert sbom.complete and "sha256" in (sbom.text or "")


def test_vulndb_without_sbom_is_a_usage_error(router: Manifest, tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="--vulndb needs --sbom"):
        build_technical(router, TechnicalInputs(vulndb=tmp_path / "x.db"))


def test_retention_and_the_sme_simplified_form(router: Manifest) -> None:
    items = {i.key: i for i in build_technical(router).items()}
    # Placed 2028-03-01, support to 2035-03: ten years after placing is later (Art 13(13)).
    assert "2038-03-01" in (items["VII.retention"].text or "")
    assert "not yet published" in (items["VII.sme"].text or "")
    large = manifest(**{**COMPLETE, "manufacturer.size": "large"})
    assert "VII.sme" not in _keys(build_technical(large))


def test_steward_gets_no_technical_documentation() -> None:
    steward = manifest(**{"market.steward": True, "market.open_source": True, "market.commercial": False})
    with pytest.raises(NotApplicable):
        build_technical(steward)


def test_evidence_folder_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="not a directory"):
        read_evidence(tmp_path / "nope")
    (tmp_path / "annex-vii-3.md").write_text("a")
    (tmp_path / "annex-vii-3-risk-assessment.md").write_text("b")
    with pytest.raises(DocumentError, match="two files"):
        read_evidence(tmp_path)
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    (tmp_path / "annex-vii-6.md").write_bytes(b"\xff\xfe")
    with pytest.raises(DocumentError, match="not UTF-8"):
        read_evidence(tmp_path)
