"""Maven ordering as the POM reference's "Version Order Specification" defines it (OSV's rule).

Tokens are split on ``.``, ``-`` and digit/letter transitions (which count as ``-``), trailing
"null" tokens (0, "", final, ga) are trimmed, the shorter version is padded with nulls, and
``.qualifier < -qualifier < -number < .number``; known qualifiers order
alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < others (lexical).
"""

from __future__ import annotations

import re
from functools import cmp_to_key, lru_cache

from crakit.vulndb.versions.interface import VersionKey

_SPLIT = re.compile(r"([.-])")
_TRANSITION = re.compile(r"(?<=\D)(?=\d)|(?<=\d)(?=\D)")
_KEYWORDS = {"alpha": 0, "beta": 1, "milestone": 2, "rc": 3, "snapshot": 4, "": 5, "sp": 6}
_SHORT = {"a": "alpha", "b": "beta", "m": "milestone"}
_NULLS = frozenset({"0", "", "final", "ga"})

# (prefix, value, is_number, is_null_padding)
Token = tuple[str, str, bool, bool]


def _tokens(version: str) -> list[Token]:
    tokens: list[Token] = []
    raw = _SPLIT.split(version)
    for i in range(0, len(raw), 2):
        prefix = raw[i - 1] if i else ""
        pieces = _TRANSITION.split(raw[i])
        for j, piece in enumerate(pieces):
            if j:
                prefix = "-"
            cur = piece.lower() or "0"
            if cur == "cr":
                cur = "rc"
            elif cur in ("ga", "final", "release"):
                cur = ""
            if j < len(pieces) - 1 and cur in _SHORT:
                cur = _SHORT[cur]
            is_num = cur.isdigit() and cur.isascii()
            if is_num:
                cur = str(int(cur))
            tokens.append((prefix, cur, is_num, False))
    i = len(tokens) - 1
    while i > 0:
        if tokens[i][1] in _NULLS:
            del tokens[i]
            i -= 1
            continue
        while i >= 0 and tokens[i][0] != "-":
            i -= 1
        i -= 1
    return tokens


def _null_like(token: Token) -> Token:
    if token[0] == ".":
        # "sp" is the one qualifier above the empty one, so pad it with "" rather than 0.
        return (".", "" if token[1] == "sp" else "0", token[1] != "sp", True)
    return ("-", "", False, True)


def _order(token: Token) -> int:
    if token[2]:
        return 2 if token[0] == "-" else 3
    return 1 if token[0] == "-" else 0


def _less(a: Token, b: Token) -> bool:
    if a[0] == b[0]:
        if a[2] and b[2]:
            return int(a[1]) < int(b[1])
        if a[2] and not a[3]:
            return False
        if b[2] and not b[3]:
            return True
        ka, kb = _KEYWORDS.get(a[1], 7), _KEYWORDS.get(b[1], 7)
        if ka == 7 and kb == 7:
            return a[1] < b[1]
        return ka < kb
    return _order(a) < _order(b)


def _compare(a: list[Token], b: list[Token]) -> int:
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else _null_like(b[i])
        y = b[i] if i < len(b) else _null_like(a[i])
        if x[0] == y[0] and x[1] == y[1]:
            continue
        if _less(x, y):
            return -1
        return 1 if _less(y, x) else 0
    return 0


_Key = cmp_to_key(_compare)


@lru_cache(maxsize=65536)
def maven_key(version: str) -> VersionKey:
    return _Key(_tokens(version.strip()))
