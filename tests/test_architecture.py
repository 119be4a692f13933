"""The import rules of the code's shape (the developers' brief, "Shape of the code").

Domain packages never import ``cli``, ``web`` or ``jobs``; those three never import each other;
the scanner (``vulndb``) does not know VEX (the caller applies it). Imports inside functions count:
a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "crakit"
TOP = ("cli", "web", "jobs")
# Top-level modules that are a face of their own (no package around them).
_MODULES_NOT_PACKAGES = {"errors", "readlimit", "decoding", "_lazyface"}


def _package_of(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
        elif isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
    return [m for m in out if m == "crakit" or m.startswith("crakit.")]


MODULES = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts or p.name == "env.py")


def _target(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_import_rules(path: Path) -> None:
    package = _package_of(path)
    for module in _imports(path):
        target = _target(module)
        if package not in TOP:
            assert target not in TOP, f"domain module imports {module}: the domain must not know {target}"
        elif target in TOP:
            assert target == package, f"{package} imports {module}: cli, web and jobs never import each other"
        if package == "vulndb":
            assert target != "vex", f"the scanner imports {module}: VEX is applied by the caller"
        if package in TOP and target not in TOP and target:
            # cli, web and jobs reach the domain through its faces only.
            assert module.count(".") == 1 or target in _MODULES_NOT_PACKAGES, (
                f"{package} reaches into {module}: import it from crakit.{target}"
            )


def test_every_capability_has_a_public_face() -> None:
    for folder in sorted(p for p in SRC.iterdir() if p.is_dir() and not p.name.startswith("_")):
        assert (folder / "__init__.py").is_file(), f"{folder.name} has no __init__.py"


@pytest.mark.parametrize(
    "package",
    sorted(
        p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").is_file() and p.name not in TOP
    ),
)
def test_every_public_name_resolves(package: str) -> None:
    """A face's names resolve to what they name, never to a same-named submodule (a lazy face
    whose ``publish`` function is shadowed by the ``publish`` module would break its callers)."""
    import importlib
    import types

    face = importlib.import_module(f"crakit.{package}")
    for name in getattr(face, "__all__", ()):
        value = getattr(face, name)
        assert not isinstance(value, types.ModuleType), f"crakit.{package}.{name} is a module"
