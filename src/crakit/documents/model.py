"""The typed shape every document is built into before it is rendered (HTML, Markdown, PDF, JSON).

A document is a list of sections holding items; an item is one element the law asks for (an Annex
point), with the text crakit could fill in, or what the manufacturer still has to write (``missing``).
The completeness table is read from the items, so it can never disagree with the document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "declaration",
    "simplified-declaration",
    "technical",
    "user-info",
    "cvd-policy",
    "checklist",
    "upstream-report",
]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Item:
    """One element of a document, e.g. Annex V point 7 or Annex VII point 2(b)."""

    key: str  # stable id: "V.7", "VII.2.b", "II.8.c", "I.2.a"
    label: str  # as the Annex numbers it: "7", "2(b)", "(2)(a)"
    title: str
    ref: str  # "Annex V point 7"
    text: str | None = None  # plain text written by crakit from the manifest and its decisions
    markdown: str | None = None  # the manufacturer's own text, from an evidence file
    bullets: tuple[str, ...] = ()
    table: Table | None = None
    missing: str | None = None  # what the manufacturer still has to write or decide; None: complete
    source: str | None = None  # the evidence file or manifest field that holds (or should hold) it

    @property
    def complete(self) -> bool:
        return self.missing is None


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    ref: str
    items: tuple[Item, ...] = ()
    intro: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """Something the reader must know that is not an element of the document (a warning, a rule)."""

    text: str
    ref: str


@dataclass(frozen=True, slots=True)
class Document:
    kind: Kind
    lang: str
    title: str
    product: str
    version: str
    manufacturer: str | None
    sections: tuple[Section, ...]
    generated: dt.date
    notes: tuple[Note, ...] = ()
    subtitle: str | None = None
    completeness: bool = True  # render the table of what is still missing
    labels: dict[str, str] = field(default_factory=dict)  # translated interface words for the templates
    assets: str | None = None  # folder that relative links of the evidence (photographs) resolve against

    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def missing(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items() if not item.complete)
