"""The readers on small documents built from the specifications' own shapes."""

from __future__ import annotations

import json

import pytest

from crakit.errors import InputError
from crakit.sbom import SbomError, parse_sbom

CDX = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
    "metadata": {
        "timestamp": "2024-01-01T00:00:00Z",
        "tools": {"components": [{"name": "gen", "version": "1.0"}]},
        "component": {"bom-ref": "app", "name": "app", "version": "2.0"},
    },
    "components": [
        {
            "bom-ref": "a",
            "type": "library",
            "name": "a",
            "version": "1",
            "purl": "pkg:pypi/a@1",
            "supplier": {"name": "ACME"},
            "licenses": [{"license": {"id": "MIT"}}, {"expression": "Apache-2.0 OR MIT"}],
            "hashes": [{"alg": "SHA-512", "content": "ab" * 64}],
            "properties": [
                {"name": "bsi:component:filename", "value": "a-1.tar.gz"},
                {"name": "bsi:component:executable", "value": "non-executable"},
                {"name": "bsi:component:archive", "value": "archive"},
                {"name": "bsi:component:structured", "value": "structured"},
            ],
            "components": [{"bom-ref": "a-inner", "name": "inner"}],
        },
        {"bom-ref": "b", "name": "b", "cpe": "cpe:2.3:a:x:b:1:*:*:*:*:*:*:*"},
    ],
    "dependencies": [{"ref": "app", "dependsOn": ["a"]}, {"ref": "a", "dependsOn": ["b"]}],
}


def test_cyclonedx_json_counts_nested_and_keeps_product_apart() -> None:
    doc = parse_sbom(json.dumps(CDX).encode())
    assert (doc.format, doc.spec_version, doc.serialization) == ("cyclonedx", "1.6", "json")
    assert [c.name for c in doc.components] == ["a", "inner", "b"]
    assert doc.product is not None and doc.product.name == "app"
    assert [c.name for c in doc.components if c.top_level] == ["a"]
    a = doc.components[0]
    assert a.licenses == ("MIT", "Apache-2.0 OR MIT")
    assert a.hashes == (("SHA-512", "ab" * 64),)
    assert a.supplier == "ACME"
    assert doc.tools == ("gen 1.0",)
    assert doc.dependencies["a"] == ("b",)


CDX_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata><timestamp>2024-01-01T00:00:00Z</timestamp>
    <tools><tool><vendor>v</vendor><name>gen</name><version>1</version></tool></tools>
    <component type="application" bom-ref="app"><name>app</name></component>
  </metadata>
  <components>
    <component type="library" bom-ref="a"><name>a</name><version>1</version>
      <hashes><hash alg="SHA-256">00</hash></hashes>
      <licenses><license><id>MIT</id></license></licenses>
      <purl>pkg:npm/a@1</purl>
      <components><component type="library" bom-ref="n"><name>n</name></component></components>
    </component>
  </components>
  <dependencies><dependency ref="app"><dependency ref="a"/></dependency></dependencies>
</bom>"""


def test_cyclonedx_xml() -> None:
    doc = parse_sbom(CDX_XML)
    assert (doc.format, doc.spec_version, doc.serialization) == ("cyclonedx", "1.4", "xml")
    assert [(c.name, c.top_level) for c in doc.components] == [("a", True), ("n", False)]
    assert doc.components[0].purl == "pkg:npm/a@1"
    assert doc.components[0].hashes == (("SHA-256", "00"),)
    assert doc.tools == ("gen 1",)


SPDX = {
    "spdxVersion": "SPDX-2.3",
    "SPDXID": "SPDXRef-DOCUMENT",
    "name": "doc",
    "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: gen-1", "Organization: ACME"]},
    "packages": [
        {"SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1", "supplier": "Organization: ACME"},
        {
            "SPDXID": "SPDXRef-lib",
            "name": "lib",
            "versionInfo": "2",
            "supplier": "NOASSERTION",
            "licenseDeclared": "MIT",
            "licenseConcluded": "NOASSERTION",
            "checksums": [{"algorithm": "SHA512", "checksumValue": "cd" * 64}],
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": "pkg:npm/lib@2",
                }
            ],
        },
    ],
    "files": [{"SPDXID": "SPDXRef-f", "fileName": "./x"}],
    "relationships": [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": "SPDXRef-app",
        },
        {
            "spdxElementId": "SPDXRef-lib",
            "relationshipType": "DEPENDENCY_OF",
            "relatedSpdxElement": "SPDXRef-app",
        },
    ],
}


def test_spdx_json_every_package_is_a_component_and_described_one_is_product() -> None:
    doc = parse_sbom(json.dumps(SPDX).encode())
    assert (doc.format, doc.spec_version, doc.serialization) == ("spdx", "2.3", "json")
    assert [c.name for c in doc.components] == ["app", "lib"]
    assert doc.product is not None and doc.product.ref == "SPDXRef-app"
    lib = doc.components[1]
    assert lib.top_level and lib.supplier is None and lib.licenses == ("MIT",)
    assert lib.purl == "pkg:npm/lib@2"
    assert doc.components[0].supplier == "ACME"
    assert doc.tools == ("gen-1",) and doc.authors == ("ACME",)


def test_spdx_yaml_keeps_versions_as_text() -> None:
    import yaml

    data = dict(SPDX, packages=[dict(SPDX["packages"][0], versionInfo="1.10")])  # type: ignore[arg-type]
    doc = parse_sbom(yaml.safe_dump(data).encode())
    assert doc.serialization == "yaml"
    assert doc.components[0].version == "1.10"


TAG_VALUE = """SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: tv
Creator: Tool: gen
Created: 2024-01-01T00:00:00Z
DocumentComment: <text>spans
two lines</text>

