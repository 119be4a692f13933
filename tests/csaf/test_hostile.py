"""Hostile documents: every test runs to completion on any JSON shape (none is silently skipped)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from crakit.csaf import validate

from .conftest import MINIMAL

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(["CVE-2020-1234", "2021-07-21T10:00:00.000Z", "1.0.0-rc", "csaf_vex", "CWE-79", "P1"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*path, i))
    return out


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_documents_never_crash_a_test(data: st.DataObject) -> None:
    doc = copy.deepcopy(MINIMAL)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = data.draw(json_values)
    report = validate(doc)
    assert set(report.skipped) <= {"6.3.6", "6.3.7", "6.3.8"}
