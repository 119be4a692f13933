"""BSI TR-03183-2 v2.0 §5.2.2 fields carried by CycloneDX properties (filename, executable, archive,
structured) and the §5.3.1 SBOM-URI: counted from the document, also for a real corpus SBOM."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli
from crakit.sbom import parse_sbom, read_sbom
from crakit.sbom.quality import QualityReport, check_quality

# The values TR-03183-2 v2.0 defines for each property (and the filename: any non-empty value).
BSI = {
    "filename": ("bsi:component:filename", None),
    "executable": ("bsi:component:executable", {"executable", "non-executable"}),
    "archive": ("bsi:component:archive", {"archive", "no archive"}),
    "structured": ("bsi:component:structured", {"structured", "unstructured"}),
}

COMPONENTS: list[dict[str, Any]] = [
    {
        "name": "complete",
        "properties": [
            {"name": "bsi:component:filename", "value": "complete-1.0.jar"},
            {"name": "bsi:component:executable", "value": "non-executable"},
            {"name": "bsi:component:archive", "value": "archive"},
            {"name": "bsi:component:structured", "value": "structured"},
        ],
    },
    {
        "name": "upper-case-values",
        "properties": [
            {"name": "bsi:component:executable", "value": "Executable"},
            {"name": "bsi:component:archive", "value": "No Archive"},
            {"name": "other:tool:thing", "value": "archive"},
        ],
    },
    {
        "name": "wrong-values",  # "true"/"yes" are not the TR's vocabulary; an empty filename says nothing
        "properties": [
            {"name": "bsi:component:filename", "value": ""},
            {"name": "bsi:component:executable", "value": "true"},
            {"name": "bsi:component:structured", "value": "yes"},
        ],
    },
    {"name": "none"},
    {
        "name": "nested-parent",
        "properties": [{"name": "bsi:component:structured", "value": "unstructured"}],
        "components": [
            {"name": "nested-child", "properties": [{"name": "bsi:component:filename", "value": "x.so"}]}
        ],
    },
]


def _flat(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [x for c in items for x in [c, *_flat(c.get("components", []))]]


def _expected_counts(components: list[dict[str, Any]]) -> dict[str, int]:
    """The test's own count: components with the property and an accepted (case-insensitive) value."""
    counts = {}
    for field, (prop, allowed) in BSI.items():
        counts[field] = sum(
            any(
                p["name"] == prop
                and (v := str(p.get("value", "")).strip().lower())
                and (allowed is None or v in allowed)
                for p in c.get("properties", [])
            )
            for c in components
        )
    return counts


def _cdx_json(**extra: Any) -> bytes:
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": COMPONENTS, **extra}
    return json.dumps(doc).encode()


def _cdx_xml(version: str = "1.6") -> bytes:
    def component(c: dict[str, Any]) -> str:
        props = "".join(
            f'<property name="{p["name"]}">{p.get("value", "")}</property>' for p in c.get("properties", [])
        )
        nested = "".join(component(n) for n in c.get("components", []))
        return (
            f'<component type="library"><name>{c["name"]}</name>'
            + (f"<properties>{props}</properties>" if props else "")
            + (f"<components>{nested}</components>" if nested else "")
            + "</component>"
        )

    body = "".join(component(c) for c in COMPONENTS)
    return (
        f'<bom xmlns="http://cyclonedx.org/schema/bom/{version}" version="1"><components>{body}</components></bom>'
    ).encode()


def _coverage(report: QualityReport) -> dict[str, tuple[int, int] | None]:
    return {f.rule.id: (f.covered, f.total) if f.assessed else None for f in report.fields}


@pytest.mark.parametrize(
    "data", [_cdx_json(), _cdx_xml("1.6"), _cdx_xml("1.3")], ids=["json-1.6", "xml-1.6", "xml-1.3"]
)
def test_property_fields_are_counted_per_component(data: bytes) -> None:
    flat = _flat(COMPONENTS)
    want = _expected_counts(flat)
    report = check_quality(parse_sbom(data))
    coverage = _coverage(report)
    for field in BSI:
        assert coverage[field] == (want[field], len(flat)), field
    assert not report.passed
    missing = {f.name: set(f.missing) & set(BSI) for f in report.failing}
    assert not missing.get("complete")
    assert missing["none"] == set(BSI)
    assert missing["wrong-values"] == set(BSI)  # nothing it wrote is acceptable


