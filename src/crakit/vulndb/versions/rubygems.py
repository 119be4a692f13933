"""RubyGems ordering (``Gem::Version#<=>``): numeric segments beat string segments; a string
segment marks a pre-release; trailing zeros of the release and pre-release parts do not count."""

from __future__ import annotations

import re
from functools import cmp_to_key, lru_cache

from crakit.vulndb.versions.interface import VersionKey

_SEGMENT = re.compile(r"[0-9]+|[a-zA-Z]+")

Segment = int | str


def _canonical(version: str) -> tuple[Segment, ...]:
    v = version.strip().replace("-", ".pre.")
    segments: list[Segment] = [int(s) if s.isdigit() else s for s in _SEGMENT.findall(v)]
    first_string = next((i for i, s in enumerate(segments) if isinstance(s, str)), len(segments))
    numeric, strings = segments[:first_string], segments[first_string:]
    while numeric and numeric[-1] == 0:
        numeric.pop()
    while strings and strings[-1] == 0:
        strings.pop()
    return (*numeric, *strings)


def _compare(a: tuple[Segment, ...], b: tuple[Segment, ...]) -> int:
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else 0
        y = b[i] if i < len(b) else 0
        if x == y:
            continue
        if isinstance(x, str) and isinstance(y, int):
            return -1
        if isinstance(x, int) and isinstance(y, str):
            return 1
        return -1 if x < y else 1  # type: ignore[operator]
    return 0


_Key = cmp_to_key(_compare)


@lru_cache(maxsize=65536)
def rubygems_key(version: str) -> VersionKey:
    return _Key(_canonical(version))
