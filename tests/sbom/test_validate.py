"""`crakit sbom validate` agrees with the CycloneDX specification's own fixtures and the SPDX examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from crakit.sbom import SbomError
from crakit.sbom.validate import validate_bytes, validate_file
from tests.sbom.oracle import SHARED_DATA

RESOURCES = SHARED_DATA / "cyclonedx-spec" / "tools" / "src" / "test" / "resources"
VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")


def _fixtures() -> list[Path]:
    out: list[Path] = []
    for version in VERSIONS:
        folder = RESOURCES / version
        if folder.is_dir():
            out += sorted(
                p
                for p in folder.iterdir()
                if p.suffix in (".json", ".xml") and p.name.startswith(("valid-", "invalid-"))
            )
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cyclonedx_spec_fixtures(path: Path, shared_data: Path) -> None:
    want_valid = path.name.startswith("valid-")
    try:
        report = validate_file(path)
    except SbomError:
        assert not want_valid, "a valid fixture must not be refused"
        return
    assert report.valid is want_valid, report.errors[:3]
    if not want_valid:
        assert report.errors and all(e.pointer and e.message for e in report.errors)


@pytest.mark.corpus
def test_fixtures_present(shared_data: Path) -> None:
    assert len(_fixtures()) > 300


@pytest.mark.corpus
@pytest.mark.parametrize(
    "rel",
    [
        "spdx-spec/support-2.3.1/examples/SPDXJSONExample-v2.3.spdx.json",
        "spdx-spec/development-v2.2.2/examples/SPDXJSONExample-v2.2.spdx.json",
        "spdx-spec/support-2.3.1/examples/SPDXYAMLExample-2.3.spdx.yaml",
        "spdx-spec/develop/examples/jsonld/package_sbom.json",
    ],
)
def test_spdx_examples_are_valid(rel: str, shared_data: Path) -> None:
    path = shared_data / rel
    if not path.exists():
        pytest.skip(f"{rel} not in this corpus copy")
    report = validate_file(path)
    assert report.valid, report.errors[:3]


def test_json_pointer_of_a_wrong_type() -> None:
    doc = b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [{"type": "library", "name": 5}]}'
    report = validate_bytes(doc)
    assert not report.valid
    assert any(e.pointer == "/components/0/name" for e in report.errors)


def test_minimal_cyclonedx_is_valid() -> None:
    assert validate_bytes(b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1}').valid
