"""Match SBOM components against the database: one finding per component and vulnerability.

Implements the check behind Annex I Part I(2)(a) (no known exploitable vulnerabilities when placed
on the market) and flags actively exploited ones (CISA KEV), which start the Art 14(1) clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crakit.sbom import Component, Sbom
from crakit.vulndb.ecosystems import PurlError, package_ref
from crakit.vulndb.model import SEVERITY_ORDER, Finding, ScanResult, Severity, Unevaluated, VulnId
from crakit.vulndb.ranges import evaluate, has_only_git, invalid_bound
from crakit.vulndb.records import DECODER, StoredEntry, encoded_contains
from crakit.vulndb.store import VulnDatabase
from crakit.vulndb.versions import scheme_for

# Debian codenames as purl ``distro`` qualifiers may give them; OSV writes release numbers.
_DEBIAN_CODENAMES = {"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14"}
# Which record prefix represents a folded group: the ecosystem's own database first.
_PREFIX_RANK = {"GHSA": 1, "CVE": 2, "OSV": 3}


def _release_matches(entry_ecosystem: str, release: str | None) -> bool:
    _, colon, suffix = entry_ecosystem.partition(":")
    if not colon or release is None:
        return True
    release = _DEBIAN_CODENAMES.get(release, release)
    return suffix == release or suffix.split(":", 1)[0] == release


def _rank(vid: str) -> tuple[int, str]:
    return (_PREFIX_RANK.get(vid.split("-", 1)[0], 0), vid)


class _Fold:
    """Union-find over the records that matched one component, joined through shared aliases."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            grand = self.parent.setdefault(parent, parent)
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _is_cve(vid: str) -> bool:
    return vid.startswith("CVE-")


def scan(sboms: Sequence[Sbom], db: VulnDatabase, vex: Sequence[Path] = ()) -> ScanResult:
    """Scan ``sboms`` against ``db`` and apply the ``vex`` documents (OpenVEX, CycloneDX, CSAF)."""
    components: list[Component] = []
    for sbom in sboms:
        components.extend(sbom.components)
        if sbom.product is not None and sbom.product.purl:
            components.append(sbom.product)
    without_purl = 0
    unsupported: set[str] = set()
    # (ecosystem, name) -> [(component, release, version, PEP 440-valid or not PyPI)]
    wanted: dict[tuple[str, str], list[tuple[Component, str | None, str | None, bool]]] = defaultdict(list)
    seen_purls: set[str] = set()
    for comp in components:
        if not comp.purl:
            without_purl += 1
            continue
        if comp.purl in seen_purls:
            continue  # the same purl twice (or in two SBOMs) is one finding per vulnerability
        seen_purls.add(comp.purl)
        try:
            ref = package_ref(comp.purl)
        except PurlError:
            without_purl += 1
            continue
        if ref is None:
            unsupported.add(comp.purl.split("/", 1)[0].removeprefix("pkg:").lower())
            continue
        version = ref.version or comp.version or None
        # A version the ecosystem's ordering cannot parse cannot be placed in ranges (only an exact
        # listing can match it); it is reported as not evaluated, never as clean.
        valid = version is None or scheme_for(ref.ecosystem).accepts(version)
        wanted[(ref.ecosystem, ref.name)].append((comp, ref.release, version, valid))
        if ref.source is not None:
            wanted[(ref.ecosystem, ref.source[0])].append(
                (comp, ref.release, ref.source[1] or version, valid)
            )

    by_eco: dict[str, list[str]] = defaultdict(list)
    for eco, name in wanted:
        by_eco[eco].append(name)

    matches: dict[str, list[tuple[str, StoredEntry]]] = defaultdict(list)  # purl -> [(vuln id, entry)]
    unevaluated: list[Unevaluated] = []
    component_of: dict[str, tuple[Component, str, str, str]] = {}
    fixed_by: dict[tuple[str, str], list[str]] = defaultdict(list)
    for eco, names in by_eco.items():
        for name, vid, blob in db.affected_for(eco, names):
            entry = DECODER.decode(blob)
            only_git = has_only_git(entry)
            scheme = scheme_for(entry.ecosystem)
            bad_bound = invalid_bound(entry, scheme)
            for comp, release, version, valid in wanted[(eco, name)]:
                purl = comp.purl or ""
                if release is not None and not _release_matches(entry.ecosystem, release):
                    continue
                if version is None:
                    unevaluated.append(Unevaluated(purl, vid, "component has no version"))
                    continue
                if not valid and not encoded_contains(entry.versions, version):
                    # Ranges cannot place a non-PEP 440 version; only an exact listing can.
                    unevaluated.append(
                        Unevaluated(purl, vid, f"version {version!r} is not a valid {scheme.name} version")
                    )
                    continue
                if only_git:
                    unevaluated.append(Unevaluated(purl, vid, "only GIT (commit) ranges"))
                    continue
                if bad_bound is not None and not encoded_contains(entry.versions, version):
                    unevaluated.append(
                        Unevaluated(
                            purl,
                            vid,
                            f"the advisory's range bound {bad_bound!r} is not a valid {scheme.name} version",
                        )
                    )
                    continue
                verdict = evaluate(entry, version, scheme)
                if verdict.affected:
                    matches[purl].append((vid, entry))
                    component_of[purl] = (comp, version, eco, entry.name)
                    if verdict.fixed:
                        fixed_by[(purl, vid)].extend(verdict.fixed)
    findings = _fold(db, matches, component_of, fixed_by)
    info = db.info()
    covered = {eco for eco, n in info.ecosystems if n}
    per_eco: dict[str, int] = defaultdict(int)
    for (eco, _name), comps in wanted.items():
        per_eco[eco] += len(comps)
    result = ScanResult(
        findings=findings,
        components=len(components),
        components_without_purl=without_purl,
        unsupported=tuple(sorted(unsupported)),
        unevaluated=sorted(unevaluated, key=lambda u: (u.purl, u.id)),
        database=info,
        sboms=tuple(s.source or s.name or "" for s in sboms),
        uncovered=tuple(sorted((eco, n) for eco, n in per_eco.items() if eco not in covered)),
    )
    if vex:
        from crakit.vex import apply_vex

        result = apply_vex(result, vex, [s.product for s in sboms if s.product is not None])
    return result


