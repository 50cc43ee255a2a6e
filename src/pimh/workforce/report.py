"""The workforce run: snapshot + parameters (+ scenario) -> one result dict, and its JSON, CSV and HTML forms
(pure: no Django). The HTML is a standalone page with a table; no scripts."""

from __future__ import annotations

import csv
import html
import io
import json
import math
from dataclasses import dataclass
from typing import Any

from pimh.workforce import chart, model, uncertainty
from pimh.workforce.params import ParameterSet, Scenario
from pimh.workforce.snapshot import AreaData, Snapshot

PLACES = 2


def _num(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), PLACES)


@dataclass(frozen=True)
class Run:
    params: ParameterSet
    simulation: uncertainty.Simulation
    demand: model.Demand


def _run(data: AreaData, params: ParameterSet, draws: int, seed: int) -> Run:
    sim = uncertainty.monte_carlo(data.areas, params, draws=draws, seed=seed)
    return Run(params, sim, model.demand(data.areas, params.values()))


def build(
    snapshot: Snapshot,
    data: AreaData,
    base: ParameterSet,
    *,
    scenario: Scenario | None = None,
    draws: int,
    seed: int,
) -> dict[str, Any]:
    """Everything ``pimh workforce`` reports. With a scenario, each area also shows the change from the
    baseline run (same draws and seed, so the difference is not noise)."""
    baseline = _run(data, base, draws, seed)
    run = _run(data, scenario.apply(base), draws, seed) if scenario else baseline
    marks = model.benchmarks(data.areas)
    parts = run.demand.part_wte()
    sim = run.simulation
    rows = []
    for i, code in enumerate(data.areas.codes):
        in_post = _num(data.areas.wte_in_post[i])
        p50 = float(sim.areas.p50[i])
        row: dict[str, Any] = {
            "local_authority": code,
            "children": int(data.children[i]),
            "births": int(data.births[i]),
            "wte_required": {
                "p05": _num(sim.areas.p05[i]),
                "p50": _num(p50),
                "p95": _num(sim.areas.p95[i]),
                "central": _num(sim.central[i]),
            },
            "parts": {name: _num(values[i]) for name, values in parts.items()},
            "benchmarks": {name: _num(values[i]) for name, values in marks.items()},
            "wte_in_post": in_post,
            "gap": None if in_post is None else _num(p50 - in_post),
        }
        if scenario:
            row["change_from_baseline"] = {
                "p50": _num(p50 - float(baseline.simulation.areas.p50[i])),
                "central": _num(float(sim.central[i] - baseline.simulation.central[i])),
            }
        rows.append(row)
    result: dict[str, Any] = {
        "params_version": base.version,
        "scenario": None
        if scenario is None
        else {"name": scenario.name, "title": scenario.title, "changes": dict(scenario.changes)},
        "snapshot": {"extract_date": snapshot.extract_date.isoformat(), "source": snapshot.source},
        "draws": draws,
        "seed": seed,
        "productive_hours_per_wte": _num(float(run.demand.productive_hours.reshape(-1)[0])),
        "children_without_local_authority": data.without_local_authority,
        "areas": rows,
        "total": {
            "children": int(data.children.sum()),
            "births": int(data.births.sum()),
            "wte_required": {
                "p05": _num(float(sim.total.p05)),
                "p50": _num(float(sim.total.p50)),
                "p95": _num(float(sim.total.p95)),
                "central": _num(sim.total_central),
            },
            "benchmarks": {name: _num(float(values.sum())) for name, values in marks.items()},
        },
        "tornado": [
            {
                "parameter": bar.name,
                "low": bar.low,
                "high": bar.high,
                "total_at_low": _num(bar.total_at_low),
                "total_at_high": _num(bar.total_at_high),
            }
            for bar in uncertainty.tornado(data.areas, run.params)
        ],
    }
    if scenario:
        result["total"]["change_from_baseline"] = {
            "p50": _num(float(sim.total.p50 - baseline.simulation.total.p50)),
            "central": _num(sim.total_central - baseline.simulation.total_central),
        }
    return result


CSV_COLUMNS = (
    "local_authority",
    "children",
    "births",
    "wte_required_p05",
    "wte_required_p50",
    "wte_required_p95",
    "wte_required_central",
    "mandated",
    "additional",
    "pimh",
    "safeguarding",
    "ihv_1_250",
    "floor_3_per_1000",
    "ihv_deprivation",
    "funding_1_300",
    "wte_in_post",
    "gap",
    "change_p50",
)


def _flat(row: dict[str, Any]) -> list[Any]:
    change = row.get("change_from_baseline") or {}
    values = [row["local_authority"], row["children"], row["births"]]
    values += [row["wte_required"][k] for k in ("p05", "p50", "p95", "central")]
    values += [row["parts"][k] for k in ("mandated", "additional", "pimh", "safeguarding")]
    values += [row["benchmarks"][k] for k in ("ihv_1_250", "floor_3_per_1000", "ihv_deprivation", "funding_1_300")]
    values += [row["wte_in_post"], row["gap"], change.get("p50")]
    return ["" if v is None else v for v in values]


def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2) + "\n"


def to_csv(result: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in result["areas"]:
        writer.writerow(_flat(row))
    return out.getvalue()


def to_html(result: dict[str, Any]) -> str:
    head = "".join(f"<th scope='col'>{html.escape(c.replace('_', ' '))}</th>" for c in CSV_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in _flat(row)) + "</tr>" for row in result["areas"]
    )
    scenario = result["scenario"]
    title = "Health visiting workforce: demand model"
    subtitle = f"Parameters {result['params_version']}" + (f", scenario: {scenario['title']}" if scenario else "")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{PRINT_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}. Snapshot of "
        f"{html.escape(result['snapshot']['extract_date'])}; {result['draws']:,} draws, seed {result['seed']}. "
        "WTE required is a model estimate from assumptions, shown beside published ratios; it is not a "
        "staffing standard.</p>"
        f"{_range_chart(result)}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>\n"
    )


def _range_chart(result: dict[str, Any]) -> str:
    ranges = [
        chart.Range(
            row["local_authority"],
            row["wte_required"]["p05"],
            row["wte_required"]["p50"],
            row["wte_required"]["p95"],
            row["wte_in_post"],
        )
        for row in result["areas"]
    ]
    title = "WTE health visitors required (5th to 95th percentile) and in post, by area"
    return "<figure>" + chart.range_chart(ranges, title=title, chart_id="areas") + "</figure>"


PRINT_CSS = (
    "@page { size: A4 landscape; margin: 12mm; } body { font-family: Arial, sans-serif; font-size: 9pt; } "
    "table { border-collapse: collapse; } th, td { border-bottom: 1px solid #d8dde0; padding: 2px 4px; "
    "text-align: right; } th:first-child, td:first-child { text-align: left; } figure { margin: 0 0 8mm; }"
)


def to_pdf(result: dict[str, Any]) -> bytes:
    """The HTML report as a PDF (WeasyPrint, imported only when asked for: it is slow to import)."""
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=to_html(result)).write_pdf()
    return pdf


FORMATS = {"json": to_json, "csv": to_csv, "html": to_html}
BINARY_FORMATS = {"pdf": to_pdf}
