"""Decode a user's JSON or YAML document with hostile-input rules, one way for every reader.

JSON goes through orjson, which refuses nesting deeper than 1024 levels. YAML goes through a
SafeLoader that refuses aliases (the "billion laughs" shape: no crakit input needs them) and
whose recursion on deep nesting is turned into a one-line error. Every failure becomes the
caller's own error class (an :class:`crakit.errors.InputError`), so the CLI exits 2 with one line.
"""

from __future__ import annotations

from typing import Any

import orjson

from crakit.errors import CrakitError, InputError


def load_json(data: bytes, source: str, error: type[CrakitError] = InputError) -> Any:
    """The JSON document in ``data``; ``error`` with line and column when it is not one."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        msg = exc.msg.lower()
        if "depth" in msg or "recursion" in msg:
            raise error(f"{source}: JSON nested too deeply (over 1024 levels)") from None
        if "utf-8" in msg:
            raise error(f"{source}: not UTF-8 text") from None
        raise error(f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})") from None


def load_yaml(data: bytes | str, source: str, error: type[CrakitError] = InputError) -> Any:
    """The YAML document in ``data`` (no aliases); ``error`` when it cannot be read."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise error(f"{source}: line {event.start_mark.line + 1}: YAML aliases are not allowed")
            return super().compose_node(parent, index)

    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise error(f"{source}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{source}: invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise error(f"{source}: YAML nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise error(f"{source}: invalid YAML value: {str(exc)[:120]}") from None
