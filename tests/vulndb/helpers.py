"""Small builders for tests: OSV records, KEV catalogues and CycloneDX SBOMs in their real formats."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def osv_record(
    vid: str,
    ecosystem: str,
    name: str,
    *,
    events: Sequence[dict[str, str]] = (),
    range_type: str = "ECOSYSTEM",
    versions: Sequence[str] = (),
    aliases: Sequence[str] = (),
    modified: str = "2024-01-01T00:00:00Z",
    withdrawn: str | None = None,
    severity: Sequence[dict[str, str]] = (),
    summary: str | None = None,
    extra_ranges: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    affected: dict[str, Any] = {"package": {"ecosystem": ecosystem, "name": name}}
    ranges = [{"type": range_type, "events": list(events)}] if events else []
    ranges.extend(extra_ranges)
    if ranges:
        affected["ranges"] = ranges
    if versions:
        affected["versions"] = list(versions)
    record: dict[str, Any] = {
        "schema_version": "1.6.0",
        "id": vid,
        "modified": modified,
        "aliases": list(aliases),
        "affected": [affected],
    }
    if withdrawn:
        record["withdrawn"] = withdrawn
    if severity:
        record["severity"] = list(severity)
    if summary:
        record["summary"] = summary
    return record


def write_records(folder: Path, records: Iterable[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        (folder / f"{record['id']}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def write_kev(path: Path, entries: Sequence[tuple[str, str]], version: str = "2025.01.01") -> Path:
    path.write_text(
        json.dumps(
            {
                "title": "CISA Catalog of Known Exploited Vulnerabilities",
                "catalogVersion": version,
                "dateReleased": f"{version.replace('.', '-')}T00:00:00Z",
                "count": len(entries),
                "vulnerabilities": [
                    {
                        "cveID": cve,
                        "vendorProject": "v",
                        "product": "p",
                        "vulnerabilityName": "n",
                        "dateAdded": added,
                        "shortDescription": "",
                        "requiredAction": "",
                        "dueDate": added,
                        "knownRansomwareCampaignUse": "Unknown",
                        "notes": "",
                    }
                    for cve, added in entries
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def write_cdx(
    path: Path,
    purls: Sequence[str | None],
    *,
    product: tuple[str, str] | None = None,
    names: Sequence[str] | None = None,
    product_ref: str = "product",
) -> Path:
    components = []
    for i, purl in enumerate(purls):
        comp: dict[str, Any] = {"type": "library", "bom-ref": f"c{i}", "name": names[i] if names else f"c{i}"}
        if purl:
            comp["purl"] = purl
            version = purl.split("@", 1)[1].split("?", 1)[0] if "@" in purl else None
            if version:
                comp["version"] = version
        components.append(comp)
    doc: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": components,
    }
    if product:
        doc["metadata"] = {
            "component": {
                "type": "application",
                "bom-ref": product_ref,
                "name": product[0],
                "version": product[1],
            }
        }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path
