"""Results of validating a CSAF document: one message per finding, each under its test id."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NewType

TestId = NewType("TestId", str)

SCHEMA_TEST = TestId("schema")


class Group(StrEnum):
    """The three test groups of CSAF 2.0 section 6 and what a failure means."""

    MANDATORY = "mandatory"  # 6.1: a failure makes the document invalid
    RECOMMENDED = "recommended"  # 6.2: a warning
    INFORMATIVE = "informative"  # 6.3: an info


SEVERITY = {Group.MANDATORY: "error", Group.RECOMMENDED: "warning", Group.INFORMATIVE: "info"}


@dataclass(frozen=True, slots=True)
class Message:
    """One finding: which test, how severe, where (JSON pointer) and why."""

    test: TestId
    severity: str
    path: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"test": self.test, "severity": self.severity, "path": self.path, "text": self.text}


@dataclass(frozen=True, slots=True)
class Report:
    """The validation verdict for one document.

    ``valid`` is false when the schema or any mandatory test (6.1.x) failed; recommended and
    informative findings never change it (CSAF 2.0 section 6.2 and 6.3).
    """

    messages: tuple[Message, ...]
    skipped: tuple[TestId, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not any(m.severity == "error" for m in self.messages)

    @property
    def failed_tests(self) -> list[str]:
        return sorted({m.test for m in self.messages}, key=_test_sort_key)

    def failed(self, group: Group | None = None) -> set[str]:
        if group is None:
            return {m.test for m in self.messages}
        return {m.test for m in self.messages if m.severity == SEVERITY[group]}

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract of ``crakit csaf validate --format json``."""
        return {
            "valid": self.valid,
            "failed_tests": self.failed_tests,
            "messages": [m.as_dict() for m in self.messages],
            "skipped_tests": list(self.skipped),
        }


def _test_sort_key(test_id: str) -> tuple[int, ...]:
    if test_id == SCHEMA_TEST:
        return (0,)
    return tuple(int(p) for p in test_id.split(".") if p.isdigit())
