"""Write a CSAF document and prove it valid before anyone sees it."""

from __future__ import annotations

from dataclasses import dataclass

from crakit.csaf.decisions import Decisions
from crakit.csaf.findings import Finding
from crakit.csaf.report import Report
from crakit.csaf.serialize import dumps
from crakit.csaf.validator import load_document, validate
from crakit.csaf.writer import ComponentInfo, ProductInfo, WriterOptions, build_document
from crakit.errors import EXIT_INTERNAL, CrakitError


class CsafWriterBug(CrakitError):
    """The writer produced a document that fails a mandatory test: a crakit bug (exit 3)."""

    exit_code = EXIT_INTERNAL


@dataclass(frozen=True, slots=True)
class Written:
    data: bytes
    report: Report
    warnings: tuple[str, ...]


def write_document(
    product: ProductInfo,
    decisions: Decisions,
    findings: tuple[Finding, ...] = (),
    components: tuple[ComponentInfo, ...] = (),
    options: WriterOptions | None = None,
) -> Written:
    """Build, serialise (keys sorted) and validate; raises :class:`CsafWriterBug` rather than emit an invalid file."""
    built = build_document(product, decisions, findings, components, options)
    data = dumps(built.document.to_json())
    report = validate(load_document(data))
    if not report.valid:
        first = next(m for m in report.messages if m.severity == "error")
        raise CsafWriterBug(f"generated document fails CSAF test {first.test} at {first.path}: {first.text}")
    return Written(data, report, built.warnings)
