"""`crakit sbom check`: coverage counted from the document (BSI TR-03183-2 v2.0, CRA Annex I Part II(1))."""

from __future__ import annotations

from crakit.sbom.model import Component, Sbom
from crakit.sbom.quality import check_quality, load_rules

FULL = Component(
    ref="a",
    name="a",
    version="1",
    purl="pkg:pypi/a@1",
    supplier="ACME",
    licenses=("MIT",),
    hashes=(("SHA-512", "00" * 64),),
    top_level=True,
    properties=(
        ("bsi:component:filename", "a-1.whl"),
        ("bsi:component:executable", "non-executable"),
        ("bsi:component:archive", "archive"),
        ("bsi:component:structured", "structured"),
    ),
)
BSI_PROPERTIES = {"filename", "executable", "archive", "structured"}


def _doc(*components: Component, **kw: object) -> Sbom:
    base: dict[str, object] = {
        "format": "cyclonedx",
        "spec_version": "1.6",
        "serialization": "json",
        "components": components,
        "product": Component(ref="app", name="app", version="1"),
        "dependencies": {"app": tuple(c.ref for c in components if c.top_level)},
        "created": "2024-01-01T00:00:00Z",
        "authors": ("ACME",),
    }
    base.update(kw)
    return Sbom(**base)  # type: ignore[arg-type]


def _field(report, field_id):  # type: ignore[no-untyped-def]
    return next(f for f in report.fields if f.rule.id == field_id)


def test_complete_document_passes() -> None:
    report = check_quality(_doc(FULL))
    assert report.passed and report.score == 100.0 and not report.failing


def test_coverage_is_counted_per_field() -> None:
    sha256_only = Component(
        ref="b",
        name="b",
        version="2",
        purl="pkg:pypi/b@2",
        supplier="X",
        licenses=("MIT",),
        hashes=(("SHA-256", "00"),),
        properties=FULL.properties,
    )
    bare = Component(ref="c", name="c")
    report = check_quality(_doc(FULL, sha256_only, bare, dependencies={"app": ("a",), "a": ("b",)}))
    assert not report.passed
    sha = _field(report, "sha512")
    assert (sha.covered, sha.total) == (1, 3)
    assert sha.percent == 33.3
    deps = _field(report, "dependencies")
    assert deps.covered == 2  # "c" is in no relationship
    assert {f.name: set(f.missing) for f in report.failing} == {
        "b": {"sha512"},
        "c": {"version", "creator", "licenses", "sha512", "dependencies", "unique_identifier"}
        | BSI_PROPERTIES,
    }
    assert 0 < report.score < 100


def test_document_fields_and_cra_minimum() -> None:
    report = check_quality(_doc(FULL, product=None, created=None, authors=()))
    assert not report.passed
    for field_id in ("product", "top_level_dependencies", "timestamp", "sbom_creator"):
        assert _field(report, field_id).covered == 0


def test_rules_cite_their_source() -> None:
    rules = load_rules()
    assert rules and all(("TR-03183-2" in r.reference or "CRA" in r.reference) for r in rules)
    assert {r.level for r in rules} == {"document", "component"}
