"""What a case needs to know about the product, taken from the crakit manifest and the rules engine.

Snapshotted into the case when it is opened, so the case file keeps the facts it was
reported with even if the manifest changes later.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from crakit.reporting.errors import ReportingError

_TYPE = {
    "default": "Default",
    "important-class-i": "Important",
    "important-class-ii": "Important",
    "critical": "Critical",
}
_CLASS = {"important-class-i": "Class I", "important-class-ii": "Class II"}


def product_snapshot(manifest_path: Path) -> dict[str, Any]:
    """Read the manifest and classify it (Art 7, 8, Annex III/IV; support period Art 13(8))."""
    from crakit.manifest import load_manifest

    manifest = load_manifest(manifest_path)
    return snapshot_of(manifest, source=str(manifest_path))


def snapshot_of(manifest: Any, source: str | None = None) -> dict[str, Any]:
    """The product facts of a loaded :class:`crakit.manifest.Manifest`, classified by the rules engine."""
    from crakit.regulation import classify, routing_facts

    result = classify(manifest)
    category = str(result.category) if result.category else None
    end = result.support_period.end or getattr(manifest.support, "end", None)
    facts = routing_facts(manifest)
    return {
        "name": manifest.product.name,
        "version": manifest.product.version,
        "manufacturer": manifest.manufacturer.name,
        "role": result.role,
        "size": manifest.manufacturer.size,
        "registered_office": manifest.manufacturer.country,
        # Art 14(7) facts, routed by the same rule as `classify` (crakit.regulation.decide_csirt_route)
        "main_establishment": facts.main_establishment,
        "authorised_representative": facts.authorised_representative,
        "importer_member_state": facts.importer,
        "distributor_member_state": facts.distributor,
        "most_users_member_state": facts.most_users,
        "csirt_route": result.csirt_route.to_json() if result.csirt_route else None,
        "member_states": list(manifest.market.member_states),
        "category": category,
        "type": _TYPE.get(category or ""),
        "class": _CLASS.get(category or ""),
        "annex_entries": [{"id": e.id, "name": e.name, "ref": e.ref} for e in result.annex_entries],
        "support_end": str(end) if end is not None else None,
        "in_scope": result.in_scope,
        "reporting_applies": result.reporting_applies,
        "manifest": source,
    }


def end_of_support_reached(support_end: str | None, at: dt.datetime) -> str | None:
    """Glossary field 11: "Yes" once the support period's last month (Art 13(8), 13(19)) is over."""
    if not support_end:
        return None
    try:
        year, month = (int(part) for part in support_end.split("-")[:2])
    except ValueError:
        raise ReportingError(f"support end {support_end!r} is not YYYY-MM") from None
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    return "Yes" if at.date() >= after else "No"
