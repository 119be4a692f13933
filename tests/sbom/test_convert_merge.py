"""convert and merge write documents that validate and read back with the same components."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from crakit.sbom import parse_sbom, read_sbom
from crakit.sbom.convert import TARGETS, convert
from crakit.sbom.merge import merge_sboms
from crakit.sbom.model import Component, Sbom
from crakit.sbom.validate import validate_bytes
from tests.sbom.test_reader import CDX, SPDX, SPDX3, TAG_VALUE

SOURCES = [
    json.dumps(CDX).encode(),
    json.dumps(SPDX).encode(),
    json.dumps(SPDX3).encode(),
    TAG_VALUE.encode(),
]


def _identities(doc: Sbom) -> set[tuple[str, str | None, str | None]]:
    """(name, version, purl) of every component and the product: what a converter must not lose."""
    found = {(c.name, c.version, c.purl) for c in doc.components}
    if doc.product is not None:
        found.add((doc.product.name, doc.product.version, doc.product.purl))
    return found


def _names(doc: Sbom) -> set[str]:
    names = {c.name for c in doc.components}
    return names | ({doc.product.name} if doc.product else set())


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("source", SOURCES, ids=["cdx", "spdx", "spdx3", "tag-value"])
def test_round_trip_is_schema_valid_and_keeps_components(source: bytes, target: str) -> None:
    doc = parse_sbom(source)
    out = orjson.dumps(convert(doc, target))
    report = validate_bytes(out)
    assert report.valid, report.errors
    back = parse_sbom(out)
    assert _names(back) == _names(doc)
    assert {c.purl for c in back.components if c.purl} >= {c.purl for c in doc.components if c.purl}
    if doc.product is not None:
        assert back.product is not None and back.product.name == doc.product.name
        assert {c.name for c in back.components if c.top_level} == {
            c.name for c in doc.components if c.top_level
        }


@pytest.mark.corpus
@pytest.mark.parametrize(
    "rel",
    [
        "bom-shelter/in-the-wild/spdx/istio-release.spdx",
        "bom-shelter/in-the-wild/cyclonedx/elixir-cdx.xml",
        "cyclonedx-bom-examples/SBOM/juice-shop/via_npm/flat/bom.1.4.json",
    ],
)
@pytest.mark.parametrize("target", TARGETS)
def test_real_documents_convert_to_valid_output(rel: str, target: str, shared_data: Path) -> None:
    doc = read_sbom(shared_data / rel)
    out = orjson.dumps(convert(doc, target))
    assert validate_bytes(out).valid
    back = parse_sbom(out)
    assert _identities(back) == _identities(doc)
    # SPDX lists the described package among its packages, CycloneDX keeps it in metadata: at most one moves.
    assert abs(len(back.components) - len(doc.components)) <= 1


def test_merge_deduplicates_by_normalised_purl() -> None:
    firmware = Sbom(
        "cyclonedx",
        "1.6",
        "json",
        (
            Component(ref="z", name="zlib", version="1.3", purl="pkg:generic/zlib@1.3", top_level=True),
            Component(ref="o", name="openssl", version="3", purl="pkg:generic/openssl@3"),
        ),
        product=Component(ref="fw", name="firmware"),
        dependencies={"fw": ("z",), "z": ("o",)},
    )
    app = Sbom(
        "spdx",
        "2.3",
        "json",
        (
            Component(ref="SPDXRef-app", name="app"),
            # same package, purl written with an upper-case type: canonical form is equal
            Component(ref="SPDXRef-z", name="zlib", version="1.3", purl="pkg:GENERIC/zlib@1.3"),
        ),
        dependencies={"SPDXRef-app": ("SPDXRef-z",)},
    )
    app = Sbom(
        app.format,
        app.spec_version,
        app.serialization,
        app.components,
        product=app.components[0],
        dependencies=app.dependencies,
    )
    merged = merge_sboms([firmware, app], product_name="router")
    names = sorted(c.name for c in merged.components)
    assert names == ["app", "firmware", "openssl", "zlib"]
    assert merged.product is not None and merged.product.name == "router"
    assert {c.name for c in merged.components if c.top_level} == {"firmware", "app"}
    by_name = {c.name: c.ref for c in merged.components}
    assert merged.dependencies[by_name["app"]] == (by_name["zlib"],)
    assert merged.dependencies[by_name["zlib"]] == (by_name["openssl"],)
    assert validate_bytes(orjson.dumps(convert(merged, "cyclonedx-1.6"))).valid


def test_merge_keeps_each_version_shipped_under_a_versionless_purl() -> None:
    # Two parts ship django under a purl without a version, at two versions: two components.
    # The same versionless purl at the same version, or beside its versioned spelling, is one.
    one = Sbom(
        "cyclonedx",
        "1.6",
        "json",
        (Component(ref="a", name="django", version="4.2.0", purl="pkg:pypi/django"),),
    )
    two = Sbom(
        "cyclonedx",
        "1.6",
        "json",
        (
            Component(ref="b", name="django", version="1.11.0", purl="pkg:pypi/django"),
            Component(ref="c", name="django", version="4.2.0", purl="pkg:pypi/django@4.2.0"),
        ),
    )
    merged = merge_sboms([one, two], product_name="p")
    assert sorted(c.version or "" for c in merged.components if c.name == "django") == ["1.11.0", "4.2.0"]


def test_cyclonedx_target_keeps_properties() -> None:
    doc = parse_sbom(json.dumps(CDX).encode())
    back = parse_sbom(orjson.dumps(convert(doc, "cyclonedx-1.6")))
    want = {c.name: c.properties for c in doc.components}
    assert any(want.values())  # the fixture carries BSI properties
    assert {c.name: c.properties for c in back.components} == want
