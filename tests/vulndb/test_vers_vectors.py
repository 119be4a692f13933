"""``crakit.vulndb.vers`` against EVERY vers-spec test file (and univers's older copies).

Each case is its own test; ``test_vers_vector_counts`` prints pass counts per file and per
test_group (run with ``-s``). Files are found by globbing, so a file added to the corpus runs too.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crakit.vulndb import vers as VS
from crakit.vulndb.vers_native import compare, ordering
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.corpus

FOLDERS = ("vers-spec/tests", "univers/tests/data/schema")


def _files(root: Path) -> list[Path]:
    out: list[Path] = []
    for folder in FOLDERS:
        out.extend(sorted((root / folder).glob("**/*.json")))
    return out


@cache
def _cases(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    tests = data["tests"] if isinstance(data, dict) else data
    return [t for t in tests if isinstance(t, dict) and "test_type" in t]


def _collect() -> list[Any]:
    if not SHARED_DATA.is_dir():
        return [pytest.param(None, None, id="corpus-absent")]
    params = []
    for path in _files(SHARED_DATA):
        rel = path.relative_to(SHARED_DATA).as_posix()
        for i, case in enumerate(_cases(path)):
            marks = [pytest.mark.xfail(reason=r, strict=True)] if (r := known_contradiction(case)) else []
            params.append(pytest.param(rel, i, id=f"{rel}#{i}", marks=marks))
    return params


def known_contradiction(case: dict[str, Any]) -> str | None:
    """Vectors whose expectation the vers standard itself rules out (checked strictly: they must fail)."""
    inp = case.get("input")
    if case["test_type"] == "from_native" and isinstance(inp, dict) and inp.get("native_range") == "":
        return (
            "expects 'vers:<type>/' with no constraint; clause 5.3.3 makes constraints required and "
            "'How to parse' requires an error for an empty constraints string"
        )
    return None


def _group(case: dict[str, Any]) -> str:
    # univers's copies use the v0.1 names (vers-spec test-schema-changes.md).
    return {"base": "required", "basic": "required", "advanced": "recommended"}.get(
        case["test_group"], case["test_group"]
    )


def _dialect(rel: str) -> str:
    return "gitlab" if "/gitlab/" in rel else "native"


def run_case(case: dict[str, Any], rel: str) -> object:
    """What crakit answers for one vector, in the vector's ``expected_output`` shape."""
    kind, inp = case["test_type"], case["input"]
    if kind == "parse":
        v = VS.parse(inp)
        return {"scheme": v.scheme, "version_constraints": [[c.comparator, c.version] for c in v.constraints]}
    if kind in ("validate", "roundtrip"):
        return VS.validate(inp["vers"] if isinstance(inp, dict) else inp)
    if kind == "containment":
        return VS.contains(inp["vers"], inp["version"])
    if kind == "from_native":
        return str(VS.from_native(inp["scheme"], inp["native_range"], dialect=_dialect(rel)))
    if kind == "build":
        scheme = inp.get("type") or inp.get("scheme") or ""
        return VS.build(
            scheme, [tuple(c) for c in inp.get("constraints") or inp.get("version_constraints") or ()]
        )
    if kind == "comparison":
        key = ordering(inp["input_scheme"])
        if key is None:
            raise VS.VersTypeError(f"no ordering for {inp['input_scheme']!r}")
        got = sorted(inp["versions"], key=key)
        # Versions the type calls equal may come out in either order.
        same = [key(v) for v in got] == [key(v) for v in case["expected_output"]]
        return case["expected_output"] if same else got
    if kind == "equality":
        versions = inp["versions"]
        return all(compare(inp["input_scheme"], versions[0], v) == 0 for v in versions[1:])
    raise NotImplementedError(f"test type {kind!r} (invert, merge) is not implemented")


def outcome(case: dict[str, Any], rel: str) -> tuple[bool, str]:
    """(passed, explanation)."""
    try:
        got = run_case(case, rel)
    except VS.VersError as exc:
        if not case.get("expected_failure"):
            return False, f"unexpected error: {exc}"
        want = case.get("expected_message") or case.get("expected_failure_reason")
        # The vers-spec messages are kept word for word where crakit reports the same fault.
        return (not want or str(exc) == want), f"error {exc!r}, expected {want!r}"
    if case.get("expected_failure"):
        return False, f"accepted, returned {got!r}; expected failure {case.get('expected_message')!r}"
    return got == case["expected_output"], f"got {got!r}, expected {case['expected_output']!r}"


