"""``vers`` version range specifiers (package-url/vers-spec, Ecma VERS standard, clause 5).

A ``vers`` string such as ``vers:npm/>=1.0.0|<2.0.0`` is how CycloneDX VEX/VDR states which
versions of a component a vulnerability affects (``vulnerabilities[].affects[].versions[].range``);
crakit needs it to decide whether a component version carries a known vulnerability (CRA Annex I
Part I(2)(a)) and whether a VEX statement covers it.

* :func:`parse` is strict, as clause 5.4 and "How to parse" require: non-canonical input (whitespace,
  stray pipes, unsorted or duplicated versions, impossible comparator sequences, non-canonical
  percent-encoding) is an error, never silently repaired.
* :func:`validate` turns a well-formed but possibly unsorted string into its canonical form.
* :func:`contains` is the spec's containment procedure over the type's own ordering, which for
  ecosystems the scanner knows is the scanner's ordering (:mod:`crakit.vulndb.vers_native`).

Pure string work; univers is imported only by :func:`crakit.vulndb.vers_native.from_native` and
for the few orderings crakit has no implementation of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from crakit.vulndb.errors import VulnDbError

Comparator = Literal["=", "!=", "<", "<=", ">", ">=", "*"]

_TYPE = re.compile(r"[a-z][a-z0-9.-]*\Z")
_WHITESPACE = frozenset(" \t\n\r\f\v")
# Clause 5.4: these characters in a version are percent-encoded; everything outside printable
# ASCII is too, because a vers is an ASCII URI.
_MUST_ENCODE = frozenset("<>=!*|%")
_HEX = frozenset("0123456789ABCDEFabcdef")
_LESS = ("<", "<=")
_MORE = (">", ">=")


class VersError(VulnDbError):
    """A ``vers`` string that cannot be used (exit 2)."""


class VersSyntaxError(VersError):
    """Not a syntactically valid, canonical ``vers`` (clause 5, "How to parse")."""


class VersTypeError(VersError):
    """Valid syntax, but the type's own rules reject it (a version the type cannot order,
    a non-canonical datetime) or the type has no known ordering."""


@dataclass(frozen=True, slots=True)
class Constraint:
    """One ``comparator`` + ``version`` (decoded); ``*`` has the empty version."""

    comparator: Comparator
    version: str

    def text(self) -> str:
        if self.comparator == "*":
            return "*"
        op = "" if self.comparator == "=" else self.comparator
        return op + _encode(self.version)


@dataclass(frozen=True, slots=True)
class Vers:
    """A decoded ``vers``: its type (called ``scheme`` here, as univers does) and constraints."""

    scheme: str
    constraints: tuple[Constraint, ...]

    def __str__(self) -> str:
        return canonical(self)


def _encode(version: str) -> str:
    out: list[str] = []
    for ch in version:
        if ch in _MUST_ENCODE or not ("!" <= ch <= "~"):
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
        else:
            out.append(ch)
    return "".join(out)


def _decode(raw: str, strict: bool) -> str:
    if "%" not in raw:
        return raw
    data = bytearray()
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch != "%":
            data.extend(ch.encode("utf-8"))
            i += 1
            continue
        pair = raw[i + 1 : i + 3]
        if len(pair) != 2 or not all(c in _HEX for c in pair):
            raise VersSyntaxError("non-canonical VERS: invalid percent-encoding in version")
        if strict and pair != pair.upper():
            raise VersSyntaxError("non-canonical VERS: percent-encoding in version is not canonical")
        data.append(int(pair, 16))
        i += 3
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise VersSyntaxError("non-canonical VERS: invalid percent-encoding in version") from None


def _split(text: str, strict: bool) -> tuple[str, list[tuple[Comparator, str]]]:
    """Lexical analysis shared by :func:`parse` and :func:`validate` (versions still encoded)."""
    if not isinstance(text, str):
        raise VersSyntaxError("a vers must be a string")
    if len(text) > 65536:
        raise VersSyntaxError("vers string too long")
    if any(ch in _WHITESPACE for ch in text):
        raise VersSyntaxError("non-canonical VERS: whitespace is not permitted")
    scheme, sep, spec = text.partition(":")
    if not sep or (scheme if strict else scheme.lower()) != "vers":
        raise VersSyntaxError("not a vers: it must start with 'vers:'")
    vtype, sep, body = spec.partition("/")
    if not strict:
        vtype = vtype.lower()
    if not sep or not _TYPE.match(vtype):
        raise VersSyntaxError(
            f"non-canonical VERS: invalid type {vtype!r} (lowercase letters, digits, '.', '-')"
        )
    if not body:
        raise VersSyntaxError("non-canonical VERS: constraints are empty")
    if body.startswith("|"):
        raise VersSyntaxError("non-canonical VERS: leading pipe is not permitted")
    if body.endswith("|"):
        raise VersSyntaxError("non-canonical VERS: trailing pipe is not permitted")
    if "||" in body:
        raise VersSyntaxError("non-canonical VERS: consecutive pipes are not permitted")
    items: list[tuple[Comparator, str]] = []
    for item in body.split("|"):
        if item == "*":
            items.append(("*", ""))
            continue
        op: Comparator = "="
        for candidate in (">=", "<=", "!=", "<", ">"):
            if item.startswith(candidate):
                op = candidate
                item = item[len(candidate) :]
                break
        else:
            if item.startswith("="):
                raise VersSyntaxError(
                    "non-canonical VERS: '=' is not a comparator (a bare version means equality)"
                )
        if not item:
            raise VersSyntaxError("non-canonical VERS: empty version in a constraint")
        items.append((op, item))
    if len(items) > 1 and any(op == "*" for op, _ in items):
        raise VersSyntaxError("non-canonical VERS: '*' must be the only constraint")
    return vtype, items


def _check_type_rules(vtype: str, raw: str, strict: bool) -> None:
    if vtype == "datetime" and strict:
        # vers-types: datetime colons stay unencoded; 'T' and 'Z' are uppercase in canonical form.
        if "%3A" in raw:
            raise VersTypeError("non-canonical VERS: datetime time colons must be unencoded")
        if "t" in raw or "z" in raw:
            raise VersTypeError("non-canonical VERS: datetime must use uppercase T and Z")


def _decoded(text: str, strict: bool) -> Vers:
    vtype, items = _split(text, strict)
    if vtype in ("all", "none") and items != [("*", "")]:
        raise VersTypeError(f"non-canonical VERS: 'vers:{vtype}/*' is the only valid form")
    constraints = []
    for op, raw in items:
        if op != "*":
            version = _decode(raw, strict)
            _check_type_rules(vtype, raw, strict)
            constraints.append(Constraint(op, version))
        else:
            constraints.append(Constraint("*", ""))
    return Vers(vtype, tuple(constraints))


def _sequence_problem(constraints: tuple[Constraint, ...]) -> str | None:
    """Clause 5.4's rules on contiguous comparators (constraints already sorted and unique)."""
    kept = [c.comparator for c in constraints if c.comparator != "!="]
    for a, b in pairwise(kept):
        if a == "=" and b not in ("=", ">", ">="):
            return f"'{b}' cannot follow an equality constraint"
    ranged = [c for c in kept if c not in ("=", "*")]
    for a, b in pairwise(ranged):
        if (a in _LESS) == (b in _LESS):
            return f"'{a}' followed by '{b}': comparators must alternate between '<'/'<=' and '>'/'>='"
    return None


