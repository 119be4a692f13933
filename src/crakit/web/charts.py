"""Small SVG charts drawn on the server (no CDN, no JavaScript build step).

Hand-written rather than a charting library: three fixed chart shapes of a few dozen elements
each, whose text comes from users (product names) and is escaped here; a library would add a
dependency and its own styles for no gain in correctness.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from html import escape

from crakit.portfolio import Deadline, Point, SupportBar

INK, MUTED, LINE, RED, BLUE, GREEN = "#1d2939", "#667085", "#e4e7ec", "#b42318", "#1f4fa3", "#067647"
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def findings_chart(points: Sequence[Point], title: str, *, width: int = 640, height: int = 220) -> str:
    """Findings (blue) and known exploited (red) per day."""
    left, right, top, bottom = 40, 10, 14, 28
    body = [f'<rect width="{width}" height="{height}" fill="#fff"/>']
    if not points:
        body.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{MUTED}" {FONT}>–</text>'
        )
        return _svg(width, height, body, title)
    peak = max(1, *(p.findings for p in points))
    span_x, span_y = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (span_x * i / max(1, len(points) - 1) if len(points) > 1 else span_x / 2)

    def y(value: int) -> float:
        return top + span_y - span_y * value / peak

    for tick in (0, peak // 2, peak):
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{LINE}"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{MUTED}" {FONT}>{tick}</text>'
        )
    for series, colour in (("findings", BLUE), ("exploited", RED)):
        coords = " ".join(f"{x(i):.1f},{y(getattr(p, series)):.1f}" for i, p in enumerate(points))
        body.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, p in enumerate(points):
            body.append(f'<circle cx="{x(i):.1f}" cy="{y(getattr(p, series)):.1f}" r="2.5" fill="{colour}"/>')
    for i in sorted({0, len(points) - 1}):
        body.append(
            f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" fill="{MUTED}" {FONT}>{escape(points[i].day)}</text>'
        )
    return _svg(width, height, body, title)


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def support_chart(bars: Sequence[SupportBar], today: date, title: str, *, width: int = 640) -> str:
    """One bar per product version from when it was added to the end of its support period."""
    label_w, row_h, top, right = 190, 22, 24, 64  # room for the end month after the bar
    height = top + row_h * max(1, len(bars)) + 10
    body = [f'<rect width="{width}" height="{height}" fill="#fff"/>']
    dated = [b for b in bars if b.end]
    if not bars:
        body.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="{MUTED}" {FONT}>–</text>'
        )
        return _svg(width, height, body, title)
    first = min([date.fromisoformat(b.start) for b in bars] + [today]).replace(day=1)
    last = max([date(int(b.end[:4]), int(b.end[5:7]), 1) for b in dated if b.end] + [today]).replace(day=1)
    months = max(12, _months(first, last) + 1)
    span = width - label_w - right

    def x(day: date) -> float:
        return label_w + span * _months(first, day.replace(day=1)) / months

    for year in range(first.year, last.year + 2):
        at = date(year, 1, 1)
        if first <= at <= last.replace(year=last.year + 1):
            body.append(
                f'<line x1="{x(at):.1f}" x2="{x(at):.1f}" y1="{top - 6}" y2="{height - 6}" stroke="{LINE}"/>'
            )
            body.append(f'<text x="{x(at) + 2:.1f}" y="{top - 10}" fill="{MUTED}" {FONT}>{year}</text>')
    body.append(
        f'<line x1="{x(today):.1f}" x2="{x(today):.1f}" y1="{top - 6}" y2="{height - 6}" stroke="{INK}" stroke-dasharray="3 3"/>'
    )
    for i, bar in enumerate(bars):
        row_y = top + i * row_h
        label = escape(f"{bar.product} {bar.version}"[:32])
        body.append(f'<text x="4" y="{row_y + 14}" fill="{INK}" {FONT}>{label}</text>')
        start = x(date.fromisoformat(bar.start))
        if bar.end:
            end_day = date(int(bar.end[:4]), int(bar.end[5:7]), 1)
            colour = RED if bar.ok is False else (MUTED if end_day < today else GREEN)
            end = x(end_day) + span / months
            body.append(
                f'<rect x="{start:.1f}" y="{row_y + 4}" width="{max(2.0, end - start):.1f}" height="12" rx="3" fill="{colour}"/>'
            )
            body.append(
                f'<text x="{end + 4:.1f}" y="{row_y + 14}" fill="{MUTED}" {FONT}>{escape(bar.end)}</text>'
            )
        else:
            body.append(f'<text x="{start:.1f}" y="{row_y + 14}" fill="{MUTED}" {FONT}>?</text>')
    return _svg(width, height, body, title)


def deadline_calendar(deadlines: Sequence[Deadline], today: date, title: str, *, months: int = 2) -> str:
    """Month grids from the current month; a day with a due Art 14 stage is marked red (overdue) or blue."""
    cell, gap, head = 26, 24, 52
    width = months * (7 * cell) + (months - 1) * gap + 8
    height = head + 6 * cell + 8
    due_days: dict[date, list[Deadline]] = {}
    for d in deadlines:
        due_days.setdefault(d.due.date(), []).append(d)
    body = [f'<rect width="{width}" height="{height}" fill="#fff"/>']
    year, month = today.year, today.month
    for m in range(months):
        origin = 4 + m * (7 * cell + gap)
        body.append(
            f'<text x="{origin}" y="14" fill="{INK}" {FONT} font-weight="600">{year}-{month:02d}</text>'
        )
        for col, name in enumerate("MTWTFSS"):
            body.append(
                f'<text x="{origin + col * cell + cell / 2}" y="28" text-anchor="middle" fill="{MUTED}" {FONT}>{name}</text>'
            )
        for row, week in enumerate(calendar.Calendar().monthdatescalendar(year, month)):
            for col, day in enumerate(week):
                if day.month != month:
                    continue
                cx, cy = origin + col * cell, head + row * cell
                marks = due_days.get(day, [])
                fill = (RED if day < today else BLUE) if marks else ("#eef2f8" if day == today else "#fff")
                ink = "#fff" if marks else INK
                tip = escape("; ".join(f"case {d.case_id}: {d.stage} due {d.due:%H:%M} UTC" for d in marks))
                body.append(f"<g><title>{tip}</title>" if marks else "<g>")
                body.append(
                    f'<rect x="{cx + 1}" y="{cy - 15}" width="{cell - 2}" height="{cell - 4}" rx="4" fill="{fill}" stroke="{LINE}"/>'
                )
                body.append(
                    f'<text x="{cx + cell / 2}" y="{cy + 1}" text-anchor="middle" fill="{ink}" {FONT}>{day.day}</text></g>'
                )
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return _svg(width, height, body, title)
