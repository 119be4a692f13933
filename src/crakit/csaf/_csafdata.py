"""Data files of the PyPI ``csaf`` package (IANA language subtags, MITRE CWE), found without importing it.

Importing ``csaf`` costs ~0.2 s (it loads its own validator); only its JSON files are needed here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def data_file(*parts: str) -> Path | None:
    spec = importlib.util.find_spec("csaf")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location).joinpath(*parts)
        if candidate.is_file():
            return candidate
    return None
