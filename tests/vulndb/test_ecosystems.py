"""purl -> OSV ecosystem mapping with each ecosystem's name normalisation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crakit.sbom import PurlError, plain_parts
from crakit.vulndb.ecosystems import PackageRef, normalise_name, package_ref, plain_package, read_package_ref


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        ("pkg:pypi/Django_Rest.Framework@3.0", PackageRef("PyPI", "django-rest-framework", "3.0", None)),
        ("pkg:npm/%40babel/core@7.0.0", PackageRef("npm", "@babel/core", "7.0.0", None)),
        # npm names are case-sensitive (purl-spec npm definition): JSONStream is not jsonstream.
        ("pkg:npm/JSONStream@1.3.5", PackageRef("npm", "JSONStream", "1.3.5", None)),
        (
            "pkg:golang/github.com/Foo/bar/v2@v2.1.0",
            PackageRef("Go", "github.com/Foo/bar/v2", "v2.1.0", None),
        ),
        ("pkg:golang/stdlib@1.20.1", PackageRef("Go", "stdlib", "1.20.1", None)),
        ("pkg:golang/stdlib@go1.21.3", PackageRef("Go", "stdlib", "1.21.3", None)),
        ("pkg:cargo/My_Crate@0.5.3", PackageRef("crates.io", "my-crate", "0.5.3", None)),
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
            PackageRef("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", None),
        ),
        ("pkg:gem/Rails@7.0.0", PackageRef("RubyGems", "Rails", "7.0.0", None)),
        ("pkg:nuget/Newtonsoft.Json@12.0.1", PackageRef("NuGet", "newtonsoft.json", "12.0.1", None)),
        (
            "pkg:composer/Laravel/Framework@v9.0.0",
            PackageRef("Packagist", "laravel/framework", "v9.0.0", None),
        ),
        ("pkg:hex/Plug@1.0.0", PackageRef("Hex", "plug", "1.0.0", None)),
        ("pkg:pub/http@0.13.0", PackageRef("Pub", "http", "0.13.0", None)),
        (
            "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12",
            PackageRef("Debian", "openssl", "3.0.11-1~deb12u1", "12"),
        ),
        (
            "pkg:apk/alpine/busybox@1.36.1-r0?distro=alpine-3.18.4",
            PackageRef("Alpine", "busybox", "1.36.1-r0", "v3.18"),
        ),
        (
            "pkg:rpm/redhat/openssl@3.0.7-1.el9?epoch=1",
            PackageRef("Red Hat", "openssl", "1:3.0.7-1.el9", None),
        ),
        ("pkg:pypi/requests", PackageRef("PyPI", "requests", None, None)),
    ],
)
def test_purl_to_package(purl: str, expected: PackageRef) -> None:
    assert package_ref(purl) == expected


def test_unsupported_types_map_to_nothing() -> None:
    assert package_ref("pkg:generic/openssl@3.0") is None
    assert package_ref("pkg:deb/unknown-distro/foo@1") is None


@pytest.mark.parametrize("bad", ["not-a-purl", "pkg:", "pkg:pypi", "pkg:pypi/"])
def test_malformed_purls_raise(bad: str) -> None:
    with pytest.raises(PurlError):
        package_ref(bad)


def test_record_names_normalise_like_purls() -> None:
    # The database side and the SBOM side must meet in the middle.
    assert normalise_name("PyPI", "Zope.Interface") == package_ref("pkg:pypi/zope-interface@1").name  # type: ignore[union-attr]
    assert normalise_name("crates.io", "my-crate") == normalise_name("crates.io", "My_Crate")
    assert normalise_name("Go", "github.com/Foo/Bar") == "github.com/Foo/Bar"  # Go paths are case-sensitive
    assert normalise_name("Maven", "org.Demo:Lib") == "org.Demo:Lib"


def test_distribution_source_package_from_upstream_qualifier() -> None:
    # syft writes the Debian source package (which OSV's Debian records name) as "upstream".
    ref = package_ref(
        "pkg:deb/debian/bsdutils@1:2.36.1-8+deb11u1?arch=amd64&upstream=util-linux%402.36.1-8+deb11u1&distro=debian-11"
    )
    assert ref is not None and ref.source == ("util-linux", "2.36.1-8+deb11u1") and ref.release == "11"
    ref = package_ref("pkg:deb/debian/fontconfig-config@2.13.1-4.2?upstream=fontconfig&distro=debian-11")
    assert ref is not None and ref.source == ("fontconfig", None)
    assert package_ref("pkg:deb/debian/coreutils@8.32-4+b1?upstream=coreutils%408.32-4").source is None  # type: ignore[union-attr]


_TYPES = st.sampled_from(
    [
        "pypi",
        "npm",
        "golang",
        "cargo",
        "maven",
        "gem",
        "nuget",
        "composer",
        "hex",
        "swift",
        "github",
        "deb",
        "apk",
        "rpm",
        "generic",
        "conan",
        "oci",
    ]
)
_SEGMENT = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._~+-]{0,8}", fullmatch=True)
_NAMESPACES = st.sampled_from(["", "debian", "Ubuntu", "alpine", "redhat", "Foo", "org.apache"]) | _SEGMENT


@settings(max_examples=400, deadline=None)
@given(_TYPES, _NAMESPACES, _SEGMENT, st.none() | _SEGMENT)
def test_plain_package_is_where_the_purl_reader_looks(
    ptype: str, namespace: str, name: str, version: str | None
) -> None:
    # The scanner resolves a plain purl's package from its parts once per package; it must be the
    # package read_package_ref finds for every such purl, or a component is looked up elsewhere.
    purl = f"pkg:{ptype}/{namespace + '/' if namespace else ''}{name}" + (f"@{version}" if version else "")
    parts = plain_parts(purl)
    assert parts is not None
    ref = read_package_ref(purl)
    assert plain_package(*parts[:3]) == (None if ref is None else (ref.ecosystem, ref.name))
