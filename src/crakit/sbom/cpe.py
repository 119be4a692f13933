"""CPE names: CPE 2.2 URIs and CPE 2.3 formatted strings, per NISTIR 7695 (CPE Naming 2.3).

Hand-written: the PyPI CPE libraries either do not implement the 2.3 binding rules (quoting,
``ANY`` vs ``NA``, the 2.2 ``~`` packed edition) or are unmaintained; the rules fit in this module
and are tested with the specification's own examples (tests/sbom/test_cpe.py).

A :class:`Wfn` ("well-formed name") holds each attribute as the specification does: ``ANY``,
``NA`` or a string in which every character other than letters, digits and ``_`` is quoted with a
backslash, except the unquoted wildcards ``*`` (at either end) and ``?``. :func:`parse_cpe` reads
either binding; :meth:`Wfn.to_fs` writes the 2.3 formatted string every NVD record uses.
"""

from __future__ import annotations

import re
from typing import Final

import msgspec

ANY: Final = "*"  # the logical value ANY, as the formatted string writes it
NA: Final = "-"  # the logical value NA ("not applicable")

ATTRIBUTES: Final = (
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)
_URI_ATTRIBUTES: Final = ATTRIBUTES[:7]
_PARTS: Final = frozenset({"a", "o", "h"})
_MAX_LENGTH: Final = 4096  # no real CPE name comes near; bounds the work on hostile input


class CpeError(ValueError):
    """A string that is not a CPE 2.2 URI or CPE 2.3 formatted string."""


class Wfn(msgspec.Struct, frozen=True):
    """A CPE well-formed name. Values: :data:`ANY`, :data:`NA` or a WFN-quoted string."""

    part: str = ANY
    vendor: str = ANY
    product: str = ANY
    version: str = ANY
    update: str = ANY
    edition: str = ANY
    language: str = ANY
    sw_edition: str = ANY
    target_sw: str = ANY
    target_hw: str = ANY
    other: str = ANY

    def values(self) -> tuple[str, ...]:
        return tuple(getattr(self, a) for a in ATTRIBUTES)

    def to_fs(self) -> str:
        """Bind to a CPE 2.3 formatted string (NISTIR 7695 §6.2.2)."""
        return "cpe:2.3:" + ":".join(_bind_fs(v) for v in self.values())

    def plain(self, attribute: str) -> str:
        """An attribute's value without WFN quoting (``8\\.0`` -> ``8.0``); ANY/NA as ``*``/``-``."""
        value = getattr(self, attribute)
        if value in (ANY, NA):
            return str(value)
        return unquote(value)


def unquote(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def parse_cpe(text: str) -> Wfn:
    """Read a CPE 2.3 formatted string (``cpe:2.3:...``) or a CPE 2.2 URI (``cpe:/...``)."""
    if not isinstance(text, str):
        raise CpeError("a CPE name must be a string")
    s = text.strip()
    if len(s) > _MAX_LENGTH:
        raise CpeError(f"CPE name longer than {_MAX_LENGTH} characters")
    low = s[:8].lower()
    if low.startswith("cpe:2.3:"):
        return _unbind_fs(s)
    if low.startswith("cpe:/"):
        return _unbind_uri(s)
    raise CpeError(f"not a CPE name (expected cpe:2.3:… or cpe:/…): {s[:60]!r}")


def to_cpe23(text: str) -> str:
    """Normalise either binding to the CPE 2.3 formatted string, lower-cased (CPE names compare
    case-insensitively, and NVD writes them lower-case)."""
    wfn = parse_cpe(text)
    return Wfn(*(v if v in (ANY, NA) else v.lower() for v in wfn.values())).to_fs()


# -- CPE 2.3 formatted string ------------------------------------------------------------------


def _split_fs(s: str) -> list[str]:
    """Split on colons that are not quoted by a backslash."""
    out: list[str] = []
    cur: list[str] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i : i + 2])
            i += 2
            continue
        if c == ":":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def _unbind_fs(s: str) -> Wfn:
    fields = _split_fs(s)
    if len(fields) != 13:
        raise CpeError(f"a CPE 2.3 formatted string has 13 colon-separated fields, this has {len(fields)}")
    values = [_unbind_fs_value(f, ATTRIBUTES[i]) for i, f in enumerate(fields[2:])]
    _check_part(values[0])
    return Wfn(*values)


