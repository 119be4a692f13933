"""SemVer 2.0 ordering and its close relatives (npm, crates.io, Go, Hex, Pub, SwiftURL).

OSV's ``SEMVER`` range type compares with SemVer 2.0 precedence; like the OSV tooling we accept a
leading ``v`` (Go modules and their purls carry one) and missing minor/patch components.
"""

from __future__ import annotations

from functools import lru_cache

Ident = tuple[int, int, str]


def _identifiers(text: str) -> tuple[Ident, ...]:
    # SemVer 11.4: numeric identifiers sort numerically and below alphanumeric ones (ASCII order).
    out: list[Ident] = []
    for part in text.split("."):
        if part.isdigit() and part.isascii():
            out.append((0, int(part), ""))
        else:
            out.append((1, 0, part))
    return tuple(out)


def _numbers(core: str) -> tuple[list[int], str]:
    """Leading dot-separated numbers, and whatever text follows them (treated as pre-release)."""
    nums: list[int] = []
    rest = ""
    for i, part in enumerate(core.split(".")):
        digits = 0
        while digits < len(part) and "0" <= part[digits] <= "9":
            digits += 1
        if digits == 0:
            rest = ".".join(core.split(".")[i:])
            break
        nums.append(int(part[:digits]))
        if digits < len(part):
            rest = ".".join([part[digits:], *core.split(".")[i + 1 :]])
            break
    return nums, rest


def _split(version: str) -> tuple[list[int], str, str, str, str, str]:
    """(numbers, text after them, "-" or "", pre-release, "+" or "", build) of a version, ``v`` dropped."""
    v = version.strip()
    if v[:1] in ("v", "V"):
        v = v[1:]
    main, plus, build = v.partition("+")
    core, dash, pre = main.partition("-")
    nums, rest = _numbers(core)
    return nums, rest, dash, pre, plus, build


@lru_cache(maxsize=65536)
def semver_key(version: str) -> tuple[object, ...]:
    """Precedence key of a SemVer 2.0 version; build metadata is ignored (SemVer 10)."""
    nums, rest, dash, pre, _plus, _build = _split(version)
    if rest and not dash:
        pre, dash = rest, "-"
    elif rest:
        pre = f"{rest}-{pre}"
    while len(nums) > 3 and nums[-1] == 0:
        nums.pop()
    while len(nums) < 3:
        nums.append(0)
    # A release sorts after all of its pre-releases (SemVer 11.3).
    pre_key: tuple[object, ...] = (0, *_identifiers(pre)) if dash else (1,)
    return (tuple(nums), pre_key)


@lru_cache(maxsize=65536)
def pub_key(version: str) -> tuple[object, ...]:
    """Dart's pub_semver: like SemVer, but build metadata orders versions (a build sorts after none)."""
    nums, rest, dash, pre, plus, build = _split(version)
    if len(nums) > 3:
        # pub reads only major.minor.patch; later numeric parts belong to the build string.
        extra = ".".join(str(n) for n in nums[3:])
        nums = nums[:3]
        build = f"{extra}.{build}" if plus else extra
        plus = "+"
    if rest and not dash:
        pre, dash = rest, "-"
    while len(nums) < 3:
        nums.append(0)
    pre_key: tuple[object, ...] = (0, *_identifiers(pre)) if dash else (1,)
    build_key: tuple[object, ...] = (1, *_identifiers(build)) if plus else (0,)
    return (tuple(nums), pre_key, build_key)


@lru_cache(maxsize=65536)
def nuget_key(version: str) -> tuple[object, ...]:
    """NuGet SemVer 2.0 with an optional fourth (revision) number; labels compare case-insensitively."""
    nums, rest, dash, pre, _plus, _build = _split(version)
    if rest and not dash:
        pre, dash = rest, "-"
    while len(nums) < 4:
        nums.append(0)
    while len(nums) > 4 and nums[-1] == 0:
        nums.pop()
    pre_key: tuple[object, ...] = (0, *_identifiers(pre.lower())) if dash else (1,)
    return (tuple(nums), pre_key)
