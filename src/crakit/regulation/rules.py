"""Typed access to ``data/rules.yaml``: key dates, exclusions, routes, support rules, penalties."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from crakit.regulation.law import load_data


@cache
def rules() -> dict[str, Any]:
    data: dict[str, Any] = load_data("rules.yaml")
    return data


def rules_version() -> str:
    return str(rules()["version"])


def key_date(name: str) -> dt.date:
    value = rules()["dates"][name]["date"]
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def key_date_ref(name: str) -> str:
    return str(rules()["dates"][name]["ref"])
