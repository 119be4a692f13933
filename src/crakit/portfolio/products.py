"""Products and their versions, from crakit manifests (YAML or JSON), classified on upload.

One product row per (organisation, product name); each manifest version is a version row with
the facts the workbench shows: category (Art 7, Annex III/IV), role, support period end and
whether it meets Art 13(8), and the Art 14(7) CSIRT route.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from crakit.portfolio.errors import NotFound, PortfolioError
from crakit.portfolio.models import ProductRow, VersionRow


@dataclass(frozen=True, slots=True)
class Added:
    product_id: int
    version_id: int
    created: bool  # a new version (False: the manifest of an existing version was replaced)


def _documents(manifest: Any, result: Any) -> dict[str, Any]:
    """How complete each conformity document is from the manifest alone (crakit.documents: the
    declaration, Annex V; the user information, Annex II; the technical documentation, Annex VII)."""
    from crakit.documents import DocumentError, build_declaration, build_technical, build_user_info

    out: dict[str, Any] = {}
    for name, build in (
        ("declaration", build_declaration),
        ("user_information", build_user_info),
        ("technical_documentation", build_technical),
    ):
        try:
            document = build(manifest, result=result)
        except DocumentError as exc:  # e.g. not applicable to a product outside the CRA
            out[name] = {"applies": False, "reason": exc.message}
            continue
        items = [item for section in document.sections for item in section.items]
        missing = [f"{item.ref}: {item.title}" for item in items if item.missing]
        out[name] = {"applies": True, "items": len(items), "missing": missing}
    return out


def _facts(manifest: Any) -> dict[str, Any]:
    from crakit.regulation import classify

    result = classify(manifest)
    support = result.support_period
    return {
        "manufacturer": manifest.manufacturer.name,
        "category": str(result.category) if result.category else None,
        "role": result.role,
        "in_scope": result.in_scope,
        "reporting_applies": result.reporting_applies,
        "support_end": str(support.end) if support.end else None,
        "support_ok": support.ok,  # Art 13(8); None when no placing date to count from
        "support_minimum_end": str(support.minimum_end) if support.minimum_end else None,
        "csirt_route": result.csirt_route.to_json() if result.csirt_route else None,
        "member_states": list(manifest.market.member_states),
        # the consumer page (Art 13(19)): the single point of contact (Art 13(17)) and advisories
        "contact": list(manifest.security_contact.contact),
        "cvd_policy": manifest.security_contact.policy,
        "advisories": manifest.security_contact.csaf,
        "documents": _documents(manifest, result),
    }


def add_manifest(session: Session, organisation_id: int, data: bytes, *, now: datetime) -> Added:
    """Store a product version from manifest text; the same name and version replaces the manifest."""
    from crakit.manifest import parse_manifest

    manifest = parse_manifest(data, "manifest")
    name, version = manifest.product.name.strip(), (manifest.product.version or "").strip()
    if not version:
        raise PortfolioError("the manifest names no product.version: a workbench row is one shipped version")
    facts = _facts(manifest)
    product = session.scalar(
        select(ProductRow).where(ProductRow.organisation_id == organisation_id, ProductRow.name == name)
    )
    if product is None:
        product = ProductRow(
            organisation_id=organisation_id, name=name, manufacturer=facts["manufacturer"], created_at=now
        )
        session.add(product)
        session.flush()
    row = session.scalar(
        select(VersionRow).where(VersionRow.product_id == product.id, VersionRow.version == version)
    )
    text = data.decode("utf-8", "replace")
    if row is not None:
        row.manifest, row.facts, row.support_end = text, facts, facts["support_end"]
        return Added(product.id, row.id, False)
    row = VersionRow(
        product_id=product.id,
        organisation_id=organisation_id,
        version=version,
        public_id=secrets.token_urlsafe(16),
        manifest=text,
        facts=facts,
        support_end=facts["support_end"],
        created_at=now,
    )
    session.add(row)
    session.flush()
    return Added(product.id, row.id, True)


@dataclass(frozen=True, slots=True)
class VersionView:
    id: int
    version: str
    public_id: str
    facts: dict[str, Any]
    created_at: datetime
    scanned_at: datetime | None
    components: int
    findings: int
    exploited: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "public_page": f"/p/{self.public_id}",
            "support_end": self.facts.get("support_end"),
            "support_ok": self.facts.get("support_ok"),
            "category": self.facts.get("category"),
            "documents": self.facts.get("documents"),
            "created_at": self.created_at.isoformat(),
            "scanned_at": self.scanned_at.isoformat() if self.scanned_at else None,
            "components": self.components,
            "findings": self.findings,
            "exploited": self.exploited,
        }


@dataclass(frozen=True, slots=True)
class ProductView:
    id: int
    name: str
    manufacturer: str
    versions: tuple[VersionView, ...]  # oldest first

    @property
    def latest(self) -> VersionView | None:
        return self.versions[-1] if self.versions else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "manufacturer": self.manufacturer,
            "versions": [v.to_json() for v in self.versions],
        }


def _product_row(session: Session, organisation_id: int, product_id: int) -> ProductRow:
    row = session.get(ProductRow, product_id)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(f"no product {product_id}")
    return row


def version_row(session: Session, organisation_id: int, product_id: int, version: str | None) -> VersionRow:
    """The named version of a product, or its latest when ``version`` is None."""
    _product_row(session, organisation_id, product_id)
    query = select(VersionRow).where(VersionRow.product_id == product_id)
    if version is not None:
        row = session.scalar(query.where(VersionRow.version == version))
        if row is None:
            raise NotFound(f"product {product_id} has no version {version!r}")
        return row
    row = session.scalar(query.order_by(VersionRow.id.desc()).limit(1))
    if row is None:
        raise NotFound(f"product {product_id} has no version yet")
    return row


def _version_views(session: Session, product_ids: list[int]) -> dict[int, list[VersionView]]:
    from crakit.portfolio.models import ComponentRow, FindingRow

    if not product_ids:
        return {}
    rows = list(
        session.scalars(
            select(VersionRow).where(VersionRow.product_id.in_(product_ids)).order_by(VersionRow.id)
        )
    )
    ids = [r.id for r in rows]
    components = dict(
        session.execute(
            select(ComponentRow.version_id, func.count())
            .where(ComponentRow.version_id.in_(ids))
            .group_by(ComponentRow.version_id)
        ).all()
    )
    findings: dict[int, tuple[int, int]] = {}
    for vid, total, exploited in session.execute(
        select(
            FindingRow.version_id,
            func.count(),
            func.sum(cast(FindingRow.exploited, Integer)),
        )
        .where(FindingRow.version_id.in_(ids))
        .group_by(FindingRow.version_id)
    ):
        findings[vid] = (int(total), int(exploited or 0))
    out: dict[int, list[VersionView]] = {}
    for r in rows:
        total, exploited = findings.get(r.id, (0, 0))
        out.setdefault(r.product_id, []).append(
            VersionView(
                r.id,
                r.version,
                r.public_id,
                dict(r.facts),
                r.created_at,
                r.scanned_at,
                int(components.get(r.id, 0)),
                total,
                exploited,
            )
        )
    return out


def list_products(session: Session, organisation_id: int) -> list[ProductView]:
    rows = list(
        session.scalars(
            select(ProductRow).where(ProductRow.organisation_id == organisation_id).order_by(ProductRow.name)
        )
    )
    versions = _version_views(session, [r.id for r in rows])
    return [ProductView(r.id, r.name, r.manufacturer, tuple(versions.get(r.id, ()))) for r in rows]


def get_product(session: Session, organisation_id: int, product_id: int) -> ProductView:
    row = _product_row(session, organisation_id, product_id)
    versions = _version_views(session, [row.id])
    return ProductView(row.id, row.name, row.manufacturer, tuple(versions.get(row.id, ())))
