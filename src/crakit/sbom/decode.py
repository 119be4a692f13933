"""Bytes to text and JSON, with errors that say what is wrong and where (line, column, byte)."""

from __future__ import annotations

import codecs
import re
from typing import Any

import orjson

from crakit.sbom.errors import SbomError

_XML_ENCODING = re.compile(r"""(^\ufeff?<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""")


def normalise_encoding(data: bytes) -> bytes:
    """Return UTF-8 bytes: drop a UTF-8 BOM, transcode UTF-16/32 marked by a BOM (spdx-tools has such files)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
                # the XML declaration must stop claiming the encoding the bytes no longer have
                text = (
                    _XML_ENCODING.sub(r"\1UTF-8\2", text, count=1)
                    if text.startswith("\ufeff<?xml") or text.startswith("<?xml")
                    else text
                )
                return text.lstrip("\ufeff").encode("utf-8")
            except UnicodeDecodeError as exc:
                raise SbomError(f"invalid {codec.upper()} at byte {exc.start}: {exc.reason}") from None
    return data


def utf8_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SbomError(f"invalid UTF-8 at line {line}, byte {exc.start}") from None


def load_json(data: bytes) -> Any:
    """Decode JSON with orjson; on failure say line/column and byte offset.

    orjson refuses nesting deeper than 1024 levels, which bounds the recursion
    a hostile document can cause.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise SbomError(_describe(exc, data)) from None


def _describe(exc: orjson.JSONDecodeError, data: bytes) -> str:
    msg = exc.msg
    pos = exc.pos
    doc_len = len(data)
    lower = msg.lower()
    if "utf-8" in lower:
        utf8_text(data)  # raises with the byte position of the first bad sequence
        what = "invalid UTF-8 in JSON"
    elif "trailing" in lower or "after document" in lower:
        what = "trailing data after the JSON document"
    elif "end of data" in lower or "eof" in lower or pos >= doc_len:
        what = "truncated JSON (unexpected end of data)"
    elif "depth" in lower or "recursion" in lower:
        what = "JSON nested too deeply (over 1024 levels)"
    else:
        what = f"invalid JSON ({msg})"
    # orjson reports the position in characters; give line and column plus the byte offset.
    byte = len(exc.doc[:pos].encode("utf-8", "surrogatepass")) if isinstance(exc.doc, str) else pos
    return f"{what} at line {exc.lineno}, column {exc.colno} (byte {byte})"
