"""Which SBOM component an Art 13(6) upstream report is about (documents/upstream_report.py)."""

from __future__ import annotations

import pytest

from crakit.documents.upstream_report import _matches
from crakit.sbom import Component

CURL = Component(
    ref="c", name="curl", version="7.88.1-10+deb12u4", purl="pkg:deb/debian/curl?arch=amd64&distro=debian-12"
)
BABEL = Component(ref="b", name="@babel/core", version="7.0.0", purl="pkg:npm/@babel/core")


@pytest.mark.parametrize(
    ("component", "wanted", "found"),
    [
        (CURL, "pkg:deb/debian/curl?arch=amd64&distro=debian-12", True),  # as the SBOM writes it
        (
            CURL,
            "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4?arch=amd64&distro=debian-12",
            True,
        ),  # as scan reports it
        (CURL, "pkg:deb/debian/curl@7.88.1-10+deb12u4", True),  # the version spelled raw
        (CURL, "pkg:deb/debian/curl", True),  # the package, any version
        (CURL, "pkg:deb/debian/curl@7.88.1-10+deb12u5", False),  # another version
        (CURL, "pkg:deb/debian/libcurl4@7.88.1-10+deb12u4", False),
        (CURL, "curl", True),  # by name
        (BABEL, "pkg:npm/@babel/core", True),
        (BABEL, "pkg:npm/%40babel/core@7.0.0", True),
        (BABEL, "pkg:npm/@babel/core@8.0.0", False),
        (BABEL, "pkg:npm/@babel/cli", False),
    ],
)
def test_the_component_is_found_by_its_purl_as_written_or_as_reported(
    component: Component, wanted: str, found: bool
) -> None:
    assert _matches(component, wanted) is found
