"""The inline SVG chart: escaped text, one bar per practitioner, the benchmark line, no script or style."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from pimh.workforce.chart import BLUE, RED, Bar, caseload_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_valid_svg_with_escaped_labels_bars_and_the_benchmark():
    bars = [Bar("Ann <b>&", 300.0, 280.0, True), Bar("Bo", 120.0, 100.0, False)]
    markup = caseload_chart(bars, benchmark=250, benchmark_label="1:250", title="T & C", chart_id="c")
    root = ElementTree.fromstring(markup)  # noqa: S314 (our own markup)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Ann <b>&" in texts and "1:250" in texts and "300 (over)" in texts and "120" in texts
    assert root.find(f"{SVG}title").text == "T & C"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert fills.count(RED) == 1 and fills.count(BLUE) == 1
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert "<script" not in markup and "style=" not in markup


def test_bars_are_proportional_to_their_values():
    markup = caseload_chart(
        [Bar("A", 100.0, 0.0, False), Bar("B", 200.0, 0.0, False)],
        benchmark=250,
        benchmark_label="x",
        title="t",
        chart_id="c",
    )
    widths = [
        float(r.get("width"))
        for r in ElementTree.fromstring(markup).iter(f"{SVG}rect")  # noqa: S314
        if r.get("height") == "16"
    ]
    assert widths[0] > 0
    assert widths[1] == pytest.approx(2 * widths[0], abs=0.2)
