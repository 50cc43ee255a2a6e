"""What the analyst pages show, computed from a snapshot and cached beside it. Pure: no Django.

One :class:`View` (quarter, breakdown, the indicator of the funnel plot and trend, the funnel's unit,
the disclosure preset, and whose page it is) gives one JSON-ready dict: the indicator table, the funnel
points, the trend over the last eight quarters and the baby-blindspot counts, each already published
(disclosure-controlled and with 95% Wilson intervals) by the indicator pack's own rules (report.py).

Who sees what (docs/user-guide/analyst.md):
- an **analyst** sees every team and local authority, always disclosure-controlled (``nhsd-2018`` by
  default, or ``mhsds``): analysts may not open any record, so no raw small numbers;
- a **team lead** sees the rows of their own team(s) without disclosure control (preset ``none``:
  they may open every record of their team), and nothing else unprotected: the funnel plot's other
  teams are disclosure-controlled with ``nhsd-2018``, and the whole-service figures are not shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pimh.analytics import disclosure, engine, report, snapshot
from pimh.analytics.indicators import BY_CODE, CATALOGUE, Quarter, Settings, parse_quarter

BREAKDOWNS = {
    "": "None: the whole population",
    "team": "Team",
    "local_authority": "Local authority",
    "imd_quintile": "IMD quintile (1 = most deprived)",
    "ethnic_group": "Ethnic group",
    "infant_age_band": "Infant age band",
    "parent_role": "Parent role",
    "service_level": "Service level",
}
FUNNEL_UNITS = {"team": "Team", "local_authority": "Local authority"}
ANALYST_PRESETS = ("nhsd-2018", "mhsds")
LEAD_PRESET = "none"
OTHERS_PRESET = disclosure.DEFAULT_PRESET
AGE_BANDS = ("0-12 months", "12-24 months", "2 years and over")
BLINDSPOT = "PIMH6"
TREND_QUARTERS = 8
PROPORTIONS = tuple(i.code for i in CATALOGUE if i.kind == "proportion")
DEFAULT_INDICATOR = "C2"
CACHE = "pages"

#: The engine query that computes each indicator (engine.py's public functions).
QUERY_OF = {
    "C1": "c1", "C2": "c2_c3", "C3": "c2_c3", "C8i": "c8", "C8ii": "c8", "C4": "c4_c5_c6i", "C5": "c4_c5_c6i",
    "C6i": "c4_c5_c6i", "C6ii": "c6_reviews", "C6iii": "c6_reviews", "C6iv": "c6_reviews", "C6v": "c6_reviews",
    "C6vi": "c6_reviews", "C6vii": "c6_reviews", "PIMH1M": "pimh1", "PIMH1P": "pimh1", "PIMH2": "pimh2_pimh3",
    "PIMH3": "pimh2_pimh3", "PIMH5a": "pimh_referrals", "PIMH5b": "pimh_referrals", "PIMH6": "pimh_referrals",
    "PIMH7": "pimh7",
}  # fmt: skip


@dataclass(frozen=True)
class View:
    quarter: str
    by: str = ""
    indicator: str = DEFAULT_INDICATOR
    unit: str = "team"
    preset: str = disclosure.DEFAULT_PRESET
    own_teams: tuple[str, ...] | None = None  # None: an analyst; else the team lead's team ids

    def key(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:24]


def quarter_of(day: dt.date) -> Quarter:
    year = day.year if day.month >= 4 else day.year - 1
    return parse_quarter(f"FY{year}Q{(day.month - 4) % 12 // 3 + 1}")


def previous(quarter: Quarter) -> Quarter:
    return quarter_of(quarter.start - dt.timedelta(days=1))


def completed_quarters(extract: dt.date, count: int = TREND_QUARTERS) -> list[Quarter]:
    """The last ``count`` quarters that ended on or before the extract date, newest first."""
    quarter = quarter_of(extract)
    if quarter.end > extract:
        quarter = previous(quarter)
    found = [quarter]
    while len(found) < count:
        found.append(previous(found[-1]))
    return found


def _query(code: str) -> Callable[[engine.Source, Quarter, Settings], Any]:
    function = getattr(engine, QUERY_OF.get(code, ""), None)
    return function if callable(function) else engine.all_units


def _publish(raw: list[dict[str, Any]], by: list[str], rule: disclosure.DisclosureRule | None) -> list[dict[str, Any]]:
    """Raw sums made into published rows by the indicator pack's own rules (report.py)."""
    return report._rows(raw, by, rule, Settings())  # the one definition of a published row