@pytest.mark.parametrize(("rel", "index"), _collect())
def test_vers_vector(shared_data: Path, rel: str | None, index: int | None) -> None:
    assert rel is not None and index is not None
    case = _cases(shared_data / rel)[index]
    ok, why = outcome(case, rel)
    assert ok, f"{case.get('description')}: input {case['input']!r}: {why}"


def test_vers_vector_counts(shared_data: Path) -> None:
    """Per file and test_group: every required case passes; recommended ones fail only where
    ``known_contradiction`` names the clause they contradict."""
    files = _files(shared_data)
    assert any(p.parent.name == "tests" and p.parts[-3] == "vers-spec" for p in files), "no vers-spec tests"
    unexpected: list[str] = []
    for path in files:
        rel = path.relative_to(shared_data).as_posix()
        counts: Counter[tuple[str, bool]] = Counter()
        for case in _cases(path):
            ok, why = outcome(case, rel)
            counts[(_group(case), ok)] += 1
            if not ok and known_contradiction(case) is None:
                unexpected.append(f"{rel}: {case['input']!r}: {why}")
        parts = [
            f"{group} {counts[(group, True)]}/{counts[(group, True)] + counts[(group, False)]}"
            for group in ("required", "recommended")
            if counts[(group, True)] + counts[(group, False)]
        ]
        print(f"\n{rel}: " + ", ".join(parts))
    assert unexpected == [], unexpected[:10]


# --- Rules of the vers standard the corpus files do not exercise (written from the spec text) ---


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("vers:pypi/1.0|1.0.0", "occurs twice"),  # PEP 440 calls these equal: one version, twice
        ("vers:npm/>=1.0.0|>=2.0.0", "alternate"),  # clause 5.4: '>' / '<' must alternate
        ("vers:npm/1.0.0|<2.0.0", "equality"),  # '=' followed only by '=', '>' or '>='
        ("vers:npm/=1.0.0", "'=' is not a comparator"),
        ("vers:npm/*|1.0.0", "only constraint"),
        ("VERS:npm/1.0.0", "must start with 'vers:'"),
        ("vers:NPM/1.0.0", "invalid type"),
        ("vers:1npm/1.0.0", "invalid type"),
        ("vers:npm/", "constraints are empty"),
        ("vers:npm/>=", "empty version"),
        ("vers:all/1.0", "only valid form"),
        ("vers:npm/1.0\t", "whitespace"),
        ("vers:npm/1.0%FF", "invalid percent-encoding"),  # not UTF-8
    ],
)
def test_parse_rejects_non_canonical(text: str, fault: str) -> None:
    with pytest.raises(VS.VersError, match=fault):
        VS.parse(text)


@pytest.mark.parametrize(
    "text", ["vers:datetime/2024-01-01", "vers:openssl/not-a-version", "vers:alpm/>=1.0|<"]
)
def test_parse_rejects_versions_the_type_cannot_order(text: str) -> None:
    with pytest.raises(VS.VersError):
        VS.parse(text)


def test_parse_accepts_canonical_forms() -> None:
    assert VS.parse("vers:deb/*").constraints == (VS.Constraint("*", ""),)
    assert VS.parse("vers:all/*").scheme == "all"
    v = VS.parse("vers:gem/>=2.2.0|!=2.2.1|<2.3.0")  # clause 5.1's own example
    assert [c.comparator for c in v.constraints] == [">=", "!=", "<"]
    assert VS.parse("vers:npm/1.2.3|>=2.0.0|<5.0.0").constraints[0] == VS.Constraint("=", "1.2.3")
    # A type crakit has no ordering for is still valid syntax (clause 5.3.2: unregistered types).
    assert VS.parse("vers:acme-scheme/2|1").scheme == "acme-scheme"


