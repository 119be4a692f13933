"""The ENISA form filled for one stage: text for every field, what is still missing, the route.

The ENISA platform has no API (SRP FAQ Q15): a person pastes each field. So the draft is
text per numbered field, checked against the Glossary v1.3 status and character limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crakit.regulation import sme_early_warning_relief
from crakit.reporting.cases import Case
from crakit.reporting.clocks import exact_deadlines
from crakit.reporting.errors import FieldTooLong
from crakit.reporting.evidence import component_label, cve_of
from crakit.reporting.form import STATUS_LABEL, FormField, Glossary, glossary
from crakit.reporting.kinds import Kind, Stage
from crakit.reporting.product import end_of_support_reached
from crakit.reporting.routing import Route, RoutingInput, route
from crakit.reporting.schedule import Schedule, schedule
from crakit.reporting.status import stage_records
from crakit.reporting.timeparse import format_instant

STAGE_LABEL = {
    Stage.EARLY_WARNING: "Early warning (24 hours)",
    Stage.NOTIFICATION: "Notification (72 hours)",
    Stage.FINAL: "Final report",
    Stage.INTERMEDIATE: "Intermediate report (on request of the CSIRT)",
}
STAGE_ARTICLE = {
    (Kind.VULNERABILITY, Stage.EARLY_WARNING): "Art 14(2)(a)",
    (Kind.VULNERABILITY, Stage.NOTIFICATION): "Art 14(2)(b)",
    (Kind.VULNERABILITY, Stage.FINAL): "Art 14(2)(c)",
    (Kind.INCIDENT, Stage.EARLY_WARNING): "Art 14(4)(a)",
    (Kind.INCIDENT, Stage.NOTIFICATION): "Art 14(4)(b)",
    (Kind.INCIDENT, Stage.FINAL): "Art 14(4)(c)",
}
_DUE_KEY = {
    Stage.EARLY_WARNING: "early_warning",
    Stage.NOTIFICATION: "notification",
    Stage.FINAL: "final_report",
}

# An intermediate report is an update of the notification on the SRP; its status text goes
# into the update's notes. Modelled as one extra, crakit-own field.
STATUS_UPDATE = FormField(
    number="notes",
    key="status_update",
    name="Status update (additional notes of the update)",
    track="both",
    status=("-", "R", "-"),
    limit=4000,
    type="text",
    cra="Art 14(6)",
)


@dataclass(frozen=True, slots=True)
class DraftField:
    """One form field with the text to paste."""

    field: FormField
    status: str
    required: bool
    text: str
    source: str
    act: str | None = None  # the article asking for it where available, when the form marks it optional

    @property
    def missing(self) -> bool:
        return self.required and not self.text

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.field.number,
            "key": self.field.key,
            "name": self.field.name,
            "status": self.status,
            "status_label": "required"
            if self.required
            else (f"required where available ({self.act})" if self.act else STATUS_LABEL[self.status]),
            "required": self.required,
            "limit": self.field.limit,
            "length": len(self.text),
            "text": self.text or None,
            "source": self.source if self.text else None,
            "cra": self.act or self.field.cra,
            "missing": self.missing,
        }


@dataclass(frozen=True, slots=True)
class Draft:
    """All fields of one stage of one case."""

    case: Case
    stage: Stage
    spec: Glossary
    route: Route
    schedule: Schedule
    fields: tuple[DraftField, ...]
    warnings: tuple[str, ...]
    generated_at: datetime

    @property
    def missing(self) -> tuple[DraftField, ...]:
        return tuple(f for f in self.fields if f.missing)

    @property
    def wanted_if_available(self) -> tuple[DraftField, ...]:
        return tuple(f for f in self.fields if f.status == "I" and not f.text)

    @property
    def stage_label(self) -> str:
        return STAGE_LABEL[self.stage]

    @property
    def article(self) -> str:
        return STAGE_ARTICLE.get((self.case.kind, self.stage), "Art 14(6)")

    def deadline(self) -> dict[str, Any]:
        clock = self.schedule.to_json()
        key = _DUE_KEY.get(self.stage)
        if key is None:
            return {"due": None, "latest_1182_71": None, "basis": "on request of the CSIRT (Art 14(6))"}
        if not self.schedule.applies:
            return {"due": None, "latest_1182_71": None, "basis": clock["applicability"]["text"]}
        return {
            "due": clock[f"{key}_due"],
            "latest_1182_71": clock["regulation_1182_71"][f"{key}_latest"],
            "basis": clock["basis"][f"{key}_due"],
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case.id,
            "kind": self.case.kind.value,
            "stage": self.stage.value,
            "stage_label": self.stage_label,
            "article": self.article,
            "spec": {"name": self.spec.spec, "version": self.spec.version, "date": self.spec.date},
            "generated_at": format_instant(self.generated_at),
            "deadline": self.deadline(),
            "routing": self.route.to_json(),
            # A draft without a coordinator CSIRT cannot be filed: the wrong end-point invalidates it.
            "complete": not self.missing and self.route.csirt is not None,
            "missing_required": [f.field.number for f in self.missing],
            "wanted_if_available": [f.field.number for f in self.wanted_if_available],
            "warnings": list(self.warnings),
            "fields": [f.to_json() for f in self.fields],
        }


def case_route(case: Case) -> Route:
    """Art 14(7) routing from the case fields, falling back to the manifest's facts (the same rule as
    ``classify``)."""
    fields, product = case.fields, case.product
    return route(
        RoutingInput(
            main_establishment=fields.get("main_establishment_ms") or product.get("main_establishment"),
            registered_office=product.get("registered_office"),
            authorised_representative=fields.get("authorised_representative_ms")
            or product.get("authorised_representative"),
            importer=fields.get("importer_ms") or product.get("importer_member_state"),
            distributor=fields.get("distributor_ms") or product.get("distributor_member_state"),
            most_users=fields.get("most_users_ms") or product.get("most_users_member_state"),
        )
    )


def _severity_text(finding: dict[str, Any]) -> str:
    parts = []
    if finding.get("severity"):
        score = f", CVSS base score {finding['cvss_score']}" if finding.get("cvss_score") is not None else ""
        parts.append(
            f"Severity {str(finding['severity']).upper()}{score} according to the vulnerability database "
            f"({finding.get('id')})."
        )
    if finding.get("exploited"):
        since = f" since {finding['kev_date_added']}" if finding.get("kev_date_added") else ""
        parts.append(f"Listed as known exploited (KEV){since}.")
    return " ".join(parts)


def _value(item: FormField, case: Case, now: datetime) -> tuple[str, str]:
    """The text for one field and where it came from."""
    fields, product, evidence = case.fields, case.product, case.evidence
    finding: dict[str, Any] = dict(evidence.get("finding") or {})
    own = fields.get(item.key)
    if own:
        if item.key == "pec_grounds":
            grounds = [glossary().ground(code) for code in own.split(",")]
            return "; ".join(f"({g.code}) {g.text}" for g in grounds), "case"
        return own, "case"
    derived: dict[str, tuple[Any, str]] = {
        "notification_type": (
            "Vulnerability" if case.kind is Kind.VULNERABILITY else "Incident",
            "case kind",
        ),
        "title": (case.title, "case"),
        "manufacturer_name": (product.get("manufacturer"), "manifest"),
        "member_states": (", ".join(product.get("member_states") or []), "manifest"),
        "product_name": (product.get("name"), "manifest"),
        "product_version": (product.get("version"), "manifest"),
        "product_type": (product.get("type"), "manifest + rules engine (Art 7, 8)"),
        "product_class": (product.get("class"), "manifest + rules engine (Annex III)"),
        "product_category": (
            "; ".join(f"{e['id']} {e['name']}" for e in product.get("annex_entries") or []),
            "manifest + rules engine (Annex III/IV)",
        ),
        "end_of_support": (end_of_support_reached(product.get("support_end"), now), "manifest (Art 13(8))"),
        "component": (
            component_label(dict(evidence["component"])) if evidence.get("component") else None,
            "SBOM",
        ),
        "cve_id": (cve_of(finding) if finding else None, "scan finding"),
        "severity": (_severity_text(finding) if finding else None, "scan finding (review and extend)"),
        "aware_at": (format_instant(case.aware_at), "case clock"),
        "incident_aware_at": (format_instant(case.aware_at), "case clock"),
        "fix_available_at": (format_instant(case.fix_available_at), "case clock"),
    }
    value, source = derived.get(item.key, (None, ""))
    return (str(value) if value else ""), source


def _warnings(case: Case, stage: Stage, chosen: Route) -> list[str]:
    notes = []
    if chosen.csirt is None:
        notes.append(chosen.reason)
    elif chosen.csirt.confidence != "verified":
        notes.append(
            f"The name of {chosen.csirt.country}'s coordinator CSIRT is uncertain in crakit's data; "
            "check ENISA's list before filing."
        )
    pec, grounds = case.fields.get("pec"), case.fields.get("pec_grounds")
    if case.kind is Kind.VULNERABILITY and stage is Stage.NOTIFICATION:
        if pec == "Yes" and not grounds:
            notes.append(
                "Particular exceptional circumstances are switched on but no ground (a, b or c) is given "
                "(Art 16(2), third subparagraph)."
            )
        if grounds and pec != "Yes":
            notes.append(
                "PEC grounds are recorded but field v28 is not 'Yes'; they are only sent with PEC switched on."
            )
    elif case.kind is Kind.INCIDENT and (pec == "Yes" or grounds):
        # PEC (Art 16(2), third subparagraph) exists for actively exploited vulnerabilities only; for a
        # vulnerability case the field simply belongs to the 72-hour stage and needs no warning elsewhere.
        notes.append(
            "Particular exceptional circumstances can only be raised in the 72-hour notification of an "
            "actively exploited vulnerability (Art 16(2)); they do not apply to an incident."
        )
    fix = case.fix_available_at
    if case.kind is Kind.VULNERABILITY and fix is not None and fix < case.aware_at:
        notes.append(
            "The corrective or mitigating measure was available before you became aware of the exploitation: "
            "the 14-day final report (Art 14(2)(c)) runs from awareness, not from the earlier fix."
        )
    duty = exact_deadlines(case.clock()).duty
    if not duty.applies:
        notes.append(f"No Art 14 deadline runs for this case: {duty.text} ({duty.ref}).")
    for record in stage_records(case):
        if record.state == "missed":
            notes.append(
                f"The {record.stage.value} stage was missed (due {format_instant(record.due)}): a later filing "
                "covers its content, but the deadline stays missed on the record."
            )
        elif record.state == "late":
            notes.append(
                f"The {record.stage.value} stage was filed late ({format_instant(record.filed_at)}, due "
                f"{format_instant(record.due)})."
            )
    early = next((r for r in stage_records(case) if r.stage is Stage.EARLY_WARNING), None)
    if (
        early is not None
        and early.state in ("late", "missed")
        and case.product.get("size") in ("micro", "small")
    ):
        relief = sme_early_warning_relief()
        notes.append(f"{relief.text.capitalize()} ({relief.ref}); the deadline still applies.")
    notes.extend(_qualification_notes(case))
    if case.product.get("reporting_applies") is False:
        notes.append(
            "The rules engine found that the Art 14 reporting obligations do not apply to this product "
            "(out of scope or not yet applicable, Art 2, Art 71(2)); check `crakit classify`."
        )
    finding = case.evidence.get("finding")
    if isinstance(finding, dict) and not finding.get("exploited"):
        notes.append(
            "The scan finding is not listed as known exploited. A high severity alone does not make a "
            "vulnerability actively exploited (Art 3(42), Art 14(1)); record the evidence of exploitation."
        )
    return notes


def _qualification_notes(case: Case) -> list[str]:
    """The case must say why the event is reportable at all."""
    if case.kind is Kind.VULNERABILITY and not case.qualification:
        return [
            "Record why this is an actively exploited vulnerability: the reliable evidence that a malicious "
            "actor exploited it in a system without its owner's permission (Art 3(42)); set qualification."
        ]
    if case.kind is Kind.INCIDENT and not (case.qualification and case.qualification_criteria):
        return [
            "Record why the incident is severe (Art 14(5)): (a) it affects, or can affect, the product's ability "
            "to protect the availability, authenticity, integrity or confidentiality of sensitive or important "
            "data or functions, or (b) it led, or can lead, to malicious code in the product or the user's "
            "systems; set qualification and qualification_criteria (a, b or a,b)."
        ]
    return []


def _act_content_note(fields: list[DraftField], stage: Stage, kind: Kind) -> str | None:
    wanted = [f for f in fields if f.act and not f.text]
    if not wanted:
        return None
    article = "Art 14(2)(b)" if kind is Kind.VULNERABILITY else "Art 14(4)(b)"
    names = ", ".join(f"{f.field.number} {f.field.name}" for f in wanted)
    return (
        f"The {stage.value} must give, where available, {names} ({article}); the ENISA form marks them "
        "optional. Fill them as soon as you have them (required where available, never blocking)."
    )


def build_draft(case: Case, stage: Stage, now: datetime) -> Draft:
    """Fill every field of ``stage`` for ``case``; refuses text over a field's limit."""
    spec = glossary()
    items = [f for f in spec.for_kind(case.kind) if f.status_at(stage) != "-"]
    if stage is Stage.INTERMEDIATE:
        items.append(STATUS_UPDATE)
    drafted = []
    too_long = []
    for item in items:
        text, source = _value(item, case, now)
        if item.limit is not None and len(text) > item.limit:
            too_long.append(f"{item.number} {item.name} ({len(text)}/{item.limit})")
        code = "R" if item is STATUS_UPDATE else item.status_at(stage)
        required = item is STATUS_UPDATE or item.required_at(stage)
        act = spec.act_requirement(item.key, stage)
        if act is not None and not required:
            code = "I"  # the Act asks for it where available (Art 14(2)(b)/(4)(b))
        drafted.append(
            DraftField(item, code, required, text, source, act.cra if act and not required else None)
        )
    if too_long:
        raise FieldTooLong(
            "text over the ENISA field limit: " + "; ".join(too_long),
            hint="shorten it with `crakit report update ID --field KEY=TEXT`",
        )
    chosen = case_route(case)
    warnings = _warnings(case, stage, chosen)
    act_note = _act_content_note(drafted, stage, case.kind)
    if act_note:
        warnings.append(act_note)
    return Draft(case, stage, spec, chosen, schedule(case.clock()), tuple(drafted), tuple(warnings), now)


def render_draft(draft: Draft, fmt: str) -> str:
    """Markdown or HTML text of a draft (JSON callers use :meth:`Draft.to_json`)."""
    from crakit.reporting.render import render

    template = {"markdown": "draft.md.j2", "html": "draft.html.j2"}[fmt]
    return render(
        template,
        d=draft,
        j=draft.to_json(),
        dl=draft.deadline(),
        r=draft.route.to_json(),
        status_label=STATUS_LABEL,
    )
