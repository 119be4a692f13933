"""Import NVD CVE records (API 2.0 pages, JSON 2.0 feed files, single records) and CVE List V5
records into the CPE tables, incrementally by each record's modification time.

NVD configurations (NVD CVE API 2.0, ``configurations[].nodes[].cpeMatch[]``): each ``vulnerable``
match becomes a rule on its criteria's vendor and product with the ``versionStart/End
Including/Excluding`` bounds. A configuration whose nodes are joined by ``AND`` (or a node with
operator ``AND``) describes a flaw that exists only when running on a platform: the vulnerable
matches carry the other nodes' criteria as conditions, so they are never plain matches.
``vulnerable: false`` criteria are only ever conditions.

CVE JSON 5 (``containers.cna`` and ``containers.adp[]`` ``affected[]``): each ``versions[]`` entry
becomes a rule (``version`` with ``lessThan`` / ``lessThanOrEqual``, or one version) carrying its
``status``; ``defaultStatus: affected`` becomes a default rule. Entries with ``cpes`` are keyed by
those CPEs; others by their ``vendor``/``product`` names (matched with lower confidence). The scan
uses CVE 5 rules only for CVEs without NVD configurations (the CVEs NVD has not analysed).
"""

from __future__ import annotations

import gzip
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from crakit.sbom import CPE_ANY as ANY
from crakit.sbom import CpeError, Wfn, parse_cpe
from crakit.vulndb.cpe_records import ENCODER, CpeRule
from crakit.vulndb.errors import SourceError
from crakit.vulndb.severity import rating
from crakit.vulndb.store import VulnDatabase

# An NVD yearly feed file is about 100 MB unpacked; one twice the largest real one is refused.
MAX_FILE_BYTES = 512 * 1024 * 1024
_DISTRO_VERSION_TYPES = frozenset({"rpm", "deb", "dpkg", "apk", "ebuild"})
_LESS = re.compile(r"^\s*(<=?)\s*v?(\d[^\s,;]*)\s*$")
_NO_VERSION = frozenset({"", "0", "*", "-", "n/a", "unspecified", "unknown"})


@dataclass(frozen=True, slots=True)
class CpeImportStats:
    read: int  # CVE records read
    added: int
    updated: int
    unchanged: int
    rejected_removed: int
    invalid: int  # files or records that could not be read
    rules: int  # match rules written


def iter_json_files(path: Path, what: str) -> Iterator[tuple[str, bytes | None]]:
    """(name, raw bytes) of every JSON document under ``path``: a folder tree of ``*.json`` /
    ``*.json.gz``, a zip of them, or one such file. Oversized members yield ``None`` (counted as
    invalid, never read)."""
    if path.is_dir():
        for file in sorted(path.rglob("*")):
            name = file.name.lower()
            if file.is_file() and (name.endswith(".json") or name.endswith(".json.gz")):
                yield from _read_file(file)
    elif path.is_file() and zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if not info.filename.endswith(".json"):
                        continue
                    if info.file_size > MAX_FILE_BYTES:
                        yield f"{path}!{info.filename}", None
                    else:
                        yield f"{path}!{info.filename}", archive.read(info)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceError(f"cannot read the {what} archive {path}: {exc}") from None
    elif path.is_file():
        yield from _read_file(path)
    else:
        raise SourceError(f"{path} is neither a file nor a folder")


def _read_file(file: Path) -> Iterator[tuple[str, bytes | None]]:
    try:
        if file.name.lower().endswith(".gz"):
            with gzip.open(file, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        else:
            if file.stat().st_size > MAX_FILE_BYTES:
                yield str(file), None
                return
            data = file.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile):
        yield str(file), None
        return
    yield str(file), (None if len(data) > MAX_FILE_BYTES else data)


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


# -- NVD -----------------------------------------------------------------------------------------


