"""The compact per-package form of an OSV ``affected`` entry stored in the database.

Encoded with msgspec (array-like structs): decoding one is a few microseconds, so a scan pays
only for the packages its SBOMs name.
"""

from __future__ import annotations

import msgspec


class Range(msgspec.Struct, array_like=True, frozen=True):
    type: str  # SEMVER | ECOSYSTEM | GIT
    events: tuple[tuple[str, str], ...]  # (introduced|fixed|last_affected|limit, version) in record order


class AffectedEntry(msgspec.Struct, array_like=True, frozen=True):
    ecosystem: str  # as the record wrote it, with any ":release" suffix
    name: str  # as the record wrote it
    ranges: tuple[Range, ...]
    versions: tuple[str, ...]
    canon: tuple[str, ...] = ()  # versions in the ordering's canonical form (when it has one)
    prepared: bool = False  # events sorted and the two facts below set (done once, at import)
    only_git: bool = False  # nothing but GIT ranges and no versions list: cannot be evaluated
    bad_bound: str | None = None  # the first range event the ordering cannot place


class StoredEntry(msgspec.Struct, array_like=True, frozen=True):
    """The same layout as :class:`AffectedEntry`, read with the (often long) version lists left
    encoded: a scan looks one version up in them without building hundreds of strings."""

    ecosystem: str
    name: str
    ranges: tuple[Range, ...]
    versions: msgspec.Raw
    canon: msgspec.Raw = msgspec.Raw(b"\x90")
    prepared: bool = False
    only_git: bool = False
    bad_bound: str | None = None


ENCODER = msgspec.msgpack.Encoder()
DECODER = msgspec.msgpack.Decoder(StoredEntry)
_STRINGS = msgspec.msgpack.Decoder(tuple[str, ...])


def encoded_contains(raw: msgspec.Raw, item: str) -> bool:
    """Is ``item`` an element of the encoded list of strings ``raw``?

    Every element's encoding is a contiguous run of the list's encoding, so a missing run proves
    absence; a found run is confirmed by decoding (it could straddle two elements).
    """
    data = bytes(raw)
    if ENCODER.encode(item) not in data:
        return False
    return item in _STRINGS.decode(data)


def decode_strings(raw: msgspec.Raw) -> tuple[str, ...]:
    return _STRINGS.decode(raw)
