"""SBOM quality against BSI TR-03183-2 v2.0 and the CRA minimum (Annex I Part II(1)).

The requirements are data (``quality_fields.yaml``); this module holds one
predicate per field id and counts every number from the document itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import yaml

from crakit.sbom.cyclonedx_fields import filename_property
from crakit.sbom.model import Component, Sbom


@dataclass(frozen=True, slots=True)
class FieldRule:
    id: str
    level: str  # "document" | "component"
    required: bool
    title: str
    reference: str
    property: str | None = None  # CycloneDX property carrying the field (BSI taxonomy)
    values: tuple[str, ...] = ()  # accepted values (lower case); empty = any non-empty value
    # Formats crakit reads the field from; empty = all. An entry is a format ("spdx"), a format and
    # major version ("spdx-2") or a format and version ("cyclonedx-1.6").
    formats: tuple[str, ...] = ()

    def assessed_for(self, sbom_format: str, spec_version: str = "") -> bool:
        if not self.formats:
            return True
        major = spec_version.split(".", 1)[0]
        return any(
            f in self.formats
            for f in (sbom_format, f"{sbom_format}-{major}", f"{sbom_format}-{spec_version}")
        )


@dataclass(frozen=True, slots=True)
class FieldCoverage:
    rule: FieldRule
    covered: int
    total: int
    assessed: bool = True  # False: crakit reads no field of this format for the rule (counts are 0)

    @property
    def percent(self) -> float | None:
        if not self.assessed:
            return None
        return 100.0 if self.total == 0 else round(100.0 * self.covered / self.total, 1)


@dataclass(frozen=True, slots=True)
class ComponentFinding:
    ref: str
    name: str
    version: str | None
    missing: tuple[str, ...]  # ids of required fields the component lacks


@dataclass(frozen=True, slots=True)
class QualityReport:
    fields: tuple[FieldCoverage, ...]
    failing: tuple[ComponentFinding, ...]
    components: int
    score: float  # mean coverage of the required fields, in percent

    @property
    def passed(self) -> bool:
        """Every assessed required field complete; rules not assessed for the format neither pass nor fail."""
        return all(f.covered == f.total for f in self.fields if f.rule.required and f.assessed)


def load_rules() -> tuple[FieldRule, ...]:
    raw = yaml.safe_load(resources.files("crakit.sbom").joinpath("quality_fields.yaml").read_text("utf-8"))
    return tuple(
        FieldRule(
            **{k: v for k, v in entry.items() if k not in ("values", "formats")},
            values=tuple(str(v).lower() for v in entry.get("values", ())),
            formats=tuple(entry.get("formats", ())),
        )
        for entry in raw["fields"]
    )


def _is_sha512(alg: str) -> bool:
    return alg.upper().replace("-", "").replace("_", "") == "SHA512"


def _has_property(name: str, values: tuple[str, ...]) -> Callable[[Component], bool]:
    """A named property with a non-empty value, one of ``values`` when the TR fixes them."""

    def predicate(c: Component) -> bool:
        for key, value in c.properties:
            if key == name and (v := value.strip().lower()) and (not values or v in values):
                return True
        return False

    return predicate


# Anything with a scheme (RFC 3986 §3.1): urn:uuid:..., https://...; a bare document name is not a URI.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def _component_predicates(sbom: Sbom) -> dict[str, Callable[[Component], bool]]:
    # A component is "in" the dependency graph when it has an entry or is the target of one:
    # SPDX writes no relationship for leaves, CycloneDX writes an empty dependsOn.
    linked: set[str] = set(sbom.dependencies)
    for targets in sbom.dependencies.values():
        linked.update(targets)
    return {
        "filename": lambda c: bool(c.filename or filename_property(c.properties)),
        "licenses_declared": lambda c: bool(c.licenses_declared),
        "licenses_concluded": lambda c: bool(c.licenses_concluded),
        "name": lambda c: bool(c.name.strip()),
        "version": lambda c: bool(c.version and c.version.strip()),
        "creator": lambda c: bool(c.supplier or c.author),
        "licenses": lambda c: bool(c.licenses),
        "sha512": lambda c: any(_is_sha512(alg) for alg, _ in c.hashes),
        "dependencies": lambda c: bool(c.ref) and c.ref in linked,
        "unique_identifier": lambda c: bool(c.purl or c.cpe or c.swid),
        "purl": lambda c: bool(c.purl),
        "cpe": lambda c: bool(c.cpe),
    }


def _document_predicates(sbom: Sbom) -> dict[str, bool]:
    product = sbom.product
    return {
        "sbom_creator": bool(sbom.authors),
        "timestamp": bool(sbom.created),
        "product": product is not None,
        # Declared even when empty: a product entry in the graph states its direct dependencies.
        "top_level_dependencies": product is not None
        and (product.ref in sbom.dependencies or any(c.top_level for c in sbom.components)),
        "sbom_uri": bool(sbom.uri and _URI.match(sbom.uri.strip())),
    }


def check_quality(sbom: Sbom, rules: tuple[FieldRule, ...] | None = None) -> QualityReport:
    """Per-field coverage, failing components and a score (BSI TR-03183-2 v2.0, CRA Annex I Part II(1))."""
    rules = rules if rules is not None else load_rules()
    comp_preds = _component_predicates(sbom)
    for rule in rules:
        if rule.property:
            comp_preds[rule.id] = _has_property(rule.property, rule.values)
    doc_preds = _document_predicates(sbom)

    def assessed(rule: FieldRule) -> bool:
        return rule.assessed_for(sbom.format, sbom.spec_version)

    component_rules = [r for r in rules if r.level == "component" and assessed(r)]
    covered = dict.fromkeys((r.id for r in component_rules), 0)
    failing: list[ComponentFinding] = []
    for c in sbom.components:
        missing: list[str] = []
        for rule in component_rules:
            if comp_preds[rule.id](c):
                covered[rule.id] += 1
            elif rule.required:
                missing.append(rule.id)
        if missing:
            failing.append(ComponentFinding(c.ref, c.name, c.version, tuple(missing)))
    total = len(sbom.components)
    coverage: list[FieldCoverage] = []
    for rule in rules:
        if not assessed(rule):
            coverage.append(FieldCoverage(rule, 0, 0, assessed=False))
        elif rule.level == "document":
            coverage.append(FieldCoverage(rule, int(doc_preds[rule.id]), 1))
        else:
            coverage.append(FieldCoverage(rule, covered[rule.id], total))
    required = [f.percent for f in coverage if f.rule.required and f.percent is not None]
    score = round(sum(required) / len(required), 1) if required else 100.0
    return QualityReport(tuple(coverage), tuple(failing), total, score)
