"""Filename, declared/concluded licences and the SBOM URI in every serialisation, in `check`
(BSI TR-03183-2 v2.0 §5.2.2 filename and associated licences, §5.3.1 SBOM-URI, §5.3.2 concluded,
§5.4 declared) and in `convert`. Expected values come from the tables below, never from crakit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from click.testing import CliRunner

from crakit.cli.main import cli
from crakit.sbom import parse_sbom, read_sbom
from crakit.sbom.convert import convert
from crakit.sbom.model import Sbom
from crakit.sbom.quality import QualityReport, check_quality
from crakit.sbom.validate import validate_bytes

URI_SPDX = "https://example.com/spdxdocs/app-1.0-0f2c"
URI_CDX = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"

# name -> (filename, declared, concluded) as the document writes them; None = field not written.
SPDX_PACKAGES: dict[str, tuple[str | None, str | None, str | None]] = {
    "full": ("full-1.0.tar.gz", "MIT", "Apache-2.0"),
    "same": ("same.jar", "MIT OR GPL-2.0-only", "MIT OR GPL-2.0-only"),
    "noassert": ("NOASSERTION", "NOASSERTION", "NOASSERTION"),
    "none": (None, "NONE", "NONE"),
    "bare": (None, None, None),
}
ABSENT = {None, "NOASSERTION", "NONE"}


def _want(value: str | None) -> str | None:
    return None if value in ABSENT else value


def _spdx_json() -> dict[str, Any]:
    packages = []
    for name, (fname, declared, concluded) in SPDX_PACKAGES.items():
        pkg: dict[str, Any] = {"SPDXID": f"SPDXRef-{name}", "name": name, "versionInfo": "1.0"}
        if fname is not None:
            pkg["packageFileName"] = fname
        if declared is not None:
            pkg["licenseDeclared"] = declared
        if concluded is not None:
            pkg["licenseConcluded"] = concluded
        packages.append(pkg)
    return {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "app",
        "documentNamespace": URI_SPDX,
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Organization: ACME"]},
        "packages": packages,
    }


def _spdx_tag_value() -> str:
    lines = [
        "SPDXVersion: SPDX-2.3",
        "DataLicense: CC0-1.0",
        "SPDXID: SPDXRef-DOCUMENT",
        "DocumentName: app",
        f"DocumentNamespace: {URI_SPDX}",
        "Creator: Organization: ACME",
        "Created: 2024-01-01T00:00:00Z",
    ]
    for name, (fname, declared, concluded) in SPDX_PACKAGES.items():
        lines += [f"PackageName: {name}", f"SPDXID: SPDXRef-{name}", "PackageVersion: 1.0"]
        if fname is not None:
            lines.append(f"PackageFileName: {fname}")
        if declared is not None:
            lines.append(f"PackageLicenseDeclared: {declared}")
        if concluded is not None:
            lines.append(f"PackageLicenseConcluded: {concluded}")
    # a file after the packages: its FileName / LicenseConcluded belong to the file, not a package
    lines += ["FileName: ./bin/tool", "SPDXID: SPDXRef-f", "LicenseConcluded: BSD-3-Clause"]
    return "\n".join(lines) + "\n"


def _spdx3() -> dict[str, Any]:
    graph: list[dict[str, Any]] = [
        {"type": "CreationInfo", "@id": "_:c", "specVersion": "3.0.1", "created": "2024-01-01T00:00:00Z"},
        {"type": "SpdxDocument", "spdxId": URI_SPDX, "name": "app", "creationInfo": "_:c"},
    ]
    for name, (_fname, declared, concluded) in SPDX_PACKAGES.items():
        graph.append(
            {"type": "software_Package", "spdxId": f"urn:{name}", "name": name, "creationInfo": "_:c"}
        )
        for rel, value in (("hasDeclaredLicense", declared), ("hasConcludedLicense", concluded)):
            if value is None:
                continue
            if value in ("NOASSERTION", "NONE"):  # SPDX 3 spells them as individuals
                target = "https://spdx.org/rdf/3.0.1/terms/Expanded Licensing/" + (
                    "NoAssertionLicense" if value == "NOASSERTION" else "NoneLicense"
                )
            else:
                target = f"urn:lic:{name}:{rel}"
                graph.append(
                    {
                        "type": "simplelicensing_LicenseExpression",
                        "spdxId": target,
                        "simplelicensing_licenseExpression": value,
                        "creationInfo": "_:c",
                    }
                )
            graph.append(
                {
                    "type": "Relationship",
                    "spdxId": f"urn:r:{name}:{rel}",
                    "from": f"urn:{name}",
                    "relationshipType": rel,
                    "to": [target],
                    "creationInfo": "_:c",
                }
            )
    return {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph}


# CycloneDX: name -> (filename property value or None, [(licence, kind, acknowledgement)])
CDX_COMPONENTS: dict[str, tuple[str | None, list[tuple[str, str, str | None]]]] = {
    "full": ("full-1.0.tar.gz", [("MIT", "id", "declared"), ("Apache-2.0", "id", "concluded")]),
    "expr": (None, [("MIT OR Apache-2.0", "expression", "concluded")]),
    "plain": ("  ", [("Custom licence", "name", None)]),  # blank filename, no acknowledgement
    "bare": (None, []),
}


def _cdx_json(version: str = "1.6") -> dict[str, Any]:
    comps = []
    for name, (fname, lics) in CDX_COMPONENTS.items():
        comp: dict[str, Any] = {"type": "library", "bom-ref": name, "name": name, "version": "1.0"}
        if fname is not None:
            comp["properties"] = [{"name": "bsi:component:filename", "value": fname}]
        entries = []
        for value, kind, ack in lics:
            entry: dict[str, Any] = (
                {"expression": value} if kind == "expression" else {"license": {kind: value}}
            )
            if ack:
                (entry if kind == "expression" else entry["license"])["acknowledgement"] = ack
            entries.append(entry)
        if entries:
            comp["licenses"] = entries
        comps.append(comp)
    return {
        "bomFormat": "CycloneDX",
        "specVersion": version,
        "serialNumber": URI_CDX,
        "version": 1,
        "components": comps,
    }


def _cdx_xml() -> str:
    body = []
    for name, (fname, lics) in CDX_COMPONENTS.items():
        parts = [f"<name>{name}</name><version>1.0</version>"]
        if lics:
            entries = []
            for value, kind, ack in lics:
                attr = f' acknowledgement="{ack}"' if ack else ""
                if kind == "expression":
                    entries.append(f"<expression{attr}>{value}</expression>")
                else:
                    entries.append(f"<license{attr}><{kind}>{value}</{kind}></license>")
            parts.append(f"<licenses>{''.join(entries)}</licenses>")
        if fname is not None:
            parts.append(
                f'<properties><property name="bsi:component:filename">{fname}</property></properties>'
            )
        body.append(f'<component type="library" bom-ref="{name}">{"".join(parts)}</component>')
    return (
        f'<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="{URI_CDX}" version="1">'
        f"<components>{''.join(body)}</components></bom>"
    )


def _spdx_expected() -> dict[str, tuple[str | None, tuple[str, ...], tuple[str, ...]]]:
    return {
        name: (_want(f), tuple(x for x in [_want(d)] if x), tuple(x for x in [_want(c)] if x))
        for name, (f, d, c) in SPDX_PACKAGES.items()
    }


def _cdx_expected() -> dict[str, tuple[str | None, tuple[str, ...], tuple[str, ...]]]:
    return {
        name: (
            fname.strip() or None if fname else None,
            tuple(v for v, _, ack in lics if ack == "declared"),
            tuple(v for v, _, ack in lics if ack == "concluded"),
        )
        for name, (fname, lics) in CDX_COMPONENTS.items()
    }


SERIALISATIONS = {
    "spdx-json": lambda: json.dumps(_spdx_json()).encode(),
    "spdx-yaml": lambda: yaml.safe_dump(_spdx_json()).encode(),
    "spdx-tag-value": lambda: _spdx_tag_value().encode(),
    "spdx3-json-ld": lambda: json.dumps(_spdx3()).encode(),
    "cdx-json": lambda: json.dumps(_cdx_json()).encode(),
    "cdx-xml": lambda: _cdx_xml().encode(),
}


def _expected(kind: str) -> dict[str, tuple[str | None, tuple[str, ...], tuple[str, ...]]]:
    if kind.startswith("cdx"):
        return _cdx_expected()
    want = _spdx_expected()
    if kind.startswith("spdx3"):  # a software_Package has no filename in SPDX 3
        want = {n: (None, d, c) for n, (_, d, c) in want.items()}
    return want


def _fields(doc: Sbom) -> dict[str, tuple[str | None, tuple[str, ...], tuple[str, ...]]]:
    return {c.name: (c.filename, c.licenses_declared, c.licenses_concluded) for c in doc.components}  # type: ignore[attr-defined]


def _coverage(report: QualityReport) -> dict[str, tuple[int, int] | None]:
    return {f.rule.id: (f.covered, f.total) if f.assessed else None for f in report.fields}


@pytest.mark.parametrize("kind", SERIALISATIONS)
def test_uri_is_read(kind: str) -> None:
    doc = parse_sbom(SERIALISATIONS[kind]())
    assert doc.uri == (URI_CDX if kind.startswith("cdx") else URI_SPDX)
    assert _coverage(check_quality(doc))["sbom_uri"] == (1, 1)


@pytest.mark.parametrize("kind", SERIALISATIONS)
def test_fields_are_read(kind: str) -> None:
    doc = parse_sbom(SERIALISATIONS[kind]())
    assert _fields(doc) == _expected(kind)
    for c in doc.components:  # the associated licences still hold every licence
        assert set(c.licenses) >= set(c.licenses_declared) | set(c.licenses_concluded)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", SERIALISATIONS)
def test_check_counts_the_licence_and_filename_rules(kind: str) -> None:
    want = _expected(kind)
    report = check_quality(parse_sbom(SERIALISATIONS[kind]()))
    coverage = _coverage(report)
    total = len(want)
    assert coverage["licenses_declared"] == (sum(bool(d) for _, d, _ in want.values()), total)
    assert coverage["licenses_concluded"] == (sum(bool(c) for _, _, c in want.values()), total)
    if kind.startswith("spdx3"):
        assert coverage["filename"] is None
    else:
        assert coverage["filename"] == (sum(f is not None for f, _, _ in want.values()), total)
    rules = {f.rule.id: f.rule for f in report.fields}
    assert rules["licenses"].required and not rules["licenses_concluded"].required
    assert not rules["licenses_declared"].required
    # only required rules make a component fail
    assert all(not {"licenses_declared", "licenses_concluded"} & set(f.missing) for f in report.failing)


def test_rules_cite_the_tr_sections() -> None:
    rules = {f.rule.id: f.rule for f in check_quality(parse_sbom(SERIALISATIONS["spdx-json"]())).fields}
    assert "§5.2.2" in rules["licenses"].reference and "associated" in rules["licenses"].reference
    assert "§5.3.2" in rules["licenses_concluded"].reference
    assert "§5.4" in rules["licenses_declared"].reference
    assert "§5.3.1" in rules["sbom_uri"].reference


def test_cyclonedx_before_1_6_cannot_say_concluded_or_declared() -> None:
    doc = _cdx_json("1.5")
    for comp in doc["components"]:  # 1.5 has no acknowledgement
        for entry in comp.get("licenses", []):
            entry.pop("acknowledgement", None)
            entry.get("license", {}).pop("acknowledgement", None)
    coverage = _coverage(check_quality(parse_sbom(json.dumps(doc).encode())))
    assert coverage["licenses_declared"] is None and coverage["licenses_concluded"] is None
    assert coverage["licenses"] == (3, 4)


def test_uri_must_be_a_uri() -> None:
    doc = _spdx_json()
    doc["documentNamespace"] = "not a uri"
    assert _coverage(check_quality(parse_sbom(json.dumps(doc).encode())))["sbom_uri"] == (0, 1)
    doc["documentNamespace"] = "NOASSERTION"
    assert parse_sbom(json.dumps(doc).encode()).uri is None


def test_info_json_has_the_uri(tmp_path: Path) -> None:
    path = tmp_path / "doc.spdx"
    path.write_text(_spdx_tag_value())
    result = CliRunner().invoke(cli, ["sbom", "info", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["uri"] == URI_SPDX


# --- convert keeps what the target can carry ------------------------------------------------------------


@pytest.mark.parametrize("kind", SERIALISATIONS)
def test_convert_keeps_filename_and_licence_kinds(kind: str) -> None:
    doc = parse_sbom(SERIALISATIONS[kind]())
    want = _fields(doc)
    for target in ("spdx-2.3", "cyclonedx-1.6"):
        out = orjson.dumps(convert(doc, target))
        report = validate_bytes(out)
        assert report.valid, (target, report.errors)
        back = _fields(parse_sbom(out))
        for name, (fname, declared, concluded) in want.items():
            got = back[name]
            assert got[0] == fname, (target, name)
            assert set(got[2]) == set(concluded), (target, name)
            if declared or doc.format != "cyclonedx":
                assert set(got[1]) == set(declared), (target, name)


def test_spdx_target_writes_package_filename_and_both_licences() -> None:
    doc = parse_sbom(SERIALISATIONS["cdx-json"]())
    packages = {p["name"]: p for p in convert(doc, "spdx-2.3")["packages"]}
    assert packages["full"]["packageFileName"] == "full-1.0.tar.gz"
    assert (packages["full"]["licenseDeclared"], packages["full"]["licenseConcluded"]) == (
        "MIT",
        "Apache-2.0",
    )
    assert packages["expr"]["licenseConcluded"] == "MIT OR Apache-2.0"
    assert "packageFileName" not in packages["bare"]
    # a licence without acknowledgement (CycloneDX < 1.6 style) is written as declared
    assert packages["plain"]["licenseDeclared"] == "Custom licence"
    assert packages["plain"]["licenseConcluded"] == "NOASSERTION"


# --- real SBOMs: counts recomputed here with the standard library --------------------------------------


def _spdx2_files(shared_data: Path) -> list[Path]:
    root = shared_data / "bom-shelter"
    out = []
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.suffix in (".md", ".csv"):
            continue
        head = p.read_bytes()[:4096]
        if (b'"spdxVersion"' in head and b"SPDX-2" in head) or head.lstrip().startswith(b"SPDXVersion:"):
            out.append(p)
    return out


def _raw_spdx2(path: Path) -> tuple[str | None, list[tuple[str | None, str | None, str | None]]]:
    """(documentNamespace, [(packageFileName, licenseDeclared, licenseConcluded)]) without crakit."""
    text = path.read_text("utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        doc = json.loads(text)
        pkgs = [
            (p.get("packageFileName"), p.get("licenseDeclared"), p.get("licenseConcluded"))
            for p in doc.get("packages") or []
        ]
        return doc.get("documentNamespace"), pkgs
    namespace = None
    pkgs_tv: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    tags = {"PackageFileName": 0, "PackageLicenseDeclared": 1, "PackageLicenseConcluded": 2}
    for line in text.splitlines():
        tag, _, value = line.partition(":")
        tag, value = tag.strip(), value.strip()
        if tag == "DocumentNamespace" and namespace is None:
            namespace = value
        elif tag == "PackageName":
            current = {}
            pkgs_tv.append(current)
        elif tag in ("FileName", "SnippetSPDXID", "LicenseID"):
            current = None
        elif current is not None and tag in tags:
            current[tag] = value
    return namespace, [
        (p.get("PackageFileName"), p.get("PackageLicenseDeclared"), p.get("PackageLicenseConcluded"))
        for p in pkgs_tv
    ]


def _given(value: str | None) -> bool:
    return value is not None and value.strip() not in ("", "NOASSERTION", "NONE")


@pytest.mark.corpus
def test_real_spdx_documents(shared_data: Path) -> None:
    files = _spdx2_files(shared_data)
    assert len(files) >= 5
    seen = {"filename": 0, "declared": 0, "concluded": 0}
    for path in files:
        namespace, raw = _raw_spdx2(path)
        doc = read_sbom(path)
        assert doc.uri == (namespace.strip() if _given(namespace) else None), path.name  # type: ignore[union-attr]
        assert len(doc.components) == len(raw), path.name
        coverage = _coverage(check_quality(doc))
        want_f = sum(_given(f) for f, _, _ in raw)
        want_d = sum(_given(d) for _, d, _ in raw)
        want_c = sum(_given(c) for _, _, c in raw)
        assert coverage["filename"] == (want_f, len(raw)), path.name
        assert coverage["licenses_declared"] == (want_d, len(raw)), path.name
        assert coverage["licenses_concluded"] == (want_c, len(raw)), path.name
        for c, (f, d, cc) in zip(doc.components, raw, strict=True):
            assert c.filename == (f.strip() if _given(f) else None)  # type: ignore[attr-defined, union-attr]
            assert c.licenses_declared == ((d.strip(),) if _given(d) else ())  # type: ignore[attr-defined, union-attr]
            assert c.licenses_concluded == ((cc.strip(),) if _given(cc) else ())  # type: ignore[attr-defined, union-attr]
        seen["filename"] += want_f
        seen["declared"] += want_d
        seen["concluded"] += want_c
    # the corpus exercises every field (otherwise the comparison above proves little)
    assert all(seen.values()), seen
