"""Public faces that import their modules on first use.

A package's ``__init__`` names what others may use; importing every module behind it up front
would make ``crakit report fields`` pay for SQLAlchemy and Alembic. A face built with
:func:`lazy_face` maps each public name to the module that defines it and imports that module
when the name is first read (PEP 562), so callers keep to the face at no start-up cost.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_face(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``; ``exports`` maps a public name to its module."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        globals_of(package)[name] = value  # later reads skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__


def globals_of(package: str) -> dict[str, Any]:
    return vars(importlib.import_module(package))


def exports_of(modules: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """``{module: (names...)}`` turned around into ``{name: module}``."""
    return {name: module for module, names in modules.items() for name in names}