def parse(text: str) -> Vers:
    """Parse a canonical ``vers`` string; anything non-canonical is a :class:`VersError`.

    Implements "How to parse and validate VERS": constraints must be sorted by the type's version
    order, each version may occur once, and comparators must follow clause 5.4's sequence rules.
    For a type without a known ordering the order checks are skipped (it cannot be ordered).
    """
    from crakit.vulndb.vers_native import ordering

    vers = _decoded(text, strict=True)
    key = ordering(vers.scheme)
    cs = vers.constraints
    if key is not None and cs[0].comparator != "*":
        # Every version must be one the type can order (a registered type's rules apply).
        keys = [_key(key, vers.scheme, c.version) for c in cs]
        for i in range(1, len(cs)):
            ka, kb, ca, cb = keys[i - 1], keys[i], cs[i - 1], cs[i]
            if kb < ka:
                raise VersSyntaxError("non-canonical VERS: constraints are not sorted by version")
            if ka == kb:
                raise VersSyntaxError(
                    f"non-canonical VERS: version {ca.version!r} / {cb.version!r} occurs twice"
                )
    problem = _sequence_problem(cs)
    if problem:
        raise VersSyntaxError(f"non-canonical VERS: invalid comparator sequence: {problem}")
    return vers


def _key(key: Any, scheme: str, version: str) -> Any:
    try:
        return key(version)
    except VersError:
        raise
    except Exception as exc:  # univers orderings raise their own exception types
        raise VersTypeError(f"{version!r} is not a valid {scheme} version ({exc})") from None


def _sorted(vers: Vers) -> Vers:
    from crakit.vulndb.vers_native import ordering

    key = ordering(vers.scheme)
    if key is None or len(vers.constraints) < 2:
        return vers
    keyed = [(_key(key, vers.scheme, c.version), i, c) for i, c in enumerate(vers.constraints)]
    # Stable: equal versions keep their written order (vers-spec's validate vectors keep them).
    keyed.sort(key=lambda t: (t[0], t[1]))
    return Vers(vers.scheme, tuple(c for _, _, c in keyed))


