"""Package URLs: parsed, normalised and serialised per the purl specification (ECMA-427).

The one purl parser of crakit: :func:`decode_purl` splits and percent-decodes (what the scanner
reads), :func:`parse_purl` then applies the per-type rules of the specification
(``purl_types.yaml``), and :func:`to_string` writes the canonical form the specification
prescribes: every component percent-encoded except unreserved characters and ``:``.
CRA Annex I Part II(1) SBOMs identify components by purl, and vulnerability matching needs one
canonical spelling per package.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

import msgspec

from crakit.errors import InputError


class PurlError(InputError):
    """Not a valid package URL."""


class Purl(msgspec.Struct, frozen=True):
    """A package URL's decoded components (a Struct: a scan decodes one per component)."""

    type: str
    namespace: str | None
    name: str
    version: str | None = None
    qualifiers: tuple[tuple[str, str], ...] = ()
    subpath: str | None = None

    def __str__(self) -> str:
        return to_string(self)


@functools.cache
def _rules() -> Mapping[str, Mapping[str, Any]]:
    # Imported here: reading purls for a scan needs none of this (start-up time, see decode_purl).
    from importlib import resources

    import yaml

    raw = yaml.safe_load(resources.files("crakit.sbom").joinpath("purl_types.yaml").read_text("utf-8"))
    types: Mapping[str, Mapping[str, Any]] = raw["types"]
    return types


def _enc(value: str) -> str:
    return quote(value, safe=":")


def to_string(p: Purl) -> str:
    """The canonical string of ``p``."""
    out = [f"pkg:{p.type}/"]
    if p.namespace:
        out.append("/".join(_enc(seg) for seg in p.namespace.split("/") if seg) + "/")
    # git names hold the repository path (owner/repo): its slashes are separators, not data.
    out.append("/".join(_enc(seg) for seg in p.name.split("/")) if p.type == "git" else _enc(p.name))
    if p.version:
        out.append("@" + _enc(p.version))
    if p.qualifiers:
        out.append("?" + "&".join(f"{k}={_enc(v)}" for k, v in p.qualifiers))
    if p.subpath:
        out.append("#" + "/".join(_enc(seg) for seg in p.subpath.split("/")))
    return "".join(out)


def _finish(
    ptype: str,
    namespace: str | None,
    name: str | None,
    version: str | None,
    qualifiers: Mapping[str, str] | None,
    subpath: str | None,
) -> Purl:
    """Apply the per-type rules of the specification to decoded components."""
    ptype = ptype.lower()
    rules = _rules().get(ptype, {})
    namespace = namespace or None
    if not name:
        raise PurlError("a purl needs a name")
    requirement = rules.get("namespace_requirement")
    if requirement == "required" and not namespace:
        raise PurlError(f"purl type {ptype!r} requires a namespace")
    if requirement == "prohibited" and namespace:
        raise PurlError(f"purl type {ptype!r} does not allow a namespace")
    if namespace and rules.get("namespace_lowercase"):
        namespace = namespace.lower()
    if rules.get("name_lowercase"):
        name = name.lower()
    if version and rules.get("version_lowercase"):
        version = version.lower()
    quals = {k.lower(): v for k, v in (qualifiers or {}).items() if v}
    if ptype == "mlflow" and "databricks" in quals.get("repository_url", ""):
        name = name.lower()  # Databricks model names are case-insensitive (type definition)
    if ptype == "cpan" and "::" in name:
        raise PurlError("a CPAN purl names the distribution, which never contains '::'")
    for component, value in (("name", name), ("version", version)):
        pattern = rules.get(f"{component}_pattern")
        if pattern and value is not None and not re.search(pattern, value):
            raise PurlError(f"purl {component} {value!r} is not allowed for type {ptype!r}")
    if subpath:
        subpath = "/".join(seg for seg in subpath.split("/") if seg not in ("", ".", "..")) or None
    return Purl(ptype, namespace, name, version or None, tuple(sorted(quals.items())), subpath)


# A purl with nothing to decode: type, plain path segments, an optional version. Most SBOM purls
# look like this; they skip the percent-decoding and qualifier handling of the full parse.
_PLAIN = re.compile(r"pkg:([a-z][a-z0-9.+-]*)/([^/%?#@\s]+(?:/[^/%?#@\s]+)*)(?:@([^/%?#@\s]+))?")
_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9.+-]*")
_QUALIFIER_KEY = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")


def parse_purl(text: str, *, strict: bool = False) -> Purl:
    """Parse and normalise a package URL; raises :class:`PurlError` when it is not valid.

    The string is split by the "How to parse" steps of the specification (ECMA-427, see
    :func:`decode_purl`), then the per-type rules of the specification's type definitions
    (``purl_types.yaml``) are applied: required or prohibited namespaces, case folding,
    permitted characters.

    Qualifier keys are case-insensitive and lower-cased; ``strict`` refuses upper-case
    keys instead (the purl-spec suite asks for both behaviours in different cases).
    """
    p = decode_purl(text, strict=strict)
    return _finish(p.type, p.namespace, p.name, p.version, dict(p.qualifiers), p.subpath)


def decode_purl(text: str, *, strict: bool = False) -> Purl:
    """Split and percent-decode a package URL without the per-type rules: what the SBOM wrote.

    The scanner reads purls this way: a type definition that requires a namespace would refuse
    ``pkg:golang/stdlib@1.21.3``, which Go tooling writes for the standard library, and folding a
    PyPI version's case would hide an exact listing of a non-PEP 440 version.

    Written by hand rather than through packageurl-python: that library applies its own case
    folding on top of the specification's (it lower-cases npm names, which the npm type definition
    keeps case-sensitive, so ``JSONStream`` would never match its advisories) and takes about ten
    times longer, which a scan of 100,000 components feels.
    """
    parts = plain_parts(text)
    if parts is not None:
        return Purl(parts[0], parts[1] or None, parts[2], parts[3])
    return _decode_full(text.strip(), strict)


