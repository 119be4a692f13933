"""Import the CISA Known Exploited Vulnerabilities catalogue (JSON or CSV).

KEV is today's public list of *actively exploited* vulnerabilities: a finding joined to it is
the trigger of the Art 14(1) 24-hour early warning, once the manufacturer is aware of it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
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


_CVE = re.compile(r"CVE-\d{4}-\d+", re.IGNORECASE)


def _entry(row: object) -> KevEntry | None:
    """The entry, or None when ``row`` is not one (no CVE id, no date it was added)."""
    if not isinstance(row, dict):
        return None
    cve = row.get("cveID")
    added = row.get("dateAdded")
    if not isinstance(cve, str) or not _CVE.fullmatch(cve.strip()) or not isinstance(added, str):
        return None
    try:
        date.fromisoformat(added.strip()[:10])
    except ValueError:
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
        entries = _whole(rows, label)
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
        entries = _whole([dict(r) for r in reader], label)
    except csv.Error as exc:
        raise SourceError(f"KEV file {label} is neither JSON nor the KEV CSV ({exc})") from None
    # The CSV carries no catalogue version; the newest dateAdded stands in for its date.
    newest = max((e.date_added for e in entries), default=None)
    return KevCatalogue(None, newest, entries)


def _whole(rows: list[Any], label: str) -> tuple[KevEntry, ...]:
    """Every row as an entry, or an error naming the first that is not one. CISA publishes the
    catalogue whole and it replaces the stored one whole: importing only the rows that read
    would silently drop known exploited vulnerabilities, and with them the Art 14(1) signal."""
    entries: list[KevEntry] = []
    for n, row in enumerate(rows, start=1):
        entry = _entry(row)
        if entry is None:
            shown = repr(row)[:80]
            raise SourceError(
                f"KEV file {label}: entry {n} of {len(rows)} is not a KEV entry ({shown})",
                hint="each needs a cveID (CVE-YYYY-N...) and a dateAdded (YYYY-MM-DD); "
                "the stored catalogue was kept",
            )
        entries.append(entry)
    return tuple(entries)


def read_kev(path: Path) -> KevCatalogue:
    return parse_kev(read_limited(path, MAX_KEV_BYTES, "KEV catalogue", SourceError), str(path))


def import_kev(db: VulnDatabase, catalogue: KevCatalogue, location: str) -> int:
    """Replace the KEV table with ``catalogue`` (the catalogue is published whole)."""
    conn = db.conn
    stored = conn.execute("SELECT COUNT(*) FROM kev").fetchone()[0]
    if not catalogue.entries and stored:
        # CISA's catalogue has never been empty: an empty one is a broken download or the wrong
        # file, and replacing the stored list with it would end every exploited flag.
        raise SourceError(
            f"the KEV catalogue from {location} lists no vulnerabilities",
            hint=f"the database's {stored} KEV entries were kept; check the file or the mirror",
        )
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