def test_percent_encoding_round_trips() -> None:
    v = VS.Vers("lexicographic", (VS.Constraint("=", "1.0|2*"), VS.Constraint(">", "é")))
    text = VS.canonical(v)
    assert text == "vers:lexicographic/1.0%7C2%2A|>%C3%A9"
    assert VS.parse(text) == v
    # validate repairs what a canonicaliser can: case of scheme/type and of hex digits, order.
    assert VS.validate("VERS:NPM/2.0.0|1.0%7c2") == "vers:npm/1.0%7C2|2.0.0"


@pytest.mark.parametrize(
    ("vers", "version", "inside"),
    [
        ("vers:maven/1.0.0", "1.0", True),  # Maven: 1.0 == 1.0.0
        ("vers:golang/<1.2.0", "v1.1.9", True),  # Go versions carry a 'v'
        ("vers:npm/>=1.0.0|<2.0.0", "2.0.0-rc.1", True),  # SemVer pre-release is below 2.0.0
        ("vers:npm/>=1.0.0|<2.0.0", "2.0.0", False),
        ("vers:deb/>=1:1.0-1", "1.5-1", False),  # no epoch is epoch 0
        ("vers:pypi/!=1.0", "2.0", True),  # only exclusions: every other version
        ("vers:pypi/!=1.0", "1.0.0", False),
        ("vers:pypi/1.0|!=2.0", "3.0", False),
        ("vers:none/*", "1.0", False),
        ("vers:all/*", "1.0", True),
        ("vers:npm/*", "0.0.1", True),
        ("vers:datetime/>=2024-01-01T00:00:00Z|<2024-02-01T00:00:00+01:00", "2024-01-31T22:59:59Z", True),
        ("vers:datetime/>=2024-01-01T00:00:00Z|<2024-02-01T00:00:00+01:00", "2024-01-31T23:30:00Z", False),
        ("vers:intdot/>=1.2|<1.10", "1.09", True),  # leading zeros ignored: 1.09 is 1.9
        ("vers:lexicographic/>a|<b", "az", True),
        ("vers:openssl/>=1.0.1|<1.0.1g", "1.0.1f", True),
    ],
)
def test_contains(vers: str, version: str, inside: bool) -> None:
    assert VS.contains(vers, version) is inside


def test_contains_needs_an_ordering() -> None:
    with pytest.raises(VS.VersTypeError, match="no version ordering"):
        VS.contains("vers:acme-scheme/1.0", "1.0")


def test_general_type_orderings() -> None:
    assert compare("intdot", "1.02", "1.2") == 0 and compare("intdot", "1.2a", "1.2") == 0
    assert compare("intdot", "10.234.5.12", "9.999") == 1
    assert compare("datetime", "2024-01-01T01:00:00+01:00", "2024-01-01T00:00:00Z") == 0
    assert compare("lexicographic", "Z", "a") == -1 and compare("lexicographic", "é", "z") == 1
    with pytest.raises(VS.VersTypeError):
        compare("datetime", "2024-01-01", "2024-01-02")  # a date alone is not an RFC 3339 date-time


@pytest.mark.parametrize(
    ("scheme", "native", "expected"),
    [
        ("npm", "^1.2.3", "vers:npm/>=1.2.3|<2.0.0"),
        ("npm", ">=1.0.0 <1.5.0 || >=2.0.0", "vers:npm/>=1.0.0|<1.5.0|>=2.0.0"),
        ("maven", "[1.0,2.0)", "vers:maven/>=1.0|<2.0"),
        ("gem", ">= 1.0, < 2", "vers:gem/>=1.0|<2"),
    ],
)
def test_from_native(scheme: str, native: str, expected: str) -> None:
    assert str(VS.from_native(scheme, native)) == expected


def test_from_native_errors_are_one_line() -> None:
    with pytest.raises(VS.VersError, match="cannot read cargo range"):
        VS.from_native("cargo", "^1.2")
    with pytest.raises(VS.VersError):
        VS.from_native("no-such-type", "1.0")


def test_long_ranges_are_read_and_overlong_ones_refused() -> None:
    text = "vers:pypi/" + "|".join(f"{i}.0" for i in range(5000))
    assert len(VS.parse(text).constraints) == 5000
    assert VS.contains(text, "4999.0") and not VS.contains(text, "4999.5")
    with pytest.raises(VS.VersError, match="too long"):
        VS.parse("vers:pypi/" + "1" * 70000)
