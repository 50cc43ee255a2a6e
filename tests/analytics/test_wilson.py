"""The pack's 95% Wilson score intervals (statsmodels), against published values and at the edges."""

from __future__ import annotations

import numpy as np

from pimh.analytics.report import wilson


def test_wilson_gives_the_published_score_intervals() -> None:
    # Newcombe RG (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score), to 4 places.
    lower, upper = wilson([81, 15, 0, 1], [263, 148, 20, 29])
    np.testing.assert_allclose(lower, [25.53, 6.24, 0.0, 0.61], rtol=0, atol=0.005)
    np.testing.assert_allclose(upper, [36.62, 16.05, 16.11, 17.18], rtol=0, atol=0.005)


def test_wilson_is_undefined_for_an_empty_denominator_and_bounded_when_all_are_counted() -> None:
    lower, upper = wilson([0, 3, 10], [0, 10, 10])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert 0 < lower[1] < 30 < upper[1] < 100
    assert lower[2] < 100 and upper[2] == 100
