"""Download NVD JSON 2.0 feeds, a CVE List V5 archive and ENISA's EUVD exploited list
(``crakit db update --nvd / --cvelist / --euvd``).

NVD publishes one gzipped feed per year (``nvdcve-2.0-<year>.json.gz``) and one of the records
changed in the last eight days (``nvdcve-2.0-modified.json.gz``), each beside a ``.meta`` file
giving the feed's SHA-256. A feed is downloaded only when its SHA-256 differs from the one stored
at the last update, so a daily update fetches the small metas and the modified feed; the import
itself is incremental by ``lastModified``. Every download is bounded in size and lands in a
temporary folder first: a failed update leaves the database as it was.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crakit.vulndb.errors import SourceError
from crakit.vulndb.store import read_only_uri, refused_leaves_no_trace

if TYPE_CHECKING:
    from crakit.vulndb.update import UpdateOptions

NVD_FEEDS = "https://nvd.nist.gov/feeds/json/cve/2.0"
EUVD_EXPLOITED = "https://euvdservices.enisa.europa.eu/api/exploitedvulnerabilities"
FIRST_YEAR = 2002
_META_BYTES = 64 * 1024
_SHA = re.compile(r"^sha256:([0-9A-Fa-f]{64})\s*$", re.MULTILINE)


@dataclass(slots=True)
class CpeDownloads:
    nvd: list[Path] = field(default_factory=list)
    cvelist: list[Path] = field(default_factory=list)
    euvd: Path | None = None
    meta: dict[str, str] = field(default_factory=dict)  # stored in the database after the import


def _stored_meta(path: Path) -> dict[str, str]:
    """The feed hashes recorded by the previous update (none when there is no database yet)."""
    if not path.is_file():
        return {}
    try:
        with refused_leaves_no_trace(path):  # a file that is no database: refused later, unchanged
            conn = sqlite3.connect(read_only_uri(path), uri=True)
            try:
                return dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'nvd_feed:%'"))
            finally:
                conn.close()
    except sqlite3.Error:
        return {}


def fetch_cpe_sources(path: Path, options: UpdateOptions, work: Path) -> CpeDownloads:
    from crakit.vulndb.update import _fetch, _NotFound

    out = CpeDownloads()
    if options.nvd is not None:
        base = options.nvd.rstrip("/")
        stored = _stored_meta(path)
        years = tuple(options.nvd_years) or tuple(range(FIRST_YEAR, datetime.now(UTC).year + 1))
        names = [f"nvdcve-2.0-{year}" for year in years] + ["nvdcve-2.0-modified"]
        found = 0
        for name in names:
            try:
                meta = _fetch(f"{base}/{name}.meta", None, _META_BYTES, options.timeout)
            except _NotFound:
                continue  # a mirror may hold only some years
            found += 1
            digest = _SHA.search(meta.decode("utf-8", "replace"))
            if digest is None:
                raise SourceError(
                    f"{base}/{name}.meta has no sha256 line", hint="is it an NVD JSON 2.0 feed?"
                )
            sha = digest.group(1).lower()
            if stored.get(f"nvd_feed:{name}") == sha:
                continue  # unchanged since the last update
            dest = work / f"{name}.json.gz"
            try:
                _fetch(f"{base}/{name}.json.gz", dest, options.max_bytes, options.timeout)
            except _NotFound:
                raise SourceError(f"{base}/{name}.meta exists but {name}.json.gz does not") from None
            if _gunzip_sha256(dest, options.max_bytes) != sha:
                raise SourceError(f"{base}/{name}.json.gz does not match the SHA-256 of its .meta")
            out.nvd.append(dest)
            out.meta[f"nvd_feed:{name}"] = sha
        if not found:
            raise SourceError(
                f"no NVD JSON 2.0 feeds at {base}", hint="expected <base>/nvdcve-2.0-<year>.meta and .json.gz"
            )
    if options.cvelist is not None:
        url = options.cvelist
        suffix = ".zip" if url.lower().split("?")[0].endswith(".zip") else ".json"
        dest = work / f"cvelist{suffix}"
        try:
            _fetch(url, dest, options.max_bytes, options.timeout)
        except _NotFound:
            raise SourceError(f"no CVE List V5 archive at {url}") from None
        out.cvelist.append(dest)
    if options.euvd is not None:
        dest = work / "euvd-exploited.json"
        try:
            _fetch(options.euvd, dest, 256 * 1024 * 1024, options.timeout)
        except _NotFound:
            raise SourceError(f"no EUVD exploited list at {options.euvd}") from None
        out.euvd = dest
    return out


def _gunzip_sha256(path: Path, limit: int) -> str:
    """SHA-256 of the feed unpacked (NVD's .meta hashes the uncompressed JSON), streamed and
    bounded so a gzip bomb is refused."""
    import gzip
    import hashlib

    digest = hashlib.sha256()
    total = 0
    try:
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise SourceError(f"{path.name} unpacks to more than {limit} bytes; refusing it")
                digest.update(chunk)
    except (OSError, EOFError) as exc:
        raise SourceError(f"{path.name} is not a valid gzip file ({exc})") from None
    return digest.hexdigest()
