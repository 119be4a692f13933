"""``crakit db update``: download OSV records and the CISA KEV catalogue, then import them.

Layouts understood at a base URL (the official sources or any ``--mirror`` copying them):

* osv.dev's bucket: ``<base>/<Ecosystem>/all.zip`` (one archive of records per ecosystem);
* a flat record mirror: ``<base>/osv/INDEX.csv`` (``id,...,ecosystems,...``) and ``<base>/osv/<id>.json``;
* CISA's feed file name ``known_exploited_vulnerabilities.json`` at ``<base>/kev/`` or ``<base>/``.

Everything is downloaded into a temporary folder first, so a failed download leaves the database
as it was; the import itself is incremental by ``modified`` (see :mod:`importers.osv`).
"""

from __future__ import annotations

import csv
import io
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from crakit.vulndb.build import BuildReport, build_database
from crakit.vulndb.errors import SourceError

OSV_BUCKET = "https://osv-vulnerabilities.storage.googleapis.com"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
KEV_NAME = "known_exploited_vulnerabilities.json"
# Language ecosystems fetched by default; distributions are large and fetched only on request.
DEFAULT_ECOSYSTEMS: tuple[str, ...] = (
    "PyPI",
    "npm",
    "Go",
    "crates.io",
    "Maven",
    "RubyGems",
    "NuGet",
    "Packagist",
    "Hex",
    "Pub",
    "SwiftURL",
    "Hackage",
    "CRAN",
    "GitHub Actions",
)
MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class UpdateOptions:
    mirror: str | None = None
    ecosystems: Sequence[str] = ()
    kev: bool = True
    timeout: float = 60.0
    workers: int = 4


class _NotFound(Exception):
    pass


def _fetch(url: str, dest: Path | None, limit: int, timeout: float) -> bytes:
    """GET ``url``; to ``dest`` when given (streamed), else into memory. Bounded by ``limit``."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise SourceError(f"unsupported URL scheme in {url}", hint="use http(s):// or file://")
    request = urllib.request.Request(url, headers={"User-Agent": "crakit-db-update"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            total = 0
            chunks: list[bytes] = []
            out = dest.open("wb") if dest is not None else None
            try:
                while True:
                    chunk = response.read(1 << 20)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > limit:
                        raise SourceError(f"{url} is larger than {limit} bytes; refusing it")
                    if out is not None:
                        out.write(chunk)
                    else:
                        chunks.append(chunk)
            finally:
                if out is not None:
                    out.close()
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise _NotFound(url) from None
        raise SourceError(f"download of {url} failed: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, FileNotFoundError):
            raise _NotFound(url) from None
        if isinstance(exc, FileNotFoundError):
            raise _NotFound(url) from None
        reason = getattr(exc, "reason", exc)
        raise SourceError(
            f"download of {url} failed: {reason}", hint="check the network or use --mirror"
        ) from None


def _join(base: str, *parts: str) -> str:
    return base.rstrip("/") + "/" + "/".join(urllib.parse.quote(p) for p in parts)


def _flat_mirror(base: str, ecosystems: Sequence[str], folder: Path, options: UpdateOptions) -> bool:
    """Fetch from a ``<base>/osv/INDEX.csv`` mirror; False when the mirror has no index."""
    try:
        index = _fetch(_join(base, "osv", "INDEX.csv"), None, 256 * 1024 * 1024, options.timeout)
    except _NotFound:
        return False
    wanted = set(ecosystems)
    ids: list[str] = []
    for row in csv.DictReader(io.StringIO(index.decode("utf-8", "replace"))):
        rid = (row.get("id") or "").strip()
        if not rid or "/" in rid or rid.startswith("."):
            continue
        ecos = {e.strip() for e in (row.get("ecosystems") or "").split(";") if e.strip()}
        if not wanted or ecos & wanted:
            ids.append(rid)

    def one(rid: str) -> None:
        try:
            _fetch(
                _join(base, "osv", f"{rid}.json"), folder / f"{rid}.json", MAX_RECORD_BYTES, options.timeout
            )
        except _NotFound:
            raise SourceError(f"mirror index lists {rid} but {base}/osv/{rid}.json is missing") from None

    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        list(pool.map(one, ids))
    return True


def update_database(
    path: Path, options: UpdateOptions, progress: Callable[[int, int | None], None] | None = None
) -> BuildReport:
    """Download the sources named by ``options`` and import them into ``path``.

    ``progress`` hears the import's progress as :func:`~crakit.vulndb.build.build_database` reports it."""
    base = options.mirror or OSV_BUCKET
    ecosystems = tuple(options.ecosystems) or (() if options.mirror else DEFAULT_ECOSYSTEMS)
    with tempfile.TemporaryDirectory(prefix="crakit-db-") as tmp:
        work = Path(tmp)
        records = work / "osv"
        records.mkdir()
        sources: list[Path] = []
        labels: list[str] = []
        if options.mirror and _flat_mirror(base, ecosystems, records, options):
            sources.append(records)
            labels.append(_join(base, "osv"))
        else:
            fetched = 0
            for eco in ecosystems or DEFAULT_ECOSYSTEMS:
                dest = work / f"{eco.replace('/', '_')}-all.zip"
                try:
                    _fetch(_join(base, eco, "all.zip"), dest, MAX_ARCHIVE_BYTES, options.timeout)
                except _NotFound:
                    if options.ecosystems:
                        raise SourceError(f"{base} has no {eco}/all.zip") from None
                    continue
                sources.append(dest)
                labels.append(_join(base, eco, "all.zip"))
                fetched += 1
            if not fetched:
                raise SourceError(
                    f"no OSV data found at {base}",
                    hint="expected <base>/<Ecosystem>/all.zip or <base>/osv/INDEX.csv",
                )
        kev_file: Path | None = None
        kev_label: str | None = None
        if options.kev:
            kev_file = work / KEV_NAME
            candidates = (
                [_join(base, "kev", KEV_NAME), _join(base, KEV_NAME)] if options.mirror else [KEV_URL]
            )
            for url in candidates:
                try:
                    _fetch(url, kev_file, 64 * 1024 * 1024, options.timeout)
                    kev_label = url
                    break
                except _NotFound:
                    continue
            else:
                raise SourceError(
                    f"no KEV catalogue at {' or '.join(candidates)}", hint="use --no-kev to skip it"
                )
        return build_database(
            path, sources, kev_file, osv_labels=labels, kev_label=kev_label, progress=progress
        )
