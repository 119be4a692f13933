"""The upstream version ordering used for CPE matching (firmware and C/C++ components)."""

from __future__ import annotations

import pytest

from crakit.vulndb.versions.upstream import VersionRefused, upstream_key, upstream_version


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("1.1.1", "1.1.1a"),  # OpenSSL letter releases come after the plain one
        ("1.1.1w", "1.1.1z"),
        ("1.1.1z", "1.1.1za"),  # ... and go on past z
        ("1.1.1za", "1.1.1zb"),
        ("1.0.2zk", "1.1.0"),
        ("3.0.0-alpha1", "3.0.0-beta1"),
        ("3.0.0-beta2", "3.0.0"),  # a pre-release comes before its release
        ("3.6.0-rc1", "3.6.0"),
        ("2.9", "2.10"),  # numbers compare as numbers
        ("7.88.1", "8.0.0"),
        ("9.6", "9.6p1"),  # OpenSSH portable
        ("v2.6.0", "2.6.1"),
    ],
)
def test_order(low: str, high: str) -> None:
    assert upstream_key(low) < upstream_key(high)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1.0", "1.0.0"),
        ("1.1.1w-1", "1.1.1w"),  # Debian / OpenWrt package revision
        ("2.34-r0", "2.34"),  # Yocto PR / Alpine release
        ("1:1.2.13-1", "1.2.13"),  # epoch
        ("7.88.1-10+deb12u5", "7.88.1"),
        ("V11.2.0", "11.2.0"),
        ("v5.6.6-stable", "5.6.6"),  # wolfSSL release tags
    ],
)
def test_packaging_decorations_are_stripped(a: str, b: str) -> None:
    assert upstream_key(a) == upstream_key(b)


@pytest.mark.parametrize(
    "refused",
    [
        "2023-07-06",  # a date is not an ordering the records share
        "20230706",
        "0.2-255-g0dbb3f71c5f6",  # git describe
        "v2.5.2-2-geeecc49ce8af",
        "ec78104f15691cccd94682cf4b22e0a013f28dd8",  # a commit
        "1.0+gitAUTOINC+abcdef",
        "R0.15",
        "Fixed in OpenSSL 1.0.2y (Affected 1.0.2s-1.0.2x)",
        "",
    ],
)
def test_what_cannot_be_placed_is_refused(refused: str) -> None:
    with pytest.raises(VersionRefused):
        upstream_key(refused)


def test_upstream_version_keeps_the_release() -> None:
    assert upstream_version("1.1.1w-1") == "1.1.1w"
    assert upstream_version("3.6.0-rc1") == "3.6.0-rc1"