def _nvd_records(doc: Any) -> Iterator[dict[str, Any] | None]:
    """The ``cve`` objects of an API page / feed file, a single record or an annotated fragment."""
    if not isinstance(doc, dict):
        yield None
        return
    vulns = doc.get("vulnerabilities")
    if isinstance(vulns, list):
        for item in vulns:
            cve = item.get("cve") if isinstance(item, dict) else None
            yield cve if isinstance(cve, dict) else None
        return
    cve = doc.get("cve")
    if isinstance(cve, dict):
        record = dict(cve)
        note = doc.get("_annotation")  # anchore/nvd-data-overrides: the id and dates live here
        if isinstance(note, dict):
            record.setdefault("id", note.get("cve_id"))
            record.setdefault("lastModified", note.get("modified"))
            record.setdefault("published", note.get("published"))
            if "descriptions" not in record and isinstance(note.get("description"), str):
                record["descriptions"] = [{"lang": "en", "value": note["description"]}]
        yield record
        return
    if isinstance(doc.get("id"), str) and "configurations" in doc:
        yield doc
        return
    yield None


def _nvd_severity(cve: dict[str, Any]) -> tuple[str, str | None, float | None]:
    metrics = cve.get("metrics")
    if not isinstance(metrics, dict):
        return "unknown", None, None
    for key, version in (
        ("cvssMetricV40", "4.0"),
        ("cvssMetricV31", "3.1"),
        ("cvssMetricV30", "3.0"),
        ("cvssMetricV2", "2.0"),
    ):
        entries = metrics.get(key)
        if not isinstance(entries, list) or not entries:
            continue
        primary = next((e for e in entries if isinstance(e, dict) and e.get("type") == "Primary"), entries[0])
        data = primary.get("cvssData") if isinstance(primary, dict) else None
        if isinstance(data, dict) and isinstance(data.get("baseScore"), (int, float)):
            score = float(data["baseScore"])
            return rating(score, version), data.get("vectorString"), score
    return "unknown", None, None


def _criteria(text: Any) -> Wfn | None:
    if not isinstance(text, str):
        return None
    try:
        return parse_cpe(text)
    except CpeError:
        return None


def _nvd_rules(cve: dict[str, Any]) -> list[tuple[str, str, CpeRule]]:
    rules: list[tuple[str, str, CpeRule]] = []
    configurations = cve.get("configurations")
    if not isinstance(configurations, list):
        return rules
    for config in configurations:
        if not isinstance(config, dict) or not isinstance(config.get("nodes"), list):
            continue
        nodes = [n for n in config["nodes"] if isinstance(n, dict) and isinstance(n.get("cpeMatch"), list)]
        joined = config.get("operator") == "AND" and len(nodes) > 1
        for index, node in enumerate(nodes):
            matches = [m for m in node["cpeMatch"] if isinstance(m, dict)]
            node_and = node.get("operator") == "AND" and len(matches) > 1
            conditions: list[tuple[str, ...]] = []
            if joined:
                for other_index, other in enumerate(nodes):
                    if other_index != index and not other.get("negate"):
                        group = tuple(
                            m["criteria"]
                            for m in other["cpeMatch"]
                            if isinstance(m, dict) and isinstance(m.get("criteria"), str)
                        )
                        if group:
                            conditions.append(group)
            for match in matches:
                if match.get("vulnerable") is not True or node.get("negate"):
                    continue
                wfn = _criteria(match.get("criteria"))
                if wfn is None or (wfn.vendor == ANY and wfn.product == ANY):
                    continue
                extra = list(conditions)
                if node_and:
                    extra.extend(
                        (m["criteria"],)
                        for m in matches
                        if m is not match
                        and isinstance(m.get("criteria"), str)
                        and m.get("vulnerable") is not True
                    )
                start, start_incl = _bound(match, "versionStartIncluding", "versionStartExcluding")
                end, end_incl = _bound(match, "versionEndIncluding", "versionEndExcluding")
                rule = CpeRule(
                    source="nvd",
                    part=wfn.part,
                    version=wfn.plain("version"),
                    update=wfn.plain("update"),
                    start=start,
                    start_incl=start_incl,
                    end=end,
                    end_incl=end_incl,
                    platforms=tuple(extra),
                    criteria=match["criteria"],
                )
                rules.append((wfn.plain("vendor").lower(), wfn.plain("product").lower(), rule))
    return rules


