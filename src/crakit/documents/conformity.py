"""Which conformity-assessment procedure the declaration reports, and whether a notified body is needed.

The routes the law opens come from ``classify`` (Art 32); the procedure actually followed comes from
``conformity.module``. Without it, crakit infers only what the manifest shows: a notified body or a
certificate named means a third-party procedure; none named, where module A is open, means internal
control. It never picks a third-party module on the manufacturer's behalf.
"""

from __future__ import annotations

from dataclasses import dataclass

from crakit.manifest import Manifest
from crakit.regulation import Classification

THIRD_PARTY = ("module-b+c", "module-h")


@dataclass(frozen=True, slots=True)
class ConformityFacts:
    routes: tuple[str, ...]  # what Art 32 opens for this product
    module: str | None  # the procedure followed (declared or inferred); None: cannot tell
    assumed: bool  # ``module`` was inferred, not declared
    problem: str | None  # a declared module the law does not open for this product
    needs_notified_body: bool
    notified_body_name: str | None
    notified_body_number: str | None
    certificate: str | None
    certificate_issued: str | None
    certificate_issuer: str | None

    @property
    def notified_body_complete(self) -> bool:
        return bool(self.notified_body_name and self.notified_body_number and self.certificate)

    @property
    def ce_number(self) -> str | None:
        """The number that follows the CE marking: the notified body's, only for module H (Art 30(4))."""
        return self.notified_body_number if self.module == "module-h" else None


def conformity_facts(manifest: Manifest, result: Classification) -> ConformityFacts:
    declared = manifest.conformity
    body, cert = declared.notified_body, declared.certificate
    routes = result.conformity_routes
    module: str | None = declared.module
    assumed = False
    problem = None
    if module is not None and module not in routes:
        problem = (
            f"{module} is not a procedure the law opens for this product (open: {', '.join(routes) or 'none'}; "
            "Art 32): the declaration cannot rest on it"
        )
    if module is None:
        if body.name or body.number or cert.id:
            module = None  # a third-party procedure, but which one the manifest does not say
        elif "module-a" in routes:
            module, assumed = "module-a", True
    # With a declared module the law does not open, a notified body is needed if only third-party
    # procedures are open; otherwise when the procedure is third-party or cannot be told.
    needs = "module-a" not in routes if problem is not None else (module is None or module in THIRD_PARTY)
    return ConformityFacts(
        routes=routes,
        module=module,
        assumed=assumed,
        problem=problem,
        needs_notified_body=needs,
        notified_body_name=body.name,
        notified_body_number=body.number,
        certificate=cert.id,
        certificate_issued=cert.issued.isoformat() if cert.issued else None,
        certificate_issuer=cert.issuer,
    )
