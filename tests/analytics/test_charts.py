"""Funnel-plot limits and the inline SVG of the analyst charts (pure)."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from pimh.analytics import charts, dashboard


def test_funnel_limits_are_the_normal_approximation_at_95_and_99_8_percent():
    # p = 0.8, n = 100: sd = 0.04; z = 1.959964 and 3.090232.
    assert charts.funnel_limits(0.8, 100, 0.975) == pytest.approx((80 - 7.839856, 80 + 7.839856), abs=1e-4)
    assert charts.funnel_limits(0.8, 100, 0.999) == pytest.approx((80 - 12.360929, 80 + 12.360929), abs=1e-4)


def test_funnel_limits_are_clipped_to_0_and_100_percent():
    assert charts.funnel_limits(0.95, 4, 0.999) == (
        pytest.approx(100 * (0.95 - 3.090232 * math.sqrt(0.95 * 0.05 / 4))),
        100.0,
    )


def test_a_funnel_limit_needs_a_denominator():
    with pytest.raises(ValueError, match="at least 1"):
        charts.funnel_limits(0.5, 0, 0.975)


def test_a_point_just_outside_the_95_percent_limit_is_flagged():
    assert charts.outside(charts.Point("A", 72, 100), 0.8, 0.975)
    assert not charts.outside(charts.Point("B", 73, 100), 0.8, 0.975)
    assert not charts.outside(charts.Point("A", 72, 100), 0.8, 0.999)


def test_the_svg_scales_to_its_column_and_has_no_style_or_script():
    svg = charts.funnel_svg(
        [charts.Point("North", 80, 100), charts.Point("South", 30, 50, own=True)], 0.8,
        unit="Team", indicator="C2", labelled_by="cap",
    )  # fmt: skip
    head = svg.split(">", 1)[0]
    assert re.fullmatch(r'<svg [^>]*viewBox="0 0 \d+ \d+" width="100%" role="img" aria-labelledby="cap"[^>]*', head)
    assert " height=" not in head
    assert re.findall(r"<style|\sstyle=|<script|\son[a-z]+=|role=\"graphics", svg) == []


def test_quarters_are_financial_years_and_only_completed_ones_are_offered():
    assert dashboard.quarter_of(dt.date(2026, 4, 1)).label == "FY2026Q1"
    assert dashboard.quarter_of(dt.date(2027, 3, 31)).label == "FY2026Q4"
    labels = [q.label for q in dashboard.completed_quarters(dt.date(2026, 11, 23))]
    assert labels == ["FY2026Q2", "FY2026Q1", "FY2025Q4", "FY2025Q3", "FY2025Q2", "FY2025Q1", "FY2024Q4", "FY2024Q3"]
    assert dashboard.completed_quarters(dt.date(2026, 9, 30), 1)[0].label == "FY2026Q2"
