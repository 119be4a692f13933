"""The manufacturer's decisions for an advisory: a small YAML file (docs/csaf.md "Decisions file").

It carries what no scanner can know: the status of each vulnerability for the product, the
remediation, the CVSS vector, the TLP label and the revision history.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from crakit.csaf.errors import CsafInputError
from crakit.csaf.model import FlagLabel, RemediationCategory, TlpLabel
from crakit.decoding import load_yaml
from crakit.readlimit import MIB, read_limited

MAX_DECISIONS_BYTES = 2 * 1024 * 1024

STATUSES = ("affected", "not_affected", "fixed", "under_investigation")
JUSTIFICATIONS: tuple[FlagLabel, ...] = (
    "component_not_present",
    "inline_mitigations_already_exist",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_not_present",
)
REMEDIATIONS: tuple[RemediationCategory, ...] = (
    "mitigation",
    "no_fix_planned",
    "none_available",
    "vendor_fix",
    "workaround",
)
TLPS: tuple[TlpLabel, ...] = ("WHITE", "GREEN", "AMBER", "RED")
_CVSS3 = re.compile(r"^CVSS:3\.[01]/")
_CWE = re.compile(r"^CWE-[1-9][0-9]*$")


@dataclass(frozen=True, slots=True)
class RevisionEntry:
    date: str
    summary: str


@dataclass(frozen=True, slots=True)
class RemediationDecision:
    category: RemediationCategory
    details: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class VulnDecision:
    """What the manufacturer decided about one vulnerability for this product."""

    id: str
    status: str
    justification: FlagLabel | None = None
    impact: str | None = None
    remediation: RemediationDecision | None = None
    cvss: str | None = None
    cwe: str | None = None
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Decisions:
    id: str
    publisher_name: str | None
    namespace: str
    contact: str | None
    tlp: TlpLabel
    lang: str
    status: str
    title: str | None
    summary: str | None
    fixed_version: str | None
    affected_versions: tuple[str, ...]
    revisions: tuple[RevisionEntry, ...]
    vulnerabilities: tuple[VulnDecision, ...]
    base_url: str | None = None


def _fail(source: str, where: str, why: str) -> CsafInputError:
    return CsafInputError(f"{source}: {where}: {why}")


def _str(raw: dict[str, Any], key: str, source: str, where: str, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise _fail(source, where, f"'{key}' is required")
        return None
    if isinstance(value, dt.datetime | dt.date) and not isinstance(value, str):
        return _iso(value)
    if not isinstance(value, str | int | float) or isinstance(value, bool) or str(value).strip() == "":
        raise _fail(source, f"{where}.{key}", "must be a non-empty string")
    return str(value).strip()


def _iso(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return f"{value.isoformat()}T00:00:00.000Z"


def normalise_date(text: str, source: str, where: str) -> str:
    """An RFC 3339 UTC timestamp from a date or date-time string."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _iso(dt.date.fromisoformat(text))
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(source, where, f"{text!r} is not a date") from None
    return _iso(parsed)


def _choice(value: str | None, choices: tuple[str, ...], source: str, where: str) -> str | None:
    if value is not None and value not in choices:
        raise _fail(source, where, f"{value!r} is not one of {', '.join(choices)}")
    return value


def _vuln(vid: str, raw: Any, source: str) -> VulnDecision:
    where = f"vulnerabilities.{vid}"
    if not isinstance(raw, dict):
        raise _fail(source, where, "must be a mapping")
    status = _choice(_str(raw, "status", source, where, required=True), STATUSES, source, f"{where}.status")
    justification = _choice(
        _str(raw, "justification", source, where), JUSTIFICATIONS, source, f"{where}.justification"
    )
    remediation = None
    rem = raw.get("remediation")
    if rem is not None:
        if isinstance(rem, str):
            rem = {"category": "vendor_fix", "details": rem}
        if not isinstance(rem, dict):
            raise _fail(source, f"{where}.remediation", "must be a mapping or a string")
        category = _choice(
            _str(rem, "category", source, f"{where}.remediation") or "vendor_fix",
            REMEDIATIONS,
            source,
            f"{where}.remediation.category",
        )
        details = _str(rem, "details", source, f"{where}.remediation", required=True)
        remediation = RemediationDecision(
            cast(RemediationCategory, category),
            details or "",
            _str(rem, "url", source, f"{where}.remediation"),
        )
    cvss = _str(raw, "cvss", source, where)
    if cvss is not None:
        import cvss as cvsslib

        if not _CVSS3.match(cvss):
            raise _fail(source, f"{where}.cvss", "must be a CVSS 3.0 or 3.1 vector (CVSS:3.1/...)")
        try:
            cvsslib.CVSS3(cvss)
        except Exception as exc:
            raise _fail(source, f"{where}.cvss", f"invalid vector ({exc})") from None
    cwe = _str(raw, "cwe", source, where)
    if cwe is not None and not _CWE.match(cwe):
        raise _fail(source, f"{where}.cwe", "must look like CWE-79")
    if status == "not_affected" and justification is None and _str(raw, "impact", source, where) is None:
        raise _fail(source, where, "a not_affected decision needs a justification or an impact statement")
    return VulnDecision(
        id=vid,
        status=status or "",
        justification=cast(FlagLabel | None, justification),
        impact=_str(raw, "impact", source, where),
        remediation=remediation,
        cvss=cvss,
        cwe=cwe,
        title=_str(raw, "title", source, where),
        description=_str(raw, "description", source, where),
    )


