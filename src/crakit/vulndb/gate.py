"""The ``--fail-on`` CI gate: Annex I Part I(2)(a) forbids placing a product on the market with
known exploitable vulnerabilities; ``exploited`` fails on CISA-KEV-listed ones that no VEX
statement suppresses."""

from __future__ import annotations

from dataclasses import dataclass

from crakit.vulndb.model import SEVERITY_ORDER, ScanResult

FAIL_ON = ("exploited", "critical", "high", "any", "none")


@dataclass(frozen=True, slots=True)
class GateOutcome:
    fail_on: str
    tripped: bool
    message: str | None


def evaluate_gate(result: ScanResult, fail_on: str) -> GateOutcome:
    """Severity thresholds also trip on exploited findings: a KEV entry outranks any score."""
    active = result.active()
    exploited = [f for f in active if f.exploited]
    if fail_on == "none":
        return GateOutcome(fail_on, False, None)
    if fail_on == "exploited":
        hits = exploited
    elif fail_on == "any":
        hits = active
    else:
        floor = SEVERITY_ORDER[fail_on]
        hits = [f for f in active if f.exploited or SEVERITY_ORDER[f.severity] >= floor]
    if not hits:
        return GateOutcome(fail_on, False, None)
    if exploited:
        ids = ", ".join(sorted({f"{f.id} in {f.purl}" for f in exploited})[:5])
        message = (
            f"Annex I Part I(2)(a) gate: {len(exploited)} known exploited vulnerabilit"
            f"{'y' if len(exploited) == 1 else 'ies'} (CISA KEV) not triaged by VEX: {ids}"
            " — Art 14(1) early warning within 24 hours of becoming aware"
        )
    else:
        message = f"--fail-on {fail_on}: {len(hits)} finding{'s' if len(hits) != 1 else ''} at or above the threshold"
    return GateOutcome(fail_on, True, message)
