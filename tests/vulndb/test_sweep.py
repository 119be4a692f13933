"""The many-versions evaluation (bisection over sorted versions) decides exactly like the
one-version walk of osv-schema's "Evaluation" pseudo-code, for any events and any versions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crakit.vulndb.ranges import evaluate, prepare
from crakit.vulndb.records import AffectedEntry, Range
from crakit.vulndb.sweep import range_spans
from crakit.vulndb.versions import PYPI, SEMVER, VersionScheme

_PARTS = st.integers(min_value=0, max_value=4)
_SEMVER = st.builds(lambda a, b, c: f"{a}.{b}.{c}", _PARTS, _PARTS, _PARTS) | st.builds(
    lambda a, b: f"{a}.{b}.0-rc.{b}", _PARTS, _PARTS
)
_PEP440 = st.builds(lambda a, b: f"{a}.{b}", _PARTS, _PARTS) | st.sampled_from(
    ["1.0a1", "1.0.dev0", "1.0.post1", "1.0+local", "2!0.1", "1.0.0", "0"]
)
_KINDS = st.sampled_from(["introduced", "fixed", "last_affected", "limit"])


def _check(scheme: VersionScheme, events: list[tuple[str, str]], versions: list[str]) -> None:
    ecosystem = "PyPI" if scheme is PYPI else "npm"
    entry = AffectedEntry(ecosystem, "pkg", (Range("ECOSYSTEM", tuple(events)),), ())
    prepared = prepare(entry)
    rng = prepared.ranges[0]
    keyed = sorted(((scheme.key(v), v) for v in set(versions)), key=lambda p: p[0])
    keys = [k for k, _ in keyed]
    spans = range_spans(rng.events, scheme, keys)
    swept = {keyed[i][1] for start, end in spans for i in range(start, end)}
    walked = {v for _, v in keyed if evaluate(prepared, v, scheme).affected}
    assert swept == walked, (events, sorted(walked ^ swept))


_EVENT = st.tuples(_KINDS, _SEMVER) | st.just(("introduced", "0")) | st.just(("limit", "*"))


@settings(max_examples=400, deadline=None)
@given(st.lists(_EVENT, min_size=1, max_size=7), st.lists(_SEMVER, min_size=1, max_size=12))
def test_sweep_equals_walk_semver(events: list[tuple[str, str]], versions: list[str]) -> None:
    _check(SEMVER, events, versions)


_PY_EVENT = st.tuples(_KINDS, _PEP440) | st.just(("introduced", "0")) | st.just(("limit", "*"))


@settings(max_examples=400, deadline=None)
@given(st.lists(_PY_EVENT, min_size=1, max_size=7), st.lists(_PEP440, min_size=1, max_size=12))
def test_sweep_equals_walk_pep440(events: list[tuple[str, str]], versions: list[str]) -> None:
    # Equal versions spelt differently (1.0 and 1.0.0) and ties between event kinds included.
    _check(PYPI, events, versions)
