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
    refuse_nul(data)
    return data


def refuse_nul(data: bytes) -> None:
    """Refuse text with NUL bytes, saying what it most likely is and where the first NUL is.

    No SBOM serialisation admits a raw NUL (JSON escapes it, XML forbids it), so a NUL means
    UTF-16/32 without a byte-order mark or binary data. Reading it as UTF-8 would give
    misleading syntax errors, and a byte search for ``<!DOCTYPE`` cannot see into it.
    """
    first = data.find(b"\x00")
    if first < 0:
        return
    raise SbomError(f"{_nul_kind(data[:256])} (NUL byte at byte {first}), not read as an SBOM")


def _nul_kind(head: bytes) -> str:
    """Guess the encoding from where the NULs of ASCII text fall (the first 256 bytes suffice)."""
    if len(head) >= 4:
        words = [head[i : i + 4] for i in range(0, len(head) - 3, 4)]
        if all(w[1:] == b"\x00\x00\x00" and w[0] for w in words):
            return "UTF-32LE text without a byte-order mark"
        if all(w[:3] == b"\x00\x00\x00" and w[3] for w in words):
            return "UTF-32BE text without a byte-order mark"
    even, odd = head[0::2], head[1::2]
    if odd and odd.count(0) >= len(odd) * 0.9 and even.count(0) <= len(even) * 0.1:
        return "UTF-16LE text without a byte-order mark"
    if even and even.count(0) >= len(even) * 0.9 and odd.count(0) <= len(odd) * 0.1:
        return "UTF-16BE text without a byte-order mark"
    return "binary data, not text"


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