def canonical(vers: Vers) -> str:
    """The canonical string of ``vers`` as given (constraint order is kept; see :func:`normalise`)."""
    return f"vers:{vers.scheme}/" + "|".join(c.text() for c in vers.constraints)


def normalise(vers: Vers) -> Vers:
    """``vers`` with its constraints sorted by the type's version order (stable)."""
    return _sorted(vers)


def validate(text: str) -> str:
    """Check a possibly non-canonical ``vers`` and return its canonical form.

    Tolerates what a canonicaliser can repair without guessing: upper-case ``VERS:``/type,
    constraints in any order, percent-encoding with lower-case hex or of characters that need none.
    Still an error: whitespace, empty or stray pipes, ``=`` comparators, bad percent-encoding, a
    ``*`` beside other constraints, a version the type cannot order.

    Duplicate versions and comparator sequences are *not* rejected here: vers-spec's own
    ``pypi_range_validate_test`` (required group) expects ``>0.0.0|>=0.0.1|>=0.0.1|...`` to validate
    unchanged, although clause 5.4 forbids both. :func:`parse` enforces clause 5.4 in full.
    """
    return canonical(_sorted(_decoded(text, strict=False)))


def build(scheme: str, constraints: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    """Canonical ``vers`` from decoded parts (``""`` or ``"="`` is equality), sorted by version."""
    scheme = scheme.lower() if isinstance(scheme, str) else ""
    if not _TYPE.match(scheme):
        raise VersSyntaxError(f"non-canonical VERS: invalid type {scheme!r}")
    cs: list[Constraint] = []
    for op, version in constraints:
        op = op or "="
        if op not in ("=", "!=", "<", "<=", ">", ">=", "*"):
            raise VersSyntaxError(f"unknown comparator {op!r}")
        if op != "*" and not version:
            raise VersSyntaxError("non-canonical VERS: empty version in a constraint")
        cs.append(Constraint(op, "" if op == "*" else version))  # type: ignore[arg-type]
    if not cs:
        raise VersSyntaxError("non-canonical VERS: constraints are empty")
    if len(cs) > 1 and any(c.comparator == "*" for c in cs):
        raise VersSyntaxError("non-canonical VERS: '*' must be the only constraint")
    return canonical(_sorted(Vers(scheme, tuple(cs))))


def contains(vers: Vers | str, version: str) -> bool:
    """Is ``version`` inside ``vers``? ("Checking if a version is contained within a range").

    Constraints are sorted first, so unsorted but otherwise valid input works too. A range made
    only of ``!=`` constraints contains every other version (the spec's simplification procedure
    keeps such a list as meaningful; its containment pseudo-code would answer "no" for all).
    """
    from crakit.vulndb.vers_native import ordering

    if isinstance(vers, str):
        vers = _decoded(vers, strict=False)
    cs = vers.constraints
    if vers.scheme == "none":
        return False
    if vers.scheme == "all" or any(c.comparator == "*" for c in cs):
        return True
    key = ordering(vers.scheme)
    if key is None:
        raise VersTypeError(f"vers type {vers.scheme!r} has no version ordering crakit knows")
    v = _key(key, vers.scheme, version)
    keyed = sorted(
        ((_key(key, vers.scheme, c.version), i, c) for i, c in enumerate(cs)),
        key=lambda t: (t[0], t[1]),
    )
    for k, _, c in keyed:
        if k == v and c.comparator in ("=", "<=", ">="):
            return True
    for k, _, c in keyed:
        if k == v and c.comparator == "!=":
            return False
    ranges = [(k, c.comparator) for k, _, c in keyed if c.comparator not in ("=", "!=")]
    if not ranges:
        return all(c.comparator == "!=" for c in cs)
    first_k, first_op = ranges[0]
    if first_op in _LESS and v < first_k:
        return True
    last_k, last_op = ranges[-1]
    if last_op in _MORE and v > last_k:
        return True
    return any(a in _MORE and b in _LESS and ka < v < kb for (ka, a), (kb, b) in pairwise(ranges))


def from_native(scheme: str, native: str, *, dialect: str = "native") -> Vers:
    """An ecosystem's own range notation as a ``vers`` (see :mod:`crakit.vulndb.vers_native`)."""
    from crakit.vulndb.vers_native import from_native as convert

    return convert(scheme, native, dialect=dialect)


__all__ = [
    "Constraint",
    "Vers",
    "VersError",
    "VersSyntaxError",
    "VersTypeError",
    "build",
    "canonical",
    "contains",
    "from_native",
    "normalise",
    "parse",
    "validate",
]
