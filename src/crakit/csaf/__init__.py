"""CSAF 2.0 advisories: the disclosure and update advisories of CRA Annex I Part II(4) and (8).

Public face: the validator (schema + section 6 tests), the typed model and writer, the renderer
and the trusted-provider publisher.
"""

from typing import TYPE_CHECKING

from crakit._lazyface import exports_of, lazy_face
from crakit.csaf.report import Group, Message, Report, TestId
from crakit.csaf.validator import CHECKS, NOT_RUN, ValidationOptions, load_document, validate, validate_file

__all__ = [
    "CHECKS",
    "NOT_RUN",
    "CsafInputError",
    "CsafInvalid",
    "Group",
    "Message",
    "PublishOptions",
    "Report",
    "TestId",
    "ValidationOptions",
    "WriterOptions",
    "bump_revision",
    "components_from",
    "dumps",
    "gpg_signer",
    "hunspell_checker",
    "load_decisions",
    "load_document",
    "load_findings",
    "product_from",
    "publish_directory",
    "read_document",
    "read_sources",
    "render_advisory",
    "validate",
    "validate_file",
    "write_document",
]

# Reached through the face but imported on first use (start-up time, see crakit._lazyface).
_LAZY: dict[str, tuple[str, ...]] = {
    "decisions": ("load_decisions",),
    "errors": ("CsafInputError", "CsafInvalid"),
    "findings": ("load_findings",),
    "inputs": ("components_from", "product_from"),
    "produce": ("write_document",),
    "publish": ("PublishOptions", "gpg_signer", "publish_directory", "read_sources"),
    "render": ("render_advisory",),
    "revisions": ("bump_revision",),
    "serialize": ("dumps",),
    "spell": ("hunspell_checker",),
    "validator": ("read_document",),
    "writer": ("WriterOptions",),
}
__getattr__, __dir__ = lazy_face(__name__, exports_of(_LAZY))
if TYPE_CHECKING:
    from crakit.csaf.decisions import load_decisions
    from crakit.csaf.errors import CsafInputError, CsafInvalid
    from crakit.csaf.findings import load_findings
    from crakit.csaf.inputs import components_from, product_from
    from crakit.csaf.produce import write_document
    from crakit.csaf.publish import PublishOptions, gpg_signer, publish_directory, read_sources
    from crakit.csaf.render import render_advisory
    from crakit.csaf.revisions import bump_revision
    from crakit.csaf.serialize import dumps
    from crakit.csaf.spell import hunspell_checker
    from crakit.csaf.validator import read_document
    from crakit.csaf.writer import WriterOptions
