"""What the SBOMs ask about: each package, its distinct versions, and who ships each one.

Components that share (ecosystem, package, distribution release, version) share one evaluation:
a :class:`Slot` per distinct version, its verdicts fanned back out to every component's purl.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter

from crakit.sbom import Component, PurlError, plain_parts, with_version
from crakit.vulndb.ecosystems import plain_package, read_package_ref
from crakit.vulndb.model import Skipped
from crakit.vulndb.versions import VersionScheme, scheme_for


class Slot:
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
        if (vid, reason) not in self.unevaluated:  # two entries of one record, one reason: one row
            self.unevaluated.append((vid, reason))


class Package:
    """One package of the SBOMs: its distinct versions. A plain class (one per distinct package of
    a scan) whose orderings are made only for the packages that need them."""

    __slots__ = ("ecosystem", "orders", "plain", "slots")

    def __init__(self, ecosystem: str) -> None:
        self.ecosystem = ecosystem
        self.slots: dict[tuple[str | None, str | None], Slot] = {}
        self.plain = True  # every slot has a valid version and no distribution release
        # The rangeable slots of one release sorted by one ordering, with their keys (on first use).
        self.orders: dict[tuple[str | None, str], tuple[list[Slot], list[object]]] | None = None

    def slot(self, version: str | None, release: str | None, valid: bool) -> Slot:
        slot = self.slots.get((version, release))
        if slot is None:
            slot = self.slots[(version, release)] = Slot(version, release, valid)
            if release is not None or not valid:
                self.plain = False
        return slot

    def order(self, release: str | None, scheme: VersionScheme) -> tuple[list[Slot], list[object]]:
        """The valid slots of one release, sorted by ``scheme``, with their keys."""
        if self.orders is None:
            self.orders = {}
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


def _unsupported(at: int, comp: Component, unsupported: set[str], skipped: list[tuple[int, Skipped]]) -> None:
    purl = comp.purl or ""  # as the SBOM wrote it
    ptype = purl.split("/", 1)[0].removeprefix("pkg:").lower()
    unsupported.add(ptype)
    skipped.append((at, Skipped(comp.ref, comp.name, purl, "unsupported purl type", ptype)))


def _valid(ecosystem: str, version: str | None) -> bool:
    """Can the ecosystem's ordering place ``version``? One that it cannot is placed in no range
    (only an exact listing can match it): reported as not evaluated, never as clean."""
    return version is not None and scheme_for(ecosystem).accepts(version)


def inventory(
    components: list[Component],
) -> tuple[dict[tuple[str, str], Package], dict[str, Component], list[tuple[int, Skipped]], set[str]]:
    """Every component's package and version: (ecosystem, name) -> its distinct versions, purl ->
    the component that first named it, the components that cannot be checked (with their
    position in ``components``), and the purl types with no OSV ecosystem.

    A purl without a version is completed with the component's own (``with_version``): that is
    the package version the component ships, and its identity. Components sharing a versionless
    purl but not a version are different package versions, each checked and reported under its
    own completed purl; the version is read from the completed purl as from any other (a Go
    ``go1.21.3``, an RPM ``epoch`` qualifier)."""
    skipped: list[tuple[int, Skipped]] = []
    unsupported: set[str] = set()
    packages: dict[tuple[str, str], Package] = {}
    component_of: dict[str, Component] = {}
    # The package of a plain purl (type/namespace/name@version, nothing to decode) depends only
    # on its type, namespace and name: looked up once for all the versions an SBOM lists.
    resolved: dict[tuple[str, str, str], tuple[str, str] | None] = {}
    accepts_of: dict[str, Callable[[str], bool]] = {}  # ecosystem -> its ordering's validity test
    for at, comp in enumerate(components):
        purl = comp.purl
        if not purl:
            skipped.append((at, Skipped(comp.ref, comp.name, None, "no purl")))
            continue
        if "\x00" in purl:  # no URI holds a raw NUL (RFC 3986)
            skipped.append(
                (at, Skipped(comp.ref, comp.name, purl, "invalid purl", "a NUL character in the purl"))
            )
            continue
        parts = plain_parts(purl)
        if parts is not None and parts[3] is None and comp.version:
            purl = with_version(purl, comp.version)
            parts = plain_parts(purl)
        # The same package version twice (or in two SBOMs): one finding per flaw. A purl the fast
        # path cannot read is compared once completed (below): a versionless spelling of it
        # seen without a version must not hide it.
        if parts is not None and purl in component_of:
            continue
        if parts is not None and parts[0] != "golang":  # Go rewrites some versions (go1.21.3)
            base = (parts[0], parts[1], parts[2])
            if base in resolved:
                place = resolved[base]
            else:
                place = resolved[base] = plain_package(*base)
            component_of[purl] = comp
            if place is None:
                _unsupported(at, comp, unsupported, skipped)
                continue
            eco, name = place
            version = parts[3]
            release: str | None = None
            source: tuple[str, str | None] | None = None  # only qualifiers name a source package
        else:
            try:
                ref = read_package_ref(purl)
                if ref is not None and ref.version is None and comp.version:
                    purl = with_version(purl, comp.version)
                    ref = read_package_ref(purl)
            except PurlError as exc:
                skipped.append((at, Skipped(comp.ref, comp.name, comp.purl, "invalid purl", exc.message)))
                continue
            if purl in component_of:
                continue
            component_of[purl] = comp
            if ref is None:
                _unsupported(at, comp, unsupported, skipped)
                continue
            eco, name, release, source = ref.ecosystem, ref.name, ref.release, ref.source
            version = ref.version  # completed above when the purl names none
        package = packages.get((eco, name))
        if package is None:
            package = packages[(eco, name)] = Package(eco)
        slot = package.slots.get((version, release))
        if slot is None:
            accepts = accepts_of.get(eco)
            if accepts is None:
                accepts = accepts_of[eco] = scheme_for(eco).accepts
            valid = version is not None and accepts(version)  # as _valid decides
            slot = package.slots[(version, release)] = Slot(version, release, valid)
            if release is not None or not valid:
                package.plain = False
        slot.purls.append(purl)
        if source is not None:  # a distribution binary package is also checked as its source
            package = packages.get((eco, source[0]))
            if package is None:
                package = packages[(eco, source[0])] = Package(eco)
            source_version = source[1] or version
            package.slot(source_version, release, _valid(eco, source_version)).purls.append(purl)
    return packages, component_of, skipped, unsupported


def hit(slot: Slot, vid: str, fixed: Sequence[str], record_name: str) -> None:
    hits = slot.hits
    if hits is None:
        hits = slot.hits = {}
    previous = hits.get(vid)
    if previous is None:
        hits[vid] = tuple(fixed)
    else:  # a second affected entry of the same record for this package
        hits[vid] = previous + tuple(fixed)
    slot.record_name = record_name
