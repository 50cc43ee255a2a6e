"""The 95% Wilson score interval of the pack agrees with statsmodels' implementation, edges included."""

from __future__ import annotations

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from pimh.analytics.report import wilson


def test_wilson_matches_statsmodels_including_none_and_all_counted() -> None:
    num = [0, 1, 5, 50, 99, 100, 0, 1, 7, 123456]
    den = [100, 100, 10, 100, 100, 100, 1, 1, 9, 3300000]
    lower, upper = wilson(num, den)
    low, high = proportion_confint(np.array(num), np.array(den), alpha=0.05, method="wilson")
    np.testing.assert_allclose(lower, 100 * np.asarray(low), rtol=0, atol=1e-9)
    np.testing.assert_allclose(upper, 100 * np.asarray(high), rtol=0, atol=1e-9)


def test_wilson_is_undefined_for_an_empty_denominator() -> None:
    lower, upper = wilson([0, 3], [0, 10])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert 0 < lower[1] < 30 < upper[1] < 100
