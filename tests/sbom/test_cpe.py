"""CPE names per NISTIR 7695 (CPE Naming 2.3): the specification's own examples.

§6.1.3 (unbinding a 2.2 URI), §6.2.2 (binding to a formatted string), §6.2.3 (unbinding a
formatted string); each example is the WFN the specification prints for the name.
"""

from __future__ import annotations

import pytest

from crakit.sbom.cpe import ANY, NA, CpeError, Wfn, parse_cpe, to_cpe23

URI_EXAMPLES = [
    # §6.1.3.3 example 1
    (
        "cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
        Wfn("a", "microsoft", "internet_explorer", "8\\.0\\.6001", "beta"),
    ),
    # example 2: quoted special characters stay quoted
    (
        "cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f",
        Wfn("a", "microsoft", "internet_explorer", "8\\.\\*", "sp\\?"),
    ),
    # example 3: %02 and %01 are the wildcards * and ?
    (
        "cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
        Wfn("a", "microsoft", "internet_explorer", "8\\.*", "sp?"),
    ),
    # example 4: the packed edition
    (
        "cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
        Wfn(
            "a",
            "hp",
            "insight_diagnostics",
            "7\\.4\\.0\\.1570",
            ANY,
            ANY,
            ANY,
            "online",
            "win2003",
            "x64",
            ANY,
        ),
    ),
    # example 5: "-" is NA
    (
        "cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~",
        Wfn("a", "hp", "openview_network_manager", "7\\.51", NA, ANY, ANY, ANY, "linux", ANY, ANY),
    ),
    # example 6: percent-encoded characters become quoted ones
    ("cpe:/a:foo%5cbar:big%24money_manager_2010", Wfn("a", "foo\\\\bar", "big\\$money_manager_2010")),
    # example 7: an unencoded ~ outside the edition is an ordinary (quoted) character
    ("cpe:/a:foo~bar:big%7emoney_2010", Wfn("a", "foo\\~bar", "big\\~money_2010")),
    # OpenWrt writes CPE 2.2 URIs
    ("cpe:/a:openssl:openssl:1.1.1w", Wfn("a", "openssl", "openssl", "1\\.1\\.1w")),
]

FS_EXAMPLES = [
    # §6.2.3.3 example 1
    (
        "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
        Wfn("a", "microsoft", "internet_explorer", "8\\.0\\.6001", "beta"),
    ),
    # example 2: unquoted * and ? are wildcards
    (
        "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
        Wfn("a", "microsoft", "internet_explorer", "8\\.*", "sp?"),
    ),
    # example 3
    (
        "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
        Wfn(
            "a",
            "hp",
            "insight_diagnostics",
            "7\\.4\\.0\\.1570",
            NA,
            ANY,
            ANY,
            "online",
            "win2003",
            "x64",
            ANY,
        ),
    ),
    # example 4: quoted characters
    (
        "cpe:2.3:a:foo\\\\bar:big\\$money:2010:*:*:*:special:ipod_touch:80gb:*",
        Wfn("a", "foo\\\\bar", "big\\$money", "2010", ANY, ANY, ANY, "special", "ipod_touch", "80gb", ANY),
    ),
]


@pytest.mark.parametrize(("uri", "wfn"), URI_EXAMPLES)
def test_cpe22_uris_unbind_as_the_specification_says(uri: str, wfn: Wfn) -> None:
    assert parse_cpe(uri) == wfn


@pytest.mark.parametrize(("fs", "wfn"), FS_EXAMPLES)
def test_cpe23_formatted_strings_unbind_as_the_specification_says(fs: str, wfn: Wfn) -> None:
    assert parse_cpe(fs) == wfn


@pytest.mark.parametrize(("fs", "wfn"), FS_EXAMPLES)
def test_binding_a_wfn_gives_the_formatted_string_back(fs: str, wfn: Wfn) -> None:
    assert wfn.to_fs() == fs


def test_binding_examples_of_section_6_2_2() -> None:
    # §6.2.2.3 examples 1-4
    assert (
        Wfn("a", "microsoft", "internet_explorer", "8\\.0\\.6001", "beta").to_fs()
        == "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"
    )
    assert (
        Wfn("a", "microsoft", "internet_explorer", "8\\.*", "sp?").to_fs()
        == "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*"
    )
    assert (
        Wfn("a", "hp", "insight", "7\\.4\\.0\\.1570", NA, ANY, ANY, "online", "win2008", "x64").to_fs()
        == "cpe:2.3:a:hp:insight:7.4.0.1570:-:*:*:online:win2008:x64:*"
    )
    assert (
        Wfn("a", "apple", "swift", ANY, ANY, ANY, "en\\-us", ANY, ANY, "ipad").to_fs()
        == "cpe:2.3:a:apple:swift:*:*:*:en-us:*:*:ipad:*"
    )


