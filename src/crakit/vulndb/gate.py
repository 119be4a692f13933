"""The ``--fail-on`` CI gate: Annex I Part I(2)(a) forbids placing a product on the market with
known exploitable vulnerabilities; ``exploited`` fails on CISA-KEV-listed ones that no VEX
statement suppresses."""

from __future__ import annotations

from dataclasses import dataclass

from crakit.vulndb.model import CONFIDENCE_ORDER, SEVERITY_ORDER, Finding, ScanResult

FAIL_ON = ("exploited", "critical", "high", "any", "none")


@dataclass(frozen=True, slots=True)
class GateOutcome:
    fail_on: str
    tripped: bool
    message: str | None
    # Unsuppressed findings whose severity no record gives: a severity gate cannot place them.
    unknown_severity: int = 0
    unknown_counted: bool = False  # they tripped (or would trip) the gate
    # Known exploited findings left out of the gate because their match is below the confidence
    # asked for: never silent (a firmware CVE matched by name is still exploited).
    exploited_below_confidence: int = 0


def evaluate_gate(
    result: ScanResult, fail_on: str, unknown: str = "fail", confidence: str = "exact"
) -> GateOutcome:
    """Severity thresholds also trip on exploited findings: a KEV entry outranks any score.

    A finding of unknown severity cannot be said to be below ``critical`` or ``high``: with
    ``unknown="fail"`` (the default for a gate) it counts as reaching the threshold, with
    ``"pass"`` it does not; either way the outcome says how many there were.

    Only findings matched with at least ``confidence`` count (default ``exact``: a purl, or the
    SBOM's own CPE with the exact vendor and product). CPE matches through the alias table, a
    derived CPE or a CVE 5 product name are reported but do not fail a build unless asked.
    """
    floor_confidence = CONFIDENCE_ORDER[confidence]
    active: list[Finding] = []
    exploited: list[Finding] = []
    unknowns: list[Finding] = []
    held = 0
    for f in result.active():  # one pass: a findings-dense scan has hundreds of thousands
        vulnerability = f.vulnerability
        is_exploited = vulnerability.exploited  # the model's rule (KEV or EUVD), not a copy of it
        if CONFIDENCE_ORDER[f.confidence] < floor_confidence:
            held += is_exploited
            continue
        active.append(f)
        if is_exploited:
            exploited.append(f)
        elif vulnerability.severity == "unknown":
            unknowns.append(f)
    if fail_on == "none":
        return GateOutcome(fail_on, False, None, len(unknowns), exploited_below_confidence=held)
    severity_gate = fail_on not in ("exploited", "any")
    if fail_on == "exploited":
        hits = exploited
    elif fail_on == "any":
        hits = active
    else:
        floor = SEVERITY_ORDER[fail_on]
        hits = [
            f
            for f in active
            if f.exploited
            or SEVERITY_ORDER[f.severity] >= floor
            or (unknown == "fail" and f.severity == "unknown")
        ]
    counted = severity_gate and unknown == "fail" and bool(unknowns)
    if not hits:
        return GateOutcome(fail_on, False, None, len(unknowns), counted, held)
    if exploited:
        ids = ", ".join(sorted({f"{f.id} in {f.key}" for f in exploited})[:5])
        lists = "/".join(sorted({c for f in exploited for c in f.vulnerability.catalogues}))
        lists = lists.replace("KEV", "CISA KEV").replace("EUVD", "ENISA EUVD")
        message = (
            f"Annex I Part I(2)(a) gate: {len(exploited)} known exploited vulnerabilit"
            f"{'y' if len(exploited) == 1 else 'ies'} ({lists}) not triaged by VEX: {ids}"
            " — Art 14(1) early warning within 24 hours of becoming aware"
        )
    else:
        message = f"--fail-on {fail_on}: {len(hits)} finding{'s' if len(hits) != 1 else ''} at or above the threshold"
        if counted:
            message += (
                f", {len(unknowns)} of them of unknown severity (counted as failing;"
                " --unknown-severity pass leaves them out)"
            )
    if held:
        message += f"; {held} more known exploited below the {confidence} match confidence not counted"
    return GateOutcome(fail_on, True, message, len(unknowns), counted, held)