def _units_by(src: engine.Source, code: str, quarters: Sequence[Quarter], by: list[str],
              own_teams: tuple[str, ...] | None) -> list[dict[str, Any]]:  # fmt: skip
    """Raw num/den of one indicator per quarter and breakdown, for the own teams only when given."""
    import ibis

    query = _query(code)
    pieces = []
    for quarter in quarters:
        units = query(src, quarter, Settings())
        units = units.filter(units.code == code).mutate(quarter=ibis.literal(quarter.label))
        if own_teams is not None:
            units = units.filter(units.team.isin(list(own_teams)))
        pieces.append(units)
    return engine.aggregate(ibis.union(*pieces, distinct=False), ["quarter", *by])


def _named(rows: list[dict[str, Any]], teams: dict[str, str]) -> list[dict[str, Any]]:
    for row in rows:
        if "team" in row["group"]:
            row["group"]["team"] = teams.get(str(row["group"]["team"]), str(row["group"]["team"]))
        row["title"] = BY_CODE[row["code"]].title
        row["kind"] = BY_CODE[row["code"]].kind
    return rows


def compute(folder: Path | str, view: View) -> dict[str, Any]:
    """The page's figures (no caching: see :func:`cached`)."""
    if view.indicator not in PROPORTIONS:
        raise ValueError(f"unknown indicator {view.indicator!r} for the funnel plot and trend")
    if view.by not in BREAKDOWNS or view.unit not in FUNNEL_UNITS:
        raise ValueError("unknown breakdown")
    quarter = parse_quarter(view.quarter)
    src = engine.open_snapshot(folder)
    teams = {str(r["team_id"]): str(r["name"]) for r in snapshot.read_table(folder, "teams").to_pylist()}
    by = [view.by] if view.by else []
    lead = view.own_teams is not None
    if lead:
        crossed = ["team", *[b for b in by if b != "team"]]
        pack = report.build_pack(src, quarter, breakdowns=[crossed], disclosure_preset=LEAD_PRESET)
        own = set(view.own_teams or ())
        table = [r for r in pack["indicators"] if list(r["group"]) == crossed and str(r["group"]["team"]) in own]
        others = report.build_pack(
            src, quarter, breakdowns=[[view.unit]], disclosure_preset=OTHERS_PRESET, checks=False
        )
        funnel_rows = [r for r in others["indicators"] if list(r["group"]) == [view.unit]]
        target_rows = [r for r in others["indicators"] if r["group"] == {}]
    else:
        pack = report.build_pack(src, quarter, breakdowns=[by, [view.unit]] if by and by != [view.unit] else [[view.unit]],
                                 disclosure_preset=view.preset)  # fmt: skip
        table = [r for r in pack["indicators"] if list(r["group"]) in ([], by)]
        funnel_rows = [r for r in pack["indicators"] if list(r["group"]) == [view.unit]]
        target_rows = [r for r in pack["indicators"] if r["group"] == {}]
    funnel = _funnel(funnel_rows, target_rows, view, teams)
    rule = disclosure.preset(LEAD_PRESET if lead else view.preset)
    history = list(reversed(completed_quarters(quarter.end, TREND_QUARTERS)))
    trend_raw = _units_by(src, view.indicator, history, [], view.own_teams)
    trend = {r["group"]["quarter"]: r for r in _publish(trend_raw, ["quarter"], rule)}
    blind_raw = _units_by(src, BLINDSPOT, [quarter], ["infant_age_band"], view.own_teams)
    blind = {r["group"]["infant_age_band"]: r for r in _publish(blind_raw, ["quarter", "infant_age_band"], rule)}
    empty = {"numerator": 0, "denominator": 0, "percent": None, "ci_lower": None, "ci_upper": None}
    return {
        "view": asdict(view),
        "about": {k: pack[k] for k in ("quarter", "period", "snapshot", "settings", "not_available", "data_quality")},
        "disclosure": LEAD_PRESET if lead else view.preset,
        "others_disclosure": OTHERS_PRESET if lead else view.preset,
        "disclosure_applies_to": "none to your own team's figures (you may open these records); "
        f"{OTHERS_PRESET} to the other teams in the funnel plot"
        if lead
        else "all figures (the snapshot is below national level)",
        "table": _named(table, teams),
        "funnel": funnel,
        "trend": [{"quarter": q.label, **{k: trend.get(q.label, empty)[k] for k in empty}} for q in history],
        "blindspot": [{"band": band, **{k: blind.get(band, empty)[k] for k in empty}} for band in AGE_BANDS],
        "definitions": [asdict(i) for i in CATALOGUE],
    }


