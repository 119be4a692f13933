"""Spell checking for informative test 6.3.8, through hunspell when it is installed.

The checker is a collaborator passed to the validator: without one, 6.3.8 is reported as skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from typing import Protocol

from crakit.csaf.jsonview import JSON, arr, document, obj, product_tree, text, vulnerabilities, walk_branches

_URL = re.compile(r"(?:https?|ftp)://\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


class SpellChecker(Protocol):
    def misspelled(self, words: set[str], lang: str) -> set[str] | None:
        """The words not in the dictionary of ``lang``; None when no dictionary serves that language."""


class Hunspell:
    """``hunspell -a`` (ispell pipe mode) with the dictionary matching the document language."""

    def __init__(self, binary: str, dictionaries: Iterable[str]) -> None:
        self.binary = binary
        self.dictionaries = sorted(set(dictionaries))

    def _dictionary(self, lang: str) -> str | None:
        parts = lang.replace("-", "_").split("_")
        language = parts[0].lower()
        wanted = [f"{language}_{parts[1].upper()}"] if len(parts) > 1 else []
        wanted += [language, f"{language}_US" if language == "en" else f"{language}_{language.upper()}"]
        for name in wanted:
            if name in self.dictionaries:
                return name
        return next((d for d in self.dictionaries if d.lower().startswith(language + "_")), None)

    def misspelled(self, words: set[str], lang: str) -> set[str] | None:
        dictionary = self._dictionary(lang)
        if dictionary is None:
            return None
        ordered = sorted(words)
        if not ordered:
            return set()
        # "^" makes hunspell treat each line as text, never as a pipe-mode command.
        proc = subprocess.run(
            [self.binary, "-a", "-d", dictionary],
            input="".join(f"^{w}\n" for w in ordered),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if proc.returncode != 0:
            return None
        bad = set()
        for line in proc.stdout.splitlines():
            if line[:1] in ("&", "#"):
                bad.add(line.split()[1])
        return bad


def hunspell_checker(binary: str = "hunspell") -> Hunspell | None:
    """A hunspell checker with the installed dictionaries, or None when hunspell is absent."""
    path = shutil.which(binary)
    if path is None:
        return None
    try:
        proc = subprocess.run([path, "-D"], input="", capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    names = [
        line.rsplit("/", 1)[-1] for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("/")
    ]
    names = [n.removesuffix(".dic").removesuffix(".aff") for n in names]
    return Hunspell(path, names) if names else None


_DOCUMENT_PATHS = (
    ("acknowledgments", ("names[]", "organization", "summary")),
    ("aggregate_severity", ("text",)),
    ("distribution", ("text",)),
    ("notes", ("audience", "text", "title")),
    ("publisher", ("issuing_authority", "name")),
    ("references", ("summary",)),
)


def texts(doc: JSON) -> Iterator[tuple[str, str]]:
    """(pointer, text) of every human-language field test 6.3.8 covers."""
    meta = document(doc)

    def fields(container: JSON, base: str, keys: tuple[str, ...], many: bool) -> Iterator[tuple[str, str]]:
        items = list(enumerate(arr(container))) if many else [(None, container)]
        for i, item in items:
            prefix = base if i is None else f"{base}/{i}"
            for key in keys:
                if key.endswith("[]"):
                    for j, value in enumerate(arr(obj(item).get(key[:-2]))):
                        if isinstance(value, str):
                            yield f"{prefix}/{key[:-2]}/{j}", value
                elif isinstance(obj(item).get(key), str):
                    yield f"{prefix}/{key}", obj(item)[key]

    for key, subkeys in _DOCUMENT_PATHS:
        many = key in ("acknowledgments", "notes", "references")
        yield from fields(meta.get(key), f"/document/{key}", subkeys, many)
    if isinstance(meta.get("title"), str):
        yield "/document/title", meta["title"]
    track = obj(meta.get("tracking"))
    for i, alias in enumerate(arr(track.get("aliases"))):
        if isinstance(alias, str):
            yield f"/document/tracking/aliases/{i}", alias
    engine = text(obj(obj(track.get("generator")).get("engine")).get("name"))
    if engine is not None:
        yield "/document/tracking/generator/engine/name", engine
    yield from fields(
        track.get("revision_history"), "/document/tracking/revision_history", ("summary",), True
    )
    tree = product_tree(doc)
    yield from fields(tree.get("full_product_names"), "/product_tree/full_product_names", ("name",), True)
    yield from fields(tree.get("product_groups"), "/product_tree/product_groups", ("summary",), True)
    for i, rel in enumerate(arr(tree.get("relationships"))):
        yield from fields(
            obj(rel).get("full_product_name"),
            f"/product_tree/relationships/{i}/full_product_name",
            ("name",),
            False,
        )
    for path, branch, _ in walk_branches(doc):
        yield from fields(branch, path, ("name",), False)
        yield from fields(branch.get("product"), f"{path}/product", ("name",), False)
    for v, vuln in vulnerabilities(doc):
        base = f"/vulnerabilities/{v}"
        yield from fields(
            vuln.get("acknowledgments"),
            f"{base}/acknowledgments",
            ("names[]", "organization", "summary"),
            True,
        )
        yield from fields(vuln.get("involvements"), f"{base}/involvements", ("summary",), True)
        yield from fields(vuln.get("notes"), f"{base}/notes", ("audience", "text", "title"), True)
        yield from fields(vuln.get("references"), f"{base}/references", ("summary",), True)
        yield from fields(
            vuln.get("remediations"), f"{base}/remediations", ("details", "entitlements[]"), True
        )
        for i, rem in enumerate(arr(vuln.get("remediations"))):
            yield from fields(
                obj(rem).get("restart_required"),
                f"{base}/remediations/{i}/restart_required",
                ("details",),
                False,
            )
        yield from fields(vuln.get("threats"), f"{base}/threats", ("details",), True)
        if isinstance(vuln.get("title"), str):
            yield f"{base}/title", vuln["title"]


def words(value: str) -> list[str]:
    return _WORD.findall(_URL.sub(" ", value))


def check_spelling(doc: JSON, checker: SpellChecker) -> list[tuple[str, str]] | None:
    """Findings of test 6.3.8, or None when the document's language cannot be checked."""
    lang = text(document(doc).get("lang"))
    if lang is None:
        return None
    fields = list(texts(doc))
    vocabulary = {w for _, value in fields for w in words(value)}
    bad = checker.misspelled(vocabulary, lang)
    if bad is None:
        return None
    out = []
    for path, value in fields:
        found = sorted({w for w in words(value) if w in bad})
        if found:
            out.append((path, "possible spelling mistakes: " + ", ".join(found)))
    return out
