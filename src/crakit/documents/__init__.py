"""Conformity documents generated from the product's own evidence (Arts 13, 28, 30, 31; Annexes II, V-VII).

Public face::

    from crakit.documents import build_declaration, render
    document = build_declaration(load_manifest("product.yaml"), lang="fr")
    pdf = render(document, "pdf")

Every builder returns a :class:`Document` whose items say what is filled in and what the manufacturer
still has to write; ``render`` turns it into HTML, Markdown, PDF or JSON.
"""

from crakit.documents.declaration import build_declaration, declaration_json
from crakit.documents.errors import DocumentError, NotApplicable
from crakit.documents.i18n import Translator, languages
from crakit.documents.model import Document, Item, Note, Section, Table
from crakit.documents.render import FORMATS, document_json, render, render_html, render_markdown, render_pdf

__all__ = [
    "FORMATS",
    "Document",
    "DocumentError",
    "Item",
    "NotApplicable",
    "Note",
    "Section",
    "Table",
    "Translator",
    "build_declaration",
    "declaration_json",
    "document_json",
    "languages",
    "render",
    "render_html",
    "render_markdown",
    "render_pdf",
]
