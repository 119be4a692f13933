"""Fold the records that matched a component into one finding per flaw, and join CISA KEV.

OSV records of different databases describe the same flaw (a PYSEC, a GHSA and the CVE name each
other as aliases): they fold into one finding. KEV lists CVE ids, which a record may carry as its
id, as an alias, one alias step away (a PYSEC naming a GHSA that names the CVE), or only as
``related`` (GO-2023-2102 for CVE-2023-44487; PYSEC-2023-183 for the libwebp flaw CVE-2023-4863
bundled in opencv wheels). Each of these makes the finding known exploited (Art 14(1)), and the
finding says which record led there and through which link.
"""

from __future__ import annotations

from collections import defaultdict

from crakit.sbom import Component
from crakit.vulndb.model import (
    SEVERITY_ORDER,
    EuvdListing,
    ExploitLink,
    Finding,
    KevListing,
    Severity,
    Vulnerability,
    VulnId,
)
from crakit.vulndb.store import VulnDatabase
from crakit.vulndb.versions import scheme_for

# Which record represents a folded group: the ecosystem's own database first.
_PREFIX_RANK = {"GHSA": 1, "CVE": 2, "OSV": 3}
_LINK_RANK: dict[ExploitLink, int] = {"id": 0, "alias": 1, "related": 2}
_NONE: frozenset[str] = frozenset()


def _rank(vid: str) -> tuple[int, str]:
    return (_PREFIX_RANK.get(vid.split("-", 1)[0], 0), vid)


def _is_cve(vid: str) -> bool:
    return vid.startswith("CVE-")


class _UnionFind:
    """Union-find over the records that matched one component, joined through shared names."""

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


class _Names:
    """The matched records' rows, with the names and related CVEs the importer derived (links.py)."""

    def __init__(self, db: VulnDatabase, ids: set[str]) -> None:
        self.rows = db.vulns(ids)
        self.names = {vid: row.names or (vid,) for vid, row in self.rows.items()}
        for vid in ids - self.rows.keys():  # not in the database any more: itself only
            self.names[vid] = (vid,)
        self.related = {vid: row.related_cves for vid, row in self.rows.items() if row.related_cves}
        self.hot: frozenset[str] = frozenset()  # the CVEs an exploited list names (set by the caller)


def _single(vid: str, names: _Names) -> Vulnerability:
    """:func:`_vulnerability` of one record that no exploited list names (the same decisions,
    without the folding)."""
    own = names.names[vid]
    aliases = () if len(own) == 1 and own[0] == vid else tuple(sorted(set(own) - {vid}))
    row = names.rows.get(vid)
    if row is None:
        return Vulnerability(VulnId(vid), aliases, "unknown", None, None, None)
    sev = row.severity
    if SEVERITY_ORDER.get(sev, 0) > 0 or (sev == "unknown" and row.cvss_score is not None):
        return Vulnerability(
            VulnId(vid),
            aliases,
            sev,  # type: ignore[arg-type]
            row.cvss_vector,
            row.cvss_score,
            row.summary or None,
        )
    return Vulnerability(VulnId(vid), aliases, "unknown", None, None, row.summary or None)


def _vulnerability(
    members: list[str],
    names: _Names,
    kev: dict[str, tuple[str, str | None, bool]],
    euvd: dict[str, tuple[str | None, str | None]] | None = None,
) -> Vulnerability:
    if len(members) > 1:
        members.sort(key=_rank)
    rep = members[0]
    hot = names.hot
    exploited = bool(hot) and any(
        not hot.isdisjoint(names.names[vid]) or vid in names.related for vid in members
    )
    if len(members) == 1 and not exploited:  # most groups: one record, on no exploited list
        return _single(rep, names)
    all_names: set[str] = set()
    for vid in members:
        all_names.update(names.names[vid])
    best: Severity = "unknown"
    vector: str | None = None
    score: float | None = None
    summary: str | None = None
    for vid in members:
        row = names.rows.get(vid)
        if row is None:
            continue
        if summary is None and row.summary:
            summary = row.summary
        sev = row.severity
        if SEVERITY_ORDER.get(sev, 0) > SEVERITY_ORDER[best] or (
            sev == best and row.cvss_score is not None and (score is None or row.cvss_score > score)
        ):
            best = sev  # type: ignore[assignment]
            vector, score = row.cvss_vector, row.cvss_score
    reached: dict[str, tuple[str, ExploitLink]] = {}
    on_euvd: dict[str, tuple[str, ExploitLink]] = {}

    def reach(cve: str, via: str, link: ExploitLink) -> None:
        if cve in kev and (cve not in reached or _LINK_RANK[link] < _LINK_RANK[reached[cve][1]]):
            reached[cve] = (via, link)
        if euvd and cve in euvd and (cve not in on_euvd or _LINK_RANK[link] < _LINK_RANK[on_euvd[cve][1]]):
            on_euvd[cve] = (via, link)

    for vid in members:
        for name in names.names[vid]:
            if _is_cve(name):
                reach(name, vid, "id" if name == vid else "alias")
        for cve, source in names.related.get(vid, ()):
            reach(cve, source, "related")
    listings = sorted(
        (
            KevListing(cve, kev[cve][0], kev[cve][1], kev[cve][2], via, link)
            for cve, (via, link) in reached.items()
        ),
        key=lambda k: (k.date_added or "", k.due_date or "", k.ransomware, k.cve),
    )
    euvd_listings = (
        tuple(
            sorted(
                (
                    EuvdListing(cve, euvd[cve][0], euvd[cve][1], via, link)
                    for cve, (via, link) in on_euvd.items()
                ),
                key=lambda e: (e.date or "", e.cve),
            )
        )
        if euvd
        else ()
    )
    return Vulnerability(
        VulnId(rep),
        tuple(sorted(all_names - {rep})),
        best,
        vector,
        score,
        summary,
        tuple(listings),
        euvd_listings,
    )


