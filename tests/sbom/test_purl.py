"""The purl-spec test suite (tests/types/*.json): every "required" case passes."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crakit.sbom.purl import (
    PurlError,
    _decode_full,
    _finish,
    build_purl,
    canonical_purl,
    decode_purl,
    parse_purl,
    with_version,
)
from tests.sbom.oracle import SHARED_DATA

TYPES = SHARED_DATA / "purl-spec" / "tests" / "types"


def _cases(group: str) -> list[dict[str, Any]]:
    if not TYPES.is_dir():
        return []
    out = []
    for path in sorted(TYPES.glob("*.json")):
        for case in json.loads(path.read_text())["tests"]:
            if case["test_group"] == group:
                out.append(case)
    return out


def run_case(case: dict[str, Any]) -> bool:
    """True when crakit's behaviour matches the case's expectation."""
    kind, given, want = case["test_type"], case["input"], case.get("expected_output")
    try:
        if kind == "parse":
            p = parse_purl(given)
            got: Any = {
                "type": p.type,
                "namespace": p.namespace,
                "name": p.name,
                "version": p.version,
                "qualifiers": dict(p.qualifiers) or None,
                "subpath": p.subpath,
            }
        elif kind == "build":
            got = build_purl(
                given["type"],
                given["name"],
                namespace=given["namespace"],
                version=given["version"],
                qualifiers=given["qualifiers"],
                subpath=given["subpath"],
            )
        else:  # validate: the canonical form of the input
            got = canonical_purl(given)
    except PurlError:
        return bool(case.get("expected_failure"))
    return not case.get("expected_failure") and got == want


REQUIRED = _cases("required")
# The suite contradicts itself: maven parses "repositorY_url" (required, must succeed) while gem's
# "Platform" key must fail. crakit follows ECMA-427's "keys are case-insensitive, canonical lower case".
CONTRADICTORY = {"pkg:gem/jruby-launcher@1.1.2?Platform=java"}


def _param(case: dict[str, Any]) -> Any:
    marks = ()
    if case["test_type"] == "parse" and case["input"] in CONTRADICTORY:
        marks = (
            pytest.mark.xfail(
                strict=True, reason="contradicts the maven case with an upper-case qualifier key"
            ),
        )
    return pytest.param(case, marks=marks, id=f"{case['test_type']}:{str(case['input'])[:70]}")


@pytest.mark.corpus
@pytest.mark.parametrize("case", [_param(c) for c in REQUIRED])
def test_required_case(case: dict[str, Any], shared_data: Path) -> None:
    assert run_case(case), case["description"]


@pytest.mark.corpus
def test_suite_present_and_recommended_count(shared_data: Path) -> None:
    assert len(REQUIRED) > 300
    recommended = _cases("recommended")
    failing = {(c["test_type"], c["input"]) for c in recommended if not run_case(c)}
    # Known and explained: the git type's names are case-sensitive, the case expects them lower-cased.
    known = {("validate", "pkg:git/github/Package-url/purl-Spec@244fd47e07d1004f0aed9c")}
    assert failing <= known, sorted(failing - known)


# --- one parser, two speeds: the plain-purl fast path must decode exactly like the full path ---

_SEGMENT = st.text(alphabet=string.ascii_letters + string.digits + "._-", min_size=1, max_size=12)


@settings(max_examples=300)
@given(
    st.sampled_from(["pypi", "npm", "golang", "maven", "cargo", "deb", "generic", "nuget"]),
    st.lists(_SEGMENT, min_size=0, max_size=3),
    _SEGMENT,
    st.none() | _SEGMENT,
)
def test_fast_path_decodes_like_the_full_parser(
    ptype: str, namespace: list[str], name: str, version: str | None
) -> None:
    text = f"pkg:{ptype}/" + "".join(f"{s}/" for s in namespace) + name + (f"@{version}" if version else "")
    fast = decode_purl(text)
    full = _decode_full(text, False)
    assert fast == full
    try:
        assert parse_purl(text) == _finish(full.type, full.namespace, full.name, full.version, {}, None)
    except PurlError:
        with pytest.raises(PurlError):
            _finish(full.type, full.namespace, full.name, full.version, {}, None)


def test_scanner_decoding_keeps_what_the_sbom_wrote() -> None:
    # npm names are case-sensitive (npm type definition); Go's stdlib has no namespace.
    assert decode_purl("pkg:npm/JSONStream@1.0.0").name == "JSONStream"
    assert parse_purl("pkg:npm/JSONStream@1.0.0").name == "JSONStream"
    assert decode_purl("pkg:golang/stdlib@1.21.3").name == "stdlib"
    assert decode_purl("pkg:pypi/limnoria@2013-09-11T19-27-10").version == "2013-09-11T19-27-10"
    assert decode_purl("pkg:npm/@babel/core@7.0.0").namespace == "@babel"


# --- a component's version completes a purl that names none (the scanner's identity) ---

_WRITTEN = st.sampled_from(
    [
        "pkg:pypi/Django",
        "pkg:npm/@babel/core",
        "pkg:npm/%40babel/core",
        "pkg:deb/debian/curl?arch=amd64&distro=debian-12",
        "pkg:maven/org.demo/lib?type=jar#sub/dir",
        "pkg:golang/stdlib",
        "pkg:pypi/django/",
        "pkg:pypi/django@",
        "PKG:PyPI/django",
        "pkg:generic/a%2Fb",
    ]
)


@settings(max_examples=300)
@given(_WRITTEN, st.text(min_size=1, max_size=20).filter(lambda v: "\x00" not in v and v.strip() == v))
def test_a_completed_purl_reads_back_as_the_package_at_that_version(written: str, version: str) -> None:
    completed = with_version(written, version)
    before, after = decode_purl(written), decode_purl(completed)
    assert (after.type.lower(), after.namespace, after.name) == (
        before.type.lower(),
        before.namespace,
        before.name,
    )
    assert (
        after.version == version and after.qualifiers == before.qualifiers and after.subpath == before.subpath
    )
    assert with_version(completed, "9.9") == completed  # a purl with a version keeps it
