"""Writing CSAF JSON the way validators like it: keys sorted (test 6.2.13), UTF-8, a final newline."""

from __future__ import annotations

import re
from typing import Any

import orjson


def _key(key: str) -> tuple[str, str]:
    # The order test 6.2.13 checks: alphabetical, punctuation before letters, case only as a tie-break.
    return "".join("\x01" if not c.isalnum() else c for c in key.lower()), key.swapcase()


def sort_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: sort_keys(node[k]) for k in sorted(node, key=_key)}
    if isinstance(node, list):
        return [sort_keys(v) for v in node]
    return node


def dumps(doc: Any) -> bytes:
    return orjson.dumps(sort_keys(doc), option=orjson.OPT_INDENT_2) + b"\n"


def filename(tracking_id: str) -> str:
    """The file name CSAF 2.0 section 5.1 derives from /document/tracking/id."""
    return re.sub(r"[^+\-a-z0-9]+", "_", tracking_id.lower()) + ".json"
