"""Disclosure presets (data-standards.md section 2), with property tests over the whole pack."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pimh.analytics import disclosure
from pimh.analytics.disclosure import SUPPRESSED, protect, protect_percent
from pimh.analytics.indicators import CATALOGUE, Settings
from pimh.analytics.report import _rows

NHSD = disclosure.PRESETS["nhsd-2018"]
MHSDS = disclosure.PRESETS["mhsds"]
counts = st.integers(min_value=0, max_value=200_000)


@pytest.mark.parametrize(
    ("count", "published"), [(0, 0), (1, SUPPRESSED), (7, SUPPRESSED), (8, 10), (12, 10), (13, 15), (4002, 4000)]
)
def test_nhsd_2018_counts(count, published):
    assert protect(count, NHSD) == published


@pytest.mark.parametrize(("count", "published"), [(0, SUPPRESSED), (4, SUPPRESSED), (5, 5), (7, 5), (8, 10)])
def test_mhsds_counts(count, published):
    assert protect(count, MHSDS) == published


def test_nhsd_2018_percentage_from_rounded_figures_whole_number_below_4000():
    # 12/37 -> 10/35 = 28.57% -> 29 (rounded denominator under 4,000: whole numbers)
    assert protect_percent(12, 37, NHSD) == 29
    # 1234/4001 -> 1235/4000 = 30.875% -> 30.9 (one decimal place from 4,000)
    assert protect_percent(1234, 4001, NHSD) == 30.9


def test_percentages_of_suppressed_parts_are_suppressed():
    assert protect_percent(3, 100, NHSD) == SUPPRESSED
    assert protect_percent(0, 6, NHSD) == SUPPRESSED
    assert protect_percent(4, 100, MHSDS) == SUPPRESSED


def test_none_changes_nothing():
    assert protect(3, None) == 3
    assert protect_percent(1, 3, None) == pytest.approx(33.333, abs=0.001)


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="unknown disclosure preset 'strict'"):
        disclosure.preset("strict")


@given(counts)
def test_nhsd_2018_never_publishes_1_to_7_and_rounds_to_5(count):
    published = protect(count, NHSD)
    assert published == SUPPRESSED or (published not in range(1, 8) and published % 5 == 0)


@given(counts)
def test_rounding_moves_a_count_by_at_most_2(count):
    published = protect(count, NHSD)
    assert published == SUPPRESSED or abs(published - count) <= 2


proportion_rows = st.lists(
    st.tuples(st.sampled_from([i.code for i in CATALOGUE]), counts, counts).map(
        lambda t: {
            "code": t[0],
            "num": min(t[1], t[2]),
            "den": max(t[1], t[2]),
            "aux": max(t[1], t[2]),
            "local_authority": "E06000001",
        }
    ),
    min_size=1,
    max_size=20,
)


@given(proportion_rows)
def test_no_published_cell_below_national_level_is_1_to_7_and_counts_are_multiples_of_5(raw):
    for row in _rows(raw, ["local_authority"], NHSD, Settings()):
        for key in ("numerator", "denominator"):
            value = row[key]
            assert value is None or value == SUPPRESSED or (value % 5 == 0 and value not in range(1, 8))


@given(proportion_rows)
def test_percentages_and_intervals_from_suppressed_parts_are_stars(raw):
    for row, source in zip(_rows(raw, ["local_authority"], NHSD, Settings()), raw, strict=True):
        parts_suppressed = SUPPRESSED in (protect(source["num"], NHSD), protect(source["den"], NHSD))
        proportion = row["code"] not in ("C1", "PIMH7")
        assert (row["percent"] == SUPPRESSED) == (parts_suppressed and proportion)
        assert (row["ci_lower"] == SUPPRESSED) == (parts_suppressed and proportion)
