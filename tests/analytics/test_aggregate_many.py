"""All breakdowns in one pass (GROUPING SETS on DuckDB) give what one query per breakdown gives."""

from __future__ import annotations

import pytest

from pimh.analytics import engine
from pimh.analytics.indicators import DIMENSIONS, Settings, parse_quarter
from pimh.analytics.synth import synthesise

BREAKDOWNS = [[], *[[name] for name in DIMENSIONS], ["local_authority", "imd_quintile"], ["team", "parent_role"]]


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth3k")
    synthesise(folder, children=3_000, seed=5)
    return engine.open_snapshot(folder, "duckdb")


def keyed(by, rows):
    return sorted(((r["code"], *[str(r[n]) for n in by]), (r["num"], r["den"], r["aux"])) for r in rows)


def test_one_pass_equals_one_query_per_breakdown(source):
    units = engine.all_units(source, parse_quarter("FY2026Q1"), Settings())
    cached = units.cache()
    one_pass = engine.aggregate_many(units, BREAKDOWNS)
    assert [keyed(by, rows) for by, rows in zip(BREAKDOWNS, one_pass, strict=True)] == [
        keyed(by, engine.aggregate(cached, by)) for by in BREAKDOWNS
    ]
    assert sum(len(rows) for rows in one_pass) > 500


def test_a_breakdown_that_does_not_apply_is_left_out(source):
    units = engine.all_units(source, parse_quarter("FY2026Q1"), Settings())
    (by_kind,) = engine.aggregate_many(units, [["service_kind"]])
    assert {r["code"] for r in by_kind} == {"PIMH5a", "PIMH5b", "PIMH6"}


def test_an_unknown_breakdown_is_refused(source):
    units = engine.all_units(source, parse_quarter("FY2026Q1"), Settings())
    with pytest.raises(ValueError, match="unknown breakdown 'postcode'"):
        engine.aggregate_many(units, [["postcode"]])
