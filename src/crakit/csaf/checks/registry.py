"""A test of CSAF 2.0 section 6 as data: id, group, title and the function that runs it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crakit.csaf.jsonview import JSON
from crakit.csaf.report import Group, TestId

Finding = tuple[str, str]  # (JSON pointer, message)
CheckFn = Callable[[JSON], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Check:
    id: TestId
    group: Group
    title: str
    run: CheckFn


def check(test_id: str, group: Group, title: str, fn: CheckFn) -> Check:
    return Check(TestId(test_id), group, title, fn)