def test_a_cpe22_uri_normalises_to_the_cpe23_formatted_string() -> None:
    assert to_cpe23("cpe:/a:openssl:openssl:1.1.1w") == "cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*:*:*:*:*"
    assert to_cpe23("cpe:/o:Linux:Linux_Kernel:5.15") == "cpe:2.3:o:linux:linux_kernel:5.15:*:*:*:*:*:*:*"
    assert (
        to_cpe23("cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~")
        == "cpe:2.3:a:hp:openview_network_manager:7.51:-:*:*:*:linux:*:*"
    )


def test_plain_values_drop_the_quoting() -> None:
    wfn = parse_cpe("cpe:2.3:a:w1.fi:wpa_supplicant:2.10:*:*:*:*:*:*:*")
    assert wfn.plain("vendor") == "w1.fi"
    assert wfn.plain("version") == "2.10"
    assert wfn.plain("update") == ANY


@pytest.mark.parametrize(
    "bad",
    [
        "cpe:/a:foo:bar:12.%02.1234",  # §6.1.3.3 example 8: an embedded wildcard
        "cpe:2.3:a:foo:bar:12.*.34:*:*:*:*:*:*:*",  # an unquoted * inside a value
        "cpe:2.3:a:foo:bar",  # too few fields
        "cpe:2.3:a:foo:bar:1:*:*:*:*:*:*:*:*",  # too many
        "cpe:2.3:x:foo:bar:1:*:*:*:*:*:*:*",  # no such part
        "cpe:/a:foo:bar:1:2:3:4:5",  # a URI with more than 7 components
        "cpe:/a:foo bar:baz",  # a space must be percent-encoded
        "pkg:generic/openssl@1.1.1",
        "cpe:2.3:a:foo:bar:" + "1" * 5000 + ":*:*:*:*:*:*:*",
    ],
)
def test_malformed_names_are_refused(bad: str) -> None:
    with pytest.raises(CpeError):
        parse_cpe(bad)


CPE23 = "cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*:*:*:*:*"
CPE22 = "cpe:/a:openssl:openssl:1.1.1w"


def _read(data: str) -> tuple[str, ...]:
    from crakit.sbom import parse_sbom

    (comp,) = parse_sbom(data.encode(), source="test").components
    return comp.cpes


def test_every_reader_fills_the_cpes() -> None:
    import json

    cdx = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {"type": "library", "bom-ref": "o", "name": "openssl", "version": "1.1.1w", "cpe": CPE22}
        ],
    }
    assert _read(json.dumps(cdx)) == (CPE22,)
    xml = (
        '<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>'
        f'<component type="library"><name>openssl</name><version>1.1.1w</version><cpe>{CPE23}</cpe></component>'
        "</components></bom>"
    )
    assert _read(xml) == (CPE23,)
    tag_value = "\n".join(
        [
            "SPDXVersion: SPDX-2.3",
            "DataLicense: CC0-1.0",
            "SPDXID: SPDXRef-DOCUMENT",
            "DocumentName: fw",
            "DocumentNamespace: https://example.com/fw",
            "Creator: Tool: buildroot",
            "Created: 2024-01-01T00:00:00Z",
            "PackageName: openssl",
            "SPDXID: SPDXRef-openssl",
            "PackageVersion: 1.1.1w",
            "PackageDownloadLocation: NOASSERTION",
            f"ExternalRef: SECURITY cpe22Type {CPE22}",
            f"ExternalRef: SECURITY cpe23Type {CPE23}",
        ]
    )
    assert _read(tag_value + "\n") == (CPE23, CPE22)  # the 2.3 name first, both kept
    spdx3 = {
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {"type": "CreationInfo", "@id": "_:c", "specVersion": "3.0.1", "created": "2024-01-01T00:00:00Z"},
            {"type": "SpdxDocument", "spdxId": "https://example.com/fw", "name": "fw", "creationInfo": "_:c"},
            {
                "type": "software_Package",
                "spdxId": "urn:openssl",
                "name": "openssl",
                "software_packageVersion": "1.1.1w",
                "creationInfo": "_:c",
                "externalIdentifier": [
                    {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23", "identifier": CPE23},
                    {"type": "ExternalIdentifier", "externalIdentifierType": "cpe22", "identifier": CPE22},
                ],
            },
        ],
    }
    assert _read(json.dumps(spdx3)) == (CPE23, CPE22)
