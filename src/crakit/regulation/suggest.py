"""Suggest the Annex III/IV entries a free-text product description may fall under.

A product is important (Art 7(1)) or critical (Art 8(1)) when its *core functionality* is that of an
Annex III or IV category, as described by Implementing Regulation (EU) 2025/2392. Ancillary functions do
not count (Commission FAQ 3.2 and 3.4: an embedded browser in a news app does not make the app a browser;
a smartphone is not an operating system; SOAR is not SIEM). These are suggestions for a human to check,
never a classification decision.

The ranker is lexical and offline: whole-word matches against a curated vocabulary
(``data/vocabulary.yaml``), phrases weighted above single words, words that name the product's own type
weighted above context words, with negation ("no internet"), ancillary cues ("built-in", "works with")
and the first product type named in the text deciding what the core function is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from typing import Any

from crakit.regulation.law import annex_entries, annex_index
from crakit.regulation.suggest_text import Token, prepare, tokenize
from crakit.regulation.suggest_vocab import GAP_WORDS, Term, Vocabulary, Word, vocabulary

# Markers act on terms up to this many words after them, within one sentence.
MARKER_WINDOW = 3
# Words of the first sentence usually name the product itself.
FIRST_SENTENCE_BOOST = 1.5
# A category word that only names a feature, or names a thing the product works on, still adds context.
DEMOTED_WEIGHT = 0.5
# score = raw / (raw + SCORE_HALF): a single head word in the opening sentence gives 0.43.
SCORE_HALF = 4.0
# Without a product-type word, this many distinct function phrases ("detects viruses", "blocks
# ransomware") describe the core function well enough.
FUNCTIONS_NEEDED = 2
# The entry of the first product type the text names gets this much extra: that type is the product's
# core function, later category words are more often features or things it works with.
PRIMARY_BONUS = 2.0
# Entries far behind the best one are noise rather than alternatives.
RELATIVE_CUTOFF = 0.25


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One Annex entry a description may fall under (Art 7(1) / Art 8(1))."""

    entry: str  # "III.I.3"
    title: str  # the entry's name
    score: float  # 0..1, higher is better
    matched: tuple[str, ...]  # the words/phrases of the description that matched


def suggestion_to_json(s: Suggestion) -> dict[str, Any]:
    """The JSON object for one suggestion: ``{"entry", "title", "score", "matched"}``."""
    return {"entry": s.entry, "title": s.title, "score": s.score, "matched": list(s.matched)}


@dataclass(frozen=True, slots=True)
class _Match:
    term: Term
    start: int  # token indexes, end exclusive
    end: int
    negated: bool = False
    ancillary: bool = False  # introduced as a feature ("built-in", "works with", "HSM-backed")
    owned: bool = False  # something the user already has ("your SIEM", "existing routers")
    as_object: bool = False  # named as something the product acts on ("every switch", "for MCUs")
    context_only: bool = False  # inside a longer phrase: counts for `requires` groups only


@dataclass(slots=True)
class _Tally:
    raw: float = 0.0
    qualifies: bool = False  # a head word names the product's own function
    qualifies_as_object: bool = False
    functions: set[str] = field(default_factory=set)  # distinct function phrases describing the core
    groups: set[int] = field(default_factory=set)
    vetoed: bool = False
    best: dict[str, float] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _word_matches(word: Word, token: Token) -> bool:
    if word.norm != token.norm:
        return False
    return word.exact is None or token.surface in (word.exact, word.exact + "s")


def _match_at(words: Sequence[Word], tokens: Sequence[Token], i: int, sentence: int) -> int | None:
    """End index of ``words`` matched from token ``i`` (gaps allowed), or None."""
    if not words:
        return i
    word = words[0]
    if word.gap:
        for skip in range(GAP_WORDS + 1):
            end = _match_at(words[1:], tokens, i + skip, sentence)
            if end is not None:
                return end
        return None
    if i >= len(tokens) or tokens[i].sentence != sentence or not _word_matches(word, tokens[i]):
        return None
    return _match_at(words[1:], tokens, i + 1, sentence)