def _unbind_fs_value(s: str, attribute: str) -> str:
    if s == "*":
        return ANY
    if s == "-":
        return NA
    if s == "":
        raise CpeError(f"empty {attribute} in a CPE 2.3 formatted string")
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            if i + 1 >= n:
                raise CpeError(f"a lone backslash ends the {attribute} {s!r}")
            out.append(s[i : i + 2])
            i += 2
            continue
        if c == "?":  # unquoted ? only as a run at the start or the end
            j = i
            while j < n and s[j] == "?":
                j += 1
            if not (i == 0 or j == n):
                raise CpeError(f"an unquoted ? inside the {attribute} {s!r}")
            out.append(s[i:j])
            i = j
            continue
        if c == "*":
            if not (i == 0 or i == n - 1):
                raise CpeError(f"an unquoted * inside the {attribute} {s!r}")
            out.append("*")
        elif c.isascii() and (c.isalnum() or c == "_"):
            out.append(c)
        elif c.isascii() and c.isprintable() and c != " ":
            out.append("\\" + c)
        else:
            raise CpeError(f"character {c!r} is not allowed in a CPE name ({attribute} {s!r})")
        i += 1
    return "".join(out)


def _bind_fs(value: str) -> str:
    if value == ANY:
        return "*"
    if value == NA:
        return "-"
    out: list[str] = []
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append(nxt if nxt in ".-_" else "\\" + nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


# -- CPE 2.2 URI -------------------------------------------------------------------------------

_PCT = re.compile(r"%[0-9a-fA-F]{2}")


def _unbind_uri(s: str) -> Wfn:
    body = s[5:].lower()  # the specification lower-cases a URI before decoding it
    fields = body.split(":")
    if len(fields) > 7:
        raise CpeError(f"a CPE 2.2 URI has at most 7 components, this has {len(fields)}")
    values: dict[str, str] = {}
    for i, raw in enumerate(fields):
        attribute = _URI_ATTRIBUTES[i]
        if attribute == "edition" and raw.startswith("~"):
            packed = raw.split("~")
            if len(packed) != 6:
                raise CpeError(f"a packed CPE 2.2 edition has five ~-separated parts: {raw!r}")
            for name, part in zip(
                ("edition", "sw_edition", "target_sw", "target_hw", "other"), packed[1:], strict=True
            ):
                values[name] = _decode_uri(part, name)
            continue
        values[attribute] = _decode_uri(raw, attribute)
    part = values.get("part", ANY)
    _check_part(part)
    return Wfn(**values)


def _decode_uri(s: str, attribute: str) -> str:
    if s == "":
        return ANY
    if s == "-":
        return NA
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "%":
            code = s[i : i + 3]
            if not _PCT.fullmatch(code):
                raise CpeError(f"bad percent-encoding in the {attribute} {s!r}")
            if code == "%01":  # the wildcard ?, allowed as a run at either end
                if not (i == 0 or i + 3 == n or s[i + 3 : i + 6] == "%01" or s[i - 3 : i] == "%01"):
                    raise CpeError(f"an embedded wildcard inside the {attribute} {s!r}")
                out.append("?")
            elif code == "%02":  # the wildcard *, at either end only
                if not (i == 0 or i + 3 == n):
                    raise CpeError(f"an embedded wildcard inside the {attribute} {s!r}")
                out.append("*")
            else:
                char = chr(int(code[1:], 16))
                out.append("\\" + char if not (char.isalnum() or char == "_") else char)
            i += 3
            continue
        if c.isascii() and (c.isalnum() or c == "_"):
            out.append(c)
        elif c in ".-~":
            out.append("\\" + c)
        else:
            raise CpeError(f"character {c!r} must be percent-encoded in a CPE 2.2 URI ({attribute})")
        i += 1
    return "".join(out)


def _check_part(part: str) -> None:
    if part not in _PARTS and part != ANY:
        raise CpeError(f"CPE part must be a, o or h, not {part!r}")
