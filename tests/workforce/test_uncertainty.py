"""Monte Carlo and tornado."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pimh.workforce import model, uncertainty
from pimh.workforce.params import load_parameters

PARAMS = load_parameters()


def many_areas(n: int, seed: int = 0) -> model.Areas:
    rng = np.random.default_rng(seed)
    births = rng.uniform(500, 8000, n)
    children = births * 5
    return model.Areas(
        tuple(f"E{i:08d}" for i in range(n)),
        births,
        {g: children * s for g, s in zip(model.GROUPS, (0.85, 0.06, 0.03, 0.01), strict=True)},
        {g: children * s * 0.4 for g, s in zip(model.GROUPS, (0.85, 0.06, 0.03, 0.01), strict=True)},
        {g: children * 0.02 for g in model.GROUPS},
        children * 0.2,
        np.full(n, np.nan),
    )


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_percentiles_are_ordered_for_every_area_and_the_total(n, seed):
    sim = uncertainty.monte_carlo(many_areas(n, seed % 1000), PARAMS, draws=500, seed=seed)
    assert np.all(sim.areas.p05 <= sim.areas.p50)
    assert np.all(sim.areas.p50 <= sim.areas.p95)
    assert sim.total.p05 <= sim.total.p50 <= sim.total.p95
    assert sim.total.p05 < sim.total.p95


def test_deterministic_run_equals_the_median_when_distributions_are_degenerate():
    areas = many_areas(150)
    sim = uncertainty.monte_carlo(areas, PARAMS.degenerate(), draws=1000, seed=3)
    deterministic = model.demand(areas, PARAMS.values()).wte
    assert sim.areas.p50 == pytest.approx(deterministic, rel=1e-12)
    assert sim.areas.p05 == pytest.approx(deterministic, rel=1e-12)
    assert float(sim.total.p50) == pytest.approx(float(deterministic.sum()), rel=1e-12)


def test_the_same_seed_gives_the_same_draws_and_another_seed_does_not():
    areas = many_areas(10)
    first = uncertainty.monte_carlo(areas, PARAMS, draws=2000, seed=5)
    again = uncertainty.monte_carlo(areas, PARAMS, draws=2000, seed=5)
    other = uncertainty.monte_carlo(areas, PARAMS, draws=2000, seed=6)
    assert np.array_equal(first.areas.p95, again.areas.p95)
    assert not np.array_equal(first.areas.p95, other.areas.p95)


def test_the_median_of_draws_is_close_to_the_central_value():
    sim = uncertainty.monte_carlo(many_areas(20), PARAMS, draws=10_000, seed=1)
    assert float(sim.total.p50) == pytest.approx(sim.total_central, rel=0.02)


def test_draws_out_of_range_are_refused():
    with pytest.raises(ValueError, match="draws must be from 1"):
        uncertainty.monte_carlo(many_areas(2), PARAMS, draws=0, seed=1)


def test_tornado_moves_each_uncertain_parameter_and_sorts_by_swing():
    areas = many_areas(5)
    bars = uncertainty.tornado(areas, PARAMS)
    assert {bar.name for bar in bars} == {p.name for p in PARAMS.uncertain()}
    swings = [bar.swing for bar in bars]
    assert swings == sorted(swings, reverse=True)
    central = float(model.demand(areas, PARAMS.values()).wte.sum())
    prevalence = next(bar for bar in bars if bar.name == "pimh.postnatal_prevalence")
    assert prevalence.total_at_low < central < prevalence.total_at_high
    sickness = next(bar for bar in bars if bar.name == "productive.sickness")
    assert sickness.total_at_low < central < sickness.total_at_high
