"""Scan findings as ``crakit scan --format json`` writes them (the scan JSON contract)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from crakit.csaf.errors import CsafInputError
from crakit.readlimit import MIB, read_limited

MAX_FINDINGS_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Finding:
    """One vulnerability matched in one component."""

    purl: str
    id: str
    aliases: tuple[str, ...] = ()
    severity: str | None = None
    fixed: str | None = None
    exploited: bool = False
    kev_date_added: str | None = None
    status: str | None = None

    @property
    def cve(self) -> str | None:
        for candidate in (self.id, *self.aliases):
            if candidate.startswith("CVE-"):
                return candidate
        return None

    def names(self) -> set[str]:
        return {self.id, *self.aliases}


def _opt_str(value: Any) -> str | None:
    return (
        str(value)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and value != ""
        else None
    )


def parse_findings(data: bytes, source: str = "findings") -> tuple[Finding, ...]:
    if len(data) > MAX_FINDINGS_BYTES:
        raise CsafInputError(f"{source}: larger than {MAX_FINDINGS_BYTES} bytes")
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CsafInputError(f"{source}: not JSON ({exc})") from None
    items = raw.get("findings") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise CsafInputError(
            f"{source}: expected an object with a 'findings' list (crakit scan --format json)"
        )
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise CsafInputError(f"{source}: findings[{i}] needs a string 'id'")
        fixed = item.get("fixed")
        if isinstance(fixed, list):
            fixed = ", ".join(str(f) for f in fixed if f) or None
        aliases = item.get("aliases") or []
        out.append(
            Finding(
                purl=_opt_str(item.get("purl")) or "",
                id=item["id"],
                aliases=tuple(str(a) for a in aliases if isinstance(a, str))
                if isinstance(aliases, list)
                else (),
                severity=_opt_str(item.get("severity")),
                fixed=_opt_str(fixed),
                exploited=bool(item.get("exploited")),
                kev_date_added=_opt_str(item.get("kev_date_added")),
                status=_opt_str(item.get("status")),
            )
        )
    return tuple(out)


def load_findings(path: str | Path) -> tuple[Finding, ...]:
    p = Path(path)
    return parse_findings(read_limited(p, 512 * MIB, "findings file"), str(p))
