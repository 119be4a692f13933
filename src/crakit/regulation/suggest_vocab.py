"""The suggestion vocabulary (``data/vocabulary.yaml``) compiled for fast whole-word matching.

The data file says which words vendors use for each Annex III/IV category (Art 7(1), Art 8(1); scope
per Implementing Regulation (EU) 2025/2392); this module only turns it into lookup tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from crakit.regulation.law import annex_index, load_data, technical_descriptions
from crakit.regulation.suggest_text import normalise_word, phrase_words

Role = Literal["strong", "head", "function", "support", "veto", "other", "neutral"]

STRONG_WEIGHT = 4.0
HEAD_PHRASE_WEIGHT = 3.0
HEAD_WORD_WEIGHT = 2.0
FUNCTION_WEIGHT = 1.5
DEFAULT_SUPPORT_WEIGHT = 0.75
# A "*" in a phrase stands for up to this many words.
GAP_WORDS = 3


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a vocabulary phrase."""

    norm: str  # normalised form; "" for a gap
    exact: str | None = None  # surface the text must show (case-sensitive abbreviations)
    gap: bool = False


@dataclass(frozen=True, slots=True)
class Term:
    """A phrase and what it says about one entry (or about no entry, for "other"/"neutral")."""

    phrase: str  # as written in the data file, used as the identity of the phrase
    words: tuple[Word, ...]
    role: Role
    entry: str | None
    weight: float
    groups: tuple[int, ...] = ()  # indexes of the entry's `requires` groups this term satisfies


@dataclass(frozen=True, slots=True)
class EntryRules:
    required_groups: int


@dataclass(frozen=True, slots=True)
class Vocabulary:
    by_first_word: Mapping[str, tuple[Term, ...]]
    rules: Mapping[str, EntryRules]
    negation: tuple[tuple[str, ...], ...]
    ancillary: tuple[tuple[str, ...], ...]
    owned: tuple[tuple[str, ...], ...]
    object: tuple[tuple[str, ...], ...]
    after: frozenset[str]
    compounds: frozenset[str]

    def joins(self, word: str) -> bool:
        return word in self.compounds


def _raw_words(phrase: str) -> list[tuple[str, str]]:
    return [(normalise_word(w) if w else "", mark) for w, mark in phrase_words(phrase)]


def _compile_words(phrase: str, compounds: frozenset[str]) -> tuple[Word, ...]:
    surfaces = [w for w, _ in phrase_words(phrase)]
    parts = _raw_words(phrase)
    words: list[Word] = []
    i = 0
    while i < len(parts):
        norm, mark = parts[i]
        if mark == "*":
            words.append(Word("", gap=True))
            i += 1
            continue
        # Merge the same compounds the text side merges ("smart card" -> "smartcard").
        if i + 1 < len(parts) and not mark and not parts[i + 1][1]:
            joined = normalise_word(surfaces[i] + surfaces[i + 1])
            if joined in compounds and len(surfaces[i]) > 1 and len(surfaces[i + 1]) > 1:
                words.append(Word(joined))
                i += 2
                continue
        words.append(Word(norm, exact=surfaces[i] if mark == "=" else None))
        i += 1
    if not words or words[0].gap or words[-1].gap:
        raise ValueError(f"vocabulary phrase {phrase!r} must start and end with a word")
    return tuple(words)