PackageName: app
SPDXID: SPDXRef-app
PackageVersion: 1

PackageName: lib
SPDXID: SPDXRef-lib
PackageChecksum: SHA512: ff
ExternalRef: PACKAGE-MANAGER purl pkg:npm/lib@2
PackageLicenseDeclared: MIT

FileName: ./a.c
SPDXID: SPDXRef-file

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app
Relationship: SPDXRef-app DEPENDS_ON SPDXRef-lib
"""


def test_spdx_tag_value_even_in_a_json_named_file() -> None:
    doc = parse_sbom(TAG_VALUE.encode(), source="grype-sbom.spdx.json")
    assert (doc.format, doc.serialization) == ("spdx", "tag-value")
    assert [c.name for c in doc.components] == ["app", "lib"]
    assert doc.product is not None and doc.product.name == "app"
    lib = doc.components[1]
    assert lib.top_level and lib.purl == "pkg:npm/lib@2" and lib.hashes == (("SHA512", "ff"),)


def test_utf16_tag_value() -> None:
    assert len(parse_sbom(TAG_VALUE.encode("utf-16")).components) == 2


SPDX3 = {
    "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
    "@graph": [
        {
            "type": "CreationInfo",
            "@id": "_:c",
            "specVersion": "3.0.1",
            "created": "2024-01-01T00:00:00Z",
            "createdUsing": ["urn:tool"],
        },
        {"type": "Tool", "spdxId": "urn:tool", "name": "gen", "creationInfo": "_:c"},
        {"type": "software_Sbom", "spdxId": "urn:sbom", "rootElement": ["urn:app"], "creationInfo": "_:c"},
        {"type": "software_Package", "spdxId": "urn:app", "name": "app", "creationInfo": "_:c"},
        {
            "type": "software_Package",
            "spdxId": "urn:lib",
            "name": "lib",
            "software_packageUrl": "pkg:npm/lib@1",
            "verifiedUsing": [{"type": "Hash", "algorithm": "sha512", "hashValue": "aa"}],
            "creationInfo": "_:c",
        },
        {"type": "software_File", "spdxId": "urn:f", "name": "f", "creationInfo": "_:c"},
        {
            "type": "Relationship",
            "spdxId": "urn:r",
            "from": "urn:app",
            "relationshipType": "dependsOn",
            "to": ["urn:lib"],
            "creationInfo": "_:c",
        },
    ],
}


def test_spdx3_json_ld() -> None:
    doc = parse_sbom(json.dumps(SPDX3).encode())
    assert (doc.format, doc.spec_version, doc.serialization) == ("spdx", "3.0.1", "json-ld")
    assert [c.name for c in doc.components] == ["app", "lib"]
    assert doc.product is not None and doc.product.name == "app"
    assert doc.components[1].top_level and doc.components[1].purl == "pkg:npm/lib@1"
    assert doc.tools == ("gen",)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b'{"a": 1}', "not an SBOM"),
        (b"[1, 2]", "not an SBOM"),
        (json.dumps(CDX).encode() + b"garbage", "trailing data"),
        (json.dumps(CDX).encode()[:-20], "truncated"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.4", "x": "\xff"}', "UTF-8"),
        (b"[" * 5000, "not an SBOM"),
        (b'{"spdxVersion": "SPDX-2.3", "packages": [{"name": "a", "x": ' + b"[" * 5000, "nested too deeply"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": "x"}', "/components"),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [{"name": {"a": 1}}]}',
            "/components/0/name",
        ),
        (b'{"spdxVersion": "SPDX-2.3", "packages": [{"name": 3.5, "SPDXID": []}]}', "/packages/0"),
        (b"<html><body/></html>", "HTML document"),
        (b"<!DOCTYPE html>\n<html><body><p>x<br></p></body></html>", "not an SBOM: an HTML document"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "HTML document"),
        (
            b'<?xml version="1.0"?><Document><spdxVersion>SPDX-2.3</spdxVersion></Document>',
            "SPDX XML is not read",
        ),
        (
            b"<bom xmlns='http://cyclonedx.org/schema/bom/12'/>",
            "unsupported CycloneDX version '12' (crakit reads 1.0–1.7)",
        ),
        (b"<bom xmlns='http://cyclonedx.org/schema/bom/1.8'/>", "unsupported CycloneDX version '1.8'"),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "2.0"}',
            "unsupported CycloneDX version '2.0' (crakit reads",
        ),
        (
            '{"bomFormat": "CycloneDX"}'.encode("utf-16-le"),
            "UTF-16LE text without a byte-order mark (NUL byte at byte 1)",
        ),
        (
            '{"bomFormat": "CycloneDX"}'.encode("utf-16-be"),
            "UTF-16BE text without a byte-order mark (NUL byte at byte 0)",
        ),
        (b"abc\x00\x01\x02\xff\xfe\x00", "binary data, not text (NUL byte at byte 3)"),
        (b"abc\x01def", "control character U+0001"),
        (b"<bom xmlns='http://cyclonedx.org/schema/bom/1.4'><components>", "line"),
        (b"just some words", "not an SBOM"),
        (b"SPDXVersion: SPDX-2.3\nPackageName: a\nthis is garbage\n", "line 3"),
    ],
)
def test_bad_input_is_one_line_input_error(data: bytes, needle: str) -> None:
    with pytest.raises(SbomError) as info:
        parse_sbom(data)
    assert isinstance(info.value, InputError)
    assert needle in info.value.message
    assert "\n" not in info.value.message


def test_trailing_garbage_says_where() -> None:
    data = json.dumps(CDX).encode()
    # the garbage "}" starts on line 2, one byte after the newline that follows the document
    with pytest.raises(SbomError, match=rf"line 2, column 1 \(byte {len(data) + 1}\)"):
        parse_sbom(data + b"\n}")


def test_utf16_xml_with_its_declaration() -> None:
    data = CDX_XML.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert [c.name for c in parse_sbom(data).components] == ["a", "n"]


def test_deeply_nested_components_all_count() -> None:
    # 300 levels read completely (in document order); 100,000 levels are refused in test_hostile
    depth = 300
    text = '{"name": "c", "components": [' * depth + '{"name": "leaf"}' + "]}" * depth
    doc = '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [' + text + "]}"
    result = parse_sbom(doc.encode())
    assert len(result.components) == depth + 1
    assert result.components[-1].name == "leaf"


def test_cyclonedx_sbom_creators_include_the_manufacturer() -> None:
    # BSI TR-03183-2 maps "creator of the SBOM" to the manufacturer in CycloneDX
    doc = dict(CDX, metadata={"manufacturer": {"name": "ACME", "url": ["https://acme.example"]}})
    assert parse_sbom(json.dumps(doc).encode()).authors == ("ACME",)
    xml = b'<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><metadata><manufacture><name>ACME</name></manufacture></metadata></bom>'
    assert parse_sbom(xml).authors == ("ACME",)


def test_cyclonedx_properties_json_and_xml() -> None:
    # CycloneDX 1.3 introduced properties; a nameless one says nothing, a missing value reads as "".
    props = [
        {"name": "bsi:component:filename", "value": "a.jar"},
        {"value": "no name"},
        {"name": "flag"},
        {"name": "count", "value": 3},
        {"name": "bsi:component:filename", "value": "dup.jar"},
        {"name": "dev", "value": True},  # schema-invalid, but written by tools: read, not refused
    ]
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.3", "components": [{"name": "a", "properties": props}]}
    want = (
        ("bsi:component:filename", "a.jar"),
        ("flag", ""),
        ("count", "3"),
        ("bsi:component:filename", "dup.jar"),
    )
    assert parse_sbom(json.dumps(doc).encode()).components[0].properties == (*want, ("dev", "true"))
    xml = b"""<bom xmlns="http://cyclonedx.org/schema/bom/1.3"><metadata><component type="application">
      <name>p</name><properties><property name="k">v</property></properties></component></metadata>
      <components><component type="library"><name>a</name><properties>
        <property name="bsi:component:filename">a.jar</property><property>no name</property>
        <property name="flag"/><property name="count">3</property>
        <property name="bsi:component:filename">dup.jar</property>
      </properties></component></components></bom>"""
    parsed = parse_sbom(xml)
    assert parsed.components[0].properties == want
    assert parsed.product is not None and parsed.product.properties == (("k", "v"),)


def test_spdx_components_have_no_properties() -> None:
    for source in (json.dumps(SPDX).encode(), json.dumps(SPDX3).encode(), TAG_VALUE.encode()):
        assert all(c.properties == () for c in parse_sbom(source).components)


def test_schema_invalid_but_readable_documents_are_read_leniently() -> None:
    # missing names read as "", a dependency entry without ref is skipped, a timestamp that is
    # not text is left out: the count and identity stay clear; `validate` reports the rest
    nested = {"name": "a", "components": [{"name": "b"}, {"name": "c", "components": [{"version": "1"}]}]}
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {"timestamp": 1700000000, "component": {"bom-ref": "p", "name": "p"}},
        "components": [nested, {"name": "d", "bom-ref": "d"}],
        "dependencies": [{"dependsOn": ["d"]}, {"ref": "p", "dependsOn": ["d", {"x": 1}]}, {"ref": ""}],
    }
    parsed = parse_sbom(json.dumps(doc).encode())
    assert [c.name for c in parsed.components] == ["a", "b", "c", "", "d"]
    assert parsed.created is None
    assert parsed.dependencies == {"p": ("d",)}
    assert [c.name for c in parsed.components if c.top_level] == ["d"]
    xml = b"""<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><metadata><timestamp>2024-01-01T00:00:00Z</timestamp>
      <component type="application" bom-ref="p"><name>p</name></component></metadata>
      <components><component type="library" bom-ref="x"><version>1</version></component></components>
      <dependencies><dependency><dependency ref="x"/></dependency><dependency ref="p"><dependency ref="x"/></dependency>
      </dependencies></bom>"""
    parsed = parse_sbom(xml)
    assert [(c.name, c.top_level) for c in parsed.components] == [("", True)]
    spdx = {
        "spdxVersion": "SPDX-2.3",
        "creationInfo": {"created": 5, "creators": []},
        "packages": [{"SPDXID": "SPDXRef-a", "name": None}, {"SPDXID": "SPDXRef-b", "name": "b"}],
    }
    parsed = parse_sbom(json.dumps(spdx).encode())
    assert [c.name for c in parsed.components] == ["", "b"] and parsed.created is None
    spdx3 = json.loads(json.dumps(SPDX3))
    del spdx3["@graph"][4]["name"]
    assert [c.name for c in parse_sbom(json.dumps(spdx3).encode()).components] == ["app", ""]


def test_unreadable_structure_is_still_refused() -> None:
    for doc in (
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": {"name": "a"}},
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": ["a"]},
        {"spdxVersion": "SPDX-2.3", "packages": "a"},
    ):
        with pytest.raises(SbomError):
            parse_sbom(json.dumps(doc).encode())


def test_cyclonedx_json_component_fields_each_land_in_their_own_place() -> None:
    # The reader builds Component positionally (for speed): every field set to its own value
    # must come back under its own name.
    comp = {
        "bom-ref": "ref-1",
        "type": "firmware",
        "name": "zlib",
        "version": "1.3",
        "purl": "pkg:generic/zlib@1.3",
        "cpe": "cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*",
        "supplier": {"name": "Supplier Ltd"},
        "author": "Jean-loup Gailly",
        "licenses": [
            {"license": {"id": "Zlib", "acknowledgement": "declared"}},
            {"license": {"id": "MIT", "acknowledgement": "concluded"}},
        ],
        "hashes": [{"alg": "SHA-256", "content": "ab" * 32}],
        "scope": "required",
        "swid": {"tagId": "swid-zlib", "name": "zlib"},
        "properties": [{"name": "bsi:component:filename", "value": "libz.so"}],
    }
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {"component": {"bom-ref": "product", "name": "p"}},
        "components": [comp],
        "dependencies": [{"ref": "product", "dependsOn": ["ref-1"]}],
    }
    c = parse_sbom(json.dumps(doc).encode()).components[0]
    assert (c.ref, c.name, c.version, c.purl) == ("ref-1", "zlib", "1.3", "pkg:generic/zlib@1.3")
    assert c.cpe == comp["cpe"] and c.cpes == (comp["cpe"],)
    assert (c.type, c.supplier, c.author, c.scope) == (
        "firmware",
        "Supplier Ltd",
        "Jean-loup Gailly",
        "required",
    )
    assert c.licenses == ("Zlib", "MIT")
    assert (c.licenses_declared, c.licenses_concluded) == (("Zlib",), ("MIT",))
    assert c.hashes == (("SHA-256", "ab" * 32),)
    assert c.top_level is True
    assert c.swid == "swid-zlib"
    assert c.properties == (("bsi:component:filename", "libz.so"),)
    assert c.filename == "libz.so"
