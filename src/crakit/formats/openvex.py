"""``crakit scan --format openvex``: a triage template from the findings.

Every finding becomes one OpenVEX v0.2.0 statement carrying its current status
(``under_investigation`` for untriaged ones) for the product security team to complete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, BinaryIO

import orjson

from crakit.vulndb import Finding, Skipped

CONTEXT = "https://openvex.dev/ns/v0.2.0"


def openvex_template(
    findings: Sequence[Finding], *, author: str = "crakit triage template", skipped: Sequence[Skipped] = ()
) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    statements: list[dict[str, Any]] = []
    for f in findings:
        st: dict[str, Any] = {
            "vulnerability": {"name": f.id, "aliases": list(f.aliases)},
            "products": [
                {"@id": f.purl} if f.cpe is None else {"@id": f.key, "identifiers": {"cpe23": f.cpe}}
            ],
            "status": "under_investigation" if f.status == "affected" else f.status,
        }
        if f.status == "not_affected":
            st["justification"] = f.justification or "vulnerable_code_not_present"
        if f.status == "affected":
            st["action_statement"] = (
                f"Update to {', '.join(f.fixed)}"
                if f.fixed
                else "No fixed version published; assess and mitigate"
            )
        statements.append(st)
    digest = hashlib.sha256("\n".join(f"{f.key} {f.id}" for f in findings).encode()).hexdigest()
    return {
        "@context": CONTEXT,
        "@id": f"https://openvex.dev/docs/crakit/{digest}",
        "author": author,
        "timestamp": now,
        "version": 1,
        # OpenVEX has no field for unchecked components (the schema allows no extra keys): the
        # tooling note says how many there were, so an empty template is not read as "clean".
        "tooling": "crakit scan --format openvex"
        + (
            f"; {len(skipped)} component(s) not checked: "
            + ", ".join(f"{s.name} ({s.reason})" for s in skipped[:20])
            if skipped
            else ""
        ),
        "statements": statements,
    }


def write_openvex(findings: Sequence[Finding], out: BinaryIO, skipped: Sequence[Skipped] = ()) -> None:
    out.write(orjson.dumps(openvex_template(findings, skipped=skipped)))
