"""The specialist waits simulation: agrees with Erlang C, is reproducible, and finds the WTE needed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pimh.workforce import waits


def test_assessment_waits_agree_with_the_mmc_erlang_c_formula_over_a_long_run():
    # 3 referrals a week, 2 WTE x 2 slots = 4 servers, mean assessment 1 week: load 0.75.
    config = waits.WaitsConfig(
        arrivals_per_week=3.0,
        specialist_wte=2.0,
        assessment_slots_per_wte=2.0,
        assessment_weeks=1.0,
        treatment_share=0.0,
        weeks=30_000,
        warmup_weeks=200,
        seed=11,
    )
    result = waits.simulate(config)
    assert result.assessment.count > 80_000
    assert result.assessment.mean == pytest.approx(waits.mmc_mean_wait(4, 3.0, 1.0), rel=0.05)
    assert result.assessment.within_standard == pytest.approx(waits.mmc_wait_within(4, 3.0, 1.0, 2.0), rel=0.05)
    waited = float(np.mean(result.assessment_waits > 0))
    assert waited == pytest.approx(waits.erlang_c(4, 3.0, 1.0), rel=0.05)


def test_erlang_c_matches_a_known_value():
    # Two servers, offered load 1 erlang: C = 1/3.
    assert waits.erlang_c(2, 1.0, 1.0) == pytest.approx(1 / 3)
    assert waits.erlang_c(2, 2.0, 1.0) == 1.0


def test_the_same_seed_gives_the_same_waits():
    config = waits.WaitsConfig(arrivals_per_week=5, specialist_wte=3.0, seed=4)
    first, again = waits.simulate(config), waits.simulate(config)
    other = waits.simulate(replace(config, seed=5))
    assert np.array_equal(first.assessment_waits, again.assessment_waits)
    assert np.array_equal(first.treatment_waits, again.treatment_waits)
    assert not np.array_equal(first.assessment_waits, other.assessment_waits)


def test_too_few_specialists_breach_and_the_wte_needed_meets_both_standards():
    config = waits.WaitsConfig(arrivals_per_week=5, specialist_wte=2.5, seed=2)
    short = waits.simulate(config)
    assert not short.meets_standards
    assert short.treatment.still_waiting > 0
    needed = waits.wte_needed(config)
    assert needed is not None
    enough = waits.simulate(replace(config, specialist_wte=needed))
    assert enough.meets_standards
    assert enough.assessment.within_standard >= 0.9 and enough.treatment.within_standard >= 0.9
    below = waits.simulate(replace(config, specialist_wte=round(needed - 0.1, 1)))
    assert not below.meets_standards


def test_more_specialists_never_lengthen_waits_with_the_same_seed():
    base = waits.WaitsConfig(arrivals_per_week=4, specialist_wte=2.5, seed=9)
    means = [waits.simulate(replace(base, specialist_wte=w)).treatment.mean for w in (2.5, 3.0, 3.5, 4.0)]
    assert means == sorted(means, reverse=True)


@pytest.mark.parametrize(
    "bad",
    [{"arrivals_per_week": 0}, {"assessment_weeks": -1}, {"treatment_share": 1.5}, {"specialist_wte": -1}],
)
def test_bad_settings_are_refused(bad):
    config = replace(waits.WaitsConfig(arrivals_per_week=1, specialist_wte=1), **bad)
    with pytest.raises(ValueError):
        waits.simulate(config)


def test_a_standard_no_staffing_can_meet_gives_no_wte_quickly():
    # Treatment cannot start within 0.05 weeks when the assessment before it takes a week on average.
    config = waits.WaitsConfig(arrivals_per_week=5, specialist_wte=1, treatment_standard_weeks=0.05, weeks=100)
    assert waits.wte_needed(config) is None


def test_too_many_referrals_to_simulate_are_refused():
    with pytest.raises(ValueError, match="use fewer weeks"):
        waits.simulate(waits.WaitsConfig(arrivals_per_week=5_000, specialist_wte=1, weeks=1_000))
