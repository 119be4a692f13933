"""The cybersecurity risk assessment's matrix (Art 13(3)-(4), Annex VII point 3): every Annex I point,
whether it applies, and how it is met or why not, from the manufacturer's evidence files.

Part I point (1) and every Part II point apply to every product; only the Part I point (2) requirements
can be declared not applicable, and then only with a justification (Art 13(4)). crakit adds, beside the
manufacturer's text, what its own evidence shows for the points it can see (SBOM, scan, contact, CVD
policy, advisories, update mechanism); that never replaces the manufacturer's statement.
"""

from __future__ import annotations

from crakit.documents.evidence import ANNEX_I, Evidence, Slot
from crakit.documents.evidence_sources import Advisory, SbomSummary, VulnStatus
from crakit.documents.model import Item, Table
from crakit.manifest import Manifest


def _crakit_sees(
    slot: Slot,
    manifest: Manifest,
    sbom: SbomSummary | None,
    vulns: VulnStatus | None,
    advisories: tuple[Advisory, ...] | None,
) -> str | None:
    code = slot.id.removeprefix("annex-i-")
    if code == "part-i-2a" and vulns is not None:
        open_rows = vulns.open_rows
        exploited = sum(1 for r in open_rows if r.exploited)
        return (
            f"crakit scan: {len(open_rows)} known vulnerabilit{'y' if len(open_rows) == 1 else 'ies'} not resolved "
            f"by a VEX statement ({exploited} actively exploited) in the SBOM's components, database data as of "
            f"{vulns.data_as_of or 'unknown'}."
        )
    if code == "part-i-2c" and manifest.support.automatic_updates is not None:
        state = "on" if manifest.support.automatic_updates else "off"
        return f"manifest: automatic installation of security updates is {state} by default."
    if code == "part-ii-1" and sbom is not None:
        verdict = "meets" if sbom.quality_passed else "does not meet"
        return (
            f"SBOM {sbom.format} {sbom.spec_version} with {sbom.components} components ({sbom.top_level} top-level); "
            f"it {verdict} BSI TR-03183-2 (score {sbom.quality_score})."
        )
    if code == "part-ii-4" and advisories is not None:
        return f"{len(advisories)} CSAF advisories published."
    if code == "part-ii-5" and manifest.security_contact.policy:
        return f"CVD policy published at {manifest.security_contact.policy}."
    if code == "part-ii-6" and manifest.security_contact.contact:
        return "Contact for vulnerability reports: " + ", ".join(manifest.security_contact.contact) + "."
    if code == "part-ii-7" and manifest.support.update_mechanism:
        return f"Update distribution: {manifest.support.update_mechanism}"
    return None


def matrix(
    manifest: Manifest,
    evidence: Evidence,
    sbom: SbomSummary | None,
    vulns: VulnStatus | None,
    advisories: tuple[Advisory, ...] | None,
) -> tuple[Table, tuple[Item, ...]]:
    """A summary table and one item per Annex I point."""
    rows: list[tuple[str, ...]] = []
    items: list[Item] = []
    for slot in ANNEX_I:
        optional = slot.id.startswith("annex-i-part-i-2")
        found = evidence.get(slot.id)
        applies: bool | None = True if not optional else (found.applies if found else None)
        text = found.markdown if found else ""
        missing = None
        if found is None:
            missing = slot.guidance
        elif optional and applies is None:
            missing = f"first line 'Applies: yes' or 'Applies: no' in {found.path}"
        elif not text:
            missing = (
                f"in {found.path}: how the requirement is met"
                if applies
                else f"in {found.path}: a clear justification why it does not apply (Art 13(4))"
            )
        if not optional and found is not None and found.applies is False:
            missing = (
                f"{found.path}: this requirement applies to every product; 'Applies: no' is not possible"
            )
        sees = _crakit_sees(slot, manifest, sbom, vulns, advisories)
        applies_text = {True: "yes", False: "no", None: "not stated"}[applies]
        rows.append(
            (
                slot.ref.removeprefix("Annex I "),
                slot.title,
                applies_text,
                "to write" if missing else "written",
            )
        )
        items.append(
            Item(
                key=f"I.{slot.id.removeprefix('annex-i-')}",
                label=slot.ref.removeprefix("Annex I ").replace(" point ", " "),
                title=slot.title,
                ref=slot.ref,
                text=f"Applies: {applies_text}." + (f"\ncrakit's evidence: {sees}" if sees else ""),
                markdown=text or None,
                missing=missing,
                source=evidence.where(slot.id),
            )
        )
    table = Table(("Annex I point", "Requirement", "Applies", "Statement"), tuple(rows))
    return table, tuple(items)
