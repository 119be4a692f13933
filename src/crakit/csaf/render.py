"""The human-readable advisory a user reads (CRA Annex I Part II(8)), rendered from a CSAF document.

The view model is extracted defensively (a document from elsewhere may be odd); HTML is rendered
with autoescaping, Markdown with its special characters escaped, so advisory text cannot inject markup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from crakit.csaf.jsonview import JSON, arr, document, full_product_names, obj, text, tracking, vulnerabilities

Format = Literal["html", "markdown"]

_STATUS_LABELS = (
    ("known_affected", "Affected"),
    ("first_affected", "First affected"),
    ("last_affected", "Last affected"),
    ("under_investigation", "Under investigation"),
    ("known_not_affected", "Not affected"),
    ("fixed", "Fixed"),
    ("first_fixed", "First fixed"),
    ("recommended", "Recommended"),
)


@dataclass(frozen=True, slots=True)
class NoteView:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class VulnView:
    name: str
    title: str
    cwe: str | None
    severity: str | None
    notes: tuple[NoteView, ...]
    statuses: tuple[tuple[str, tuple[str, ...]], ...]
    remediations: tuple[tuple[str, str, tuple[str, ...], str | None], ...]
    threats: tuple[tuple[str, str], ...]
    flags: tuple[tuple[str, tuple[str, ...]], ...]
    references: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class AdvisoryView:
    title: str
    id: str
    version: str
    status: str
    category: str
    initial: str
    current: str
    tlp: str
    publisher: str
    contact: str | None
    notes: tuple[NoteView, ...]
    products: tuple[tuple[str, str, str], ...]  # (id, name, identifiers)
    vulnerabilities: tuple[VulnView, ...]
    revisions: tuple[tuple[str, str, str], ...]
    references: tuple[tuple[str, str], ...] = field(default=())


def _s(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _when(value: Any) -> str:
    """A timestamp for people: ``2026-01-10 09:30 UTC`` (as written when it cannot be read)."""
    from crakit.csaf.versions import parse_datetime

    moment = parse_datetime(value)
    if moment is None:
        return _s(value)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _notes(items: Any) -> tuple[NoteView, ...]:
    out = []
    for note in arr(items):
        note = obj(note)
        if isinstance(note.get("text"), str):
            out.append(
                NoteView(
                    _s(note.get("title")) or _s(note.get("category")).replace("_", " ").capitalize(),
                    note["text"],
                )
            )
    return tuple(out)


def _web_url(value: Any) -> str | None:
    # Only web links become links: a "javascript:" or "data:" URL in a hostile document stays inert.
    return value if isinstance(value, str) and re.match(r"^https?://", value, re.IGNORECASE) else None


def _refs(items: Any) -> tuple[tuple[str, str], ...]:
    out = []
    for r in arr(items):
        url = _web_url(obj(r).get("url"))
        if url is not None:
            out.append((_s(obj(r).get("summary"), url), url))
    return tuple(out)


def _severity(vuln: dict[str, JSON]) -> str | None:
    best: tuple[float, str] | None = None
    for score in arr(vuln.get("scores")):
        for key in ("cvss_v3", "cvss_v2"):
            cvss = obj(obj(score).get(key))
            base = cvss.get("baseScore")
            if isinstance(base, int | float) and not isinstance(base, bool):
                label = f"{base} {_s(cvss.get('baseSeverity'))} ({_s(cvss.get('vectorString'))})".replace(
                    "  ", " "
                )
                if best is None or base > best[0]:
                    best = (float(base), label)
    return best[1] if best else None


def build_view(doc: JSON) -> AdvisoryView:
    """Extract what a reader needs from a (possibly imperfect) CSAF document."""
    meta, track = document(doc), tracking(doc)
    names: dict[str, str] = {}
    products = []
    for _, fpn in full_product_names(doc):
        pid, name = text(fpn.get("product_id")), _s(fpn.get("name"))
        if pid is None:
            continue
        names[pid] = name or pid
        helper = obj(fpn.get("product_identification_helper"))
        ids = ", ".join(str(helper[k]) for k in ("purl", "cpe") if isinstance(helper.get(k), str))
        products.append((pid, name, ids))

    def label(pids: Any) -> tuple[str, ...]:
        return tuple(names.get(p, p) for p in arr(pids) if isinstance(p, str))

    groups = {
        _s(obj(g).get("group_id")): [p for p in arr(obj(g).get("product_ids")) if isinstance(p, str)]
        for g in arr(obj(obj(doc).get("product_tree")).get("product_groups"))
    }

    def covered(item: dict[str, JSON]) -> tuple[str, ...]:
        pids = [p for p in arr(item.get("product_ids")) if isinstance(p, str)]
        for gid in arr(item.get("group_ids")):
            pids += groups.get(gid, []) if isinstance(gid, str) else []
        return label(pids)

    vulns = []
    for _, v in vulnerabilities(doc):
        status = obj(v.get("product_status"))
        id_texts = [_s(i.get("text")) for i in map(obj, arr(v.get("ids")))]
        name = _s(v.get("cve")) or ", ".join(i for i in id_texts if i) or "Vulnerability"
        cwe = obj(v.get("cwe"))
        vulns.append(
            VulnView(
                name=name,
                title=_s(v.get("title"), name),
                cwe=f"{_s(cwe.get('id'))}: {_s(cwe.get('name'))}" if cwe else None,
                severity=_severity(v),
                notes=_notes(v.get("notes")),
                statuses=tuple(
                    (lbl, label(status.get(k))) for k, lbl in _STATUS_LABELS if label(status.get(k))
                ),
                remediations=tuple(
                    (
                        _s(obj(r).get("category")).replace("_", " "),
                        _s(obj(r).get("details")),
                        covered(obj(r)),
                        _web_url(obj(r).get("url")),
                    )
                    for r in arr(v.get("remediations"))
                ),
                threats=tuple(
                    (_s(obj(t).get("category")).replace("_", " "), _s(obj(t).get("details")))
                    for t in arr(v.get("threats"))
                ),
                flags=tuple(
                    (_s(obj(f).get("label")).replace("_", " "), covered(obj(f))) for f in arr(v.get("flags"))
                ),
                references=_refs(v.get("references")),
            )
        )
    publisher = obj(meta.get("publisher"))
    return AdvisoryView(
        title=_s(meta.get("title"), "Security advisory"),
        id=_s(track.get("id")),
        version=_s(track.get("version")),
        status=_s(track.get("status")),
        category=_s(meta.get("category")),
        initial=_when(track.get("initial_release_date")),
        current=_when(track.get("current_release_date")),
        tlp=_s(obj(obj(meta.get("distribution")).get("tlp")).get("label"), "not given"),
        publisher=_s(publisher.get("name")),
        contact=text(publisher.get("contact_details")),
        notes=_notes(meta.get("notes")),
        products=tuple(products),
        vulnerabilities=tuple(vulns),
        revisions=tuple(
            (_s(obj(r).get("number")), _when(obj(r).get("date")), _s(obj(r).get("summary")))
            for r in arr(track.get("revision_history"))
        ),
        references=_refs(meta.get("references")),
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(value: str) -> str:
    """Escape Markdown syntax so advisory text renders as text."""
    return _MD_SPECIAL.sub(r"\\\1", value)


def md_code(value: str) -> str:
    """A Markdown code span that survives backticks inside the value."""
    fence = "``" if "`" in value else "`"
    return f"{fence} {value} {fence}" if fence == "``" else f"`{value}`"


def md_url(value: str) -> str:
    """A link target that cannot break out of ``(...)``."""
    return "".join(f"%{ord(c):02X}" if c in " <>()" or ord(c) < 32 else c for c in value)


def render(doc: JSON, fmt: Format) -> str:
    """The advisory as a standalone HTML page or a Markdown document."""
    from importlib import resources

    import jinja2

    view = build_view(doc)
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (
                resources.files("crakit.csaf")
                .joinpath("templates")
                .joinpath(name)
                .read_text(encoding="utf-8")
            )
        ),
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_escape
    env.filters["mdcode"] = md_code
    env.filters["mdurl"] = md_url
    template = env.get_template("advisory.html.j2" if fmt == "html" else "advisory.md.j2")
    return template.render(v=view)


# The name the package face exports (the module is called ``render`` too).
render_advisory = render
