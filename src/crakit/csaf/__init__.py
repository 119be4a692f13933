"""CSAF 2.0 advisories: the disclosure and update advisories of CRA Annex I Part II(4) and (8).

Public face: the validator (schema + section 6 tests), the typed model and writer, the renderer
and the trusted-provider publisher.
"""

from crakit.csaf.report import Group, Message, Report, TestId
from crakit.csaf.validator import CHECKS, NOT_RUN, ValidationOptions, load_document, validate, validate_file

__all__ = [
    "CHECKS",
    "NOT_RUN",
    "Group",
    "Message",
    "Report",
    "TestId",
    "ValidationOptions",
    "load_document",
    "validate",
    "validate_file",
]
