"""Import ENISA's EU Vulnerability Database (EUVD) list of exploited vulnerabilities.

A second exploited source beside CISA KEV: Art 14(1) starts its clock for any actively exploited
vulnerability, and ENISA runs the database the CRA names (Art 16, NIS2 Art 12(2)). Two shapes are
read: the EUVD API's JSON (``/api/exploitedvulnerabilities`` and ``/api/search`` answer a list, or
``{"items": [...]}``, of records with ``id``, ``aliases`` (newline-separated, CVE ids among them)
and ``exploitedSince``), and ENISA's exploited-list dump rows (``cveID``, ``euvdID``,
``dateReported`` as ``dd/mm/yy``).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from crakit.decoding import load_json
from crakit.readlimit import read_limited
from crakit.vulndb.errors import SourceError
from crakit.vulndb.store import VulnDatabase, now_iso

MAX_EUVD_BYTES = 256 * 1024 * 1024
_CVE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)


def _date(value: Any) -> str | None:
    """An ISO date from the API's ``Aug 7, 2025, 7:05:08 PM``, ISO 8601 or the dump's ``17/01/25``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for fmt in ("%b %d, %Y, %I:%M:%S %p", "%d/%m/%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return text[:10]
    return None


def parse_euvd(raw: bytes, label: str) -> list[tuple[str, str | None, str | None]]:
    """(CVE, EUVD id, date exploited since) for every listed CVE."""
    data = load_json(raw, f"EUVD file {label}", SourceError)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        rows = data["items"]
    elif isinstance(data, list):
        rows = data
    else:
        raise SourceError(
            f"EUVD file {label} is neither a list nor an object with 'items'",
            hint="give the EUVD API's exploited-vulnerabilities JSON",
        )
    out: list[tuple[str, str | None, str | None]] = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        euvd_id = row.get("euvdID") or row.get("id")
        euvd_id = euvd_id if isinstance(euvd_id, str) and euvd_id.upper().startswith("EUVD-") else None
        cves: list[str] = []
        if isinstance(row.get("cveID"), str):
            cves.append(row["cveID"])
        aliases = row.get("aliases")
        if isinstance(aliases, str):
            cves.extend(_CVE.findall(aliases))
        elif isinstance(aliases, list):
            cves.extend(a for a in aliases if isinstance(a, str) and _CVE.fullmatch(a.strip()))
        date = _date(row.get("exploitedSince")) or _date(row.get("dateReported"))
        for cve in dict.fromkeys(c.strip().upper() for c in cves):
            if _CVE.fullmatch(cve):
                out.append((cve, euvd_id, date))
    if rows and not out:
        raise SourceError(f"EUVD file {label} lists no CVE ids", hint="is it the EUVD exploited list?")
    return out


def import_euvd(db: VulnDatabase, path: Path, label: str) -> int:
    """Replace the EUVD exploited list with the one in ``path``; the number of CVEs listed."""
    raw = read_limited(path, MAX_EUVD_BYTES, "EUVD file", SourceError)
    entries = parse_euvd(raw, label)
    conn = db.conn
    conn.execute("BEGIN")
    try:
        conn.execute("DELETE FROM euvd")
        conn.executemany(
            "INSERT OR REPLACE INTO euvd VALUES (?,?,?,?)", [(c, e, d, label) for c, e, d in entries]
        )
        conn.execute(
            "INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
            ("EUVD exploited", label, now_iso(), len({c for c, _, _ in entries})),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len({c for c, _, _ in entries})
