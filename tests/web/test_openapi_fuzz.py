"""Schemathesis over /openapi.json: no 5xx and no response that breaks the documented schema,
for every operation, as a manufacturer, a CSIRT and an administrator, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.platform_kit import auth, early_warning

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.slow
@pytest.mark.parametrize("party", ["manufacturer", "coordinator", "admin"])
def test_no_server_errors_and_no_schema_violations(
    app: Any, tokens: dict[str, str], as_: Any, party: str
) -> None:
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning())
    assert filed.status_code == 201
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    calls: dict[str, int] = {}
    for operation in schema.get_all_operations():
        op = operation.ok()

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=op.as_strategy())
        def run(case: Any) -> None:
            key = f"{case.method} {case.path}"
            calls[key] = calls.get(key, 0) + 1
            response = case.call(headers=auth(tokens[party]))
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # collect every operation's first failure, then report them all
                failures.append(f"{case.method} {case.path}: {type(exc).__name__}: {str(exc)[:300]}")
                raise

        try:
            run()
        except Exception as exc:  # hypothesis re-raises the first failure after shrinking
            if not failures or op.path not in failures[-1]:
                failures.append(f"{op.method.upper()} {op.path}: {type(exc).__name__}: {str(exc)[:300]}")
    assert not failures, "\n".join(failures)
    assert len(calls) == len(list(schema.get_all_operations())), calls
    assert sum(calls.values()) > 10 * len(calls)  # the fuzzer really ran
