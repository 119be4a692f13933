"""Terminal rendering shared by the commands: tables that keep tokens whole at 80 columns,
hanging indents, severity colours.

Colour follows rich's own rules: none when ``NO_COLOR`` is set or the output is not a terminal.
Identifiers (vulnerability ids, versions, dates) are never split: their columns do not wrap;
long package names lose their middle, not their ends (the version and the name stay readable).
"""

from __future__ import annotations

from typing import Any

SEVERITY_STYLE = {
    "critical": "bold red",
    "high": "red",
    "medium": "yellow",
    "low": "cyan",
    "none": "dim",
    "unknown": "dim",
}
SEVERITIES = ("critical", "high", "medium", "low", "none", "unknown")


def middle_ellipsis(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters by removing its middle (``pkg:maven/org.apa…core@2.14.1``)."""
    if width <= 0 or len(text) <= width:
        return text
    if width <= 3:
        return text[:width]
    head = (width - 1) // 2
    tail = width - 1 - head
    return f"{text[:head]}…{text[-tail:]}"


def severity(value: str) -> str:
    return f"[{SEVERITY_STYLE.get(value, 'dim')}]{value}[/]"


def totals(counts: dict[str, int]) -> str:
    """``1 critical, 3 high`` in severity order (only the severities present)."""
    parts = [f"{counts[s]} {severity(s)}" for s in SEVERITIES if counts.get(s)]
    return ", ".join(parts) or "none"


def hanging_list(rows: list[tuple[str, str]]) -> Any:
    """A two-column grid: a marker, then text whose continuation lines align under its start."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for marker, text in rows:
        grid.add_row(marker, text)
    return grid


def plain_width(out: Any) -> None:
    """Piped or captured output is read by programs and in files: do not fold it into 80 columns."""
    if not out.is_terminal:
        out.width = 200
