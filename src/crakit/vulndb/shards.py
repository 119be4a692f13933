"""One scan shared among processes: the components split by package, each share matched and
folded in a forked child (:mod:`crakit.forking`), the results merged into exactly what one
process finds.

Why the split is by package: everything the matcher decides per package (its versions placed
on one version line, the index or the per-entry path, the spelling of its name) then happens in
one process, as in a single-process scan. A package's purls are recognised by a spelling-blind
key of the name (case, ``-``, ``_`` and ``.`` ignored, escapes decoded), so two spellings of one
name never land in two shares; two names that share a key only land in the same share.

Why the merge is exact: a share's findings are ordered as the whole scan orders them (exploited
first, then severity, purl and id), and a purl's findings all come from one share; so each
(exploited, severity) run of the shares, concatenated and sorted by purl (a stable sort), is the
whole scan's run. The rest (not evaluated, skipped, unsupported types, per-ecosystem counts) is
merged in the order a single pass would have produced it.

Distribution packages that name a source package (the ``upstream`` qualifier) link two packages
through one purl; a scan with any of them stays in one process.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import attrgetter, itemgetter

import msgspec

from crakit.forking import Forked, usable_workers
from crakit.sbom import Component
from crakit.vulndb.matcher import OsvPass, covered
from crakit.vulndb.model import SEVERITY_ORDER, DatabaseInfo, Finding, Skipped, Unevaluated, Vulnerability
from crakit.vulndb.store import VulnDatabase

Pass = Callable[[list[Component], VulnDatabase, frozenset[str], "Callable[[int, int], None] | None"], OsvPass]


_SLOTS = 1000  # hash buckets the packages are spread over
_FIRST_WEIGHT = 1.07  # the first share's size against an equal share (measured: 100,000 components)


def _key(purl: str) -> str | None:
    """The spelling-blind package key of a purl (its name, lower case, without ``-_.``, escapes
    decoded), or None for a purl naming a source package (which ties two packages together).
    As the purl specification reads it: subpath and qualifiers cut off, then the version after
    the last ``@`` (unless a ``/`` follows it), then the name after the last ``/``."""
    head = purl
    if "?" in purl or "#" in purl:
        if "upstream=" in purl.lower():
            return None
        head = purl.split("#", 1)[0].split("?", 1)[0]
    # Surrounding white space and empty segments are not part of a name (the purl reader drops
    # them): "pkg:pypi/django/ " is django, in django's share.
    head = head.strip().rstrip("/")
    at = head.rfind("@")
    if at >= 0 and head.find("/", at) < 0:
        head = head[:at].rstrip("/")
    name = head[head.rfind("/") + 1 :]
    if "%" in name:
        from urllib.parse import unquote  # rare: most purls have nothing escaped

        name = unquote(name)
    return _blind(name)


def _blind(name: str) -> str:
    # Three replaces, not str.translate: translate looks up every character in Python objects
    # and doubled the cost of the split of a 100,000-component scan.
    return name.lower().replace("-", "").replace("_", "").replace(".", "")


def split(components: Sequence[Component], shares: int) -> list[list[int]] | None:
    """Component indices per share, by package key; components without a purl go to the first
    share. None when the scan should stay in one process."""
    out: list[list[int]] = [[] for _ in range(shares)]
    # The first share (done in this process) is made a little larger than the others: a child
    # also encodes what it found, and this process decodes it after waiting.
    first = min(_SLOTS, round(_SLOTS * _FIRST_WEIGHT / shares))
    place = [0] * first + [1 + n * (shares - 1) // (_SLOTS - first) for n in range(_SLOTS - first)]
    for i, comp in enumerate(components):
        if not comp.purl:
            out[0].append(i)
            continue
        key = _key(comp.purl)
        if key is None:
            return None
        out[place[hash(key) % _SLOTS]].append(i)
    return out


class _Share(msgspec.Struct, array_like=True):
    """A child's :class:`OsvPass` on the wire: each component (by its index in the parent's list),
    vulnerability and fixed-versions list once, and a finding as three numbers."""

    vulnerabilities: list[Vulnerability]
    # (component index, purl, ecosystem, package, version) of each purl with findings
    purls: list[tuple[int, str, str, str, str | None]]
    fixed: list[tuple[str, ...]]
    findings: list[tuple[int, int, int]]  # (purl, vulnerability, fixed), indices into the above
    unevaluated: list[tuple[str, str, str]]
    skipped: list[tuple[int, str, str, str | None, str, str | None]]  # position in the share, entry
    unsupported: list[str]
    counts: dict[str, int]


_DECODER = msgspec.msgpack.Decoder(_Share)


def _encode(found: OsvPass, index_of: dict[int, int]) -> bytes:
    vulnerabilities: dict[int, tuple[int, Vulnerability]] = {}
    purls: dict[str, tuple[int, tuple[int, str, str, str, str | None]]] = {}
    fixed: dict[tuple[str, ...], int] = {}
    rows = []
    for f in found.findings:
        v = vulnerabilities.get(id(f.vulnerability))
        if v is None:
            v = vulnerabilities[id(f.vulnerability)] = (len(vulnerabilities), f.vulnerability)
        p = purls.get(f.purl)
        if p is None:
            p = purls[f.purl] = (
                len(purls),
                (index_of[id(f.component)], f.purl, f.ecosystem, f.package, f.version),
            )
        x = fixed.get(f.fixed)
        if x is None:
            x = fixed[f.fixed] = len(fixed)
        rows.append((p[0], v[0], x))
    return msgspec.msgpack.encode(
        _Share(
            [v for _, v in vulnerabilities.values()],
            [p for _, p in purls.values()],
            list(fixed),
            rows,
            [(u.purl, u.id, u.reason) for u in found.unevaluated],
            [(at, s.ref, s.name, s.purl, s.reason, s.detail) for at, s in found.skipped],
            sorted(found.unsupported),
            found.counts,
        )
    )


def _decode(data: bytes, components: Sequence[Component]) -> OsvPass:
    share = _DECODER.decode(data)
    vs, fixed = share.vulnerabilities, share.fixed
    made = [(components[c], purl, eco, package, version) for c, purl, eco, package, version in share.purls]
    findings: list[Finding] = []
    append = findings.append
    for p, v, x in share.findings:
        component, purl, eco, package, version = made[p]
        append(Finding(component, vs[v], purl, eco, package, version, fixed[x]))
    return OsvPass(
        findings,
        [Unevaluated(*u) for u in share.unevaluated],
        [(at, Skipped(*s)) for at, *s in share.skipped],  # type: ignore[arg-type]
        set(share.unsupported),
        share.counts,
    )


def shared_pass(
    components: list[Component],
    db: VulnDatabase,
    info: DatabaseInfo,
    workers: int,
    osv_pass: Pass,
    progress: Callable[[int, int], None] | None,
) -> OsvPass | None:
    """``osv_pass`` over ``components`` (:data:`~crakit.vulndb.matcher.MIN_SHARED` or more) shared
    among up to ``workers`` processes; None when the scan is better done in one (forking unsafe
    here, or source-package purls)."""
    workers = usable_workers(workers)
    if workers < 2:
        return None
    shares = split(components, workers)
    if shares is None:
        return None
    have = covered(info)

    def child(indices: list[int]) -> Callable[[], bytes]:
        def work() -> bytes:
            own = db.reopen()  # SQLite connections must not cross a fork
            if _fixed(own.info()) != _fixed(info):  # the file was replaced since the parent opened it
                raise RuntimeError("database changed")
            mine = [components[i] for i in indices]
            return _encode(osv_pass(mine, own, have, None), {id(components[i]): i for i in indices})

        return work

    shares = [shares[0], *(indices for indices in shares[1:] if indices)]
    children: list[Forked | None] = []
    try:
        for indices in shares[1:]:
            try:
                children.append(Forked(child(indices)))
            except OSError:  # no process or pipe to be had (limits): this process does the share
                children.append(None)
        passes = [osv_pass([components[i] for i in shares[0]], db, have, progress)]
        for forked, indices in zip(children, shares[1:], strict=True):
            data = None if forked is None else forked.result()
            if data is None:  # the child failed: do its share here (same result, more time)
                passes.append(osv_pass([components[i] for i in indices], db, have, None))
            else:
                passes.append(_decode(data, components))
    finally:
        for forked in children:
            if forked is not None:
                forked.cancel()
    return _merge(passes, shares)


def _fixed(info: DatabaseInfo) -> DatabaseInfo:
    """``info`` without the ages (which move with the clock)."""
    return replace(info, age_days=None, kev_age_days=None)


def _rank(f: Finding) -> tuple[int, int]:
    return (-f.exploited, -SEVERITY_ORDER[f.severity])


_PURL = attrgetter("purl")


def _merge(passes: list[OsvPass], shares: list[list[int]]) -> OsvPass:
    runs: dict[tuple[int, int], list[Finding]] = {}
    for found in passes:  # each share's findings are in rank order: cut them at the rank changes
        shown, start = found.findings, 0
        while start < len(shown):
            rank = _rank(shown[start])
            end = bisect_right(shown, rank, lo=start, key=_rank)
            runs.setdefault(rank, []).extend(shown[start:end])
            start = end
    findings: list[Finding] = []
    for rank in sorted(runs):
        run = runs[rank]
        run.sort(key=_PURL)  # stable: each purl's findings stay in id order
        findings.extend(run)
    # Skipped components back in the order of the whole list: a share's positions are into its
    # own list of component indices.
    skipped = sorted(
        ((indices[at], s) for found, indices in zip(passes, shares, strict=True) for at, s in found.skipped),
        key=itemgetter(0),
    )
    counts: Counter[str] = Counter()
    for found in passes:
        counts.update(found.counts)
    return OsvPass(
        findings,
        [u for found in passes for u in found.unevaluated],
        skipped,
        set().union(*(found.unsupported for found in passes)),
        dict(counts),
    )
