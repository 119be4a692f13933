"""``/api/v1/products``: products and versions from manifests, SBOM uploads, findings, triage
and the OpenVEX export of a version's triage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from crakit import portfolio
from crakit.accounts import Principal
from crakit.web.auth import current_principal, store_of
from crakit.web.workbench_context import raw_body, require, vulndb_path

router = APIRouter(prefix="/api/v1/products", tags=["products"])
Caller = Annotated[Principal, Depends(current_principal)]
ProductId = Annotated[int, Path(ge=1, le=2**31 - 1)]
VersionQuery = Annotated[
    str | None, Query(max_length=200, description="The product version (default: the latest uploaded)")
]
_MANIFEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
        "description": "A crakit manifest (docs/manifest.md), YAML or JSON",
    }
}
_SBOM_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/xml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
        "description": "An SBOM in any format crakit reads (CycloneDX JSON/XML, SPDX 2 JSON/tag-value/YAML, SPDX 3)",
    }
}


def _now() -> datetime:
    return datetime.now(UTC)


class Created(BaseModel):
    id: int
    version_id: int
    created: bool


class VersionOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    version: str


class ProductOut(BaseModel):
    id: int
    name: str
    manufacturer: str
    versions: list[VersionOut]


class ProductList(BaseModel):
    products: list[ProductOut]


class SbomCreated(BaseModel):
    sbom_id: int
    product_id: int
    version: str
    components: int
    findings: int
    alerts: list[int]
    skipped_components: int = Field(
        0, description="components with no purl, no CPE and no name and version: not checked (not clean)"
    )


class FindingOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    purl: str
    id: str
    aliases: list[str]
    exploited: bool


class FindingList(BaseModel):
    product_id: int
    version: str
    findings: list[FindingOut]


class TriageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    purl: str = Field(min_length=1, max_length=2000)
    id: str = Field(min_length=1, max_length=200, description="The vulnerability id of the finding")
    state: str = Field(max_length=40, description=f"One of {', '.join(portfolio.STATES)}")
    justification: str | None = Field(None, max_length=80)
    response: str | None = Field(None, max_length=80)
    detail: str | None = Field(None, max_length=4000)


class TriageOut(BaseModel):
    purl: str
    id: str
    state: str
    history: list[dict[str, Any]]


@router.post(
    "",
    status_code=201,
    response_model=Created,
    summary="Add a product version from a manifest",
    openapi_extra=_MANIFEST_BODY,
)
async def create(request: Request, caller: Caller) -> Any:
    tenant = require(caller, "write")
    data = await raw_body(request)

    def work() -> Any:
        with store_of(request).transaction() as session:
            return portfolio.add_manifest(session, tenant, data, now=_now())

    added = await run_in_threadpool(work)
    return Created(id=added.product_id, version_id=added.version_id, created=added.created)


@router.get("", response_model=ProductList, summary="Every product with its versions")
def listed(request: Request, caller: Caller) -> Any:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        return {"products": [p.to_json() for p in portfolio.list_products(session, tenant)]}


@router.get("/{product_id}", response_model=ProductOut, summary="One product with its versions")
def one(request: Request, product_id: ProductId, caller: Caller) -> Any:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        return portfolio.get_product(session, tenant, product_id).to_json()


@router.post(
    "/{product_id}/sboms",
    status_code=201,
    response_model=SbomCreated,
    summary="Upload an SBOM for a version (default: the latest) and match it",
    openapi_extra=_SBOM_BODY,
)
async def upload(
    request: Request, product_id: ProductId, caller: Caller, version: VersionQuery = None
) -> Any:
    tenant = require(caller, "write")
    data = await raw_body(request)

    def work() -> Any:
        from crakit.vulndb import open_database

        sbom = portfolio.parse_upload(data)
        with open_database(vulndb_path(request)) as db, store_of(request).transaction() as session:
            row = portfolio.version_row(session, tenant, product_id, version)
            done = portfolio.add_sbom(session, db, row, sbom, actor=caller.actor, now=_now())
            return {
                "sbom_id": done.sbom_id,
                "product_id": product_id,
                "version": row.version,
                "components": done.components,
                "findings": done.findings,
                "alerts": list(done.alerts),
                "skipped_components": done.skipped,
            }

    return await run_in_threadpool(work)


@router.get("/{product_id}/findings", response_model=FindingList, summary="Current findings of a version")
def findings(request: Request, product_id: ProductId, caller: Caller, version: VersionQuery = None) -> Any:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        row = portfolio.version_row(session, tenant, product_id, version)
        return {
            "product_id": product_id,
            "version": row.version,
            "findings": [f.to_json() for f in portfolio.findings_of(session, row)],
        }


@router.post(
    "/{product_id}/triage", response_model=TriageOut, summary="Record a VEX triage decision on a finding"
)
def triage(
    request: Request, product_id: ProductId, body: TriageIn, caller: Caller, version: VersionQuery = None
) -> Any:
    tenant = require(caller, "write")
    decision = portfolio.Decision(body.state, body.justification, body.response, body.detail)
    with store_of(request).transaction() as session:
        row = portfolio.version_row(session, tenant, product_id, version)
        portfolio.set_triage(session, row, body.purl, body.id, decision, actor=caller.actor, now=_now())
        history = portfolio.triage_history(session, row, body.purl, body.id)
    return {"purl": body.purl, "id": body.id, "state": body.state, "history": history}


@router.get("/{product_id}/openvex", summary="The version's triage as an OpenVEX document")
def openvex(request: Request, product_id: ProductId, caller: Caller, version: VersionQuery = None) -> Any:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        row = portfolio.version_row(session, tenant, product_id, version)
        return portfolio.openvex(session, row, author=caller.organisation.name, now=_now())


@router.get("/{product_id}/cyclonedx-vex", summary="The version's triage as a CycloneDX VEX document")
def cyclonedx_vex(
    request: Request, product_id: ProductId, caller: Caller, version: VersionQuery = None
) -> Any:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        row = portfolio.version_row(session, tenant, product_id, version)
        return portfolio.cyclonedx_vex(session, row, now=_now())


@router.get(
    "/{product_id}/compare", summary="Compare two versions: components, findings, triage added/removed"
)
def compare(
    request: Request,
    product_id: ProductId,
    caller: Caller,
    base: Annotated[str, Query(max_length=200, description="The older version")],
    head: Annotated[str, Query(max_length=200, description="The newer version")],
) -> Any:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        old = portfolio.version_row(session, tenant, product_id, base)
        new = portfolio.version_row(session, tenant, product_id, head)
        return portfolio.compare_versions(session, old, new).to_json()