def _bound(match: dict[str, Any], including: str, excluding: str) -> tuple[str | None, bool]:
    value = match.get(including)
    if isinstance(value, str) and value:
        return value, True
    value = match.get(excluding)
    if isinstance(value, str) and value:
        return value, False
    return None, True


def _documents(sources: list[Path], what: str) -> Iterator[Any]:
    """Every JSON document under ``sources``, parsed; ``None`` for one that is oversized or not
    JSON (the importers count it as invalid)."""
    for source in sources:
        for _name, raw in iter_json_files(source, what):
            if raw is None:
                yield None
                continue
            try:
                yield orjson.loads(raw)
            except orjson.JSONDecodeError:
                yield None


def import_nvd(db: VulnDatabase, sources: list[Path]) -> CpeImportStats:
    """Import NVD CVE records from ``sources`` (one transaction)."""
    conn = db.conn
    existing = {vid: modified for vid, modified in conn.execute("SELECT id, nvd_modified FROM cpe_vulns")}
    read = added = updated = unchanged = rejected = invalid = rules_written = 0
    conn.execute("BEGIN")
    try:
        for doc in _documents(sources, "NVD"):
            if doc is None:
                invalid += 1
                continue
            for cve in _nvd_records(doc):
                vid = cve.get("id") if cve is not None else None
                if cve is None or not isinstance(vid, str) or not vid.upper().startswith("CVE-"):
                    invalid += 1
                    continue
                vid = vid.strip().upper()
                read += 1
                stamp = cve.get("lastModified")
                modified = stamp if isinstance(stamp, str) else ""
                before = existing.get(vid)
                if before is not None and modified and before >= modified:
                    unchanged += 1
                    continue
                if vid in existing:  # a new CVE has nothing to replace (the common case of a full import)
                    conn.execute("DELETE FROM cpe_affected WHERE vuln_id = ? AND source = 'nvd'", (vid,))
                if str(cve.get("vulnStatus", "")).lower() == "rejected":
                    rejected += 1
                    conn.execute("UPDATE cpe_vulns SET nvd_modified = ? WHERE id = ?", (modified, vid))
                    existing[vid] = modified
                    continue
                rules = _nvd_rules(cve)
                conn.executemany(
                    "INSERT INTO cpe_affected VALUES (?,?,?,?,?)",
                    [(v, p, vid, "nvd", ENCODER.encode(r)) for v, p, r in rules],
                )
                rules_written += len(rules)
                severity, vector, score = _nvd_severity(cve)
                summary = _english(cve.get("descriptions"))
                _upsert(
                    db,
                    vid,
                    "nvd",
                    modified,
                    cve.get("published"),
                    summary,
                    severity,
                    vector,
                    score,
                    vid in existing,
                )
                if vid in existing:
                    updated += 1
                else:
                    added += 1
                existing[vid] = modified
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return CpeImportStats(read, added, updated, unchanged, rejected, invalid, rules_written)


def _english(descriptions: Any) -> str | None:
    if not isinstance(descriptions, list):
        return None
    for d in descriptions:
        if isinstance(d, dict) and d.get("lang", "en").startswith("en") and isinstance(d.get("value"), str):
            return _first_line(d["value"])
    return None


