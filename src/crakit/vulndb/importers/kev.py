"""Import the CISA Known Exploited Vulnerabilities catalogue (JSON or CSV).

KEV is today's public list of *actively exploited* vulnerabilities: a finding joined to it is
the trigger of the Art 14(1) 24-hour early warning, once the manufacturer is aware of it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crakit.decoding import load_json
from crakit.readlimit import read_limited
from crakit.vulndb.errors import SourceError
from crakit.vulndb.store import VulnDatabase, now_iso

MAX_KEV_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class KevEntry:
    cve: str
    date_added: str
    due_date: str | None
    vendor: str | None
    product: str | None
    name: str | None
    ransomware: str | None


@dataclass(frozen=True, slots=True)
class KevCatalogue:
    catalog_version: str | None
    date_released: str | None
    entries: tuple[KevEntry, ...]


def _entry(row: dict[str, Any]) -> KevEntry | None:
    cve = row.get("cveID")
    added = row.get("dateAdded")
    if not isinstance(cve, str) or not cve.upper().startswith("CVE-") or not isinstance(added, str):
        return None

    def text(key: str) -> str | None:
        value = row.get(key)
        return value if isinstance(value, str) and value else None

    return KevEntry(
        cve.strip().upper(),
        added.strip()[:10],
        text("dueDate"),
        text("vendorProject"),
        text("product"),
        text("vulnerabilityName"),
        text("knownRansomwareCampaignUse"),
    )


def parse_kev(raw: bytes, label: str) -> KevCatalogue:
    """Parse the catalogue from its JSON (``vulnerabilities`` list) or CSV form."""
    stripped = raw.lstrip()
    if stripped.startswith(b"{"):
        data = load_json(raw, f"KEV file {label}", SourceError)
        rows = data.get("vulnerabilities") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise SourceError(
                f"KEV file {label} has no 'vulnerabilities' list", hint="is it the CISA KEV JSON feed?"
            )
        entries = tuple(e for e in (_entry(r) for r in rows if isinstance(r, dict)) if e is not None)
        return KevCatalogue(
            data.get("catalogVersion") if isinstance(data.get("catalogVersion"), str) else None,
            data.get("dateReleased") if isinstance(data.get("dateReleased"), str) else None,
            entries,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"KEV file {label} is neither JSON nor UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        if not reader.fieldnames or "cveID" not in reader.fieldnames:
            raise SourceError(f"KEV file {label} has no cveID column", hint="is it the CISA KEV CSV feed?")
        entries = tuple(e for e in (_entry(dict(r)) for r in reader) if e is not None)
    except csv.Error as exc:
        raise SourceError(f"KEV file {label} is neither JSON nor the KEV CSV ({exc})") from None
    # The CSV carries no catalogue version; the newest dateAdded stands in for its date.
    newest = max((e.date_added for e in entries), default=None)
    return KevCatalogue(None, newest, entries)


def read_kev(path: Path) -> KevCatalogue:
    return parse_kev(read_limited(path, MAX_KEV_BYTES, "KEV catalogue", SourceError), str(path))


def import_kev(db: VulnDatabase, catalogue: KevCatalogue, location: str) -> int:
    """Replace the KEV table with ``catalogue`` (the catalogue is published whole)."""
    conn = db.conn
    conn.execute("BEGIN")
    try:
        conn.execute("DELETE FROM kev")
        conn.executemany(
            "INSERT OR REPLACE INTO kev VALUES (?,?,?,?,?,?,?)",
            [
                (e.cve, e.date_added, e.due_date, e.vendor, e.product, e.name, e.ransomware)
                for e in catalogue.entries
            ],
        )
        for key, value in (
            ("kev_catalog_version", catalogue.catalog_version),
            ("kev_date_released", catalogue.date_released),
        ):
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
        conn.execute(
            "INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
            ("CISA KEV", location, now_iso(), len(catalogue.entries)),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(catalogue.entries)