def _marker_before(
    markers: Sequence[tuple[str, ...]], tokens: Sequence[Token], start: int, taken: Set[int]
) -> bool:
    """Whether a marker ends within ``MARKER_WINDOW`` words before ``start`` in the same sentence.

    Words inside another matched phrase are not markers: "on" in "on-demand scanner" is not "on your PC".
    """
    sentence = tokens[start].sentence
    for last in range(max(0, start - MARKER_WINDOW), start):
        for marker in markers:
            first = last - len(marker) + 1
            if first < 0 or tokens[first].sentence != sentence:
                continue
            # "Your password manager, everywhere.": a sentence-opening "your" addresses the reader.
            if marker == ("your",) and (first == 0 or tokens[first - 1].sentence != sentence):
                continue
            if any(k in taken for k in range(first, last + 1)):
                continue
            if all(tokens[first + k].norm == marker[k] for k in range(len(marker))):
                return True
    return False


def _find_matches(tokens: Sequence[Token], vocab: Vocabulary) -> list[_Match]:
    candidates: list[_Match] = []
    for i, token in enumerate(tokens):
        for term in vocab.by_first_word.get(token.norm, ()):
            end = _match_at(term.words, tokens, i, token.sentence)
            if end is not None:
                candidates.append(_Match(term, i, end))
    # Longest phrase wins its words ("security camera" over "camera", "light switch" over "switch");
    # the same phrase may speak for several entries at once.
    candidates.sort(key=lambda m: (-(m.end - m.start), m.term.role == "support", m.start))
    claimed: dict[int, tuple[tuple[Word, ...], int, int]] = {}
    accepted: list[_Match] = []
    for m in candidates:
        key = (m.term.words, m.start, m.end)
        if all(claimed.get(k, key) == key for k in range(m.start, m.end)):
            # Function phrases and required context words describe, they do not name: "detects and blocks
            # viruses" holds both "detect * virus" and "block * virus", and the words stay free.
            if m.term.role != "function" and not m.term.groups:
                for k in range(m.start, m.end):
                    claimed[k] = key
            accepted.append(m)
        elif m.term.groups:
            # "voice assistant" inside "speaker with a voice assistant" still shows the voice context.
            accepted.append(replace(m, context_only=True))
    accepted.sort(key=lambda m: m.start)
    taken = set(claimed)
    out: list[_Match] = []
    previous: _Match | None = None  # the last product-type term, for lists ("with antivirus, VPN and ...")
    for m in accepted:
        follows = tokens[m.end] if m.end < len(tokens) else None
        after = (
            follows is not None
            and follows.sentence == tokens[m.start].sentence
            and follows.norm in vocab.after
        )
        flagged = _Match(
            m.term,
            m.start,
            m.end,
            context_only=m.context_only,
            negated=_marker_before(vocab.negation, tokens, m.start, taken),
            ancillary=after or _marker_before(vocab.ancillary, tokens, m.start, taken),
            owned=_marker_before(vocab.owned, tokens, m.start, taken),
            as_object=_marker_before(vocab.object, tokens, m.start, taken),
        )
        if m.term.role in _PRODUCT_ROLES and not m.context_only:
            if previous is not None and _coordinated(previous, flagged, tokens):
                # A list continues its first item's standing; after a function phrase, the list holds what
                # the product acts on ("takes cards, phones and watches").
                after_function = previous.term.role == "function"
                flagged = _Match(
                    m.term,
                    m.start,
                    m.end,
                    negated=flagged.negated or previous.negated,
                    ancillary=flagged.ancillary or previous.ancillary,
                    owned=flagged.owned or previous.owned,
                    as_object=flagged.as_object or previous.as_object or after_function,
                    context_only=False,
                )
            previous = flagged
        out.append(flagged)
    return out


_PRODUCT_ROLES = ("strong", "head", "function", "other")
_CONJUNCTIONS = frozenset({"and", "or", "plus", "nor", "as", "well"})


def _coordinated(previous: _Match, current: _Match, tokens: Sequence[Token]) -> bool:
    """Whether ``current`` continues a list ``previous`` is in ("with antivirus, VPN and password manager")."""
    if (previous.start, previous.end) == (current.start, current.end):
        return False  # the same phrase for another entry: flags are already the same
    if previous.end > current.start or tokens[previous.start].sentence != tokens[current.start].sentence:
        return False
    between = tokens[previous.end : current.start]
    return len(between) <= 2 and all(t.norm in _CONJUNCTIONS for t in between)


def _is_product_name(m: _Match) -> bool:
    return m.term.role in ("strong", "head", "other") and not (
        m.negated or m.ancillary or m.owned or m.as_object or m.context_only
    )


