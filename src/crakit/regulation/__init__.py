"""The CRA as data and rules: scope, role, category, conformity routes, obligations and dates.

Public face::

    from crakit.regulation import classify
    result = classify(load_manifest("product.yaml"))
    result.to_json()
"""

from typing import TYPE_CHECKING

from crakit._lazyface import exports_of, lazy_face
from crakit.regulation.applicability import ReportingDuty, reporting_duty
from crakit.regulation.classify import Classification, classify
from crakit.regulation.csirt_route import CsirtRoute, RoutingFacts, decide_csirt_route, routing_facts
from crakit.regulation.law import CATEGORY_RANK, AnnexEntry, Category, annex_entries, annex_index
from crakit.regulation.obligations import Obligation
from crakit.regulation.reasons import Reason
from crakit.regulation.rules import (
    Presumption,
    key_date,
    presumption,
    rules_version,
    sme_early_warning_relief,
)

# ``suggest`` stays reachable as the module crakit.regulation.suggest (re-exporting the function
# under the same name would shadow the module).
from crakit.regulation.suggest import Suggestion, suggestion_to_json
from crakit.regulation.support import SupportDecision

__all__ = [
    "CATEGORY_RANK",
    "AnnexEntry",
    "Category",
    "Classification",
    "CsirtRoute",
    "Obligation",
    "Presumption",
    "Reason",
    "ReportingDuty",
    "RoutingFacts",
    "Suggestion",
    "SupportDecision",
    "annex_entries",
    "annex_index",
    "classify",
    "decide_csirt_route",
    "key_date",
    "presumption",
    "render_markdown",
    "reporting_duty",
    "routing_facts",
    "rules_version",
    "sme_early_warning_relief",
    "suggest_entries",
    "suggestion_to_json",
    "summary_rows",
]

# Reached through the face but imported on first use (start-up time, see crakit._lazyface).
_LAZY: dict[str, tuple[str, ...]] = {
    "report_text": ("render_markdown", "summary_rows"),
    "suggest": ("suggest_entries",),
}
__getattr__, __dir__ = lazy_face(__name__, exports_of(_LAZY))
if TYPE_CHECKING:
    from crakit.regulation.report_text import render_markdown, summary_rows
    from crakit.regulation.suggest import suggest_entries
