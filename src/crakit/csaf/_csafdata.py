"""Data files of the PyPI ``csaf`` package (IANA language subtags, MITRE CWE), found without importing it.

Importing ``csaf`` costs ~0.2 s (it loads its own validator); only its JSON files are needed here.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any


def data_file(*parts: str) -> Path | None:
    spec = importlib.util.find_spec("csaf")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location).joinpath(*parts)
        if candidate.is_file():
            return candidate
    return None


def load_json(*parts: str) -> dict[str, Any] | None:
    """One of those JSON files, decoded; None when the package or the file is missing or unreadable."""
    path = data_file(*parts)
    if path is None:
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data
