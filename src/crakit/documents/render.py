"""Render a :class:`Document` as HTML, Markdown, PDF (WeasyPrint) or JSON.

One HTML template serves the screen and print: the print stylesheet gives the PDF its title page, table
of contents, page numbers and running header. The manufacturer's Markdown evidence is rendered with
markdown-it in CommonMark mode with raw HTML disabled, so an evidence file cannot inject markup.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from crakit.documents.errors import DocumentError
from crakit.documents.model import Document
from crakit.readlimit import read_limited

FORMATS = ("html", "markdown", "pdf", "json")
MAX_ASSET_BYTES = 20 << 20  # one photograph
# Short documents print without a title page and table of contents.
_SHORT = ("declaration", "simplified-declaration", "cvd-policy", "upstream-report", "checklist")


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _md_filter(text: str) -> Markup:
    return Markup(_markdown().render(text))


def _anchor(key: str) -> str:
    return "s-" + re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-").lower()


def _css_string(text: str) -> Markup:
    """A CSS string body inside <style> (HTML escaping does not apply there)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return Markup(escaped)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md_escape(text: str) -> str:
    """Plain text inside Markdown: the product name 'A*B' stays 'A*B'."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_line(text: str) -> str:
    """Plain text where Markdown allows one line (a heading, a table cell, a bullet): a line break
    in a manifest value must not end the cell or start a new block ("# Injected heading")."""
    return _md_escape(" ".join(text.split()))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("crakit.documents", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        markdown=_md_filter, anchor=_anchor, css_string=_css_string, md=_md_escape, mdline=_md_line
    )
    return env


def _stylesheet() -> str:
    return resources.files("crakit.documents").joinpath("templates", "print.css").read_text("utf-8")


def _context(document: Document) -> dict[str, Any]:
    return {
        "doc": document,
        "L": document.labels,
        "missing": document.missing(),
        "short": document.kind in _SHORT,
    }


def render_html(document: Document) -> str:
    return _environment().get_template("document.html.j2").render(css=_stylesheet(), **_context(document))


def render_markdown(document: Document) -> str:
    return _environment().get_template("document.md.j2").render(**_context(document))


def render_pdf(document: Document) -> bytes:
    """The HTML rendering printed by WeasyPrint (imported here: it costs ~0.5 s to load)."""
    try:
        import weasyprint
    except OSError as exc:  # the Pango/HarfBuzz libraries are missing
        raise DocumentError(
            f"PDF output needs the Pango library ({exc})",
            hint="install it (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0) or use --format html",
        ) from None
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    base = Path(document.assets).resolve() if document.assets else None

    class LocalOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
        """The PDF is made offline: only files inside the evidence folder (photographs) are read."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if base is not None and url.startswith("file://"):
                target = Path(unquote(urlsplit(url).path)).resolve()
                if target.is_relative_to(base) and target.is_file():
                    return URLFetcherResponse(url, body=read_limited(target, MAX_ASSET_BYTES, "image"))
            raise ValueError(f"not read: {url} (only files inside the evidence folder are)")

    html = weasyprint.HTML(
        string=render_html(document), base_url=f"{base}/" if base else None, url_fetcher=LocalOnly()
    )
    pdf: bytes = html.write_pdf()
    return pdf


def document_json(document: Document) -> dict[str, Any]:
    """Every document as JSON: its sections and items, and the list of what is still missing."""
    data = dataclasses.asdict(document)
    data.pop("labels")
    data.pop("assets")
    data["generated"] = document.generated.isoformat()
    data["missing"] = [
        {"key": item.key, "title": item.title, "missing": item.missing, "source": item.source}
        for item in document.missing()
    ]
    return data


def render(document: Document, fmt: str) -> bytes:
    """The document in ``fmt`` (one of :data:`FORMATS`) as bytes."""
    if fmt == "html":
        return render_html(document).encode()
    if fmt == "markdown":
        return render_markdown(document).encode()
    if fmt == "pdf":
        return render_pdf(document)
    if fmt == "json":
        import orjson

        return orjson.dumps(document_json(document), option=orjson.OPT_INDENT_2) + b"\n"
    raise DocumentError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
