"""Which components a VEX product names (vex/apply.py)."""

from __future__ import annotations

from crakit.sbom import Component
from crakit.vex.apply import matches
from crakit.vex.model import ProductRef


def test_a_purl_without_version_takes_its_components_version() -> None:
    # The scanner checks a versionless purl at the component's version; a VEX statement about
    # that version applies to it, and one about another version does not.
    shipped = Component(ref="b", name="demo-pkg", version="2.1", purl="pkg:pypi/demo-pkg")
    assert matches(ProductRef(purls=("pkg:pypi/demo-pkg@2.1",)), shipped)
    assert matches(ProductRef(purls=("pkg:pypi/Demo_Pkg@v2.1",)), shipped)  # spelling and a "v" aside
    assert not matches(ProductRef(purls=("pkg:pypi/demo-pkg@1.2",)), shipped)
    assert matches(ProductRef(purls=("pkg:pypi/demo-pkg",)), shipped)  # every version
    # A purl's own version wins over the component's.
    pinned = Component(ref="c", name="demo-pkg", version="2.1", purl="pkg:pypi/demo-pkg@1.2")
    assert not matches(ProductRef(purls=("pkg:pypi/demo-pkg@2.1",)), pinned)
    assert matches(ProductRef(purls=("pkg:pypi/demo-pkg@1.2",)), pinned)
    # Neither version known: a versioned statement cannot be said to apply.
    unknown = Component(ref="d", name="demo-pkg", purl="pkg:pypi/demo-pkg")
    assert not matches(ProductRef(purls=("pkg:pypi/demo-pkg@2.1",)), unknown)


def test_a_versionless_go_purl_is_read_as_the_scanner_reads_it() -> None:
    # Go writes the standard library as go1.21.3; OSV and VEX documents say 1.21.3.
    stdlib = Component(ref="go", name="stdlib", version="go1.21.3", purl="pkg:golang/stdlib")
    assert matches(ProductRef(purls=("pkg:golang/stdlib@1.21.3",)), stdlib)
    assert matches(ProductRef(purls=("pkg:golang/stdlib@go1.21.3",)), stdlib)
    assert not matches(ProductRef(purls=("pkg:golang/stdlib@1.21.4",)), stdlib)
