"""A hardened XML parse: no DOCTYPE, no entities, no network, no huge trees.

SBOMs never need a DTD, so any DOCTYPE is refused before the parser sees it;
that rules out external entities and entity-expansion bombs in one place.
"""

from __future__ import annotations

import re
from typing import Any

from crakit.sbom.decode import refuse_nul
from crakit.sbom.errors import SbomError

_BLANK = b" \t\r\n"
# A web page saved instead of the SBOM (a download link that answered with HTML) is common enough
# to be named for what it is rather than reported as a DOCTYPE or XML syntax error.
_HTML_DOCTYPE = re.compile(rb"<!doctype\s+html[\s>]", re.I)
_HTML_ROOT = re.compile(rb"<html[\s>/]", re.I)


def refuse_markup_declarations(data: bytes) -> None:
    """Walk the prolog the way an XML parser does and refuse any ``<!DOCTYPE``/``<!ENTITY``.

    A plain search up to the first ``<name`` can be fooled: ``<!-- <a -->`` or ``<?pi <a?>``
    before the DOCTYPE hides it. Only whitespace, the XML declaration, processing instructions
    and comments may precede the root element besides a DOCTYPE, so those are skipped and
    anything else starting with ``<!`` is refused. NUL bytes cannot occur in UTF-8 XML: they mean
    UTF-16/32 without a byte-order mark, which the scan (and XML itself) would not read safely.
    """
    refuse_nul(data)  # normally done on reading already; XML's safety depends on it, so again here
    pos, end = 0, len(data)
    while pos < end:
        if data[pos] in _BLANK:
            pos += 1
        elif data.startswith(b"<?", pos):
            close = data.find(b"?>", pos + 2)
            pos = end if close < 0 else close + 2
        elif data.startswith(b"<!--", pos):
            close = data.find(b"-->", pos + 4)
            pos = end if close < 0 else close + 3
        elif data.startswith(b"<!", pos):
            if _HTML_DOCTYPE.match(data, pos):
                raise SbomError(f"not an SBOM: an HTML document (<!DOCTYPE html> at byte {pos})")
            raise SbomError("XML with a DOCTYPE or entity declarations is refused (possible XXE/entity bomb)")
        else:
            if _HTML_ROOT.match(data, pos):
                raise SbomError(f"not an SBOM: an HTML document (<html> at byte {pos})")
            return  # the root element (or a syntax error the parser reports)


def parse_xml(data: bytes) -> Any:
    """Parse ``data`` into an lxml element; raises :class:`SbomError` with line/column on errors."""
    from lxml import etree

    refuse_markup_declarations(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        msg = str(exc.msg or exc).split(", line ")[0]
        offset = _byte_offset(data, line, col)
        raise SbomError(f"invalid XML ({msg}) at line {line}, column {col} (byte {offset})") from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot honour
        raise SbomError(f"invalid XML ({exc})") from None
    if root is None:
        raise SbomError("empty XML document")
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise SbomError("XML with a DOCTYPE is refused")
    return root


def _byte_offset(data: bytes, line: int, col: int) -> int:
    if line <= 1:
        return max(col - 1, 0)
    pos = 0
    for _ in range(line - 1):
        nxt = data.find(b"\n", pos)
        if nxt < 0:
            return len(data)
        pos = nxt + 1
    return pos + max(col - 1, 0)