def _marker_words(phrases: Iterable[object], compounds: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    out = []
    for phrase in phrases:
        if not isinstance(phrase, str):  # YAML reads a bare `no` or `on` as a boolean
            raise ValueError(f"vocabulary marker {phrase!r} must be a string")
        out.append(tuple(w.norm for w in _compile_words(phrase, compounds)))
    return tuple(out)


def _single_words(data: Mapping[str, Any]) -> set[str]:
    """Every word spelled in the data file: the compounds the tokenizer may rebuild ("wi-fi" -> "wifi")."""
    phrases: list[str] = []
    markers = data["markers"]
    for key in ("negation", "ancillary", "owned", "object", "after"):
        phrases.extend(markers.get(key, []))
    phrases.extend(data["other"])
    phrases.extend(data["neutral"])
    for spec in data["entries"].values():
        for key in ("strong", "head", "function", "support", "veto"):
            phrases.extend(spec.get(key, []))
        for group in spec.get("requires", []):
            phrases.extend(group)
    return {normalise_word(w.lstrip("=")) for p in phrases for w in str(p).split() if w != "*"}


def compile_vocabulary(data: Mapping[str, Any]) -> Vocabulary:
    """Build the lookup tables; raises ValueError on an entry id that is not in the Annexes."""
    known = annex_index()
    compounds = frozenset(_single_words(data))
    terms: list[Term] = []

    def add(
        phrase: object, role: Role, entry: str | None, weight: float, groups: tuple[int, ...] = ()
    ) -> None:
        if not isinstance(phrase, str):  # YAML reads a bare `no` or `on` as a boolean
            raise ValueError(f"vocabulary phrase {phrase!r} ({role}, {entry}) must be a string")
        terms.append(Term(phrase, _compile_words(phrase, compounds), role, entry, weight, groups))

    for phrase in data["other"]:
        add(phrase, "other", None, 0.0)
    for phrase in data["neutral"]:
        add(phrase, "neutral", None, 0.0)
    rules: dict[str, EntryRules] = {}
    for entry, spec in data["entries"].items():
        if entry not in known:
            raise ValueError(f"vocabulary names unknown Annex entry {entry!r}")
        support_weight = float(spec.get("support_weight", DEFAULT_SUPPORT_WEIGHT))
        groups: dict[str, list[int]] = defaultdict(list)
        for index, group in enumerate(spec.get("requires", [])):
            for phrase in group:
                groups[str(phrase)].append(index)
        seen: set[str] = set()
        for phrase in spec.get("strong", []):
            add(phrase, "strong", entry, STRONG_WEIGHT, tuple(groups.get(phrase, ())))
            seen.add(phrase)
        for phrase in spec.get("head", []):
            words = len([w for w in str(phrase).split() if w != "*"])
            weight = HEAD_PHRASE_WEIGHT if words > 1 else HEAD_WORD_WEIGHT
            add(phrase, "head", entry, weight, tuple(groups.get(phrase, ())))
            seen.add(phrase)
        for phrase in spec.get("function", []):
            add(phrase, "function", entry, FUNCTION_WEIGHT, tuple(groups.get(phrase, ())))
            seen.add(phrase)
        for phrase in spec.get("support", []):
            add(phrase, "support", entry, support_weight, tuple(groups.get(phrase, ())))
            seen.add(phrase)
        # Group words that are not listed elsewhere still count, as weightless support.
        for phrase, indexes in groups.items():
            if phrase not in seen:
                add(phrase, "support", entry, 0.0, tuple(indexes))
        for phrase in spec.get("veto", []):
            add(phrase, "veto", entry, 0.0)
        rules[entry] = EntryRules(required_groups=len(spec.get("requires", [])))
    by_first: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        by_first[term.words[0].norm].append(term)
    markers = data["markers"]
    return Vocabulary(
        by_first_word={k: tuple(v) for k, v in by_first.items()},
        rules=rules,
        negation=_marker_words(markers["negation"], compounds),
        ancillary=_marker_words(markers["ancillary"], compounds),
        owned=_marker_words(markers.get("owned", []), compounds),
        object=_marker_words(markers["object"], compounds),
        after=frozenset(normalise_word(w) for w in markers["after"]),
        compounds=compounds,
    )


def with_technical_descriptions(data: Mapping[str, Any]) -> dict[str, Any]:
    """The vocabulary plus the product names of Implementing Regulation (EU) 2025/2392's descriptions
    (``technical_descriptions.yaml``, key ``suggest``), so that `suggest` knows every product they name."""
    merged: dict[str, Any] = {**data, "entries": {k: dict(v) for k, v in data["entries"].items()}}
    for entry, description in technical_descriptions().entries.items():
        spec = merged["entries"].setdefault(entry, {})
        for role, phrases in description.suggest_terms.items():
            if phrases:
                spec[role] = [*spec.get(role, []), *(p for p in phrases if p not in spec.get(role, []))]
    return merged


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, compiled once per process."""
    return compile_vocabulary(with_technical_descriptions(load_data("vocabulary.yaml")))
