"""PyPI ordering: PEP 440 through ``packaging`` (the reference implementation pip uses)."""

from __future__ import annotations

import re
from functools import lru_cache, total_ordering

from packaging.version import InvalidVersion, Version

_LEGACY_SPLIT = re.compile(r"(\d+|[a-z]+|\.|-)")
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)*")  # a release segment alone (ASCII digits only)


@total_ordering
class LegacyVersion:
    """A version PEP 440 rejects: below every valid one, ordered among its kind by setuptools'
    old LegacyVersion rules (what pip did before it dropped them)."""

    __slots__ = ("parts",)

    def __init__(self, version: str) -> None:
        parts: list[str] = []
        for part in _LEGACY_SPLIT.split(version.lower()):
            if not part or part == ".":
                continue
            parts.append(part.zfill(8) if part[:1] in "0123456789" else "*" + part)
        parts.append("*final")
        self.parts = tuple(parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LegacyVersion) and self.parts == other.parts

    def __hash__(self) -> int:
        return hash(self.parts)

    def __lt__(self, other: object) -> bool:
        if isinstance(other, LegacyVersion):
            return self.parts < other.parts
        if isinstance(other, Version):
            return True
        return NotImplemented


PypiKey = tuple[object, ...]


def _local(local: str | None) -> tuple[object, ...]:
    # packaging: no local label sorts lowest; numeric segments above alphanumeric ones.
    if local is None:
        return (0,)
    parts = local.lower().replace("-", ".").replace("_", ".").split(".")
    return (1, tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in parts))


@lru_cache(maxsize=131072)
def pep440_key(version: str) -> PypiKey:
    """PEP 440 order as a tuple of ints and strings.

    The same order as ``packaging.version.Version`` (which parses the string), but compared by
    tuple comparison in C: ``Version`` objects compare through Python methods and sentinel
    objects, and a scan sorts and bisects hundreds of thousands of them. The layout mirrors
    ``packaging``'s own comparison key with each sentinel replaced by a leading rank; versions
    PEP 440 rejects sort below every valid one (rank 0), among themselves by ``LegacyVersion``.
    """
    if _PLAIN.fullmatch(version):
        # Most versions are bare release numbers ("2.31.0"): the same key without building a
        # Version (its regex and objects cost ~4 µs a version, and a scan keys thousands cold).
        release: tuple[int, ...] = tuple(map(int, version.split(".")))
        end = len(release)
        while end > 1 and release[end - 1] == 0:
            end -= 1
        return (1, 0, release[:end], (2,), (0,), (1,), (0,))
    return parsed_key(version)


def parsed_key(version: str) -> PypiKey:
    """:func:`pep440_key` through ``packaging``'s parser (every version, plain ones included)."""
    try:
        v = Version(version)
    except InvalidVersion:
        return (0, LegacyVersion(version).parts)
    release = v.release
    end = len(release)
    while end > 1 and release[end - 1] == 0:
        end -= 1
    pre, post, dev = v.pre, v.post, v.dev
    if pre is None and post is None and dev is not None:
        pre_key: tuple[object, ...] = (0,)  # 1.0.dev0 sorts before 1.0a0
    elif pre is None:
        pre_key = (2,)
    else:
        pre_key = (1, pre[0], pre[1])
    return (
        1,
        v.epoch,
        release[:end] if end else (0,),
        pre_key,
        (0,) if post is None else (1, post),
        (1,) if dev is None else (0, dev),
        _local(v.local),
    )


def pep440_valid(version: str) -> bool:
    return _PLAIN.fullmatch(version) is not None or pep440_key(version)[0] == 1


@lru_cache(maxsize=65536)
def pep440_canonical(version: str) -> str:
    """PEP 440 normal form with trailing zeros dropped (1.0 == 1.0.0); invalid ones stay as written."""
    if _PLAIN.fullmatch(version):  # a bare release: the same form without parsing (see pep440_key)
        release = list(map(int, version.split(".")))
        while len(release) > 1 and release[-1] == 0:
            release.pop()
        return ".".join(map(str, release))
    return parsed_canonical(version)


def parsed_canonical(version: str) -> str:
    """:func:`pep440_canonical` through ``packaging``'s parser (every version): the normal form
    ``packaging.utils.canonicalize_version(v, strip_trailing_zero=True)`` writes.

    Written out from the parsed fields rather than imported: ``packaging.utils`` pulls in
    ``packaging.tags`` (``sysconfig``, ``platform``, ``logging``: about 8 ms) that a scan does not
    otherwise need; tests check the two agree."""
    try:
        v = Version(version)
    except InvalidVersion:
        return "\x00" + version
    release = list(v.release)
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    text = ".".join(map(str, release))
    if v.epoch:
        text = f"{v.epoch}!{text}"
    if v.pre is not None:
        text += f"{v.pre[0]}{v.pre[1]}"
    if v.post is not None:
        text += f".post{v.post}"
    if v.dev is not None:
        text += f".dev{v.dev}"
    if v.local is not None:
        text += f"+{v.local}"
    return text