def test_spdx_is_not_assessed_for_fields_it_cannot_carry() -> None:
    spdx = {
        "spdxVersion": "SPDX-2.3",
        "name": "doc",
        "documentNamespace": "https://example.com/doc",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Organization: ACME"]},
        "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "packageFileName": "a.tar.gz"}],
    }
    report = check_quality(parse_sbom(json.dumps(spdx).encode()))
    coverage = _coverage(report)
    # SPDX has no field for the three BSI properties
    for field in ("executable", "archive", "structured"):
        assert coverage[field] is None, field
    assert all(not {"executable", "archive", "structured"} & set(f.missing) for f in report.failing)
    assert coverage["name"] == (1, 1)  # the rest is still counted
    assert coverage["sbom_uri"] == (1, 1)  # documentNamespace
    assert coverage["filename"] == (1, 1)  # packageFileName


def test_sbom_uri_needs_a_uri() -> None:
    serial = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    assert _coverage(check_quality(parse_sbom(_cdx_json(serialNumber=serial))))["sbom_uri"] == (1, 1)
    assert _coverage(check_quality(parse_sbom(_cdx_json())))["sbom_uri"] == (0, 1)
    assert _coverage(check_quality(parse_sbom(_cdx_json(serialNumber="my bom"))))["sbom_uri"] == (0, 1)


def test_cli_reports_not_assessed_fields(tmp_path: Path) -> None:
    path = tmp_path / "doc.spdx.json"
    path.write_text(
        json.dumps(
            {"spdxVersion": "SPDX-2.3", "name": "d", "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}]}
        )
    )
    result = CliRunner().invoke(cli, ["sbom", "check", str(path), "--format", "json"])
    fields = {f["id"]: f for f in json.loads(result.output)["fields"]}
    assert fields["executable"]["assessed"] is False and fields["executable"]["percent"] is None
    assert fields["name"]["assessed"] is True and (fields["name"]["covered"], fields["name"]["total"]) == (
        1,
        1,
    )
    text = CliRunner().invoke(cli, ["sbom", "check", str(path)])
    assert "not assessed" in text.output


# --- a real SBOM: counts recomputed here with the standard library -------------------------------------


def _cdx_components(path: Path) -> list[dict[str, Any]]:
    """Components of a CycloneDX JSON or XML file as plain dicts (name, version, hashes, properties)."""
    raw = path.read_bytes()
    if not raw.lstrip().startswith(b"<"):
        return _flat(json.loads(raw).get("components") or [])
    root = ET.fromstring(raw)
    ns = "{" + root.tag[1:].split("}")[0] + "}"

    def walk(container: ET.Element | None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for c in container.findall(f"{ns}component") if container is not None else []:
            out.append(
                {
                    "name": (c.findtext(f"{ns}name") or "").strip(),
                    "version": (c.findtext(f"{ns}version") or "").strip(),
                    "hashes": [{"alg": h.get("alg")} for h in c.findall(f"{ns}hashes/{ns}hash")],
                    "properties": [
                        {"name": p.get("name"), "value": (p.text or "").strip()}
                        for p in c.findall(f"{ns}properties/{ns}property")
                    ],
                }
            )
            out.extend(walk(c.find(f"{ns}components")))
        return out

    return walk(root.find(f"{ns}components"))


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name", ["in-the-wild/cyclonedx/redis-commander-sbom-cdx.json", "in-the-wild/cyclonedx/elixir-cdx.xml"]
)
def test_real_sbom_counts(shared_data: Path, name: str) -> None:
    path = shared_data / "bom-shelter" / name
    comps = _cdx_components(path)
    assert any(c.get("properties") for c in comps)  # the file exercises properties at all
    want = _expected_counts(comps)
    want_sha512 = sum(any(h.get("alg") == "SHA-512" for h in c.get("hashes") or []) for c in comps)
    want_version = sum(bool(str(c.get("version") or "").strip()) for c in comps)
    result = CliRunner().invoke(cli, ["sbom", "check", str(path), "--format", "json"])
    data = json.loads(result.output)
    fields = {f["id"]: (f["covered"], f["total"]) for f in data["fields"]}
    assert data["components"] == len(comps)
    for field in BSI:
        assert fields[field] == (want[field], len(comps)), field
    assert fields["sha512"] == (want_sha512, len(comps))
    assert fields["version"] == (want_version, len(comps))
    # the model keeps every property the file names, in order
    doc = read_sbom(path)
    assert [len(c.properties) for c in doc.components] == [
        sum(1 for p in c.get("properties") or [] if p.get("name")) for c in comps
    ]
