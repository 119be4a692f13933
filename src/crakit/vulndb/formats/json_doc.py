"""The JSON document of ``crakit scan --format json`` and ``crakit db info --format json``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from crakit.vulndb.gate import GateOutcome
from crakit.vulndb.model import DatabaseInfo, ScanResult, finding_to_json


def info_to_json(info: DatabaseInfo) -> dict[str, Any]:
    data = asdict(info)
    data["ecosystems"] = dict(info.ecosystems)
    data["sources"] = [
        {"name": n, "location": loc, "imported_at": at, "records": r} for n, loc, at, r in info.sources
    ]
    return data


def _rest(result: ScanResult, gate: GateOutcome | None) -> dict[str, Any]:
    """Everything but the findings list."""
    active = result.active()
    return {
        "summary": {
            "sboms": list(result.sboms),
            "components": result.components,
            "components_without_purl": result.components_without_purl,
            "findings": len(active),
            "exploited": sum(f.exploited for f in active),
            "by_severity": dict(Counter(f.severity for f in active)),
            "suppressed": len(result.findings) - len(active),
            "not_evaluated": len(result.unevaluated),
        },
        "not_evaluated": [{"purl": u.purl, "id": u.id, "reason": u.reason} for u in result.unevaluated],
        "unsupported_purl_types": list(result.unsupported),
        "uncovered_ecosystems": dict(result.uncovered),
        "vex_unmatched": [
            {
                "source": n.source,
                "vulnerability": n.vulnerability,
                "products": list(n.products),
                "status": n.status,
            }
            for n in result.vex_unmatched
        ],
        "database": info_to_json(result.database) if result.database else None,
        "gate": None
        if gate is None
        else {"fail_on": gate.fail_on, "tripped": gate.tripped, "reason": gate.message},
    }


def scan_to_json(
    result: ScanResult, gate: GateOutcome | None = None, *, show_suppressed: bool = False
) -> dict[str, Any]:
    """The scan as one JSON-ready object: ``findings`` (suppressed ones only on request) first."""
    shown = result.findings if show_suppressed else result.active()
    return {"findings": [finding_to_json(f) for f in shown], **_rest(result, gate)}


def iter_scan_json(
    result: ScanResult, gate: GateOutcome | None = None, *, show_suppressed: bool = False
) -> Iterator[bytes]:
    """The same document as :func:`scan_to_json`, compact, produced a few thousand findings at a
    time, so a 100,000-component report is written without being held in memory whole."""
    import orjson

    shown = result.findings if show_suppressed else result.active()
    yield b'{"findings":['
    for i in range(0, len(shown), 4096):
        if i:
            yield b","
        yield orjson.dumps([finding_to_json(f) for f in shown[i : i + 4096]])[1:-1]
    yield b"],"
    yield orjson.dumps(_rest(result, gate))[1:]  # the rest of the object, from after its "{"


def scan_to_json_bytes(
    result: ScanResult, gate: GateOutcome | None = None, *, show_suppressed: bool = False
) -> bytes:
    return b"".join(iter_scan_json(result, gate, show_suppressed=show_suppressed))
