"""Word-level normalisation shared by the suggestion vocabulary and the descriptions it reads.

Matching is on whole words, never on substrings: "ids" must not be found inside "kids". Both sides go
through the same steps so that "Wi-Fi", "wi fi" and "WiFi" meet, and so do "routers" and "router".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Descriptions are product blurbs; anything longer is cut so one call stays bounded in time and memory.
MAX_CHARS = 20_000

# Words and sentence ends. A full stop counts only before white space or the end, so "3.1" and "x.509"
# stay inside a sentence.
# Common Criteria vulnerability-analysis levels ("AVA_VAN.4", "AVA VAN 5") are one word, "avavan4": the
# level separates Class II tamper-resistant chips from secure elements (Implementing Regulation (EU)
# 2025/2392), and the plain word pattern would drop the digit.
_AVA_VAN = re.compile(r"(?i:ava[_\s-]?van)[._\s-]?([1-6])\b")
_TOKEN = re.compile(r"(?i:ava[_\s-]?van)[._\s-]?[1-6]\b|[^\W_]+|[.!?;](?=\s|$)")
# An upper-case abbreviation with a plural "s": VPNs, NICs, SoCs, CAs, IDs.
_ACRONYM_PLURAL = re.compile(r"[A-Z][A-Za-z0-9]*[A-Z0-9]s")
# British spellings that vendors mix freely with American ones.
_SPELLING = {
    "fibre": "fiber",
    "centre": "center",
    "colour": "color",
    "licence": "license",
    "behaviour": "behavior",
    "behavioural": "behavioral",
    "armour": "armor",
    "armoured": "armored",
    "jewellery": "jewelry",
}
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "os")


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised word of a description, with where it came from."""

    norm: str  # lower-case, spelling-unified, singular
    surface: str  # as written, for case-sensitive abbreviations and for reporting
    start: int  # character offsets in the (cut) text
    end: int
    sentence: int  # index of the sentence the word is in


def normalise_word(surface: str) -> str:
    """Lower-case, unify spelling and reduce a plural to its singular (a light, predictable stemmer)."""
    if _ACRONYM_PLURAL.fullmatch(surface):
        return surface[:-1].lower()
    word = surface.lower()
    word = _SPELLING.get(word, word)
    for british, american in (("isation", "ization"), ("ised", "ized"), ("ising", "izing")):
        if word.endswith(british):
            word = word[: -len(british)] + american
            break
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) >= 4 and word.endswith("s") and not word.endswith(_NOT_PLURAL_ENDINGS):
        return word[:-1]
    return word


def prepare(text: str) -> str:
    """The text the tokenizer reads: Unicode-normalised and cut to ``MAX_CHARS``; offsets refer to it."""
    return unicodedata.normalize("NFKC", text[:MAX_CHARS])[:MAX_CHARS]


def tokenize(text: str, joins: Callable[[str], bool] = lambda _w: False) -> list[Token]:
    """Split ``text`` into normalised words.

    ``joins(word)`` says whether two neighbouring words written apart ("wi-fi", "anti virus") form a
    known compound; such pairs are merged into one word. Pure numbers are dropped after merging so that
    "Wi-Fi 6 adapter" still reads as "wifi adapter".
    """
    text = prepare(text)
    raw: list[Token] = []
    sentence = 0
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word in ".!?;":
            sentence += 1
            continue
        ava = _AVA_VAN.fullmatch(word)
        norm = f"avavan{ava.group(1)}" if ava else normalise_word(word)
        raw.append(Token(norm, word, m.start(), m.end(), sentence))
    merged: list[Token] = []
    i = 0
    while i < len(raw):
        tok = raw[i]
        if i + 1 < len(raw):
            nxt = raw[i + 1]
            gap = text[tok.end : nxt.start]
            joined = tok.surface + nxt.surface
            if (
                tok.sentence == nxt.sentence
                and (gap in ("-", ".") or (gap == " " and len(tok.surface) > 1 and len(nxt.surface) > 1))
                and joins(normalise_word(joined))
            ):
                merged.append(Token(normalise_word(joined), joined, tok.start, nxt.end, tok.sentence))
                i += 2
                continue
        merged.append(tok)
        i += 1
    return [t for t in merged if not t.norm.isdigit()]


def phrase_words(phrase: str) -> Iterable[tuple[str, str]]:
    """The raw words of a vocabulary phrase: (surface, marker) where marker is "=" or "*" or ""."""
    for part in phrase.split():
        if part == "*":
            yield "", "*"
        elif part.startswith("="):
            yield part[1:], "="
        else:
            yield part, ""
