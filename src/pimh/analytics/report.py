"""The indicator pack: unit tables aggregated, Wilson intervals, disclosure control, stamps. Pure: no Django.

Output (also the JSON of ``pimh indicators``): ``{"quarter", "disclosure", "indicators": [{"code",
"group", "numerator", "denominator", "percent", "ci_lower", "ci_upper"}], ...}``; ``group`` is ``{}``
for the overall figure, C1 has a null denominator and percent, a suppressed value is ``"*"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pimh.analytics import disclosure, engine, quality
from pimh.analytics.indicators import BY_CODE, CATALOGUE, DIMENSIONS, NOT_AVAILABLE, Quarter, Settings

ORDER = {indicator.code: position for position, indicator in enumerate(CATALOGUE)}


def parse_breakdown(text: str | None) -> list[str]:
    """``local_authority,imd_quintile`` -> a list of at most two known dimensions."""
    if not text:
        return []
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in DIMENSIONS:
            raise ValueError(f"unknown breakdown {name!r} (choose from {', '.join(DIMENSIONS)})")
    if len(names) > 2 or len(set(names)) != len(names):
        raise ValueError("give one breakdown, or two different ones crossed (for example local_authority,imd_quintile)")
    return names


def wilson(numerators: Sequence[int], denominators: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score intervals, in percent (NaN where the denominator is 0)."""
    num, den = np.asarray(numerators, float), np.asarray(denominators, float)
    lower, upper = np.full(num.size, np.nan), np.full(num.size, np.nan)
    ok = den > 0
    if ok.any():
        # Imported here: statsmodels takes a second to import, and every web process imports this module.
        from statsmodels.stats.proportion import proportion_confint

        low, high = proportion_confint(num[ok], den[ok], alpha=0.05, method="wilson")
        lower[ok], upper[ok] = 100 * np.asarray(low), 100 * np.asarray(high)
    return lower, upper


def _rows(raw: list[dict[str, Any]], by: list[str], rule: disclosure.DisclosureRule | None,
          settings: Settings) -> list[dict[str, Any]]:  # fmt: skip
    proportion = [BY_CODE[r["code"]].kind == "proportion" for r in raw]
    lower, upper = wilson([r["num"] if p else 0 for r, p in zip(raw, proportion, strict=True)],
                          [r["den"] if p else 0 for r, p in zip(raw, proportion, strict=True)])  # fmt: skip
    out = []
    for r, low, high in zip(raw, lower, upper, strict=True):
        indicator = BY_CODE[r["code"]]
        num, den = int(r["num"]), int(r["den"])
        row: dict[str, Any] = {"code": r["code"], "group": {name: r[name] for name in by}}
        row["numerator"] = disclosure.protect(num, rule)
        if indicator.kind == "count":
            row.update(denominator=None, percent=None, ci_lower=None, ci_upper=None)
        elif indicator.kind == "rate_per_1000":
            row["denominator"] = disclosure.protect(den, rule)
            unsafe = disclosure.SUPPRESSED in (row["numerator"], row["denominator"])
            rate = None if den == 0 else round(1000 * num / den, 1)
            row.update(
                percent=None, ci_lower=None, ci_upper=None, rate_per_1000=disclosure.SUPPRESSED if unsafe else rate
            )
        else:
            row["denominator"] = disclosure.protect(den, rule)
            percent = disclosure.protect_percent(num, den, rule)
            row["percent"] = round(percent, 1) if isinstance(percent, float) else percent
            if percent == disclosure.SUPPRESSED:
                row["ci_lower"] = row["ci_upper"] = disclosure.SUPPRESSED
            else:
                row["ci_lower"] = None if np.isnan(low) else round(float(low), 1)
                row["ci_upper"] = None if np.isnan(high) else round(float(high), 1)
        if r["code"] == "C8ii" and den and r["aux"] / den < settings.breastfeeding_min_coverage:
            row.update(numerator=None, percent=None, ci_lower=None, ci_upper=None)
            row["note"] = (f"withheld: breastfeeding status recorded for {100 * r['aux'] / den:.1f}% of the denominator, "
                           f"under {100 * settings.breastfeeding_min_coverage:.0f}%")  # fmt: skip
        out.append(row)
    return out


def build_pack(src: engine.Source, quarter: Quarter, *, breakdowns: Sequence[list[str]] = (), disclosure_preset: str = disclosure.DEFAULT_PRESET,
               settings: Settings | None = None, checks: bool = True) -> dict[str, Any]:  # fmt: skip
    """The overall figures plus every breakdown asked for, disclosure-controlled below national level."""
    settings = settings or Settings()
    rule = disclosure.preset(disclosure_preset)
    national = src.manifest.get("coverage") == "england"
    units = engine.all_units(src, quarter, settings)
    if src.engine != "duckdb":
        units = units.cache()  # DuckDB aggregates every breakdown in one pass over the units (GROUPING SETS)
    rows: list[dict[str, Any]] = []
    overall_raw: list[dict[str, Any]] = []
    wanted = [[], *[list(b) for b in breakdowns if b]]
    for by, raw in zip(wanted, engine.aggregate_many(units, wanted), strict=True):
        raw.sort(key=lambda r: (ORDER[r["code"]], *[str(r[name]) for name in by]))
        if not by:
            overall_raw = raw
        rows += _rows(raw, by, None if (national and not by) else rule, settings)
    overall = {r["code"]: (int(r["num"]), int(r["den"])) for r in overall_raw}
    found = quality.identities(overall) + (quality.record_checks(src) if checks else [])
    return {
        "quarter": quarter.label,
        "period": {"start": quarter.start.isoformat(), "end": quarter.end.isoformat()},
        "disclosure": disclosure_preset,
        "disclosure_applies_to": "all figures except national (England) overall figures"
        if national
        else "all figures (the snapshot is below national level)",
        "engine": src.engine,
        "snapshot": {k: src.manifest.get(k) for k in ("schema", "source", "extract_date", "coverage")},
        "settings": settings.describe(),
        "indicators": rows,
        "not_available": NOT_AVAILABLE,
        "data_quality": [check.as_dict() for check in found],
    }
