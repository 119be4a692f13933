"""Property: whatever the inputs, ``crakit csaf new`` writes documents that pass every mandatory test."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crakit.csaf import validate
from crakit.csaf.decisions import (
    JUSTIFICATIONS,
    REMEDIATIONS,
    Decisions,
    RemediationDecision,
    RevisionEntry,
    VulnDecision,
)
from crakit.csaf.findings import Finding
from crakit.csaf.produce import write_document
from crakit.csaf.revisions import bump_revision
from crakit.csaf.validator import load_document
from crakit.csaf.writer import ProductInfo, WriterOptions

text = st.text(
    st.characters(min_codepoint=32, max_codepoint=0x2FF, blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() != "")
version = st.from_regex(r"\A[0-9]{1,2}(\.[0-9]{1,2}){0,2}\Z")
vectors = st.sampled_from(
    [
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N",
        "CVSS:3.1/AV:P/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:L/E:P/RL:O",
    ]
)


@st.composite
def decision(draw: st.DrawFn, vid: str) -> VulnDecision:
    status = draw(st.sampled_from(["affected", "not_affected", "fixed", "under_investigation"]))
    justification = draw(st.sampled_from(JUSTIFICATIONS)) if status == "not_affected" else None
    impact = draw(st.one_of(st.none(), text)) if status == "not_affected" else None
    if status == "not_affected" and justification is None and impact is None:
        impact = "The vulnerable function is never called."
    remediation = draw(
        st.one_of(st.none(), st.builds(RemediationDecision, st.sampled_from(REMEDIATIONS), text, st.none()))
    )
    return VulnDecision(
        id=vid,
        status=status,
        justification=justification,
        impact=impact,
        remediation=remediation,
        cvss=draw(st.one_of(st.none(), vectors)),
        cwe=draw(st.sampled_from([None, "CWE-79", "CWE-787", "CWE-20"])),
        title=draw(st.one_of(st.none(), text)),
        description=draw(st.one_of(st.none(), text)),
    )


@st.composite
def inputs(draw: st.DrawFn) -> tuple[ProductInfo, Decisions, tuple[Finding, ...], str]:
    ids = draw(
        st.lists(
            st.one_of(
                st.from_regex(r"\ACVE-20[0-9]{2}-[0-9]{4,6}\Z"),
                st.from_regex(r"\AGHSA-[a-z0-9]{4}-[a-z0-9]{4}\Z"),
            ),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    dates = draw(st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)), min_size=0, max_size=4))
    product = ProductInfo(
        draw(text), draw(text), draw(version), draw(st.sampled_from(["software", "hardware"]))
    )
    decisions = Decisions(
        id=draw(st.from_regex(r"\A[A-Za-z][A-Za-z0-9 _.-]{0,20}\Z")),
        publisher_name=None,
        namespace="https://vendor.example",
        contact=None,
        tlp=draw(st.sampled_from(["WHITE", "GREEN", "AMBER", "RED"])),
        lang="en",
        status=draw(st.sampled_from(["final", "interim", "draft"])),
        title=None,
        summary=None,
        fixed_version=draw(st.one_of(st.none(), version)),
        affected_versions=tuple(draw(st.lists(version, max_size=2))),
        revisions=tuple(
            RevisionEntry(f"{d.isoformat()}T00:00:00.000Z", f"rev {i}") for i, d in enumerate(dates)
        ),
        vulnerabilities=tuple(draw(decision(vid)) for vid in ids),
    )
    findings = tuple(
        Finding(
            purl=f"pkg:pypi/lib{i}@1.0",
            id=vid,
            fixed=draw(st.one_of(st.none(), version)),
            exploited=draw(st.booleans()),
        )
        for i, vid in enumerate(ids)
    )
    return product, decisions, findings, draw(st.sampled_from(["advisory", "vex"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs())
def test_generated_documents_are_valid(case: tuple[ProductInfo, Decisions, tuple[Finding, ...], str]) -> None:
    product, decisions, findings, profile = case
    written = write_document(product, decisions, findings, options=WriterOptions(profile=profile))  # type: ignore[arg-type]
    report = validate(load_document(written.data))
    assert report.valid, [m for m in report.messages if m.severity == "error"]
    # No mandatory failure, and none of the recommended tests the writer can always satisfy.
    assert not report.failed() & {"6.2.1", "6.2.2", "6.2.11", "6.2.13", "6.2.16", "6.2.19", "6.2.20"}


@settings(max_examples=30, deadline=None)
@given(inputs(), st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=4))
def test_bumping_keeps_history_valid(
    case: tuple[ProductInfo, Decisions, tuple[Finding, ...], str], gaps: list[int]
) -> None:
    product, decisions, findings, profile = case
    doc = load_document(
        write_document(product, decisions, findings, options=WriterOptions(profile=profile)).data
    )  # type: ignore[arg-type]
    when = dt.datetime.fromisoformat(
        doc["document"]["tracking"]["current_release_date"].replace("Z", "+00:00")
    )
    for gap in gaps:
        when += dt.timedelta(days=gap)
        doc = bump_revision(doc, "update", when)
        report = validate(doc)
        assert report.valid, [m for m in report.messages if m.severity == "error"]
    assert (
        doc["document"]["tracking"]["version"]
        == doc["document"]["tracking"]["revision_history"][-1]["number"]
    )
