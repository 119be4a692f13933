"""The translation catalogue of the Art 14(8) user notice (package data), shared by fields and notices."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

NOTICE_PARTS = ("what_happened", "what_to_do")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Language code -> message key -> text."""
    text = (
        resources.files("crakit.reporting")
        .joinpath("data", "notice_catalogue.yaml")
        .read_text(encoding="utf-8")
    )
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


def languages() -> tuple[str, ...]:
    return tuple(catalogue())