@dataclass(frozen=True, slots=True)
class _Group:
    """Records folded into one finding, and what they say together."""

    members: tuple[str, ...]
    rep: str
    aliases: tuple[str, ...]
    severity: Severity
    vector: str | None
    score: float | None
    summary: str | None
    kev_hits: tuple[tuple[str, str | None, bool], ...]
    kev_cves: tuple[str, ...] = ()  # the aliases under which KEV lists this flaw


_VulnRow = tuple[str | None, tuple[str, ...], str, str | None, float | None]


def _groups(
    ids: tuple[str, ...],
    name_cache: dict[str, set[str]],
    vulns: dict[str, _VulnRow],
    kev: dict[str, tuple[str, str | None, bool]],
) -> list[_Group]:
    """Union-find over records sharing an id or alias; one group per flaw."""
    buckets: dict[str, list[str]] = defaultdict(list)
    if len(ids) == 1:
        buckets[ids[0]].append(ids[0])
    else:
        fold = _Fold()
        owner: dict[str, str] = {}
        for vid in ids:
            fold.find(vid)
            for name in name_cache[vid]:
                if name in owner:
                    fold.union(vid, owner[name])
                else:
                    owner[name] = vid
        for vid in ids:
            buckets[fold.find(vid)].append(vid)
    out: list[_Group] = []
    for members in buckets.values():
        members.sort(key=_rank)
        rep = members[0]
        names: set[str] = set()
        for vid in members:
            names |= name_cache[vid]
        best_sev: Severity = "unknown"
        vector: str | None = None
        score: float | None = None
        summary: str | None = None
        for vid in members:
            row = vulns.get(vid)
            if row is None:
                continue
            if summary is None and row[0]:
                summary = row[0]
            sev = row[2]
            if SEVERITY_ORDER.get(sev, 0) > SEVERITY_ORDER[best_sev] or (
                sev == best_sev and row[4] is not None and (score is None or row[4] > score)
            ):
                best_sev = sev  # type: ignore[assignment]
                vector, score = row[3], row[4]
        listed = sorted((kev[c], c) for c in names if c in kev)
        kev_hits = tuple(hit for hit, _ in listed)
        out.append(
            _Group(
                tuple(members),
                rep,
                tuple(sorted(names - {rep})),
                best_sev,
                vector,
                score,
                summary,
                kev_hits,
                tuple(c for _, c in listed),
            )
        )
    return out


