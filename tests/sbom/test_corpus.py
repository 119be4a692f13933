"""Every real SBOM in the shared corpora reads with the right format and component count;
non-SBOMs fail with a one-line SbomError (issue 3, "Done when")."""

from __future__ import annotations

from pathlib import Path

import pytest

from crakit.sbom import SbomError, read_sbom
from tests.sbom.oracle import SHARED_DATA, cyclonedx_properties, expected

pytestmark = pytest.mark.corpus

SKIP_SUFFIXES = (".md", ".csv", ".txt", ".ttl", ".textproto", ".xsd")


def _corpus(folder: str) -> list[Path]:
    root = SHARED_DATA / folder
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(SKIP_SUFFIXES) and p.name != "LICENSE"
    )


FILES = _corpus("bom-shelter") + _corpus("cyclonedx-bom-examples")
# Format examples of the specifications and spdx-tools (RDF/XML among them must be refused cleanly),
# and the CycloneDX specification's valid fixtures (every element of the model exercised).
EXAMPLES = (
    _corpus("spdx-examples")
    + _corpus("spdx-spec")
    + [p for p in _corpus("spdx-tools-python") if p.suffix in (".json", ".yaml", ".spdx", ".xml", ".jsonld")]
    + [
        p
        for p in _corpus("cyclonedx-spec/tools/src/test/resources")
        if p.name.startswith("valid-") and p.suffix in (".json", ".xml")
    ]
)


@pytest.mark.parametrize("path", FILES + EXAMPLES, ids=lambda p: str(p.relative_to(SHARED_DATA))[-90:])
def test_reads_with_right_format_and_count(path: Path, shared_data: Path) -> None:
    want = expected(path)
    if want is None:
        with pytest.raises(SbomError) as info:
            read_sbom(path)
        assert "\n" not in info.value.message
        return
    doc = read_sbom(path)
    assert (doc.format, len(doc.components)) == want


def test_corpus_is_present_and_mostly_sboms(shared_data: Path) -> None:
    # Guards against the parametrised test silently collecting nothing.
    assert len(FILES) > 100
    readable = [p for p in FILES if expected(p) is not None]
    assert len(readable) > 0.8 * len(FILES)


def test_cyclonedx_properties_match_an_independent_reading(shared_data: Path) -> None:
    # Every CycloneDX file of the corpora (JSON 1.2-1.7, XML 1.0-1.7): each component's properties, in order.
    checked = with_properties = 0
    mismatches: list[str] = []
    for path in FILES + EXAMPLES:
        want = expected(path)
        if want is None:
            continue
        doc = read_sbom(path)
        if want[0] == "spdx":
            assert all(c.properties == () for c in doc.components), path  # SPDX has no properties
            continue
        props = cyclonedx_properties(path)
        assert props is not None
        got = [c.properties for c in doc.components]
        if got != props:
            mismatches.append(str(path.relative_to(SHARED_DATA)))
        checked += 1
        with_properties += any(props)
    assert not mismatches, mismatches[:5]
    assert checked > 300 and with_properties >= 10, (checked, with_properties)
