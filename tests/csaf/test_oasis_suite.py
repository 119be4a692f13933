"""The OASIS CSAF 2.0 validator test suite: every document is flagged by exactly the tests it must be.

``testcases*.json`` lists per test id the documents that must fail it and those that must pass it.
A document that must pass a mandatory test must pass every mandatory test (it is a valid document).
Tests 6.3.6 and 6.3.7 need the network and 6.3.8 needs a spell checker: they are reported as
skipped by the validator, and their cases are skipped here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from crakit.csaf import NOT_RUN, Group, Report, ValidationOptions, validate
from crakit.csaf.spell import hunspell_checker

pytestmark = pytest.mark.corpus

SUITE = Path("csaf-oasis/csaf_2.0/test/validator/data")
GROUPS = {"mandatory": Group.MANDATORY, "optional": Group.RECOMMENDED, "recommended": Group.RECOMMENDED}


def _cases(root: Path) -> list[tuple[str, str, str, str]]:
    """(test id, group, document name, "fail" | "pass") from every testcases*.json present."""
    out: list[tuple[str, str, str, str]] = []
    for index in sorted((root / SUITE).glob("testcases*.json")):
        for test in json.loads(index.read_text())["tests"]:
            for item in test.get("failures", []):
                out.append((test["id"], test["group"], item["name"], "fail"))
            for item in test.get("valid", []):
                out.append((test["id"], test["group"], item["name"], "pass"))
    return sorted(set(out))


def _verdict(report: Report, test_id: str, group: str, expect: str) -> bool:
    if expect == "fail":
        return test_id in report.failed()
    if test_id in report.failed():
        return False
    return group != "mandatory" or report.valid


def test_suite_per_group(shared_data: Path) -> None:
    cases = _cases(shared_data)
    assert cases, "no testcases*.json found"
    cache: dict[str, Report] = {}
    checker = hunspell_checker()  # 6.3.8 runs where hunspell is installed
    options = ValidationOptions(spellchecker=checker)
    not_run = set(NOT_RUN) - ({"6.3.8"} if checker is not None else set())
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[str] = []
    for test_id, group, name, expect in cases:
        if test_id in not_run:
            continue
        if name not in cache:
            cache[name] = validate(json.loads((shared_data / SUITE / name).read_bytes()), options)
        total[group] += 1
        if _verdict(cache[name], test_id, group, expect):
            passed[group] += 1
        else:
            flagged = sorted(cache[name].failed())
            wrong.append(f"{test_id} {name}: expected {expect}, flagged {flagged}")
    summary = {g: f"{passed[g]}/{total[g]}" for g in sorted(total)}
    print("OASIS suite:", summary)
    assert not wrong, "\n".join(wrong)


def test_not_run_tests_have_suite_cases(shared_data: Path) -> None:
    # Guards the skip list: only tests that really need the network or hunspell are left out.
    ids = {c[0] for c in _cases(shared_data)}
    assert set(NOT_RUN) == {"6.3.6", "6.3.7", "6.3.8"}
    assert set(NOT_RUN) <= ids  # each left-out test really has suite documents


def test_every_suite_test_id_is_implemented(shared_data: Path) -> None:
    from crakit.csaf import CHECKS

    implemented = {c.id for c in CHECKS} | set(NOT_RUN)
    missing = {c[0] for c in _cases(shared_data)} - implemented
    assert not missing


def _docs(folder: Path) -> list[Any]:
    return sorted(folder.rglob("*.json"))
