"""Match SBOM components against the database: one finding per component and vulnerability.

Implements the check behind Annex I Part I(2)(a) (no known exploitable vulnerabilities when placed
on the market) and flags known exploited ones (CISA KEV), which start the Art 14(1) clock.

The scanner is pure: SBOMs and a database in, findings out. VEX triage is the caller's step
(:func:`crakit.vex.apply_statements`). Work is done once per distinct package version: components
that share (ecosystem, package, distribution release, version) share one evaluation, each
advisory's ranges are placed among the package's sorted versions once (:mod:`.sweep`), and the
verdicts fan back out to the components.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from crakit.sbom import Component, PurlError, Sbom, plain_parts
from crakit.vulndb.ecosystems import read_package_ref
from crakit.vulndb.fold import fold_findings
from crakit.vulndb.model import SEVERITY_ORDER, Finding, ScanResult, Skipped, Unevaluated
from crakit.vulndb.package_index import DECODER as INDEX_DECODER
from crakit.vulndb.package_index import PackageIndex, locate
from crakit.vulndb.ranges import evaluate, has_only_git, invalid_bound, listed, sorted_events
from crakit.vulndb.records import DECODER, Range, StoredEntry, decode_strings, encoded_contains
from crakit.vulndb.store import VulnDatabase
from crakit.vulndb.sweep import range_spans
from crakit.vulndb.versions import SEMVER, VersionKey, VersionScheme, scheme_for

_BATCH = 2000  # packages per database round trip (and per progress step)
# Debian codenames as purl ``distro`` qualifiers may give them; OSV writes release numbers.
_DEBIAN_CODENAMES = {"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14"}


def _release_matches(entry_ecosystem: str, release: str | None) -> bool:
    _, colon, suffix = entry_ecosystem.partition(":")
    if not colon or release is None:
        return True
    release = _DEBIAN_CODENAMES.get(release, release)
    return suffix == release or suffix.split(":", 1)[0] == release


class _Slot:
    """One distinct version of one package (in one distribution release), and who ships it.

    A plain class whose dict and list are made on first use: a scan of 100,000 components makes
    tens of thousands of these, most never hit, and each container allocated is memory touched."""

    __slots__ = ("hits", "purls", "record_name", "release", "unevaluated", "valid", "version")

    def __init__(self, version: str | None, release: str | None, valid: bool) -> None:
        self.version = version
        self.release = release
        self.valid = valid  # the ecosystem's ordering can place the version
        self.purls: list[str] = []
        # vuln id -> fixed versions named by the ranges that matched
        self.hits: dict[str, tuple[str, ...]] | None = None
        self.record_name = ""  # the package name as the last matching record spells it
        self.unevaluated: list[tuple[str, str]] | None = None  # (vuln id, reason)

    def undecided(self, vid: str, reason: str) -> None:
        if self.unevaluated is None:
            self.unevaluated = []
        self.unevaluated.append((vid, reason))


@dataclass(slots=True)
class _Package:
    ecosystem: str
    slots: dict[tuple[str | None, str | None], _Slot] = field(default_factory=dict)
    plain: bool = True  # every slot has a valid version and no distribution release
    # The rangeable slots of one release sorted by one ordering, with their keys (built on first use).
    orders: dict[tuple[str | None, str], tuple[list[_Slot], list[object]]] = field(default_factory=dict)

    def slot(self, version: str | None, release: str | None, valid: bool) -> _Slot:
        slot = self.slots.get((version, release))
        if slot is None:
            slot = self.slots[(version, release)] = _Slot(version, release, valid)
            if release is not None or not valid:
                self.plain = False
        return slot

    def order(self, release: str | None, scheme: VersionScheme) -> tuple[list[_Slot], list[object]]:
        """The valid slots of one release, sorted by ``scheme``, with their keys."""
        cached = self.orders.get((release, scheme.name))
        if cached is None:
            key = scheme.key
            keyed = sorted(
                (
                    (key(s.version), s)
                    for s in self.slots.values()
                    if s.release == release and s.valid and s.version is not None
                ),
                key=itemgetter(0),
            )
            cached = self.orders[(release, scheme.name)] = ([s for _, s in keyed], [k for k, _ in keyed])
        return cached


def _unsupported(purl: str, comp: Component, unsupported: set[str], skipped: list[Skipped]) -> None:
    ptype = purl.split("/", 1)[0].removeprefix("pkg:").lower()
    unsupported.add(ptype)
    skipped.append(Skipped(comp.ref, comp.name, purl, "unsupported purl type", ptype))


def _valid(ecosystem: str, version: str | None) -> bool:
    """Can the ecosystem's ordering place ``version``? One that it cannot is placed in no range
    (only an exact listing can match it): reported as not evaluated, never as clean."""
    return version is not None and scheme_for(ecosystem).accepts(version)


def scan(
    sboms: Sequence[Sbom], db: VulnDatabase, progress: Callable[[int, int], None] | None = None
) -> ScanResult:
    """Scan ``sboms`` against ``db``: every component with a usable purl, every advisory of its package.

    ``progress(done, total)`` is called as packages are matched (for a progress bar)."""
    components: list[Component] = []
    for sbom in sboms:
        components.extend(sbom.components)
        if sbom.product is not None and sbom.product.purl:
            components.append(sbom.product)
    skipped: list[Skipped] = []
    unsupported: set[str] = set()
    packages: dict[tuple[str, str], _Package] = {}
    component_of: dict[str, Component] = {}
    # The package of a plain purl (type/namespace/name@version, nothing to decode) depends only
    # on its type, namespace and name: looked up once for all the versions an SBOM lists.
    resolved: dict[tuple[str, str, str], tuple[str, str] | None] = {}
    accepts_of: dict[str, Callable[[str], bool]] = {}  # ecosystem -> its ordering's validity test
    for comp in components:
        purl = comp.purl
        if not purl:
            skipped.append(Skipped(comp.ref, comp.name, None, "no purl"))
            continue
        if purl in component_of:
            continue  # the same purl twice (or in two SBOMs) is one finding per vulnerability
        parts = plain_parts(purl)
        if parts is not None and parts[0] != "golang":  # Go rewrites some versions (go1.21.3)
            base = (parts[0], parts[1], parts[2])
            if base in resolved:
                place = resolved[base]
            else:
                ref = read_package_ref(purl)
                place = resolved[base] = None if ref is None else (ref.ecosystem, ref.name)
            component_of[purl] = comp
            if place is None:
                _unsupported(purl, comp, unsupported, skipped)
                continue
            eco, name = place
            version = parts[3] or comp.version or None
            release: str | None = None
            source: tuple[str, str | None] | None = None  # only qualifiers name a source package
        else:
            try:
                ref = read_package_ref(purl)
            except PurlError as exc:
                skipped.append(Skipped(comp.ref, comp.name, purl, "invalid purl", exc.message))
                continue
            component_of[purl] = comp
            if ref is None:
                _unsupported(purl, comp, unsupported, skipped)
                continue
            eco, name, release, source = ref.ecosystem, ref.name, ref.release, ref.source
            version = ref.version or comp.version or None
        package = packages.get((eco, name))
        if package is None:
            package = packages[(eco, name)] = _Package(eco)
        slot = package.slots.get((version, release))
        if slot is None:
            accepts = accepts_of.get(eco)
            if accepts is None:
                accepts = accepts_of[eco] = scheme_for(eco).accepts
            valid = version is not None and accepts(version)  # as _valid decides
            slot = package.slots[(version, release)] = _Slot(version, release, valid)
            if release is not None or not valid:
                package.plain = False
        slot.purls.append(purl)
        if source is not None:  # a distribution binary package is also checked as its source
            package = packages.get((eco, source[0]))
            if package is None:
                package = packages[(eco, source[0])] = _Package(eco)
            source_version = source[1] or version
            package.slot(source_version, release, _valid(eco, source_version)).purls.append(purl)

    by_eco: dict[str, list[str]] = defaultdict(list)
    for eco, name in packages:
        by_eco[eco].append(name)
    done = 0
    for eco, names in by_eco.items():
        for start in range(0, len(names), _BATCH):
            batch = names[start : start + _BATCH]
            per_entry: list[str] = []
            for name, data in db.package_indexes(eco, batch).items():
                package = packages[(eco, name)]
                if data is not None and package.plain:
                    _match_index(package, INDEX_DECODER.decode(data))
                else:  # a release, an unplaceable version, or entries the index cannot express
                    per_entry.append(name)
            if per_entry:
                for name, vid, blob in db.affected_for(eco, per_entry):
                    _match_entry(packages[(eco, name)], vid, DECODER.decode(blob))
            done += len(batch)
            if progress is not None:
                progress(done, len(packages))

    matches: dict[str, dict[str, tuple[str, ...]]] = {}  # purl -> vuln id -> fixed
    where: dict[str, tuple[str, str, str | None]] = {}  # purl -> (ecosystem, record's name, version)
    unevaluated: list[Unevaluated] = []
    for package in packages.values():
        for slot in package.slots.values():
            for vid, reason in slot.unevaluated or ():
                unevaluated.extend(Unevaluated(purl, vid, reason) for purl in slot.purls)
            hits = slot.hits
            if not hits:
                continue
            for purl in slot.purls:
                where[purl] = (package.ecosystem, slot.record_name, slot.version)
                seen = matches.get(purl)
                if seen is None:
                    matches[purl] = hits
                else:  # a distribution package matched as itself and as its source package
                    merged = dict(seen)
                    for vid, fixed in hits.items():
                        merged[vid] = merged.get(vid, ()) + fixed
                    matches[purl] = merged
    findings = fold_findings(db, matches, where, component_of)
    info = db.info()
    covered = {eco for eco, n in info.ecosystems if n}
    per_eco: dict[str, int] = defaultdict(int)  # components of ecosystems the database lacks
    for (eco, _name), package in packages.items():
        if eco not in covered:
            per_eco[eco] += sum(len(s.purls) for s in package.slots.values())
    without_purl = sum(1 for s in skipped if s.reason != "unsupported purl type")
    cpe_checked = 0
    if info.cpe_records:  # NVD / CVE 5 data in the database: firmware and C/C++ components by CPE
        findings, unevaluated, skipped, cpe_checked = _cpe_pass(
            components, db, findings, unevaluated, skipped, component_of
        )
    return ScanResult(
        findings=findings,
        components=len(components),
        components_without_purl=without_purl,
        unsupported=tuple(sorted(unsupported)),
        unevaluated=sorted(unevaluated, key=lambda u: (u.purl, u.id)),
        database=info,
        sboms=tuple(s.source or s.name or "" for s in sboms),
        uncovered=tuple(sorted(per_eco.items())),
        skipped=tuple(skipped),
        cpe_checked=cpe_checked,
    )


def _cpe_pass(
    components: list[Component],
    db: VulnDatabase,
    findings: list[Finding],
    unevaluated: list[Unevaluated],
    skipped: list[Skipped],
    component_of: dict[str, Component],
) -> tuple[list[Finding], list[Unevaluated], list[Skipped], int]:
    """Match components by CPE (their own, or one derived from the alias table for those that
    went unchecked), beside the purl/OSV findings; a CVE found both ways stays one finding."""
    from crakit.vulndb.cpe_match import component_cpes, scan_cpes

    with_cpe = [c for c in components if component_cpes(c)]
    unchecked = {s.ref or s.name for s in skipped}
    derive = [c for c in components if not component_cpes(c) and (c.ref or c.name) in unchecked]
    osv_ids: dict[str, set[str]] = {}
    for f in findings:
        osv_ids.setdefault(f.component.ref or f.component.name, set()).update(f.all_ids)
    result = scan_cpes(with_cpe, db, derive, osv_ids)
    remaining = [s for s in skipped if (s.ref or s.name) not in result.checked]
    remaining.extend(result.invalid)
    checked_without_purl = sum(1 for s in skipped if (s.ref or s.name) in result.checked)
    merged = findings + result.findings if result.findings else findings
    if result.findings and findings:
        merged.sort(key=lambda f: (-f.exploited, -SEVERITY_ORDER[f.severity], f.key, f.id))
    return merged, unevaluated + result.unevaluated, remaining, checked_without_purl


def _match_index(package: _Package, index: PackageIndex) -> None:
    """Every version of a plain package from its index (package_index.py): each version placed
    on the package's version line once, each entry's spans read off by bisection."""
    key = scheme_for(package.ecosystem).key
    points = index.points
    slots = list(package.slots.values())
    if len(slots) == 1:  # the common case: one version of the package in the SBOMs
        slot = slots[0]
        at = locate(points, key, slot.version or "")
        for entry in index.entries:
            fixed: tuple[str, ...] | None = None
            for a, b, fx in entry.spans:
                if a <= at < b:
                    fixed = fx if fixed is None else fixed + fx
            if fixed is not None:
                _hit(slot, entry.vuln_id, fixed, entry.name)
        return
    # Many versions: key every point once and bisect in C (cheaper than keying log n points per version).
    keys = [key(p) for p in points]
    placed = sorted((_interval(keys, key(slot.version or "")), n) for n, slot in enumerate(slots))
    intervals = [at for at, _ in placed]
    for entry in index.entries:
        spans = entry.spans
        if len(spans) == 1:  # most entries: one span, so no version is hit twice
            a, b, fx = spans[0]
            vid, name = entry.vuln_id, entry.name
            for i in range(bisect_left(intervals, a), bisect_left(intervals, b)):
                slot = slots[placed[i][1]]  # _hit, inline: this runs once per finding
                hits = slot.hits
                if hits is None:
                    slot.hits = {vid: fx}
                else:
                    previous = hits.get(vid)
                    hits[vid] = fx if previous is None else previous + fx
                slot.record_name = name
            continue
        got: dict[int, tuple[str, ...]] = {}
        for a, b, fx in spans:
            for i in range(bisect_left(intervals, a), bisect_left(intervals, b)):
                n = placed[i][1]
                got[n] = got.get(n, ()) + fx
        for n, fixed in got.items():
            _hit(slots[n], entry.vuln_id, fixed, entry.name)


def _interval(keys: list[VersionKey], k: VersionKey) -> int:
    """The interval number (package_index.py) of a version with key ``k`` among the point keys."""
    i = bisect_left(keys, k)
    return 2 * i + 1 if i < len(keys) and bool(keys[i] == k) else 2 * i


def _match_entry(package: _Package, vid: str, entry: StoredEntry) -> None:
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
            slot.undecided(vid, "only GIT (commit) ranges")
        elif bad_bound is not None and not encoded_contains(entry.versions, slot.version):
            slot.undecided(
                vid, f"the advisory's range bound {bad_bound!r} is not a valid {scheme.name} version"
            )
        elif not slot.valid or bad_bound is not None:
            # Listed exactly but not rangeable: the one-version walk decides (rare).
            verdict = evaluate(entry, slot.version, scheme)
            if verdict.affected:
                _hit(slot, vid, list(verdict.fixed), entry.name)
        else:
            releases.add(slot.release)
    for release in releases:
        _sweep(package, release, vid, entry, scheme, ranges)


def _sweep(
    package: _Package,
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
        _hit(slots[i], vid, fixed, name)


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


def _hit(slot: _Slot, vid: str, fixed: Sequence[str], record_name: str) -> None:
    hits = slot.hits
    if hits is None:
        hits = slot.hits = {}
    previous = hits.get(vid)
    if previous is None:
        hits[vid] = tuple(fixed)
    else:  # a second affected entry of the same record for this package
        hits[vid] = previous + tuple(fixed)
    slot.record_name = record_name
