"""The per-entry path: one advisory entry decided for every distinct version of its package.

Used where the package index (package_index.py) cannot be: entries with a distribution release
suffix, only GIT ranges, a bound the ordering cannot place, a SEMVER range in another ordering,
and packages whose versions carry a release or do not parse. Each range's events are placed among
the package's sorted versions by bisection (:mod:`.sweep`), as osv-schema's "Evaluation" decides.
"""

from __future__ import annotations

from crakit.vulndb.inventory import Package, hit
from crakit.vulndb.ranges import evaluate, has_only_git, invalid_bound, listed, sorted_events
from crakit.vulndb.records import Range, StoredEntry, decode_strings, encoded_contains
from crakit.vulndb.sweep import range_spans
from crakit.vulndb.versions import SEMVER, VersionScheme, scheme_for

# Debian codenames as purl ``distro`` qualifiers may give them; OSV writes release numbers.
_DEBIAN_CODENAMES = {"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14"}


def _release_matches(entry_ecosystem: str, release: str | None) -> bool:
    _, colon, suffix = entry_ecosystem.partition(":")
    if not colon or release is None:
        return True
    release = _DEBIAN_CODENAMES.get(release, release)
    return suffix == release or suffix.split(":", 1)[0] == release


def match_entry(package: Package, vid: str, entry: StoredEntry) -> None:
    """Decide one advisory entry for every distinct version of its package (osv-schema "Evaluation")."""
    scheme = scheme_for(entry.ecosystem)
    if entry.prepared:
        only_git, bad_bound, ranges = entry.only_git, entry.bad_bound, entry.ranges
    else:  # written by an older importer: do now what the importer does once
        only_git, bad_bound = has_only_git(entry), invalid_bound(entry, scheme)
        ranges = tuple(
            Range(r.type, sorted_events(r, SEMVER if r.type == "SEMVER" else scheme)) for r in entry.ranges
        )
    if package.plain and not only_git and bad_bound is None:
        _sweep(package, None, vid, entry, scheme, ranges)
        return
    releases: set[str | None] = set()
    for slot in package.slots.values():
        if slot.release is not None and not _release_matches(entry.ecosystem, slot.release):
            continue
        if slot.version is None:
            slot.undecided(vid, "component has no version")
        elif not slot.valid and not encoded_contains(entry.versions, slot.version):
            # Ranges cannot place a version the ordering rejects; only an exact listing can.
            slot.undecided(vid, f"version {slot.version!r} is not a valid {scheme.name} version")
        elif only_git:
            # No ranges and no versions at all: the record names the package but not which versions.
            slot.undecided(
                vid,
                "only GIT (commit) ranges"
                if entry.ranges
                else "the advisory names no affected versions or ranges",
            )
        elif bad_bound is not None and not encoded_contains(entry.versions, slot.version):
            slot.undecided(
                vid, f"the advisory's range bound {bad_bound!r} is not a valid {scheme.name} version"
            )
        elif not slot.valid or bad_bound is not None:
            # Listed exactly but not rangeable: the one-version walk decides (rare).
            verdict = evaluate(entry, slot.version, scheme)
            if verdict.affected:
                hit(slot, vid, list(verdict.fixed), entry.name)
        else:
            releases.add(slot.release)
    for release in releases:
        _sweep(package, release, vid, entry, scheme, ranges)


def _sweep(
    package: Package,
    release: str | None,
    vid: str,
    entry: StoredEntry,
    scheme: VersionScheme,
    ranges: tuple[Range, ...],
) -> None:
    """Every valid version of ``release`` at once: ranges by bisection, then the versions list."""
    slots, keys = package.order(release, scheme)
    if not slots:
        return
    affected: dict[int, list[str]] = {}  # index into ``slots`` -> fixed versions
    for rng in ranges:
        if rng.type == "GIT":
            continue
        if rng.type == "SEMVER" and scheme is not SEMVER:
            # Another ordering of the same versions: spans index that order, mapped back by slot.
            ordered, semver_keys = package.order(release, SEMVER)
            position = {id(slot): i for i, slot in enumerate(slots)}
            indexes = [
                position[id(slot)]
                for start, end in range_spans(rng.events, SEMVER, semver_keys)
                for slot in ordered[start:end]
            ]
        else:
            indexes = [i for start, end in range_spans(rng.events, scheme, keys) for i in range(start, end)]
        if not indexes:
            continue
        fixed = [ver for kind, ver in rng.events if kind == "fixed"]
        for i in indexes:
            got = affected.get(i)
            if got is None:
                affected[i] = list(fixed)
            else:
                got.extend(fixed)
    if len(affected) < len(slots) and len(entry.versions) > 1:  # a versions list to look in
        listing = _Listing(entry, scheme, len(slots) - len(affected))
        all_fixed: list[str] | None = None
        for i, slot in enumerate(slots):
            if i not in affected and listing.has(slot.version or ""):
                if all_fixed is None:
                    all_fixed = [v for r in ranges if r.type != "GIT" for k, v in r.events if k == "fixed"]
                affected[i] = list(all_fixed)
    name = entry.name
    for i, fixed in affected.items():
        hit(slots[i], vid, fixed, name)


class _Listing:
    """Membership in an entry's ``versions`` list by the ordering's equality (osv-schema: a version
    listed there is affected whatever the ranges say). Few lookups search the encoded list; many
    decode it into sets once."""

    __slots__ = ("canon", "entry", "exact", "scheme")

    def __init__(self, entry: StoredEntry, scheme: VersionScheme, lookups: int) -> None:
        self.entry, self.scheme = entry, scheme
        self.exact: set[str] | None = None
        self.canon: set[str] | None = None
        if lookups > 4:
            self.exact = set(decode_strings(entry.versions))
            if scheme.canonical is not None and len(entry.canon) > 1:
                self.canon = set(decode_strings(entry.canon))

    def has(self, version: str) -> bool:
        if self.exact is None:
            return listed(self.entry, self.scheme, version)
        if version in self.exact:
            return True
        if self.canon is not None and self.scheme.canonical is not None:
            return self.scheme.canonical(version) in self.canon
        return listed(self.entry, self.scheme, version)
