"""Server-rendered charts as inline SVG (no scripts: the CSP forbids them; presentation attributes only,
no inline styles). Pure: returns markup with every text escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BLUE = "#005eb8"  # NHS blue
RED = "#d5281b"  # NHS red (over the threshold)
GREY = "#768692"
BLACK = "#212b32"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the main bar (weighted caseload per WTE)
    secondary: float  # the thin bar (children per WTE)
    highlight: bool


def _step(value: float) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving at most 8 ticks up to ``value``."""
    power = 10.0 ** math.floor(math.log10(max(value, 1e-9)) - 1)
    for multiple in (1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        if value / (multiple * power) <= 8:
            return multiple * power
    return 100 * power


def _scale(value: float) -> tuple[float, list[float]]:
    """The axis maximum (a whole number of steps above ``value``) and its ticks."""
    step = _step(value)
    count = math.floor(value / step + 1e-9) + 1
    return step * count, [round(i * step, 10) for i in range(count + 1)]


def _label(tick: float) -> str:
    return f"{tick:g}"


def caseload_chart(bars: Sequence[Bar], *, benchmark: float, benchmark_label: str, title: str, chart_id: str) -> str:
    """Horizontal bars, one row per practitioner, with a vertical benchmark line."""
    left, right, top, row, bottom = 170, 70, 30, 34, 40
    width = 720
    plot = width - left - right
    height = top + row * max(len(bars), 1) + bottom
    scale_max, ticks = _scale(max([benchmark * 1.2, *(b.value for b in bars), *(b.secondary for b in bars)]))

    def x(value: float) -> float:
        return left + plot * value / scale_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="pimh-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Thick bars: weighted caseload per whole-time equivalent. Thin bars: children '
        f"per whole-time equivalent. Vertical line: {escape(benchmark_label)}. The table below gives the same figures.</desc>",
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{height - bottom}" stroke="#d8dde0" />'
            f'<text x="{x(tick):.1f}" y="{height - bottom + 16}" font-size="12" text-anchor="middle" fill="{BLACK}">{_label(tick)}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * row
        colour = RED if bar.highlight else BLUE
        marker = " (over)" if bar.highlight else ""
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" font-size="13" text-anchor="end" fill="{BLACK}">{escape(bar.label)}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{max(x(bar.value) - left, 0):.1f}" height="16" fill="{colour}" />'
            f'<rect x="{left}" y="{y + 22}" width="{max(x(bar.secondary) - left, 0):.1f}" height="5" fill="{GREY}" />'
            f'<text x="{x(bar.value) + 4:.1f}" y="{y + 17}" font-size="12" fill="{BLACK}">{bar.value:.0f}{marker}</text>'
        )
    parts.append(
        f'<line x1="{x(benchmark):.1f}" y1="{top - 10}" x2="{x(benchmark):.1f}" y2="{height - bottom}" '
        f'stroke="{BLACK}" stroke-width="2" stroke-dasharray="6 4" />'
        f'<text x="{x(benchmark):.1f}" y="{top - 14}" font-size="12" text-anchor="middle" fill="{BLACK}">'
        f"{escape(benchmark_label)}</text>"
    )
    parts.append(
        f'<text x="{left + plot / 2:.1f}" y="{height - 6}" font-size="12" text-anchor="middle" fill="{BLACK}">'
        "children per whole-time equivalent</text></svg>"
    )
    return "".join(parts)


@dataclass(frozen=True)
class Range:
    label: str
    low: float  # p05
    middle: float  # p50
    high: float  # p95
    in_post: float | None


def range_chart(rows: Sequence[Range], *, title: str, chart_id: str) -> str:
    """One row per area: the p05-p95 band of WTE required, its median, and the WTE in post (a diamond)."""
    left, right, top, row, bottom = 120, 40, 20, 26, 40
    width = 720
    plot = width - left - right
    height = top + row * max(len(rows), 1) + bottom
    peak = max([1.0, *(r.high for r in rows), *(r.in_post or 0.0 for r in rows)])
    scale_max, ticks = _scale(peak)

    def x(value: float) -> float:
        return left + plot * value / scale_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="pimh-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">For each area, a band from the 5th to the 95th percentile of the WTE required, '
        "a vertical mark at the median, and a diamond at the WTE in post where known. The table below gives the "
        "same figures.</desc>",
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{height - bottom}" stroke="#d8dde0" />'
            f'<text x="{x(tick):.1f}" y="{height - bottom + 16}" font-size="12" text-anchor="middle" '
            f'fill="{BLACK}">{_label(tick)}</text>'
        )
    for i, r in enumerate(rows):
        y = top + i * row
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" font-size="12" text-anchor="end" fill="{BLACK}">{escape(r.label)}</text>'
            f'<rect x="{x(r.low):.1f}" y="{y + 4}" width="{max(x(r.high) - x(r.low), 1):.1f}" height="14" '
            f'fill="#aec8e6" />'
            f'<line x1="{x(r.middle):.1f}" y1="{y + 2}" x2="{x(r.middle):.1f}" y2="{y + 20}" stroke="{BLUE}" '
            'stroke-width="3" />'
        )
        if r.in_post is not None:
            cx, cy = x(r.in_post), y + 11
            parts.append(
                f'<polygon points="{cx:.1f},{cy - 7} {cx + 7:.1f},{cy} {cx:.1f},{cy + 7} {cx - 7:.1f},{cy}" '
                f'fill="{BLACK}" />'
            )
    parts.append(
        f'<text x="{left + plot / 2:.1f}" y="{height - 6}" font-size="12" text-anchor="middle" fill="{BLACK}">'
        "whole-time equivalent health visitors</text></svg>"
    )
    return "".join(parts)
