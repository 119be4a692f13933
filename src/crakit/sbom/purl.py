"""Package URLs: parsed with packageurl-python, normalised and serialised per the purl specification.

packageurl-python does the generic parsing and its type-specific fixes; on top of
it this module applies the per-type rules of the specification (``purl_types.yaml``)
and writes the canonical form the current specification (ECMA-427) prescribes:
every component percent-encoded except unreserved characters and ``:``.
CRA Annex I Part II(1) SBOMs identify components by purl, and vulnerability
matching needs one canonical spelling per package.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote

import yaml
from packageurl import PackageURL

from crakit.errors import InputError


class PurlError(InputError):
    """Not a valid package URL."""


@dataclass(frozen=True, slots=True)
class Purl:
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


def parse_purl(text: str, *, strict: bool = False) -> Purl:
    """Parse and normalise a package URL; raises :class:`PurlError` when it is not valid.

    Qualifier keys are case-insensitive and lower-cased; ``strict`` refuses upper-case
    keys instead (the purl-spec suite asks for both behaviours in different cases).
    """
    if strict:
        _, _, query = text.partition("#")[0].partition("?")
        for pair in query.split("&") if query else ():
            key = pair.partition("=")[0]
            if key != key.lower():
                raise PurlError(f"purl qualifier key {key!r} must be lower case")
    try:
        p = PackageURL.from_string(text.strip())
    except (ValueError, TypeError) as exc:
        raise PurlError(f"invalid purl {text[:80]!r}: {exc}") from None
    namespace, name = p.namespace, p.name
    if p.type == "git" and namespace and "/" in namespace:
        # git: the namespace is the host only; the repository path is the name.
        host, _, rest = namespace.partition("/")
        namespace, name = host, f"{rest}/{name}"
    quals = p.qualifiers if isinstance(p.qualifiers, dict) else {}
    return _finish(p.type, namespace, name, p.version, quals, p.subpath)


def build_purl(
    type: str,
    name: str,
    namespace: str | None = None,
    version: str | None = None,
    qualifiers: Mapping[str, str] | None = None,
    subpath: str | None = None,
) -> str:
    """The canonical purl string of decoded components."""
    if type == "git":
        # packageurl-python would split the owner/repository name; the rules above are the git type's.
        return to_string(_finish(type, namespace, name, version, qualifiers, subpath))
    try:
        p = PackageURL(
            type=type,
            namespace=namespace,
            name=name,
            version=version,
            qualifiers=dict(qualifiers or {}),
            subpath=subpath,
        )
    except (ValueError, TypeError) as exc:
        raise PurlError(f"invalid purl components: {exc}") from None
    quals = p.qualifiers if isinstance(p.qualifiers, dict) else {}
    return to_string(_finish(p.type, p.namespace, p.name, p.version, quals, p.subpath))


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
