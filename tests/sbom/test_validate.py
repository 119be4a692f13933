"""`crakit sbom validate` agrees with the CycloneDX specification's own fixtures and the SPDX examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crakit.cli.main import main
from crakit.sbom.validate import validate_bytes, validate_file
from tests.sbom.oracle import SHARED_DATA

RESOURCES = SHARED_DATA / "cyclonedx-spec" / "tools" / "src" / "test" / "resources"
VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")


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
    # every fixture is a CycloneDX document: valid ones pass, invalid ones are reported invalid
    # (exit 1), never refused as unreadable (exit 2), unknown namespaces and bomFormats included
    want_valid = path.name.startswith("valid-")
    report = validate_file(path)
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
    assert path.exists(), f"{rel} is missing from ../shared/data"
    report = validate_file(path)
    assert report.valid, report.errors[:3]


def test_json_pointer_of_a_wrong_type() -> None:
    doc = b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [{"type": "library", "name": 5}]}'
    report = validate_bytes(doc)
    assert not report.valid
    assert any(e.pointer == "/components/0/name" for e in report.errors)


def test_minimal_cyclonedx_is_valid() -> None:
    assert validate_bytes(b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1}').valid


def _exit(*args: str) -> int:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    return int(info.value.code or 0)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b'<bom xmlns="http://cyclonedx.org/schema/bom/12" version="1"/>', "line 1"),
        (b'<bom xmlns="http://cyclonedx.org/schema/bom/1.8" version="1"/>', "line 1"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "2.0", "version": 1}', "/specVersion"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.1", "version": 1}', "/specVersion"),
        (b'{"bomFormat": "cyclonedx", "specVersion": "1.6", "version": 1, "components": []}', "/bomFormat"),
    ],
)
def test_unknown_versions_and_formats_are_invalid_not_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, where: str
) -> None:
    report = validate_bytes(content)
    assert not report.valid and report.format == "cyclonedx"
    assert any(e.pointer == where for e in report.errors), report.errors
    path = tmp_path / "bom"
    path.write_bytes(content)
    assert _exit("sbom", "validate", str(path)) == 1
    if b"1.1" not in content and b'cyclonedx"' not in content:  # versions that do not exist
        capsys.readouterr()
        assert _exit("sbom", "info", str(path)) == 2
        err = capsys.readouterr().err.strip()
        assert "unsupported CycloneDX version" in err and "(crakit reads 1.0–1.7)" in err
        assert "\n" not in err and "Error)" not in err


TAG_VALUE = """SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: demo
DocumentNamespace: https://example.com/demo-1
Creator: Tool: demo-1.0
Created: 2024-01-01T00:00:00Z

PackageName: app
SPDXID: SPDXRef-app
PackageDownloadLocation: NOASSERTION
FilesAnalyzed: false
PackageLicenseConcluded: NOASSERTION
PackageComment: <text>two
lines</text>
ExternalRef: PACKAGE-MANAGER purl pkg:npm/app@1

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app
"""


def test_tag_value_valid_document() -> None:
    report = validate_bytes(TAG_VALUE.encode())
    assert report.valid, report.errors
    assert report.serialization == "tag-value" and report.schema == "spdx-2.3.schema.json"


@pytest.mark.parametrize(
    ("edit", "line", "needle"),
    [
        (lambda t: t.replace("DataLicense: CC0-1.0\n", ""), "document", "DataLicense is missing"),
        (
            lambda t: t.replace("PackageDownloadLocation: NOASSERTION\n", ""),
            "line 9",
            "PackageDownloadLocation",
        ),
        (lambda t: t.replace("FilesAnalyzed: false", "BogusTag: x"), "line 12", "unknown tag 'BogusTag'"),
        (lambda t: t.replace("FilesAnalyzed: false", "FilesAnalyzed: maybe"), "line 12", "filesAnalyzed"),
        (
            lambda t: t.replace("Created: 2024", "FileType: SOURCE\nCreated: 2024"),
            "line 7",
            "does not belong",
        ),
        (lambda t: t + "PackageChecksum: SHA1 abc\n", "line 19", "PackageChecksum"),
        (
            lambda t: t.replace("DESCRIBES SPDXRef-app", "IS_FRIEND_OF SPDXRef-app"),
            "line 18",
            "relationshipType",
        ),
        (lambda t: t.replace("lines</text>", "lines"), "line 14", "never closed"),
    ],
)
def test_tag_value_errors_with_line_numbers(edit: Callable[[str], str], line: str, needle: str) -> None:
    report = validate_bytes(edit(TAG_VALUE).encode())
    assert not report.valid
    assert any(e.pointer == line and needle in e.message for e in report.errors), report.errors


@pytest.mark.corpus
def test_spdx_tag_value_example_is_valid(shared_data: Path) -> None:
    path = shared_data / "spdx-spec/support-2.3.1/examples/SPDXTagExample-v2.3.spdx"
    assert path.exists(), "SPDXTagExample-v2.3.spdx is missing from ../shared/data"
    report = validate_file(path)
    assert report.valid, report.errors[:3]


@pytest.mark.corpus
def test_tag_value_and_json_example_agree_on_the_schema(shared_data: Path) -> None:
    # the spec's JSON example, written as tag-value without its mandatory DataLicense, must fail the
    # same way the JSON without dataLicense does
    path = shared_data / "spdx-spec/support-2.3.1/examples/SPDXTagExample-v2.3.spdx"
    assert path.exists(), "SPDXTagExample-v2.3.spdx is missing from ../shared/data"
    text = "\n".join(x for x in path.read_text().splitlines() if not x.startswith("DataLicense:"))
    assert not validate_bytes(text.encode()).valid