def _tally(matches: Sequence[_Match], tokens: Sequence[Token], vocab: Vocabulary) -> dict[str, _Tally]:
    # The first product type the text names decides the core function (FAQ 3.4). When that is a
    # product with no Annex entry (a smartphone, a news app), later category words are its features.
    primary = next((m for m in matches if _is_product_name(m)), None)
    # In a compound the last noun is the product ("VPN router" is a router, "UICC operating system" an OS).
    while primary is not None:
        follower = next((m for m in matches if m.start == primary.end and _is_product_name(m)), None)
        if follower is None or tokens[follower.start].sentence != tokens[primary.start].sentence:
            break
        primary = follower
    suppressed = primary is not None and primary.term.role == "other"
    first_sentence = tokens[0].sentence if tokens else 0
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for m in matches:
        entry = m.term.entry
        if entry is None or m.negated:
            continue
        tally = tallies[entry]
        role = m.term.role
        if role == "veto":
            tally.vetoed = True
            continue
        tally.groups.update(m.term.groups)
        if m.context_only:
            continue
        weight = m.term.weight
        if tokens[m.start].sentence == first_sentence:
            weight *= FIRST_SENTENCE_BOOST
        if role in ("strong", "head"):
            if suppressed or m.ancillary or m.owned:
                weight = DEMOTED_WEIGHT
            elif m.as_object:
                tally.qualifies_as_object = True
                weight *= DEMOTED_WEIGHT
            else:
                tally.qualifies = True
        elif role == "function":
            # What the product does to the user's things still describes it ("correlates your logs").
            if suppressed or m.ancillary:
                weight *= DEMOTED_WEIGHT
            else:
                tally.functions.add(m.term.phrase)
        elif m.ancillary or m.owned or m.as_object:
            weight *= DEMOTED_WEIGHT
        phrase = m.term.phrase
        tally.best[phrase] = max(tally.best.get(phrase, 0.0), weight)
        if weight > 0:
            tally.spans.append((m.start, m.end))
    for tally in tallies.values():
        tally.raw = sum(tally.best.values())
    if primary is not None:
        # The same phrase may name the product for several entries ("microprocessor": III.I.13, III.II.3).
        for m in matches:
            if (
                m.term.entry is not None
                and (m.start, m.end) == (primary.start, primary.end)
                and _is_product_name(m)
            ):
                tallies[m.term.entry].raw += PRIMARY_BONUS
    return tallies


def suggest(text: str, *, limit: int = 5) -> list[Suggestion]:
    """Rank the Annex III/IV entries a product description may fall under, best first.

    Returns ``[]`` when no entry applies (the product is in the default category, Art 7(1) and 8(1)
    not triggered). Matching is on whole words of the description; ``matched`` lists the description's
    own words that led to each suggestion. Offline and deterministic.
    """
    if limit <= 0:
        return []
    vocab = vocabulary()
    prepared = prepare(text)
    tokens = tokenize(prepared, vocab.joins)
    if not tokens:
        return []
    tallies = _tally(_find_matches(tokens, vocab), tokens, vocab)

    def eligible(entry: str, tally: _Tally, allow_object: bool) -> bool:
        # Named by a product type, or described by at least two of its core functions.
        described = len(tally.functions) >= FUNCTIONS_NEEDED
        named = tally.qualifies or described or (allow_object and tally.qualifies_as_object)
        return named and not tally.vetoed and len(tally.groups) >= vocab.rules[entry].required_groups

    chosen = {e: t for e, t in tallies.items() if eligible(e, t, allow_object=False)}
    if not chosen:
        # "Secure your home with the Latchly smart lock": the only category word is phrased as an object.
        chosen = {e: t for e, t in tallies.items() if eligible(e, t, allow_object=True)}
    if not chosen:
        return []
    best = max(t.raw for t in chosen.values())
    order = {e.id: n for n, e in enumerate(annex_entries())}
    ranked = sorted(
        (e for e, t in chosen.items() if t.raw >= RELATIVE_CUTOFF * best),
        key=lambda e: (-chosen[e].raw, order[e]),
    )
    index = annex_index()
    out: list[Suggestion] = []
    for entry in ranked[:limit]:
        tally = chosen[entry]
        out.append(
            Suggestion(
                entry=entry,
                title=index[entry].name,
                score=round(tally.raw / (tally.raw + SCORE_HALF), 3),
                matched=_surfaces(prepared, tokens, tally.spans),
            )
        )
    return out


def _surfaces(text: str, tokens: Sequence[Token], spans: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for start, end in sorted(spans):
        surface = text[tokens[start].start : tokens[end - 1].end]
        seen.setdefault(surface.lower(), surface)
    return tuple(seen.values())


# The name the package face exports (its module is called ``suggest`` too).
suggest_entries = suggest
