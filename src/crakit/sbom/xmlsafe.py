"""A hardened XML parse: no DOCTYPE, no entities, no network, no huge trees.

SBOMs never need a DTD, so any DOCTYPE is refused before the parser sees it;
that rules out external entities and entity-expansion bombs in one place.
"""

from __future__ import annotations

import re
from typing import Any

from crakit.sbom.errors import SbomError

_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def parse_xml(data: bytes) -> Any:
    """Parse ``data`` into an lxml element; raises :class:`SbomError` with line/column on errors."""
    from lxml import etree

    match = _FIRST_ELEMENT.search(data)
    prolog = data[: match.start()] if match else data
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        raise SbomError("XML with a DOCTYPE or entity declarations is refused (possible XXE/entity bomb)")
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