def plain_parts(text: str) -> tuple[str, str, str, str | None] | None:
    """(type, namespace or "", name, version) of a purl with nothing to decode (no percent
    escapes, qualifiers or subpath); None for any other. The scanner's fast path: most SBOM purls
    are plain, and their parts need no Purl object (:func:`decode_purl` gives the same parts)."""
    plain = _PLAIN.fullmatch(text)
    if plain is None or plain.group(1) == "git":
        return None
    ptype, path, version = plain.groups()
    namespace, _, name = path.rpartition("/")
    return ptype, namespace, name, version


def _decode_full(text: str, strict: bool) -> Purl:
    remainder, hash_mark, fragment = text.partition("#")
    subpath = None
    if hash_mark:
        kept = [unquote(s) for s in fragment.strip("/").split("/") if s not in ("", ".", "..")]
        subpath = "/".join(kept) or None
    remainder, question, query = remainder.partition("?")
    qualifiers: dict[str, str] = {}
    if question and query:
        for pair in query.split("&"):
            key, equals, value = pair.partition("=")
            if not equals:
                continue
            if not _QUALIFIER_KEY.fullmatch(key):
                raise PurlError(f"invalid purl qualifier key {key[:40]!r}")
            if strict and key != key.lower():
                raise PurlError(f"purl qualifier key {key!r} must be lower case")
            if value:
                qualifiers[key.lower()] = unquote(value)
    scheme, colon, remainder = remainder.partition(":")
    if not colon or scheme.lower() != "pkg":
        raise PurlError(f"not a package URL (no 'pkg:' scheme): {text[:80]!r}")
    ptype, slash, remainder = remainder.lstrip("/").partition("/")
    if not slash or not ptype:
        raise PurlError(f"purl has no type: {text[:80]!r}")
    if not _TYPE.fullmatch(ptype):
        raise PurlError(
            f"invalid purl type {ptype[:40]!r} (ASCII letters, digits, '.', '+', '-'; no leading digit)"
        )
    at = remainder.rfind("@")
    if at >= 0 and (remainder[at - 1 : at] not in ("", "/") or "/" not in remainder[at:]):
        remainder, version_text = remainder[:at], remainder[at + 1 :]
    else:  # no version; an '@' opening an inner segment is an unencoded npm scope ("@babel/core")
        version_text = ""
    version = unquote(version_text) or None
    path = [unquote(s) for s in remainder.strip("/").split("/") if s]
    if not path:
        raise PurlError(f"purl has no name: {text[:80]!r}")
    namespace, name = "/".join(path[:-1]) or None, path[-1]
    if ptype.lower() == "git" and namespace and "/" in namespace:
        # git: the namespace is the host only; the repository path is the name.
        host, _, rest = namespace.partition("/")
        namespace, name = host, f"{rest}/{name}"
    return Purl(ptype.lower(), namespace, name, version, tuple(sorted(qualifiers.items())), subpath)


def build_purl(
    type: str,
    name: str,
    namespace: str | None = None,
    version: str | None = None,
    qualifiers: Mapping[str, str] | None = None,
    subpath: str | None = None,
) -> str:
    """The canonical purl string of decoded components (the specification's type rules applied)."""
    if not _TYPE.fullmatch(type or ""):
        raise PurlError(f"invalid purl type {type!r}")
    for key in qualifiers or {}:
        if not _QUALIFIER_KEY.fullmatch(key):
            raise PurlError(f"invalid purl qualifier key {key[:40]!r}")
    return to_string(_finish(type, namespace, name, version, qualifiers, subpath))


def with_version(purl: str, version: str | None) -> str:
    """``purl`` naming ``version`` when it names no version of its own: a component's version
    completes its purl (``pkg:pypi/django`` shipped as 1.11.0 is ``pkg:pypi/django@1.11.0``).
    ``purl`` itself when it has a version, ``version`` is empty, or it is not a valid package URL.

    The version goes in where the specification puts it, before any qualifiers and subpath, and
    the rest keeps the SBOM's spelling (a purl is how users find the component again)."""
    if not version:
        return purl
    plain = plain_parts(purl)
    if plain is not None:  # nothing to decode: the version goes at the end (most SBOM purls)
        return purl if plain[3] else f"{purl}@{_enc(version)}"
    try:
        p = decode_purl(purl)
    except PurlError:
        return purl
    if p.version:
        return purl
    cut = min((i for i in (purl.find("?"), purl.find("#")) if i >= 0), default=len(purl))
    head = purl[:cut].rstrip("/").removesuffix("@")
    completed = f"{head}@{_enc(version)}{purl[cut:]}"
    wanted = msgspec.structs.replace(p, version=version)
    try:
        kept = decode_purl(completed) == wanted
    except PurlError:
        kept = False
    return completed if kept else to_string(wanted)  # a spelling the insertion cannot keep: canonical


def canonical_purl(text: str) -> str:
    """The canonical spelling of a purl, fixing what the specification allows to fix."""
    return to_string(parse_purl(text, strict=False))


def normalize_purl(purl: str) -> str | None:
    """The canonical form of ``purl``, or None when it is not a valid package URL."""
    try:
        return canonical_purl(purl)
    except PurlError:
        return None


def purl_key(purl: str | None) -> str | None:
    """The identity used to deduplicate components: the canonical purl, or the raw text if unparsable."""
    if not purl:
        return None
    return normalize_purl(purl) or purl.strip()