def _upsert(
    db: VulnDatabase,
    vid: str,
    source: str,
    modified: str,
    published: Any,
    summary: str | None,
    severity: str,
    vector: str | None,
    score: float | None,
    known: bool = True,
) -> None:
    """One ``cpe_vulns`` row per CVE; NVD's severity and summary win over a CVE 5 record's.
    ``known``: the row may exist (else it is inserted without looking it up first)."""
    conn = db.conn
    row = (
        conn.execute(
            "SELECT summary, severity, severity_source FROM cpe_vulns WHERE id = ?", (vid,)
        ).fetchone()
        if known
        else None
    )
    column = "nvd_modified" if source == "nvd" else "cve5_modified"
    pub = published if isinstance(published, str) else None
    if row is None:
        conn.execute(
            f"INSERT INTO cpe_vulns (id, {column}, published, summary, severity, cvss_vector, cvss_score,"
            " severity_source) VALUES (?,?,?,?,?,?,?,?)",
            (vid, modified, pub, summary, severity, vector, score, source if severity != "unknown" else None),
        )
        return
    old_summary, old_severity, old_source = row
    take_severity = severity != "unknown" and (
        old_severity == "unknown" or source == "nvd" or old_source != "nvd"
    )
    conn.execute(f"UPDATE cpe_vulns SET {column} = ? WHERE id = ?", (modified, vid))
    if summary and (source == "nvd" or not old_summary):
        conn.execute("UPDATE cpe_vulns SET summary = ? WHERE id = ?", (summary, vid))
    if take_severity:
        conn.execute(
            "UPDATE cpe_vulns SET severity = ?, cvss_vector = ?, cvss_score = ?, severity_source = ? WHERE id = ?",
            (severity, vector, score, source, vid),
        )


# -- CVE List V5 ---------------------------------------------------------------------------------


def _cve5_severity(containers: list[dict[str, Any]]) -> tuple[str, str | None, float | None]:
    words = {"critical", "high", "medium", "moderate", "low"}
    fallback: str | None = None
    for container in containers:
        metrics = container.get("metrics")
        if not isinstance(metrics, list):
            continue
        for metric in metrics:
            if not isinstance(metric, dict):
                continue
            for key, version in (
                ("cvssV4_0", "4.0"),
                ("cvssV3_1", "3.1"),
                ("cvssV3_0", "3.0"),
                ("cvssV2_0", "2.0"),
            ):
                data = metric.get(key)
                if isinstance(data, dict) and isinstance(data.get("baseScore"), (int, float)):
                    score = float(data["baseScore"])
                    return rating(score, version), data.get("vectorString"), score
            other = metric.get("other")  # e.g. OpenSSL's own High / Moderate / Low rating
            content = other.get("content") if isinstance(other, dict) else None
            text = content.get("text") if isinstance(content, dict) else None
            if isinstance(text, str) and text.strip().lower() in words and fallback is None:
                word = text.strip().lower()
                fallback = "medium" if word == "moderate" else word
    return fallback or "unknown", None, None


# Legal-form suffixes CNAs add to a vendor's name ("wolfSSL Inc.", "Espressif Systems Co., Ltd."):
# NVD's CPE vendor is the bare name, so they are dropped before vendor names are compared.
_LEGAL_FORMS = re.compile(
    r"(?:[\s,]+(?:inc|incorporated|ltd|limited|llc|gmbh|ag|sa|s\.a|bv|b\.v|co|corp|corporation|plc|oy|ab)\.?)+$",
    re.IGNORECASE,
)


