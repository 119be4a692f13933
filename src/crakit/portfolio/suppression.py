"""Rule-based suppression with expiry: "this advisory does not concern us in these components,
until this date, because...". A rule matches findings by vulnerability (id or alias), component
(purl prefix, e.g. ``pkg:npm/left-pad`` for every version) and product (or every product); an
active rule silences alerts for what it matches and marks the findings suppressed. When it expires
the findings count again. Every rule and revocation is in the hash-chained history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crakit.portfolio.errors import NotFound, PortfolioError
from crakit.portfolio.models import ProductRow, SuppressionRow
from crakit.store import append

SUBJECT = "workbench-suppression"


@dataclass(frozen=True, slots=True)
class Rule:
    id: int
    product_id: int | None
    vuln_id: str | None
    purl_prefix: str | None
    reason: str
    expires_at: datetime | None
    created_by: str
    created_at: datetime
    revoked_at: datetime | None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def matches(self, product_id: int, purl: str, ids: Iterable[str]) -> bool:
        if self.product_id is not None and self.product_id != product_id:
            return False
        if self.purl_prefix is not None and not purl.startswith(self.purl_prefix):
            return False
        return self.vuln_id is None or self.vuln_id in set(ids)

    def to_json(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "product_id": self.product_id,
            "vulnerability": self.vuln_id,
            "purl_prefix": self.purl_prefix,
            "reason": self.reason,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "active": self.active(now),
        }


def _rule(row: SuppressionRow) -> Rule:
    return Rule(
        row.id,
        row.product_id,
        row.vuln_id,
        row.purl_prefix,
        row.reason,
        row.expires_at,
        row.created_by,
        row.created_at,
        row.revoked_at,
    )


def add_rule(
    session: Session,
    organisation_id: int,
    *,
    product_id: int | None,
    vuln_id: str | None,
    purl_prefix: str | None,
    reason: str,
    expires_at: datetime | None,
    actor: str,
    now: datetime,
) -> Rule:
    if not (vuln_id or purl_prefix):
        raise PortfolioError("a suppression rule names a vulnerability, a component (purl prefix) or both")
    if purl_prefix is not None and not purl_prefix.startswith("pkg:"):
        raise PortfolioError("a purl prefix starts with pkg:, e.g. pkg:npm/left-pad")
    if not reason.strip():
        raise PortfolioError("say why: a suppression rule needs a reason")
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise PortfolioError("expires_at needs a time zone (e.g. 2027-06-30T00:00:00Z)")
        if expires_at <= now:
            raise PortfolioError("expires_at is in the past")
    if product_id is not None:
        product = session.get(ProductRow, product_id)
        if product is None or product.organisation_id != organisation_id:
            raise NotFound(f"no product {product_id}")
    row = SuppressionRow(
        organisation_id=organisation_id,
        product_id=product_id,
        vuln_id=vuln_id or None,
        purl_prefix=purl_prefix or None,
        reason=reason.strip(),
        expires_at=expires_at,
        created_by=actor[:300],
        created_at=now,
    )
    session.add(row)
    session.flush()
    rule = _rule(row)
    append(session, SUBJECT, str(row.id), at=now, actor=actor, action="created", detail=rule.to_json(now))
    return rule


def revoke_rule(session: Session, organisation_id: int, rule_id: int, *, actor: str, now: datetime) -> None:
    row = session.get(SuppressionRow, rule_id, with_for_update=True)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(f"no suppression rule {rule_id}")
    if row.revoked_at is None:
        row.revoked_at = now
        append(session, SUBJECT, str(row.id), at=now, actor=actor, action="revoked", detail={})


def list_rules(session: Session, organisation_id: int) -> list[Rule]:
    rows = session.scalars(
        select(SuppressionRow)
        .where(SuppressionRow.organisation_id == organisation_id)
        .order_by(SuppressionRow.id)
    )
    return [_rule(r) for r in rows]


def active_rules(session: Session, organisation_ids: Iterable[int], now: datetime) -> dict[int, list[Rule]]:
    """Organisation -> its rules in force at ``now``."""
    ids = sorted(set(organisation_ids))
    out: dict[int, list[Rule]] = {}
    if not ids:
        return out
    rows = session.scalars(
        select(SuppressionRow).where(
            SuppressionRow.organisation_id.in_(ids),
            SuppressionRow.revoked_at.is_(None),
            or_(SuppressionRow.expires_at.is_(None), SuppressionRow.expires_at > now),
        )
    )
    for row in rows:
        out.setdefault(row.organisation_id, []).append(_rule(row))
    return out
