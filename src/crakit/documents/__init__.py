"""Conformity documents generated from the product's own evidence (Arts 13, 28, 30, 31; Annexes II, V-VII).

Public face::

    from crakit.documents import build_declaration, render
    document = build_declaration(load_manifest("product.yaml"), lang="fr")
    pdf = render(document, "pdf")

Every builder returns a :class:`Document` whose items say what is filled in and what the manufacturer
still has to write; ``render`` turns it into HTML, Markdown, PDF or JSON.
"""

from crakit.documents.checklist import build_checklist
from crakit.documents.cvd_policy import build_cvd_policy
from crakit.documents.declaration import build_declaration, declaration_json
from crakit.documents.errors import DocumentError, NotApplicable
from crakit.documents.evidence import SLOTS, Evidence, Slot, read_evidence, write_templates
from crakit.documents.i18n import Translator, languages
from crakit.documents.model import Document, Item, Note, Section, Table
from crakit.documents.render import FORMATS, document_json, render, render_html, render_markdown, render_pdf
from crakit.documents.security_txt import (
    MAX_SECURITY_TXT_BYTES,
    SecurityTxtReport,
    check_security_txt,
    write_security_txt,
)
from crakit.documents.signing import clearsign, verify
from crakit.documents.technical import TechnicalInputs, build_technical
from crakit.documents.upstream_report import build_upstream_report
from crakit.documents.user_info import build_user_info

__all__ = [
    "FORMATS",
    "MAX_SECURITY_TXT_BYTES",
    "SLOTS",
    "Document",
    "DocumentError",
    "Evidence",
    "Item",
    "NotApplicable",
    "Note",
    "Section",
    "SecurityTxtReport",
    "Slot",
    "Table",
    "TechnicalInputs",
    "Translator",
    "build_checklist",
    "build_cvd_policy",
    "build_declaration",
    "build_technical",
    "build_upstream_report",
    "build_user_info",
    "check_security_txt",
    "clearsign",
    "declaration_json",
    "document_json",
    "languages",
    "read_evidence",
    "render",
    "render_html",
    "render_markdown",
    "render_pdf",
    "verify",
    "write_security_txt",
    "write_templates",
]
