"""The CSAF 2.0 validator: JSON schema plus every test of section 6 that needs no network.

A crakit advisory is how a manufacturer discloses a fixed vulnerability (CRA Annex I Part II(4))
and accompanies its security updates (Annex I Part II(8)); the validator is the gate that keeps
those documents machine-readable for CSIRTs and users.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

from crakit.csaf import cvss_checks, schema
from crakit.csaf.checks import (
    informative,
    mandatory_document,
    mandatory_products,
    mandatory_profiles,
    recommended,
)
from crakit.csaf.checks.registry import Check, check
from crakit.csaf.errors import CsafInputError
from crakit.csaf.jsonview import JSON
from crakit.csaf.report import SCHEMA_TEST, SEVERITY, Group, Message, Report, TestId
from crakit.csaf.spell import SpellChecker, check_spelling
from crakit.readlimit import read_limited

# Tests that cannot run offline or need an external program: reported as skipped, never as passed.
NOT_RUN: dict[str, str] = {
    "6.3.6": "needs the network (non-self referencing URLs failing to resolve)",
    "6.3.7": "needs the network (self referencing URLs failing to resolve)",
    "6.3.8": "needs a spell checker (hunspell and a dictionary for the document language); run when one is given",
}

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # well above the 15 MiB CSAF 2.0 size guidance (section 3.4)


def _collect() -> tuple[Check, ...]:
    found: list[Check] = []
    groups = (
        (Group.MANDATORY, (mandatory_products, mandatory_document, mandatory_profiles, cvss_checks)),
        (Group.RECOMMENDED, (recommended,)),
        (Group.INFORMATIVE, (informative,)),
    )
    for group, modules in groups:
        for module in modules:
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("test_6_") and fn.__module__ == module.__name__:
                    test_id = name[len("test_") :].replace("_", ".")
                    title = (fn.__doc__ or "").strip().splitlines()[0]
                    found.append(check(test_id, group, title, fn))
    return tuple(sorted(found, key=lambda c: tuple(int(p) for p in c.id.split("."))))


CHECKS: tuple[Check, ...] = _collect()


@dataclass(frozen=True, slots=True)
class ValidationOptions:
    """Which groups to run; the schema and mandatory tests always run."""

    recommended: bool = True
    informative: bool = True
    spellchecker: SpellChecker | None = None  # runs test 6.3.8 when given (e.g. spell.hunspell_checker())


def _wanted(c: Check, options: ValidationOptions) -> bool:
    if c.group is Group.RECOMMENDED:
        return options.recommended
    if c.group is Group.INFORMATIVE:
        return options.informative
    return True


def validate(doc: JSON, options: ValidationOptions | None = None) -> Report:
    """Validate a decoded CSAF 2.0 document against the schema and the section 6 tests."""
    options = options or ValidationOptions()
    messages: list[Message] = []
    for path, text in schema.errors(schema.csaf_validator(), doc):
        if not schema.is_cvss_path(path):  # CVSS objects are test 6.1.8's business
            messages.append(Message(SCHEMA_TEST, "error", path, text))
    skipped: list[TestId] = []
    for c in CHECKS:
        if not _wanted(c, options):
            continue
        try:
            found = list(c.run(doc))
        except Exception:
            skipped.append(c.id)
            continue
        severity = SEVERITY[c.group]
        messages.extend(Message(c.id, severity, path, text) for path, text in found)
    if options.informative:
        skipped += [TestId("6.3.6"), TestId("6.3.7")]
        spelling = check_spelling(doc, options.spellchecker) if options.spellchecker is not None else None
        if spelling is None:
            skipped.append(TestId("6.3.8"))
        else:
            messages.extend(Message(TestId("6.3.8"), "info", path, text) for path, text in spelling)
    return Report(tuple(messages), tuple(skipped))


def load_document(data: bytes, source: str = "<input>") -> JSON:
    """Decode a CSAF document; a one-line :class:`CsafInputError` when it is not JSON."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CsafInputError(f"{source}: {len(data)} bytes is larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CsafInputError(f"{source}: not JSON ({exc})") from exc


def validate_file(path: Path, options: ValidationOptions | None = None) -> Report:
    return validate(read_document(path), options)


def validate_files(paths: Iterable[Path], options: ValidationOptions | None = None) -> dict[str, Report]:
    return {str(p): validate_file(p, options) for p in paths}


def read_document(path: Path) -> JSON:
    """Read and decode the CSAF document at ``path``; the size limit is checked before reading."""
    return load_document(read_limited(path, MAX_DOCUMENT_BYTES, "CSAF document"), str(path))
