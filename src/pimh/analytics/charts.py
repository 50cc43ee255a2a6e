"""The analyst charts (funnel plot, trend, baby blindspot) as inline SVG. Pure: no Django.

Drawn with Altair and rendered server-side by vl-convert (no browser, no script), then made safe to
inline under the strict Content Security Policy: no ``style`` attribute or element, no script, the
root sized by its ``viewBox`` with ``width="100%"`` so it scales to the column, and the inner ARIA
roles removed: the SVG is one image named by its caption, and every chart has its data table beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

FUNNEL_LEVELS = {"95%": 0.975, "99.8%": 0.999}
WIDTH, HEIGHT = 560, 300
BLUE, GREY, DARK, ORANGE = "#005eb8", "#768692", "#212b32", "#ed8b00"


@dataclass(frozen=True)
class Point:
    label: str
    numerator: int
    denominator: int
    own: bool = False  # the viewer's own team (drawn in another colour)

    @property
    def percent(self) -> float:
        return 100.0 * self.numerator / self.denominator


def z_value(level: float) -> float:
    """The standard normal quantile: 1.96 for 0.975, 3.09 for 0.999."""
    return NormalDist().inv_cdf(level)


def funnel_limits(target: float, size: int, level: float) -> tuple[float, float]:
    """Control limits (percent) around ``target`` (a proportion 0-1) for a unit of ``size``.

    The normal approximation to the binomial (Spiegelhalter 2005), clipped to 0-100%.
    """
    if size <= 0:
        raise ValueError("a funnel limit needs a denominator of at least 1")
    spread = z_value(level) * math.sqrt(target * (1 - target) / size)
    return 100 * max(0.0, target - spread), 100 * min(1.0, target + spread)


def outside(point: Point, target: float, level: float) -> bool:
    low, high = funnel_limits(target, point.denominator, level)
    return not low <= point.percent <= high


def funnel_curve(target: float, largest: int, steps: int = 60) -> list[dict[str, Any]]:
    """The limit lines from a denominator of 1 to ``largest``, on a geometric grid."""
    sizes = sorted({max(1, round(largest ** (i / steps))) for i in range(steps + 1)} | {largest})
    rows = []
    for name, level in FUNNEL_LEVELS.items():
        for size in sizes:
            low, high = funnel_limits(target, size, level)
            rows.append({"n": size, "low": low, "high": high, "limit": f"{name} limits"})
    return rows


def _data(values: list[dict[str, Any]]) -> Any:
    import altair as alt

    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def _svg(chart: Any) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(chart.to_json()))


def inline(svg: str, *, labelled_by: str) -> str:
    """An SVG from vl-convert made safe and accessible to inline (see the module's docstring)."""
    svg = re.sub(r'\s(?:role|aria-roledescription|aria-label)="[^"]*"', "", svg)
    svg = re.sub(r"<style[\s\S]*?</style>", "", svg)
    svg = re.sub(r'\sstyle="[^"]*"', "", svg)
    head, rest = svg.split(">", 1)
    head = re.sub(r'\s(?:width|height|class)="[^"]*"', "", head)
    head += f' width="100%" role="img" aria-labelledby="{labelled_by}" focusable="false" class="pimh-chart"'
    return head + ">" + rest


def funnel_svg(points: Sequence[Point], target: float, *, unit: str, indicator: str, labelled_by: str) -> str:
    import altair as alt

    largest = max(p.denominator for p in points)
    curve = _data(funnel_curve(target, largest))
    dots = _data(
        values=[{"label": p.label, "n": p.denominator, "percent": round(p.percent, 1),
                 "who": "Your team" if p.own else unit} for p in points]
    )  # fmt: skip
    x = alt.X("n:Q", title=f"Denominator ({indicator})", scale=alt.Scale(type="sqrt"))
    limits = alt.Chart(curve).encode(
        x=x, strokeDash=alt.StrokeDash("limit:N", legend=alt.Legend(title=None, orient="bottom"))
    )
    lines = limits.mark_line(color=GREY).encode(y=alt.Y("low:Q", title="Per cent", scale=alt.Scale(domain=[0, 100])))
    upper = limits.mark_line(color=GREY).encode(y="high:Q")
    centre = alt.Chart(_data([{"target": 100 * target}])).mark_rule(color=DARK).encode(y="target:Q")
    marks = alt.Chart(dots).mark_circle(size=70, opacity=1).encode(
        x="n:Q", y="percent:Q",
        color=alt.Color("who:N", scale=alt.Scale(range=[BLUE, ORANGE]), legend=alt.Legend(title=None, orient="bottom")),
    )  # fmt: skip
    chart = (lines + upper + centre + marks).properties(width=WIDTH, height=HEIGHT).resolve_scale(color="independent")
    return inline(_svg(chart), labelled_by=labelled_by)


def trend_svg(rows: Sequence[dict[str, Any]], *, indicator: str, labelled_by: str) -> str:
    """``rows``: quarter, percent, ci_lower, ci_upper (None where suppressed or empty), oldest first."""
    import altair as alt

    shown = [r for r in rows if isinstance(r.get("percent"), int | float)]
    data = _data([{"quarter": r["quarter"], "percent": r["percent"], "low": r["ci_lower"],
                             "high": r["ci_upper"]} for r in shown])  # fmt: skip
    order = [r["quarter"] for r in rows]
    x = alt.X("quarter:O", title="Quarter", sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelAngle=0))
    band = alt.Chart(data).mark_area(opacity=0.25, color=BLUE).encode(x=x, y="low:Q", y2="high:Q")
    line = (
        alt.Chart(data)
        .mark_line(point=True, color=BLUE)
        .encode(x=x, y=alt.Y("percent:Q", title=f"{indicator}, per cent", scale=alt.Scale(domain=[0, 100])))
    )
    chart = (band + line).properties(width=WIDTH, height=HEIGHT)
    return inline(_svg(chart), labelled_by=labelled_by)


def bars_svg(rows: Sequence[dict[str, Any]], *, title: str, labelled_by: str) -> str:
    """``rows``: band, value (a number, or not drawn when suppressed), in the order given."""
    import altair as alt

    order = [r["band"] for r in rows]
    data = _data([{"band": r["band"], "value": r["value"]} for r in rows
                            if isinstance(r["value"], int | float)])  # fmt: skip
    chart = (
        alt.Chart(data)
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X(
                "band:N",
                title="Infant age band",
                sort=order,
                scale=alt.Scale(domain=order),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("value:Q", title=title),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    return inline(_svg(chart), labelled_by=labelled_by)
