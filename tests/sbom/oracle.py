"""An independent count of SBOM components, written with the standard library only.

It shares no code with crakit.sbom so that corpus tests compare two readings.
Returns (format, count) or None when the file is not an SBOM.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

# Same rule as tests/conftest.py (collection happens before fixtures exist).
SHARED_DATA = Path(
    os.environ.get("CRAKIT_SHARED_DATA", Path(__file__).resolve().parents[2].parent / "shared" / "data")
)
CDX_NS = "http://cyclonedx.org/schema/bom/"
SPDX3_PACKAGES = {"software_Package", "ai_AIPackage", "dataset_DatasetPackage"}


def _cdx_json_count(components: list[dict]) -> int:
    return sum(1 + _cdx_json_count(c.get("components") or []) for c in components)


def _cdx_xml_count(container: ET.Element | None, ns: str) -> int:
    # only components/component chains: pedigree ancestors and the like are not BOM components
    if container is None:
        return 0
    return sum(
        1 + _cdx_xml_count(c.find(f"{{{ns}}}components"), ns) for c in container.findall(f"{{{ns}}}component")
    )


def expected(path: Path) -> tuple[str, int] | None:
    raw = path.read_bytes()
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig")):
        if raw.startswith(bom):
            text = raw.decode(codec)
            break
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            return None  # includes trailing garbage ("Extra data")
        if not isinstance(doc, dict):
            return None
        if doc.get("bomFormat") == "CycloneDX":
            return "cyclonedx", _cdx_json_count(doc.get("components") or [])
        if str(doc.get("spdxVersion", "")).startswith("SPDX-2"):
            return "spdx", len(doc.get("packages") or [])
        if "@graph" in doc:
            return "spdx", sum(1 for e in doc["@graph"] if e.get("type") in SPDX3_PACKAGES)
        return None
    if stripped.startswith("<"):
        if "<!DOCTYPE" in text:
            return None
        try:
            root = ET.fromstring(raw)
        except ET.ParseError:
            return None
        if not root.tag.startswith("{" + CDX_NS) or not root.tag.endswith("}bom"):
            return None
        ns = root.tag[1:].split("}")[0]
        return "cyclonedx", _cdx_xml_count(root.find(f"{{{ns}}}components"), ns)
    if re.search(r"^\s*SPDXVersion:\s*SPDX-2", text, re.M):
        return "spdx", len(re.findall(r"^\s*PackageName:", text, re.M))
    if re.search(r"^spdxVersion:", text, re.M):
        import yaml

        doc = yaml.safe_load(text)
        return "spdx", len(doc.get("packages") or [])
    return None


def cyclonedx_properties(path: Path) -> list[tuple[tuple[str, str], ...]] | None:
    """Each component's named properties, components depth first in document order (CycloneDX only)."""
    raw = path.read_bytes()
    if raw.lstrip().startswith(b"<"):
        root = ET.fromstring(raw)
        ns = root.tag[1:].split("}")[0]
        out: list[tuple[tuple[str, str], ...]] = []

        def walk_xml(container: ET.Element | None) -> None:
            for c in container.findall(f"{{{ns}}}component") if container is not None else ():
                props = c.find(f"{{{ns}}}properties")
                found = props.findall(f"{{{ns}}}property") if props is not None else []
                out.append(tuple((p.get("name"), (p.text or "").strip()) for p in found if p.get("name")))
                walk_xml(c.find(f"{{{ns}}}components"))

        walk_xml(root.find(f"{{{ns}}}components"))
        return out
    doc = json.loads(raw)
    if doc.get("bomFormat") != "CycloneDX":
        return None
    result: list[tuple[tuple[str, str], ...]] = []

    def walk_json(items: list[dict]) -> None:
        for c in items:
            pairs = []
            for p in c.get("properties") or []:
                if p.get("name"):
                    value = p.get("value")
                    pairs.append((p["name"], "" if value is None else str(value)))
            result.append(tuple(pairs))
            walk_json(c.get("components") or [])

    walk_json(doc.get("components") or [])
    return result