def _groups(
    ids: tuple[str, ...],
    names: _Names,
    kev: dict[str, tuple[str, str | None, bool]],
    made: dict[tuple[str, ...], Vulnerability],
    euvd: dict[str, tuple[str | None, str | None]] | None = None,
) -> list[tuple[Vulnerability, tuple[str, ...]]]:
    """Records sharing an id or alias, as one vulnerability each (with the records folded).
    ``made`` keeps the vulnerability of every group of records already seen in this scan."""
    own = [names.names[vid] for vid in ids]
    if len(ids) == 1 or len(set().union(*own)) == sum(map(len, own)):
        # No name shared between any two records (counted in C): each is a group of its own.
        groups: list[list[str]] = [[vid] for vid in ids]
    else:
        union = _UnionFind()
        owner: dict[str, str] = {}
        for vid in ids:
            union.find(vid)
            for name in names.names[vid]:
                if name in owner:
                    union.union(vid, owner[name])
                else:
                    owner[name] = vid
        buckets: dict[str, list[str]] = defaultdict(list)
        for vid in ids:
            buckets[union.find(vid)].append(vid)
        groups = list(buckets.values())
    out: list[tuple[Vulnerability, tuple[str, ...]]] = []
    for members in groups:
        key = tuple(members)
        vulnerability = made.get(key)
        if vulnerability is None:
            vulnerability = made[key] = _vulnerability(members, names, kev, euvd)
        out.append((vulnerability, key))
    return out


def fold_findings(
    db: VulnDatabase,
    matches: dict[str, dict[str, tuple[str, ...]]],
    where: dict[str, tuple[str, str, str | None]],
    component_of: dict[str, Component],
) -> list[Finding]:
    """``matches``: purl -> matched record id -> fixed versions its ranges name;
    ``where``: purl -> (ecosystem, the record's package name, version matched)."""
    ids = {vid for hits in matches.values() for vid in hits}
    names = _Names(db, ids)
    cves = {n for ns in names.names.values() for n in ns if n.startswith("CVE-")} | {
        cve for pairs in names.related.values() for cve, _ in pairs
    }
    kev = db.kev(cves)
    euvd = db.euvd(cves)
    names.hot = frozenset(kev) | frozenset(euvd)
    made: dict[tuple[str, ...], Vulnerability] = {}
    # Findings come out exploited first, then by severity, purl and id. Filling one list per
    # (exploited, severity) in purl order, each purl's vulnerabilities in id order, gives that
    # order without sorting every finding (a findings-dense scan has hundreds of thousands).
    buckets: dict[tuple[int, int], list[Finding]] = {}
    # Versions of one package usually match the same records: each set of record ids is folded
    # once, into its vulnerabilities in id order with the list each one's findings go to.
    skeletons: dict[tuple[str, ...], list[tuple[list[Finding], Vulnerability, tuple[str, ...]]]] = {}
    fixed_orders: dict[str, dict[tuple[str, ...], tuple[str, ...]]] = {}  # ecosystem -> raw -> sorted
    for purl in sorted(matches):
        hits = matches[purl]
        eco, package, version = where[purl]
        matched = tuple(sorted(hits)) if len(hits) > 1 else tuple(hits)
        skeleton = skeletons.get(matched)
        if skeleton is None:
            skeleton = skeletons[matched] = []
            for vulnerability, members in sorted(
                _groups(matched, names, kev, made, euvd), key=lambda g: g[0].id
            ):
                rank = (-vulnerability.exploited, -SEVERITY_ORDER[vulnerability.severity])
                bucket = buckets.get(rank)
                if bucket is None:
                    bucket = buckets[rank] = []
                skeleton.append((bucket, vulnerability, members))
        ordered = fixed_orders.get(eco)
        if ordered is None:
            ordered = fixed_orders[eco] = {}
        component = component_of[purl]
        for bucket, vulnerability, members in skeleton:
            raw = hits[members[0]] if len(members) == 1 else tuple(v for m in members for v in hits[m])
            fixed = ordered.get(raw)
            if fixed is None:
                order = scheme_for(eco).key
                # Spellings equal by the ordering (1 and 1.0.0) keep one order from run to run.
                fixed = ordered[raw] = tuple(sorted(set(raw), key=lambda v: (order(v), v)))
            bucket.append(Finding(component, vulnerability, purl, eco, package, version, fixed))
    return [finding for rank in sorted(buckets) for finding in buckets[rank]]
