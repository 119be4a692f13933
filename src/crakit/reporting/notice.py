"""The notice to affected users (CRA Art 14(8)): what happened, what to do, which versions.

Fixed wording comes from a translation catalogue (``data/notice_catalogue.yaml``: English,
German, French); the case's own text is used as written, or per language from the
``notice.<lang>.what_happened`` / ``notice.<lang>.what_to_do`` case fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crakit.reporting.cases import Case
from crakit.reporting.catalogue import catalogue
from crakit.reporting.errors import ReportingError
from crakit.reporting.evidence import cve_of
from crakit.reporting.kinds import Kind
from crakit.reporting.timeparse import format_instant


def messages(language: str) -> dict[str, str]:
    table = catalogue()
    if language not in table:
        raise ReportingError(
            f"no translation for language {language!r}", hint=f"available: {', '.join(table)}"
        )
    return table[language]


@dataclass(frozen=True, slots=True)
class Notice:
    """A user notice in one language."""

    case: Case
    language: str
    title: str
    intro: str
    what_happened: str
    what_to_do: str
    affected_versions: str
    fixed_versions: str
    identifiers: tuple[str, ...]
    advisory_url: str | None
    contact: str | None
    issued_at: datetime
    untranslated: tuple[str, ...]
    messages: dict[str, str]

    @property
    def product(self) -> str:
        return str(self.case.product.get("name") or self.case.fields.get("product_name") or "the product")

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "crakit-user-notice/1",
            "legal_basis": "CRA Art 14(8)",
            "case": self.case.id,
            "language": self.language,
            "subject_type": "actively_exploited_vulnerability"
            if self.case.kind is Kind.VULNERABILITY
            else "severe_incident",
            "issued_at": format_instant(self.issued_at),
            "title": self.title,
            "description": self.what_happened,
            "affected_products": [{"name": self.product, "versions": self.affected_versions}],
            "risk_mitigation_measures": self.what_to_do,
            "fixed_versions": self.fixed_versions or None,
            "identifiers": list(self.identifiers),
            "advisory_url": self.advisory_url,
            "contact": self.contact,
            "untranslated": list(self.untranslated),
        }


def build_notice(case: Case, language: str, now: datetime) -> Notice:
    """Draft the Art 14(8) notice for ``case`` in ``language``."""
    text = messages(language)
    fields = case.fields
    product = str(case.product.get("name") or fields.get("product_name") or "the product")
    untranslated: list[str] = []

    def part(name: str, *fallbacks: str) -> str:
        own = fields.get(f"notice.{language}.{name}")
        if own:
            return own
        for key in fallbacks:
            if fields.get(key):
                if language != "en":
                    untranslated.append(name)
                return fields[key]
        return ""

    kind = "vulnerability" if case.kind is Kind.VULNERABILITY else "incident"
    happened = part("what_happened", "summary", "general_information", "incident_nature")
    to_do = part("what_to_do", "user_measures", "user_action") or text["default_action"]
    finding = dict(case.evidence.get("finding") or {})
    # The product's own fixed version, as the case records it (`--field fixed_versions=...`): a
    # component's upstream fix (log4j 2.15.0) is not what a user of the product can install.
    fixed = fields.get("fixed_versions") or ""
    identifiers = [
        i
        for i in (fields.get("cve_id") or (cve_of(finding) if finding else None), fields.get("euvd_id"))
        if i
    ]
    return Notice(
        case=case,
        language=language,
        title=text[f"title_{kind}"].format(product=product),
        intro=text[f"intro_{kind}"].format(product=product),
        what_happened=happened,
        what_to_do=to_do,
        affected_versions=fields.get("affected_versions")
        or fields.get("product_version")
        or str(case.product.get("version") or ""),
        fixed_versions=fixed,
        identifiers=tuple(identifiers),
        advisory_url=fields.get("advisory_url"),
        contact=fields.get("contact"),
        issued_at=now.replace(microsecond=0),
        untranslated=tuple(untranslated),
        messages=text,
    )


def render_notice(notice: Notice, fmt: str) -> str:
    """Markdown or HTML text of a notice."""
    from crakit.reporting.render import render

    template = {"markdown": "notice.md.j2", "html": "notice.html.j2"}[fmt]
    t = {key: value.format(product=notice.product) for key, value in notice.messages.items()}
    return render(template, n=notice, t=t, issued=format_instant(notice.issued_at))
