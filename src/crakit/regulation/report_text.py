"""Human-readable renderings of a :class:`Classification` (text for the terminal, Markdown for files).

Short and ordered, each line with its article, so that a compliance officer can print it and sign it off.
"""

from __future__ import annotations

from typing import Any

_CATEGORY_LABEL = {
    "default": "default (no Annex III/IV entry)",
    "important-class-i": "important product, Class I (Annex III)",
    "important-class-ii": "important product, Class II (Annex III)",
    "critical": "critical product (Annex IV)",
}


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _category(result: dict[str, Any]) -> str:
    label = _CATEGORY_LABEL.get(result["category"], str(result["category"]))
    suggestions = result.get("suggestions") or []
    if not result["annex_entries"] and suggestions:
        # The decision stays the manufacturer's (Art 7(1)): say at once that the description
        # reads like an Annex entry, rather than only in the suggestions further down.
        top = suggestions[0]
        label += (
            f" — but the description reads like {top['entry']} ({top['title']}): if that is the"
            " core functionality, list it in product.functions (Art 7(1))"
        )
    return label


def summary_rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    """The decision table shared by the text and Markdown renderings (from the JSON contract)."""
    support = result["support_period"]
    rows = [
        (
            "In scope",
            _yes(result["in_scope"]) + (f" (excluded: {result['exclusion']})" if result["exclusion"] else ""),
        ),
        ("Role", str(result["role"])),
    ]
    if result["in_scope"]:
        rows += [
            ("Category", _category(result)),
            ("Core functionality", ", ".join(result["annex_entries"]) or "no Annex III/IV entry"),
            ("Integrated functions", ", ".join(result.get("integrated_entries") or []) or "none"),
            (
                "Conformity routes",
                ", ".join(result["conformity_routes"]) or "none (no conformity assessment)",
            ),
            ("Essential requirements apply", _yes(result["essential_requirements_apply"])),
            ("Art 14 reporting applies", _yes(result["reporting_applies"])),
            (
                "Support period",
                f"ends {support['end'] or 'not declared'}; minimum {support['minimum_end'] or 'unknown'}; "
                + {True: "ok", False: "NOT OK", None: "not assessed"}[support["ok"]]
                + ("" if support.get("applies", True) else " (Art 13(8) does not apply)"),
            ),
        ]
        route = result.get("csirt_route")
        if route:
            rows.append(
                (
                    "Coordinator CSIRT",
                    f"{route['member_state'] or 'unknown'} ({route['basis']}, {route['ref']})",
                )
            )
    return rows


def render_markdown(result: dict[str, Any]) -> str:
    product = result["product"]
    lines = [
        f"# CRA classification: {product['name']} {product['version']}",
        "",
        f"Rules version {result['rules_version']}, crakit {result['crakit_version']}. "
        "Regulation (EU) 2024/2847. Not legal advice.",
        "",
        "| Decision | Result |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in summary_rows(result)]
    lines += ["", "## Reasons", ""]
    lines += [f"{i}. {r['text']} ({r['ref']})" for i, r in enumerate(result["reasons"], 1)]
    if result.get("warnings"):
        lines += ["", "## Warnings", ""]
        lines += [f"- {w['text']} ({w['ref']})" for w in result["warnings"]]
    if result.get("suggestions"):
        lines += ["", "## Suggestions (not a decision)", ""]
        lines += [
            f"- {s['entry']} {s['title']} (score {s['score']:.2f}; matched: {', '.join(s['matched'])})"
            for s in result["suggestions"]
        ]
    if result["obligations"]:
        lines += [
            "",
            "## Obligations",
            "",
            "| Obligation | Article | Due / until | Applies from | Penalty |",
            "|---|---|---|---|---|",
        ]
        for o in result["obligations"]:
            when = o["due"] or (f"until {o['until']}" if o["until"] else o["when"] or "")
            lines.append(
                f"| {o['text']} | {o['ref']} | {when} | {o['applies_from']} | {o['penalty']['ref']} |"
            )
    return "\n".join(lines) + "\n"
