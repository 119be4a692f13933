"""The contract of the interchangeable SBOM readers (one module per serialisation).

:mod:`crakit.sbom.reader` detects the serialisation from the content (never the
file name, Annex I Part II(1) "machine-readable format") and hands the bytes to
the module registered for it. A module fulfils the contract by exposing
``read_bytes``; it raises :class:`crakit.sbom.errors.SbomError` for anything it
cannot read and never lets another exception escape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from crakit.sbom.model import Sbom


class ReadBytes(Protocol):
    """``read_bytes`` of a reader module: UTF-8 bytes (encoding already normalised) to the model."""

    def __call__(self, data: bytes, source: str | None = None) -> Sbom: ...


@dataclass(frozen=True, slots=True)
class Serialization:
    """One serialisation: how to recognise it cheaply and which module reads it (imported lazily)."""

    name: str
    accepts: Callable[[bytes, bytes], bool]  # (first non-blank byte, whole document) -> is it mine?
    module: str  # dotted name of a module exposing ``read_bytes: ReadBytes``
