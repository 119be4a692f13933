"""Shared printing helpers: JSON to stdout, rich for people, messages to stderr."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

FORMAT_JSON = "json"

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """The ``--format`` option every command carries (``json`` always among the choices)."""
    values = list(dict.fromkeys([*choices, FORMAT_JSON]))
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(values),
        default=default,
        show_default=True,
        help="Output format; json is a stable machine contract.",
    )


def emit_json(data: Any) -> None:
    """Write ``data`` as pretty JSON on stdout (orjson: fast, handles dataclasses and dates)."""
    import orjson

    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode())


def console(stderr: bool = False) -> Any:
    """A rich console (imported lazily: rich costs ~40 ms to import)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def warn(message: str) -> None:
    click.echo(f"crakit: warning: {message}", err=True)


def info(message: str) -> None:
    click.echo(message, err=True)