def _name(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    bare = _LEGAL_FORMS.sub("", value.strip().rstrip("."))
    return "_".join((bare or value).strip().lower().split())


def _cve5_rules(containers: list[dict[str, Any]]) -> list[tuple[str, str, CpeRule]]:
    out: list[tuple[str, str, CpeRule]] = []
    entry_no = 0
    for container in containers:
        affected = container.get("affected")
        if not isinstance(affected, list):
            continue
        for entry in affected:
            if not isinstance(entry, dict):
                continue
            entry_no += 1
            keys: list[tuple[str, str, str, bool, str]] = []  # vendor, product, part, by name, criteria
            for cpe in entry.get("cpes") or ():
                wfn = _criteria(cpe)
                if wfn is not None and wfn.vendor != ANY and wfn.product != ANY:
                    keys.append(
                        (wfn.plain("vendor").lower(), wfn.plain("product").lower(), wfn.part, False, cpe)
                    )
            if not keys:
                vendor, product = _name(entry.get("vendor")), _name(entry.get("product"))
                if vendor in _NO_VERSION or product in _NO_VERSION:
                    continue
                keys.append((vendor, product, ANY, True, ""))
            versions = [v for v in entry.get("versions") or () if isinstance(v, dict)]
            if any(str(v.get("versionType", "")).lower() in _DISTRO_VERSION_TYPES for v in versions):
                continue  # a distribution's package versions, not the upstream product's
            rules: list[CpeRule] = []
            for v in versions:
                status = v.get("status")
                if status not in ("affected", "unaffected"):
                    continue
                version = str(v.get("version", "")).strip()
                less, less_eq = v.get("lessThan"), v.get("lessThanOrEqual")
                written = _LESS.match(version)
                if written and less is None and less_eq is None:
                    # Some CNAs write the bound into ``version`` ("< 10.6.2"): read it as meant.
                    version = "0"
                    if written[1] == "<":
                        less = written[2]
                    else:
                        less_eq = written[2]
                if isinstance(less, str) or isinstance(less_eq, str):
                    end = less if isinstance(less, str) else less_eq
                    rules.append(
                        CpeRule(
                            "cve5",
                            ANY,
                            ANY,
                            start=None if version.lower() in _NO_VERSION else version,
                            end=None if str(end).strip() in ("*", "") else str(end).strip(),
                            end_incl=not isinstance(less, str),
                            status=status,
                        )
                    )
                elif version.lower() not in _NO_VERSION:
                    rules.append(CpeRule("cve5", ANY, version, status=status))
            if entry.get("defaultStatus") == "affected":
                rules.append(CpeRule("cve5", ANY, ANY, default=True))
            for vendor, product, part, by_name, criteria in keys:
                for rule in rules:
                    out.append(
                        (
                            vendor,
                            product,
                            CpeRule(
                                "cve5",
                                part,
                                rule.version,
                                start=rule.start,
                                start_incl=rule.start_incl,
                                end=rule.end,
                                end_incl=rule.end_incl,
                                status=rule.status,
                                default=rule.default,
                                by_name=by_name,
                                entry=entry_no,
                                criteria=criteria,
                            ),
                        )
                    )
    return out


def import_cvelist(db: VulnDatabase, sources: list[Path]) -> CpeImportStats:
    """Import CVE JSON 5 records from ``sources`` (one transaction)."""
    conn = db.conn
    existing = {vid: modified for vid, modified in conn.execute("SELECT id, cve5_modified FROM cpe_vulns")}
    read = added = updated = unchanged = rejected = invalid = rules_written = 0
    conn.execute("BEGIN")
    try:
        for record in _documents(sources, "CVE List V5"):
            if record is None:
                invalid += 1
                continue
            meta = record.get("cveMetadata") if isinstance(record, dict) else None
            containers = record.get("containers") if isinstance(record, dict) else None
            if not isinstance(meta, dict) or not isinstance(containers, dict):
                invalid += 1
                continue
            vid = meta.get("cveId")
            if not isinstance(vid, str) or not vid.upper().startswith("CVE-"):
                invalid += 1
                continue
            vid = vid.strip().upper()
            read += 1
            modified = str(meta.get("dateUpdated") or meta.get("datePublished") or "")
            before = existing.get(vid)
            if before is not None and modified and before >= modified:
                unchanged += 1
                continue
            if vid in existing:
                conn.execute("DELETE FROM cpe_affected WHERE vuln_id = ? AND source = 'cve5'", (vid,))
            if str(meta.get("state", "")).upper() == "REJECTED":
                rejected += 1
                existing[vid] = modified
                continue
            parts = [
                c for c in [containers.get("cna"), *(containers.get("adp") or ())] if isinstance(c, dict)
            ]
            rules = _cve5_rules(parts)
            conn.executemany(
                "INSERT INTO cpe_affected VALUES (?,?,?,?,?)",
                [(v, p, vid, "cve5", ENCODER.encode(r)) for v, p, r in rules],
            )
            rules_written += len(rules)
            severity, vector, score = _cve5_severity(parts)
            cna = containers.get("cna")
            summary = _english(cna.get("descriptions")) if isinstance(cna, dict) else None
            _upsert(
                db,
                vid,
                "cve5",
                modified,
                meta.get("datePublished"),
                summary,
                severity,
                vector,
                score,
                vid in existing,
            )
            if vid in existing:
                updated += 1
            else:
                added += 1
            existing[vid] = modified
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return CpeImportStats(read, added, updated, unchanged, rejected, invalid, rules_written)
