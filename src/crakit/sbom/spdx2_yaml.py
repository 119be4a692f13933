"""SPDX 2.x YAML: the JSON structure written as YAML, read with safe loaders.

Reading keeps every scalar as text (``1.10`` stays the version "1.10"); validation
keeps YAML's types except timestamps, which the JSON schema expects as strings.
Aliases are refused: SPDX never needs them and they are the YAML "billion laughs".
"""

from __future__ import annotations

from typing import Any

import yaml

from crakit.sbom import jsonmodel, spdx2
from crakit.sbom.decode import utf8_text
from crakit.sbom.errors import SbomError
from crakit.sbom.model import Sbom

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _TextLoader(_Base):  # type: ignore[misc]
    """Only null is resolved; everything else stays a string."""


class _SchemaLoader(_Base):  # type: ignore[misc]
    """YAML types as usual, but timestamps stay strings."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == _NULL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SchemaLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str, *, typed: bool = False) -> Any:
    """Parse YAML text safely; ``typed`` keeps numbers and booleans (for schema validation)."""
    try:
        doc = yaml.load(text, Loader=_SchemaLoader if typed else _TextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SbomError(f"neither JSON, XML, tag-value nor valid YAML: {exc.problem or exc}{where}") from None
    except yaml.reader.ReaderError as exc:
        # a control character no text format admits (binary data); position counts characters
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise SbomError(
            f"not a readable SBOM document: control character U+{ord(char):04X} at character {exc.position}"
        ) from None
    except yaml.YAMLError as exc:
        raise SbomError(f"not a readable SBOM document ({exc})") from None
    except RecursionError:
        raise SbomError("not a readable SBOM document (YAML nested too deeply)") from None
    _refuse_shared(doc)
    return doc


def _refuse_shared(doc: Any) -> None:
    """An alias makes one container appear twice; walking each container once finds it cheaply."""
    seen: set[int] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            if id(node) in seen:
                raise SbomError("YAML aliases (&anchor/*alias) are not accepted in an SBOM")
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)


def read(text: str, source: str | None = None) -> Sbom:
    doc = load(text)
    if isinstance(doc, dict) and isinstance(doc.get("spdxVersion"), str):
        return spdx2.read(jsonmodel.convert(doc), "yaml", source)
    raise SbomError(
        "not an SBOM: neither CycloneDX (JSON/XML) nor SPDX (JSON, YAML, tag-value, JSON-LD) content"
    )


def read_bytes(data: bytes, source: str | None = None) -> Sbom:
    return read(utf8_text(data), source)
