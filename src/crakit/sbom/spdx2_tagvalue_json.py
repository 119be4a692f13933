"""An SPDX 2.x tag-value document in the shape of SPDX 2.x JSON, for schema validation.

Tag-value has no schema of its own, but the SPDX specification defines every tag as a field of
the same model the JSON schema describes. Mapping each tag to its JSON field lets ``validate``
hold tag-value to the same mandatory fields and value rules as JSON (Annex I Part II(1): a
"commonly used and machine-readable format"). Tags the specification does not define, tags in
the wrong section and malformed values are reported with their line numbers.

The reader (:mod:`spdx2_tagvalue`) stays lenient and reads only what crakit uses; this module is
for ``validate`` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# section (JSON array) -> {tag: (JSON field, kind)}; the first tag of each section opens a new element
_TAGS: dict[str, dict[str, tuple[str, str]]] = {
    "document": {
        "SPDXVersion": ("spdxVersion", "str"),
        "DataLicense": ("dataLicense", "str"),
        "SPDXID": ("SPDXID", "str"),
        "DocumentName": ("name", "str"),
        "DocumentNamespace": ("documentNamespace", "str"),
        "DocumentComment": ("comment", "str"),
        "ExternalDocumentRef": ("externalDocumentRefs", "extdoc"),
        "LicenseListVersion": ("licenseListVersion", "creation"),
        "Creator": ("creators", "creation-list"),
        "Created": ("created", "creation"),
        "CreatorComment": ("comment", "creation"),
    },
    "packages": {
        "PackageName": ("name", "str"),
        "SPDXID": ("SPDXID", "str"),
        "PackageVersion": ("versionInfo", "str"),
        "PackageFileName": ("packageFileName", "str"),
        "PackageSupplier": ("supplier", "str"),
        "PackageOriginator": ("originator", "str"),
        "PackageDownloadLocation": ("downloadLocation", "str"),
        "FilesAnalyzed": ("filesAnalyzed", "bool"),
        "PackageVerificationCode": ("packageVerificationCode", "pvc"),
        "PackageChecksum": ("checksums", "checksum"),
        "PackageHomePage": ("homepage", "str"),
        "PackageSourceInfo": ("sourceInfo", "str"),
        "PackageLicenseConcluded": ("licenseConcluded", "str"),
        "PackageLicenseInfoFromFiles": ("licenseInfoFromFiles", "list"),
        "PackageLicenseDeclared": ("licenseDeclared", "str"),
        "PackageLicenseComments": ("licenseComments", "str"),
        "PackageCopyrightText": ("copyrightText", "str"),
        "PackageSummary": ("summary", "str"),
        "PackageDescription": ("description", "str"),
        "PackageComment": ("comment", "str"),
        "ExternalRef": ("externalRefs", "extref"),
        "ExternalRefComment": ("externalRefs", "extref-comment"),
        "PackageAttributionText": ("attributionTexts", "list"),
        "PrimaryPackagePurpose": ("primaryPackagePurpose", "str"),
        "ReleaseDate": ("releaseDate", "str"),
        "BuiltDate": ("builtDate", "str"),
        "ValidUntilDate": ("validUntilDate", "str"),
    },
    "files": {
        "FileName": ("fileName", "str"),
        "SPDXID": ("SPDXID", "str"),
        "FileType": ("fileTypes", "list"),
        "FileChecksum": ("checksums", "checksum"),
        "LicenseConcluded": ("licenseConcluded", "str"),
        "LicenseInfoInFile": ("licenseInfoInFiles", "list"),
        "LicenseComments": ("licenseComments", "str"),
        "FileCopyrightText": ("copyrightText", "str"),
        "FileComment": ("comment", "str"),
        "FileNotice": ("noticeText", "str"),
        "FileContributor": ("fileContributors", "list"),
        "FileAttributionText": ("attributionTexts", "list"),
        "FileDependency": ("fileDependencies", "list"),  # deprecated since 2.0, still in the schema
        "ArtifactOfProjectName": ("artifactOfs", "artifact"),
        "ArtifactOfProjectHomePage": ("artifactOfs", "artifact-homePage"),
        "ArtifactOfProjectURI": ("artifactOfs", "artifact-projectUri"),
    },
    "snippets": {
        "SnippetSPDXID": ("SPDXID", "str"),
        "SnippetFromFileSPDXID": ("snippetFromFile", "str"),
        "SnippetByteRange": ("ranges", "range-offset"),
        "SnippetLineRange": ("ranges", "range-lineNumber"),
        "SnippetLicenseConcluded": ("licenseConcluded", "str"),
        "LicenseInfoInSnippet": ("licenseInfoInSnippets", "list"),
        "SnippetLicenseComments": ("licenseComments", "str"),
        "SnippetCopyrightText": ("copyrightText", "str"),
        "SnippetComment": ("comment", "str"),
        "SnippetName": ("name", "str"),
        "SnippetAttributionText": ("attributionTexts", "list"),
    },
    "hasExtractedLicensingInfos": {
        "LicenseID": ("licenseId", "str"),
        "ExtractedText": ("extractedText", "str"),
        "LicenseName": ("name", "str"),
        "LicenseCrossReference": ("seeAlsos", "list"),
        "LicenseComment": ("comment", "str"),
    },
    "annotations": {
        "Annotator": ("annotator", "str"),
        "AnnotationDate": ("annotationDate", "str"),
        "AnnotationType": ("annotationType", "str"),
        "SPDXREF": ("", "skip"),  # the annotated element; JSON nests the annotation in it instead
        "AnnotationComment": ("comment", "str"),
    },
    "revieweds": {
        "Reviewer": ("reviewer", "str"),
        "ReviewDate": ("reviewDate", "str"),
        "ReviewComment": ("comment", "str"),
    },
}
_OPENERS = {
    "PackageName": "packages",
    "FileName": "files",
    "SnippetSPDXID": "snippets",
    "LicenseID": "hasExtractedLicensingInfos",
    "Annotator": "annotations",
    "Reviewer": "revieweds",
}
_SECTION_NAMES = {
    "document": "the document creation information",
    "packages": "a package",
    "files": "a file",
    "snippets": "a snippet",
    "hasExtractedLicensingInfos": "an extracted licence",
    "annotations": "an annotation",
    "revieweds": "a review",
}
_KNOWN = frozenset(tag for tags in _TAGS.values() for tag in tags) | {"Relationship", "RelationshipComment"}
_VERIFICATION_CODE = re.compile(r"^(\S+)\s*(?:\(\s*excludes:\s*(.*?)\s*\))?$", re.I)
_RANGE = re.compile(r"^(\d+):(\d+)$")


@dataclass(slots=True)
class TagValueJson:
    """The document in JSON shape, the line of each JSON pointer, and the tag-value errors found."""

    doc: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def line_of(self, pointer: str) -> int | None:
        """The line of ``pointer`` or of the nearest enclosing element that has one."""
        while True:
            if pointer in self.lines:
                return self.lines[pointer]
            if "/" not in pointer.strip("/"):
                return self.lines.get(pointer) if pointer else None
            pointer = pointer.rsplit("/", 1)[0]


def tag_of(section_pointer: str, json_field: str) -> str | None:
    """The tag-value tag of a JSON field in the section ``/packages/3`` (or the document)."""
    parts = section_pointer.strip("/").split("/")
    section = parts[0] if parts[0] in _TAGS and len(parts) >= 2 else "document"
    for tag, (name, kind) in _TAGS[section].items():
        if name == json_field and kind in (
            "str",
            "bool",
            "pvc",
            "checksum",
            "list",
            "creation",
            "creation-list",
        ):
            return tag
    if section == "document" and json_field == "creationInfo":
        return "Creator/Created"
    return None


def to_json(text: str) -> TagValueJson:
    """Map every tag of ``text`` to SPDX 2.x JSON; unknown or misplaced tags become errors."""
    out = TagValueJson()
    doc = out.doc
    section, element, index = "document", doc, -1
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        lineno = i + 1
        stripped = lines[i].strip()
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        tag, sep, value = stripped.partition(":")
        if not sep or not tag or " " in tag:
            out.errors.append((lineno, f"not a tag-value line: {stripped[:60]!r}"))
            continue
        value = value.strip()
        if value.startswith("<text>"):
            body, closed, i = _text_block(value, lines, i)
            if not closed:
                out.errors.append((lineno, f"{tag}: <text> block never closed"))
            value = body
        if tag not in _KNOWN:
            out.errors.append((lineno, f"unknown tag {tag!r}"))
            continue
        if tag in ("Relationship", "RelationshipComment"):
            _relationship(out, tag, value, lineno)
            continue
        if tag in _OPENERS:
            section = _OPENERS[tag]
            element = {}
            items = doc.setdefault(section, [])
            index = len(items)
            items.append(element)
            out.lines[f"/{section}/{index}"] = lineno
        elif tag not in _TAGS[section]:
            out.errors.append((lineno, f"tag {tag!r} does not belong to {_SECTION_NAMES[section]}"))
            continue
        name, kind = _TAGS[section][tag]
        where = f"/{section}/{index}" if section != "document" else ""
        problem = _store(element, doc, name, kind, value)
        if problem:
            out.errors.append((lineno, f"{tag}: {problem}"))
        elif kind != "skip":
            out.lines.setdefault(
                f"{where}/creationInfo/{name}" if kind.startswith("creation") else f"{where}/{name}", lineno
            )
    for snippet in doc.get("snippets", ()):
        for rng in snippet.get("ranges", ()):
            for end in rng.values():
                end["reference"] = snippet.get("snippetFromFile", "")
    return out


def _store(element: dict[str, Any], doc: dict[str, Any], name: str, kind: str, value: str) -> str | None:
    """Put one value in its JSON place; return what is wrong with it, if anything."""
    if kind == "str":
        element[name] = value
    elif kind == "list":
        element.setdefault(name, []).append(value)
    elif kind == "creation":
        doc.setdefault("creationInfo", {})[name] = value
    elif kind == "creation-list":
        doc.setdefault("creationInfo", {}).setdefault(name, []).append(value)
    elif kind == "bool":
        # the schema's boolean: anything but true/false stays text and fails validation there
        element[name] = {"true": True, "false": False}.get(value.lower(), value)
    elif kind == "checksum":
        alg, sep, digest = value.partition(":")
        if not sep:
            return f"needs 'ALGORITHM: value', got {value[:60]!r}"
        element.setdefault(name, []).append({"algorithm": alg.strip(), "checksumValue": digest.strip()})
    elif kind == "extref":
        parts = value.split(None, 2)
        if len(parts) != 3:
            return f"needs 'CATEGORY TYPE locator', got {value[:60]!r}"
        ref = {"referenceCategory": parts[0], "referenceType": parts[1], "referenceLocator": parts[2]}
        element.setdefault(name, []).append(ref)
    elif kind == "extref-comment":
        if not element.get(name):
            return "no ExternalRef before it"
        element[name][-1]["comment"] = value
    elif kind == "extdoc":
        parts = value.split(None, 2)
        alg, sep, digest = parts[2].partition(":") if len(parts) == 3 else ("", "", "")
        if not sep:
            return f"needs 'DocumentRef-id URI ALGORITHM: value', got {value[:60]!r}"
        element.setdefault(name, []).append(
            {
                "externalDocumentId": parts[0],
                "spdxDocument": parts[1],
                "checksum": {"algorithm": alg.strip(), "checksumValue": digest.strip()},
            }
        )
    elif kind == "pvc":
        found = _VERIFICATION_CODE.match(value)
        if found is None:
            return f"needs 'value (excludes: files)', got {value[:60]!r}"
        code: dict[str, Any] = {"packageVerificationCodeValue": found.group(1)}
        if found.group(2):
            code["packageVerificationCodeExcludedFiles"] = [found.group(2)]
        element[name] = code
    elif kind.startswith("range-"):
        found = _RANGE.match(value)
        if found is None:
            return f"needs 'start:end', got {value[:60]!r}"
        unit = kind.removeprefix("range-")
        element.setdefault(name, []).append(
            {"startPointer": {unit: int(found.group(1))}, "endPointer": {unit: int(found.group(2))}}
        )
    elif kind == "artifact":
        element.setdefault(name, []).append({"name": value})
    elif kind.startswith("artifact-"):
        if not element.get(name):
            return "no ArtifactOfProjectName before it"
        element[name][-1][kind.removeprefix("artifact-")] = value
    return None


def _relationship(out: TagValueJson, tag: str, value: str, lineno: int) -> None:
    items = out.doc.setdefault("relationships", [])
    if tag == "RelationshipComment":
        if not items:
            out.errors.append((lineno, "RelationshipComment: no Relationship before it"))
        else:
            items[-1]["comment"] = value
        return
    parts = value.split()
    if len(parts) != 3:
        out.errors.append((lineno, f"Relationship needs 'element TYPE related', got {value[:60]!r}"))
        return
    out.lines[f"/relationships/{len(items)}"] = lineno
    items.append({"spdxElementId": parts[0], "relationshipType": parts[1], "relatedSpdxElement": parts[2]})


def _text_block(value: str, lines: list[str], i: int) -> tuple[str, bool, int]:
    """A ``<text>`` value may span lines up to ``</text>``: (value, closed, next line index)."""
    body = value[len("<text>") :]
    parts = []
    while "</text>" not in body:
        parts.append(body)
        if i >= len(lines):
            return "\n".join(parts), False, i
        body = lines[i]
        i += 1
    parts.append(body[: body.index("</text>")])
    return "\n".join(parts), True, i
