"""The manufacturer's own texts: one Markdown file per Annex section in an ``evidence/`` folder.

Documents are regenerated from these files, never edited by hand. A file is found by its section id
at the start of its name (``annex-vii-3-risk-assessment.md`` or just ``annex-vii-3.md``); HTML comments
are dropped (the template's guidance lives in them), and a file with nothing else counts as not written.
For the Annex I Part I(2) requirements the first line says whether the requirement applies
(``Applies: yes`` or ``Applies: no``); the rest is how it is met, or why it does not apply (Art 13(4)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from crakit.documents.errors import DocumentError
from crakit.readlimit import read_limited

MAX_EVIDENCE_BYTES = 1 << 20  # one section of a technical file; larger is not a text someone wrote
MAX_EVIDENCE_FILES = 500


@dataclass(frozen=True, slots=True)
class Slot:
    """One text the law asks the manufacturer to write."""

    id: str  # file-name prefix, e.g. "annex-vii-2a"
    slug: str  # the rest of the canonical file name
    ref: str  # "Annex VII point 2(a)"
    title: str  # English: what the section is
    guidance: str  # what to write (the template's comment)
    hardware_only: bool = False
    component_only: bool = False

    @property
    def filename(self) -> str:
        return f"{self.id}-{self.slug}.md"


_A7 = (
    Slot(
        "annex-vii-1a",
        "intended-purpose",
        "Annex VII point 1(a)",
        "Intended purpose",
        "The intended purpose of the product: what it is for, who uses it, in which environment.",
    ),
    Slot(
        "annex-vii-1b",
        "software-versions",
        "Annex VII point 1(b)",
        "Software versions",
        "The versions of the software that affect compliance with the essential cybersecurity requirements.",
    ),
    Slot(
        "annex-vii-1c",
        "photographs",
        "Annex VII point 1(c)",
        "Photographs or illustrations",
        "Photographs or illustrations showing external features, marking and internal layout (link the image files).",
        hardware_only=True,
    ),
    Slot(
        "annex-vii-2a",
        "design-development",
        "Annex VII point 2(a)",
        "Design and development",
        "Design and development information, with drawings and schemes where applicable, and a description "
        "of the system architecture: how the software components build on or feed into each other and "
        "integrate into the overall processing.",
    ),
    Slot(
        "annex-vii-2b",
        "vulnerability-handling",
        "Annex VII point 2(b)",
        "Vulnerability handling",
        "Anything the vulnerability-handling processes need beyond what crakit shows (SBOM, CVD policy, "
        "contact, update distribution): roles, tools, timelines.",
    ),
    Slot(
        "annex-vii-2c",
        "production-monitoring",
        "Annex VII point 2(c)",
        "Production and monitoring",
        "The production and monitoring processes of the product and how they are validated.",
    ),
    Slot(
        "annex-vii-3",
        "risk-assessment",
        "Annex VII point 3, Art 13(2)-(4)",
        "Cybersecurity risk assessment",
        "The cybersecurity risk assessment: intended purpose and reasonably foreseeable use, conditions of use "
        "(operational environment, assets to protect), expected time in use; the threats and risks found and "
        "how the design limits them.",
    ),
    Slot(
        "annex-vii-4",
        "support-period",
        "Annex VII point 4, Art 13(8)",
        "Support period rationale",
        "The information used to set the support period: the time users expect to use the product, its "
        "nature and intended purpose, support periods of comparable products and of integrated components.",
    ),
    Slot(
        "annex-vii-5",
        "solutions-adopted",
        "Annex VII point 5",
        "Solutions adopted",
        "Where no harmonised standard, common specification or certification scheme is applied in full: the "
        "solutions adopted to meet Annex I Parts I and II, other technical specifications used, and which "
        "parts of partly applied standards were applied.",
    ),
    Slot(
        "annex-vii-6",
        "test-reports",
        "Annex VII point 6",
        "Test reports",
        "Reports of the tests that verify the product and the vulnerability-handling processes against "
        "Annex I Parts I and II (list them with dates and results; link the reports).",
    ),
)

_PART_I = (
    ("1", "Appropriate level of cybersecurity based on the risks"),
    ("2a", "Made available without known exploitable vulnerabilities"),
    ("2b", "Secure by default configuration, with a reset to the original state"),
    ("2c", "Vulnerabilities addressable through security updates (automatic by default, opt-out)"),
    ("2d", "Protection from unauthorised access (authentication, identity or access management)"),
    ("2e", "Confidentiality of stored, transmitted or processed data (encryption)"),
    ("2f", "Integrity of data, commands, programs and configuration"),
    ("2g", "Data minimisation"),
    ("2h", "Availability of essential and basic functions, resilience against denial of service"),
    ("2i", "Minimised negative impact on other devices and networks"),
    ("2j", "Limited attack surfaces, including external interfaces"),
    ("2k", "Reduced impact of incidents (exploitation mitigation)"),
    ("2l", "Security-related information by recording and monitoring internal activity (opt-out)"),
    ("2m", "Secure and easy removal of data and settings; secure transfer"),
)
_PART_II = (
    ("1", "Identify and document vulnerabilities and components, with an SBOM"),
    ("2", "Address and remediate vulnerabilities without delay, security updates separate where feasible"),
    ("3", "Effective and regular tests and reviews of security"),
    ("4", "Share and publicly disclose fixed vulnerabilities"),
    ("5", "Coordinated vulnerability disclosure policy"),
    ("6", "Facilitate sharing of information on vulnerabilities; a contact address"),
    ("7", "Secure distribution of updates"),
    ("8", "Security updates disseminated without delay, free of charge, with advisory messages"),
)


def _point(code: str) -> str:
    return f"({code[0]})({code[1]})" if len(code) == 2 else f"({code})"


ANNEX_I = tuple(
    Slot(
        f"annex-i-part-i-{code}",
        "",
        f"Annex I Part I point {_point(code)}",
        title,
        "First line 'Applies: yes' or 'Applies: no'; then how the requirement is met, or why it does not "
        "apply to this product (Art 13(4))."
        if code != "1"
        else "How the product ensures a level of "
        "cybersecurity appropriate to the risks (Annex I Part I point (1)).",
    )
    for code, title in _PART_I
) + tuple(
    Slot(
        f"annex-i-part-ii-{code}",
        "",
        f"Annex I Part II point ({code})",
        title,
        "How the vulnerability-handling process meets this requirement (it applies to every product).",
    )
    for code, title in _PART_II
)

ANNEX_II = (
    Slot(
        "annex-ii-4",
        "intended-purpose",
        "Annex II point 4",
        "Intended purpose",
        "The intended purpose, the security environment the manufacturer provides, the product's essential "
        "functionalities and information about its security properties, written for users.",
    ),
    Slot(
        "annex-ii-5",
        "foreseeable-risks",
        "Annex II point 5",
        "Foreseeable risks",
        "Known or foreseeable circumstances, in intended use or reasonably foreseeable misuse, that may lead "
        "to significant cybersecurity risks.",
    ),
    Slot(
        "annex-ii-8a",
        "secure-use",
        "Annex II point 8(a)",
        "Secure use",
        "The measures to take at initial commissioning and throughout the lifetime to ensure secure use.",
    ),
    Slot(
        "annex-ii-8b",
        "changes-and-data",
        "Annex II point 8(b)",
        "Changes and data security",
        "How changes to the product can affect the security of data.",
    ),
    Slot(
        "annex-ii-8c",
        "installing-updates",
        "Annex II point 8(c)",
        "Installing updates",
        "How security-relevant updates can be installed.",
    ),
    Slot(
        "annex-ii-8d",
        "decommissioning",
        "Annex II point 8(d)",
        "Decommissioning",
        "Secure decommissioning, including how user data can be securely removed.",
    ),
    Slot(
        "annex-ii-8e",
        "automatic-updates",
        "Annex II point 8(e)",
        "Turning off automatic updates",
        "How the default setting that installs security updates automatically can be turned off.",
    ),
    Slot(
        "annex-ii-8f",
        "integration",
        "Annex II point 8(f)",
        "Information for integrators",
        "For a product meant to be integrated into other products: what the integrator needs to meet "
        "Annex I and Annex VII.",
        component_only=True,
    ),
)

SLOTS: tuple[Slot, ...] = (*_A7, *ANNEX_I, *ANNEX_II)
_BY_ID = {slot.id: slot for slot in SLOTS}
# Longest ids first, so "annex-i-part-ii-1" is never read as "annex-i-part-i-...".
_IDS = sorted(_BY_ID, key=len, reverse=True)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_APPLIES = re.compile(r"^\s*applies\s*:\s*(yes|no|true|false)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class EvidenceText:
    slot: Slot
    path: str
    markdown: str  # without the comments and the 'Applies:' line
    applies: bool | None  # Annex I Part I(2): the manufacturer's answer; None: not said


@dataclass(frozen=True, slots=True)
class Evidence:
    folder: str | None
    texts: dict[str, EvidenceText]
    unknown: tuple[str, ...] = ()  # Markdown files whose names match no section (typos)

    def get(self, slot_id: str) -> EvidenceText | None:
        return self.texts.get(slot_id)

    def where(self, slot_id: str) -> str:
        """Where the text is (or should be) written, for the completeness table."""
        found = self.texts.get(slot_id)
        if found is not None:
            return found.path
        return f"evidence/{_BY_ID[slot_id].filename if _BY_ID[slot_id].slug else slot_id + '.md'}"


def _slot_for(name: str) -> Slot | None:
    stem = name[: -len(".md")]
    for slot_id in _IDS:
        if stem == slot_id or stem.startswith(slot_id + "-"):
            return _BY_ID[slot_id]
    return None


def _parse(slot: Slot, path: Path) -> EvidenceText | None:
    raw = read_limited(path, MAX_EVIDENCE_BYTES, "evidence file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    text = _COMMENT.sub("", text).replace("\r\n", "\n")
    applies: bool | None = None
    lines = text.strip().split("\n")
    if lines and (match := _APPLIES.match(lines[0])):
        applies = match.group(1).lower() in ("yes", "true")
        text = "\n".join(lines[1:])
    if not text.strip() and applies is None:
        return None
    return EvidenceText(slot, str(path), text.strip(), applies)


def read_evidence(folder: Path | None) -> Evidence:
    """Read every section file of ``folder`` (None: no evidence folder, every text is still to write)."""
    if folder is None:
        return Evidence(None, {})
    if not folder.is_dir():
        raise DocumentError(
            f"{folder}: not a directory",
            hint="create it with: crakit docs evidence MANIFEST --dir " + str(folder),
        )
    texts: dict[str, EvidenceText] = {}
    unknown: list[str] = []
    files = sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.is_file())
    if len(files) > MAX_EVIDENCE_FILES:
        raise DocumentError(f"{folder}: {len(files)} Markdown files; at most {MAX_EVIDENCE_FILES} are read")
    for path in files:
        slot = _slot_for(path.name)
        if slot is None:
            if path.name.lower() != "readme.md":
                unknown.append(path.name)
            continue
        if slot.id in texts:
            raise DocumentError(
                f"{folder}: two files for {slot.ref}: {Path(texts[slot.id].path).name} and {path.name}",
                hint="keep one",
            )
        parsed = _parse(slot, path)
        if parsed is not None:
            texts[slot.id] = parsed
    return Evidence(str(folder), texts, tuple(unknown))


def write_templates(folder: Path, *, hardware: bool, component: bool, overwrite: bool = False) -> list[Path]:
    """Create one file per section with the guidance as a comment; existing files are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for slot in SLOTS:
        if (slot.hardware_only and not hardware) or (slot.component_only and not component):
            continue
        path = folder / (slot.filename if slot.slug else f"{slot.id}.md")
        existing = [p for p in folder.glob(f"{slot.id}*.md") if _slot_for(p.name) is slot]
        if existing and not overwrite:
            continue
        path.write_text(f"<!-- {slot.ref}: {slot.title}. {slot.guidance} -->\n", encoding="utf-8")
        written.append(path)
    return written
