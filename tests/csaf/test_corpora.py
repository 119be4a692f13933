"""Real advisories and the extra BSI validator-lib documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crakit.csaf import validate

pytestmark = pytest.mark.corpus


def _real_advisories(root: Path) -> list[Path]:
    docs = [p for p in (root / "cisa-csaf").rglob("*.json") if "-feed-" not in p.name]
    docs += sorted((root / "csaf-oasis/csaf_2.0/examples/csaf").rglob("*.json"))
    docs += sorted((root / "bsi-secvisogram/app/seeds/documents").glob("*.json"))
    return sorted(docs)


def test_real_advisories_are_valid(shared_data: Path) -> None:
    docs = _real_advisories(shared_data)
    assert len(docs) > 20
    invalid = {}
    for path in docs:
        report = validate(json.loads(path.read_bytes()))
        if not report.valid:
            invalid[str(path.relative_to(shared_data))] = [
                (m.test, m.path, m.text) for m in report.messages if m.severity == "error"
            ][:3]
    assert not invalid, invalid


def test_validator_lib_documents(shared_data: Path) -> None:
    root = shared_data / "csaf-validator-lib/tests"
    wrong = []
    count = 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        test_id = folder.name.split("_", 1)[1].replace("_", ".")
        for expect in ("failing", "valid"):
            for path in sorted((folder / expect).glob("*.json")):
                count += 1
                flagged = test_id in validate(json.loads(path.read_bytes())).failed()
                if flagged != (expect == "failing"):
                    wrong.append(f"{test_id} {expect}/{path.name}")
    assert count > 20
    assert not wrong, wrong


def test_templates_with_empty_strings_fail_the_schema(shared_data: Path) -> None:
    doc = json.loads((shared_data / "bsi-secvisogram/app/lib/core/v2_0/doc-max.json").read_bytes())
    report = validate(doc)
    assert not report.valid and "schema" in report.failed()
