"""The commented manifest template that ``crakit init`` writes."""

from __future__ import annotations

from importlib import resources


def template_text() -> str:
    return resources.files("crakit.manifest").joinpath("template.yaml").read_text(encoding="utf-8")
