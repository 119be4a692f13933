"""Rendering drafts and notices with Jinja2 templates shipped in ``data/templates``."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def fence(text: str) -> str:
    """A Markdown code fence longer than any backtick run inside ``text``."""
    runs = [len(m) for m in re.findall(r"`+", text)]
    return "`" * max(3, max(runs, default=0) + 1)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crakit.reporting", "data/templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=False, default=False
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fence"] = fence
    return env


def render(template: str, **context: Any) -> str:
    """Render ``data/templates/<template>``; ``.html.j2`` templates escape their input."""
    return environment().get_template(template).render(**context)