def parse_decisions(data: bytes | str, source: str = "decisions") -> Decisions:
    """Parse and check a decisions file; a one-line :class:`CsafInputError` on the first problem."""
    if len(data) > MAX_DECISIONS_BYTES:
        raise CsafInputError(f"{source}: larger than {MAX_DECISIONS_BYTES} bytes")
    raw = load_yaml(data, source, CsafInputError)
    if not isinstance(raw, dict):
        raise CsafInputError(f"{source}: must be a mapping")
    tracking_id = _str(raw, "id", source, "top level", required=True) or ""
    publisher = raw.get("publisher") or {}
    if not isinstance(publisher, dict):
        raise _fail(source, "publisher", "must be a mapping")
    namespace = _str(publisher, "namespace", source, "publisher", required=True) or ""
    if not re.match(r"^https?://", namespace):
        raise _fail(source, "publisher.namespace", "must be an http(s) URL, e.g. https://example.com")
    tlp = (_str(raw, "tlp", source, "top level") or "WHITE").upper()
    _choice(tlp, TLPS, source, "tlp")
    status = _choice(
        _str(raw, "status", source, "top level") or "final", ("draft", "interim", "final"), source, "status"
    )
    revisions_raw = raw.get("revisions") or []
    if not isinstance(revisions_raw, list):
        raise _fail(source, "revisions", "must be a list")
    revisions = []
    for i, rev in enumerate(revisions_raw):
        if not isinstance(rev, dict):
            raise _fail(source, f"revisions[{i}]", "must be a mapping")
        date = _str(rev, "date", source, f"revisions[{i}]", required=True) or ""
        revisions.append(
            RevisionEntry(
                normalise_date(date, source, f"revisions[{i}].date"),
                _str(rev, "summary", source, f"revisions[{i}]", required=True) or "",
            )
        )
    vulns_raw = raw.get("vulnerabilities") or {}
    if isinstance(vulns_raw, list):  # also accept a list of mappings with an "id"
        vulns_raw = {str(v.get("id")): v for v in vulns_raw if isinstance(v, dict)}
    if not isinstance(vulns_raw, dict):
        raise _fail(source, "vulnerabilities", "must be a mapping from vulnerability id to decision")
    affected_versions = raw.get("affected_versions") or []
    if not isinstance(affected_versions, list) or not all(
        isinstance(v, str | int | float) for v in affected_versions
    ):
        raise _fail(source, "affected_versions", "must be a list of versions")
    fixed_version = _str(raw, "fixed_version", source, "top level")
    if fixed_version is not None and fixed_version in {str(v) for v in affected_versions}:
        raise _fail(source, "affected_versions", f"lists the fixed version {fixed_version}")
    return Decisions(
        id=tracking_id,
        publisher_name=_str(publisher, "name", source, "publisher"),
        namespace=namespace.rstrip("/"),
        contact=_str(publisher, "contact", source, "publisher"),
        tlp=cast(TlpLabel, tlp),
        lang=_str(raw, "lang", source, "top level") or "en",
        status=status or "final",
        title=_str(raw, "title", source, "top level"),
        summary=_str(raw, "summary", source, "top level"),
        fixed_version=fixed_version,
        affected_versions=tuple(str(v) for v in affected_versions),
        revisions=tuple(revisions),
        vulnerabilities=tuple(_vuln(str(k), v, source) for k, v in vulns_raw.items()),
        base_url=_str(raw, "base_url", source, "top level"),
    )


def load_decisions(path: str | Path) -> Decisions:
    p = Path(path)
    return parse_decisions(read_limited(p, 1 * MIB, "decisions file"), str(p))
