"""Read an SBOM whatever its format; the format is detected from the content, never the file name.

Annex I Part II(1) asks for an SBOM "in a commonly used and machine-readable
format": CycloneDX (JSON, XML) and SPDX (2.x JSON, YAML, tag-value; 3.0 JSON-LD).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from crakit.readlimit import read_limited
from crakit.sbom.decode import normalise_encoding
from crakit.sbom.errors import SbomError
from crakit.sbom.interface import ReadBytes, Serialization
from crakit.sbom.model import Sbom

# Bounds memory: the readers hold the whole document (about 5-8x its size at peak).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
_TAG_VALUE_VERSION = re.compile(rb"^[ \t]*SPDXVersion:", re.M)
_FIRST_CHAR = re.compile(rb"[^\s]")


def read_sbom(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Sbom:
    """Read the SBOM at ``path`` (Annex I Part II(1)); raises :class:`SbomError` on anything unreadable."""
    data = load_bytes(path, max_bytes=max_bytes)
    try:
        return parse_sbom(data, source=str(path))
    except SbomError as exc:
        raise SbomError(f"{path}: {exc.message}", hint=exc.hint) from None


def load_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes through crakit's one bounded read: files over ``max_bytes`` and anything
    that is not a regular file (a pipe would be waited on for ever) are refused before reading."""
    return read_limited(
        path, max_bytes, "SBOM", SbomError, too_large="raise it with --max-bytes if this really is one SBOM"
    )


def parse_sbom(data: bytes, source: str | None = None) -> Sbom:
    """Parse an SBOM held in memory; see :func:`read_sbom`."""
    data = normalise_encoding(data)
    found = _FIRST_CHAR.search(data)
    if found is None:
        raise SbomError("empty file, not an SBOM")
    first = found.group()
    for serialization in SERIALIZATIONS:
        if serialization.accepts(first, data):
            module = importlib.import_module(serialization.module)
            read_bytes: ReadBytes = module.read_bytes
            return read_bytes(data, source)
    raise SbomError("not an SBOM")  # unreachable: YAML accepts the rest


def _is_tag_value(first: bytes, data: bytes) -> bool:
    # "SPDXVersion:" (capital V) is the tag-value tag; SPDX YAML spells the key "spdxVersion".
    return _TAG_VALUE_VERSION.search(data, 0, 1 << 20) is not None


# Tried in order; the first that accepts the document reads it.
SERIALIZATIONS: tuple[Serialization, ...] = (
    Serialization("json", lambda first, _: first in (b"{", b"["), "crakit.sbom.json_reader"),
    Serialization("xml", lambda first, _: first == b"<", "crakit.sbom.cyclonedx_xml"),
    Serialization("tag-value", _is_tag_value, "crakit.sbom.spdx2_tagvalue"),
    Serialization("yaml", lambda first, _: True, "crakit.sbom.spdx2_yaml"),
)