def _fold(
    db: VulnDatabase,
    matches: dict[str, list[tuple[str, StoredEntry]]],
    component_of: dict[str, tuple[Component, str, str, str]],
    fixed_by: dict[tuple[str, str], list[str]],
) -> list[Finding]:
    """Fold records that describe the same flaw (shared ids/aliases) into one finding each."""
    all_ids = {vid for hits in matches.values() for vid, _ in hits}
    vulns = db.vulns(all_ids)
    pool = set(all_ids)
    for vid in all_ids:
        pool.update(vulns[vid][1] if vid in vulns else ())
    # One step further through the alias graph: records named as aliases (a PYSEC naming a GHSA
    # that names the CVE) and records naming ours as an alias. This is what joins KEV's CVE ids.
    reverse = db.aliased_by(pool)
    extra = db.vulns((pool | {r for rs in reverse.values() for r in rs}) - all_ids)

    closure_cache: dict[str, frozenset[str]] = {}

    def cves_via(name: str) -> frozenset[str]:
        """CVE ids one alias step from ``name`` (memoised: many records share a CVE)."""
        cached = closure_cache.get(name)
        if cached is None:
            linked = set(reverse.get(name, ()))
            if name in extra:
                linked.add(name)
            found = {o for o in linked if _is_cve(o)}
            for other in linked:
                if other in extra:
                    found.update(a for a in extra[other][1] if _is_cve(a))
            cached = closure_cache[name] = frozenset(found)
        return cached

    def names_of(vid: str) -> set[str]:
        """The record's id and aliases, plus CVE ids reachable one alias step away."""
        names = {vid, *(vulns[vid][1] if vid in vulns else ())}
        for name in list(names):
            names |= cves_via(name)
        return names

    name_cache = {vid: names_of(vid) for vid in all_ids}
    kev = db.kev({n for names in name_cache.values() for n in names if _is_cve(n)})

    # Versions of one package usually match the same records: fold each id set once.
    folded: dict[tuple[str, ...], list[_Group]] = {}
    findings: list[Finding] = []
    for purl, hits in matches.items():
        comp, version, eco, pkg_name = component_of[purl]
        scheme = scheme_for(eco)
        ids = tuple(sorted({vid for vid, _ in hits}))
        groups = folded.get(ids)
        if groups is None:
            groups = folded[ids] = _groups(ids, name_cache, vulns, kev)
        for group in groups:
            members = group.members
            fixed_versions: list[str] = []
            for vid in members:
                fixed_versions.extend(fixed_by.get((purl, vid), ()))
            fixed = tuple(sorted(set(fixed_versions), key=scheme.key)) if fixed_versions else ()
            kev_hits = group.kev_hits
            findings.append(
                Finding(
                    purl=purl,
                    id=VulnId(group.rep),
                    aliases=group.aliases,
                    severity=group.severity,
                    cvss_vector=group.vector,
                    cvss_score=group.score,
                    fixed=fixed,
                    exploited=bool(kev_hits),
                    kev_date_added=kev_hits[0][0] if kev_hits else None,
                    status="affected",
                    justification=None,
                    component=comp,
                    summary=group.summary,
                    ecosystem=eco,
                    package=pkg_name,
                    version=version,
                    kev_due_date=kev_hits[0][1] if kev_hits else None,
                    ransomware=any(k[2] for k in kev_hits),
                    kev_cves=group.kev_cves,
                )
            )
    findings.sort(key=lambda f: (-int(f.exploited), -SEVERITY_ORDER[f.severity], f.purl, f.id))
    return findings