def _funnel(rows: list[dict[str, Any]], overall: list[dict[str, Any]], view: View,
            teams: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    """Published points of one indicator by team or local authority, and the target (the overall figure)."""
    own = set(view.own_teams or ())
    target = next((r for r in overall if r["code"] == view.indicator), None)
    points = []
    for r in rows:
        if r["code"] != view.indicator:
            continue
        key = str(r["group"][view.unit])
        plotted = isinstance(r["numerator"], int) and isinstance(r["denominator"], int) and r["denominator"] > 0
        points.append({
            "label": teams.get(key, key) if view.unit == "team" else key, "own": view.unit == "team" and key in own,
            "numerator": r["numerator"], "denominator": r["denominator"], "percent": r["percent"], "plotted": plotted,
        })  # fmt: skip
    target_percent = None
    if (
        target
        and isinstance(target["numerator"], int)
        and isinstance(target["denominator"], int)
        and target["denominator"]
    ):
        target_percent = 100 * target["numerator"] / target["denominator"]
    return {"points": sorted(points, key=lambda p: p["label"]), "target": target_percent}


def cached(folder: Path | str, view: View) -> dict[str, Any]:
    """:func:`compute`, kept as JSON inside the snapshot folder (a rebuilt snapshot starts afresh)."""
    path = Path(folder) / CACHE / f"{view.key()}.json"
    if path.exists():
        return json.loads(path.read_text())  # type: ignore[no-any-return]
    result = compute(folder, view)
    result["charts"] = render_charts(result)
    path.parent.mkdir(exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(result))
    partial.replace(path)
    return result


def render_charts(result: dict[str, Any]) -> dict[str, str]:
    """The three charts as inline SVG (charts.py); a chart with nothing to draw is left out."""
    from pimh.analytics import charts

    code = result["view"]["indicator"]
    out = {}
    funnel = result["funnel"]
    points = [
        charts.Point(p["label"], p["numerator"], p["denominator"], p["own"]) for p in funnel["points"] if p["plotted"]
    ]
    if points and funnel["target"] is not None:
        unit = FUNNEL_UNITS[result["view"]["unit"]]
        out["funnel"] = charts.funnel_svg(points, funnel["target"] / 100, unit=unit, indicator=code,
                                          labelled_by="funnel-caption")  # fmt: skip
    if any(isinstance(r["percent"], int | float) for r in result["trend"]):
        out["trend"] = charts.trend_svg(result["trend"], indicator=code, labelled_by="trend-caption")
    bars = [{"band": r["band"], "value": r["numerator"]} for r in result["blindspot"]]
    out["blindspot"] = charts.bars_svg(
        bars, title="Referrals declined for age criteria", labelled_by="blindspot-caption"
    )
    return out
