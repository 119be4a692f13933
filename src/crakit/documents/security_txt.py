"""security.txt (RFC 9116): write one from the manifest, and validate any file against the RFC.

The validator follows RFC 9116 section 2 (and RFC 4880 section 7 for the OpenPGP cleartext frame), not
any one implementation: Contact at least once, Expires exactly once and not in the past, web URIs with
https, Preferred-Languages at most once with language tags, one 'Name: value' per line. Signature
verification is separate (:mod:`crakit.documents.signing`): a file is structurally valid or not
whether or not its signature can be checked here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from crakit.documents.errors import DocumentError
from crakit.manifest import Manifest

MAX_SECURITY_TXT_BYTES = 64 * 1024  # RFC 9116 files are a few lines; bound what is read
Severity = Literal["error", "warning", "notice"]

# RFC 9116 section 2.5 fields and whether they may repeat. CSAF is registered by CSAF 2.0 section 7.1.8.
FIELDS: dict[str, bool] = {
    "acknowledgments": True,
    "canonical": True,
    "contact": True,
    "encryption": True,
    "expires": False,
    "hiring": True,
    "policy": True,
    "preferred-languages": False,
    "csaf": True,
}
_URI_FIELDS = ("acknowledgments", "canonical", "contact", "encryption", "hiring", "policy", "csaf")
_LINE = re.compile(r"^([A-Za-z0-9!#$%&'*+\-.^_`|~]+):[ \t]*(.*?)[ \t]*$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
# RFC 3339 internet date/time (RFC 9116 2.5.5 uses the Internet profile of ISO 8601).
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
# RFC 5646 language tag, simplified to its shape: primary subtag and subtags of 1-8 alphanumerics.
_LANGUAGE = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{3}){0,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?(-[A-Za-z0-9]{5,8}|-\d[A-Za-z0-9]{3})*(-[A-WY-Za-wy-z0-9](-[A-Za-z0-9]{2,8})+)*(-[Xx](-[A-Za-z0-9]{1,8})+)?$|^[A-Za-z]{4,8}$|^[Xx](-[A-Za-z0-9]{1,8})+$"
)

BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----"
BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----"
END_SIGNATURE = "-----END PGP SIGNATURE-----"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    line: int | None
    message: str
    ref: str

    def to_json(self) -> dict[str, object]:
        return {"severity": self.severity, "line": self.line, "message": self.message, "ref": self.ref}


@dataclass(frozen=True, slots=True)
class SecurityTxtReport:
    fields: tuple[tuple[str, str], ...]  # (lower-case name, value) in file order
    signed: bool
    findings: tuple[Finding, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def values(self, name: str) -> list[str]:
        return [v for n, v in self.fields if n == name]

    def to_json(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "signed": self.signed,
            "fields": [{"name": n, "value": v} for n, v in self.fields],
            "findings": [f.to_json() for f in self.findings],
        }


def _unwrap(lines: list[str], findings: list[Finding]) -> tuple[list[tuple[int, str]], bool]:
    """The signed text of an OpenPGP cleartext message (RFC 4880 7.1), dash-escaping undone."""
    numbered = list(enumerate(lines, 1))
    first = next((i for i, (_, text) in enumerate(numbered) if text.strip()), None)
    if first is None or numbered[first][1].strip() != BEGIN_SIGNED:
        if any(text.strip() in (BEGIN_SIGNED, BEGIN_SIGNATURE) for _, text in numbered):
            findings.append(
                Finding("error", None, "an OpenPGP frame that does not start the file", "RFC 9116 2.3")
            )
        return numbered, False
    body_start = first + 1
    while body_start < len(numbered) and numbered[body_start][1].strip():  # armor headers ("Hash: SHA256")
        header = numbered[body_start][1]
        if not header.startswith("Hash:"):
            findings.append(
                Finding("error", numbered[body_start][0], f"unexpected armor header {header!r}", "RFC 4880 7")
            )
        body_start += 1
    try:
        sig = next(i for i in range(body_start, len(numbered)) if numbered[i][1].strip() == BEGIN_SIGNATURE)
    except StopIteration:
        findings.append(Finding("error", None, "signed message without a signature block", "RFC 4880 7"))
        return numbered[body_start + 1 :], True
    end = next((i for i in range(sig, len(numbered)) if numbered[i][1].strip() == END_SIGNATURE), None)
    if end is None:
        findings.append(Finding("error", None, "signature block without its END line", "RFC 4880 6.2"))
    elif any(text.strip() for _, text in numbered[end + 1 :]):
        findings.append(
            Finding("error", numbered[end + 1][0], "text after the signature block", "RFC 9116 2.3")
        )
    body = [(n, text[2:] if text.startswith("- ") else text) for n, text in numbered[body_start + 1 : sig]]
    return body, True


def check_security_txt(data: bytes, *, now: dt.datetime | None = None) -> SecurityTxtReport:
    """Validate a security.txt file against RFC 9116 (structure and values; not the signature)."""
    findings: list[Finding] = []
    if len(data) > MAX_SECURITY_TXT_BYTES:
        raise DocumentError(
            f"{len(data):,} bytes is too large for a security.txt (limit {MAX_SECURITY_TXT_BYTES:,})"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return SecurityTxtReport(
            (), False, (Finding("error", None, f"not UTF-8 (byte {exc.start})", "RFC 9116 2.2"),)
        )
    if text.startswith("\ufeff"):
        findings.append(Finding("warning", 1, "starts with a byte order mark", "RFC 9116 2.2"))
        text = text[1:]
    body, signed = _unwrap(text.replace("\r\n", "\n").split("\n"), findings)
    fields: list[tuple[str, str]] = []
    for number, line in body:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            findings.append(
                Finding("error", number, f"not a 'Name: value' field: {stripped[:60]!r}", "RFC 9116 3")
            )
            continue
        name, value = match.group(1).lower(), match.group(2)
        if not value:
            findings.append(Finding("error", number, f"{match.group(1)} has no value", "RFC 9116 3"))
            continue
        fields.append((name, value))
        _check_field(name, match.group(1), value, number, findings, now or dt.datetime.now(dt.UTC))
    _check_counts(fields, findings)
    return SecurityTxtReport(tuple(fields), signed, tuple(findings))


def _check_field(
    name: str, written: str, value: str, number: int, findings: list[Finding], now: dt.datetime
) -> None:
    if name not in FIELDS:
        findings.append(
            Finding(
                "notice", number, f"{written}: not a field of RFC 9116 (ignored by readers)", "RFC 9116 2.4"
            )
        )
        return
    if name in _URI_FIELDS:
        if not _URI.match(value):
            findings.append(
                Finding(
                    "error",
                    number,
                    f"{written}: {value!r} is not a URI (mailto:, https:, tel:)",
                    "RFC 9116 2.5",
                )
            )
        elif value.lower().startswith("http:"):
            findings.append(
                Finding("error", number, f"{written}: web URIs must use https, not {value!r}", "RFC 9116 2.5")
            )
        elif name != "contact" and name != "encryption" and not value.lower().startswith("https:"):
            findings.append(
                Finding(
                    "warning", number, f"{written}: expected an https:// URI, got {value!r}", "RFC 9116 2.5"
                )
            )
        elif name == "contact" and value.lower().startswith("mailto:") and "@" not in value:
            findings.append(
                Finding("error", number, f"Contact: {value!r} has no e-mail address", "RFC 9116 2.5.3")
            )
    if name == "expires":
        match = _DATETIME.match(value)
        if match is None:
            findings.append(
                Finding(
                    "error",
                    number,
                    f"Expires: {value!r} is not an RFC 3339 date-time (e.g. 2027-01-31T23:59:59Z)",
                    "RFC 9116 2.5.5",
                )
            )
            return
        try:
            when = dt.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T").replace("Z", "+00:00"))
        except ValueError:
            findings.append(
                Finding("error", number, f"Expires: {value!r} is not a real date-time", "RFC 9116 2.5.5")
            )
            return
        if when <= now:
            findings.append(
                Finding(
                    "error", number, f"Expires: {value} is in the past: the file is stale", "RFC 9116 2.5.5"
                )
            )
        elif when - now > dt.timedelta(days=366):
            findings.append(
                Finding("warning", number, f"Expires: {value} is more than a year ahead", "RFC 9116 2.5.5")
            )
    if name == "preferred-languages":
        for tag in (t.strip() for t in value.split(",")):
            if not _LANGUAGE.match(tag):
                findings.append(
                    Finding(
                        "error",
                        number,
                        f"Preferred-Languages: {tag!r} is not a language tag",
                        "RFC 9116 2.5.8",
                    )
                )


def _check_counts(fields: list[tuple[str, str]], findings: list[Finding]) -> None:
    names = [n for n, _ in fields]
    if "contact" not in names:
        findings.append(
            Finding("error", None, "no Contact field: at least one is required", "RFC 9116 2.5.3")
        )
    if "expires" not in names:
        findings.append(Finding("error", None, "no Expires field: exactly one is required", "RFC 9116 2.5.5"))
    for name, repeatable in FIELDS.items():
        if not repeatable and names.count(name) > 1:
            findings.append(
                Finding(
                    "error", None, f"{name} appears {names.count(name)} times; at most once", "RFC 9116 2.5"
                )
            )


def write_security_txt(manifest: Manifest, *, expires: dt.datetime) -> str:
    """The unsigned security.txt text of the manifest's security contact (Art 13(17), Annex I Part II(6))."""
    sc = manifest.security_contact
    if not sc.contact:
        raise DocumentError(
            "a security.txt needs at least one contact: set security_contact.contact in the manifest",
            hint="e.g. contact: [mailto:security@example.com]",
        )
    who = manifest.manufacturer.name or manifest.product.name
    lines = [
        f"# Security contact of {who} (RFC 9116), generated by crakit.",
        "# Report vulnerabilities in our products here (Regulation (EU) 2024/2847, Art 13(17), Annex I Part II(6)).",
    ]
    lines += [f"Contact: {c}" for c in sc.contact]
    lines.append(
        f"Expires: {expires.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace('+00:00', 'Z')}"
    )
    if sc.encryption:
        lines.append(f"Encryption: {sc.encryption}")
    if sc.policy:
        lines.append(f"Policy: {sc.policy}")
    if sc.acknowledgments:
        lines.append(f"Acknowledgments: {sc.acknowledgments}")
    lines += [f"Canonical: {c}" for c in sc.canonical]
    if sc.languages:
        lines.append(f"Preferred-Languages: {', '.join(sc.languages)}")
    if sc.hiring:
        lines.append(f"Hiring: {sc.hiring}")
    if sc.csaf:
        lines.append(f"CSAF: {sc.csaf}")
    return "\n".join(lines) + "\n"
