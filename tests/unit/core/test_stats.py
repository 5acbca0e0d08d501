"""Wilson intervals and funnel limits against values computed by hand and by statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.core.stats import funnel_limits, wilson_interval


def test_wilson_eight_of_ten():
    low, high = wilson_interval(8, 10)
    assert (round(float(low), 4), round(float(high), 4)) == (0.4902, 0.9433)


def test_wilson_matches_statsmodels_and_is_nan_for_no_one():
    k = np.array([0, 3, 10, 45, 0])
    n = np.array([10, 7, 10, 50, 0])
    low, high = wilson_interval(k, n)
    want_low, want_high = proportion_confint(k[:4], n[:4], alpha=0.05, method="wilson")
    np.testing.assert_allclose(low[:4], want_low, atol=1e-12)
    np.testing.assert_allclose(high[:4], want_high, atol=1e-12)
    assert np.isnan(low[4]) and np.isnan(high[4])


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.2])
def test_wilson_rejects_a_silly_confidence(confidence):
    with pytest.raises(ValueError, match=f"confidence must be between 0 and 1, not {confidence}"):
        wilson_interval(1, 2, confidence=confidence)


def test_wilson_defaults_to_95_percent_and_keeps_to_0_and_1():
    assert wilson_interval(8, 10) == wilson_interval(8, 10, 0.95)
    low, high = wilson_interval(np.array([0, 10]), np.array([10, 10]))
    assert low[0] == 0.0 and high[1] == pytest.approx(1.0) and 0 < high[0] < 1 and 0 < low[1] < 1


def test_funnel_limits_by_hand_for_half_of_a_hundred():
    # Binomial(100, 0.5): r = 60 at 0.975, P(R <= 60) = 0.98240, P(R <= 59) = 0.97156, so the
    # upper limit is (60 - (0.98240 - 0.975) / 0.01084) / 100 = 0.5932; the lower mirrors it.
    lower, upper = funnel_limits(0.5, 100, 0.95)
    assert (round(float(lower), 4), round(float(upper), 4)) == (0.3968, 0.5932)
    lower, upper = funnel_limits(0.5, 100, 0.998)
    assert (round(float(lower), 4), round(float(upper), 4)) == (0.3412, 0.6488)


def test_funnel_limits_near_the_normal_approximation_for_large_n():
    lower, upper = funnel_limits(0.8, 10_000, 0.95)
    half = 1.959964 * np.sqrt(0.8 * 0.2 / 10_000)
    assert abs(float(lower) - (0.8 - half)) < 2e-4 and abs(float(upper) - (0.8 + half)) < 2e-4


def test_funnel_limits_vectorised_widen_as_n_falls_and_nan_for_no_one():
    lower, upper = funnel_limits(0.85, np.array([0, 5, 20, 80]), 0.95)
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert np.all(np.diff(upper[1:]) <= 0) and np.all(np.diff(lower[1:]) >= 0)
    wide_low, wide_high = funnel_limits(0.85, np.array([5, 20, 80]), 0.998)
    assert np.all(wide_low <= lower[1:]) and np.all(wide_high >= upper[1:])
    assert np.all((wide_low >= 0) & (wide_high <= 1))


@pytest.mark.parametrize("level", [0, 1, 1.95])
def test_funnel_limits_reject_a_silly_level(level):
    with pytest.raises(ValueError, match=f"level must be between 0 and 1, not {level}"):
        funnel_limits(0.5, 10, level)


def test_funnel_limits_default_to_95_percent_and_take_any_rate_in_0_1():
    assert [float(v) for v in funnel_limits(0.5, 100)] == [float(v) for v in funnel_limits(0.5, 100, 0.95)]
    # Interpolated at a certain rate: (10 - (1 - 0.025) / 1) / 10 and (10 - (1 - 0.975)) / 10.
    assert [round(float(v), 6) for v in funnel_limits(1.0, 10)] == [0.9025, 0.9975]
    assert [float(v) for v in funnel_limits(1.2, 10)] == [float(v) for v in funnel_limits(1.0, 10)]
    assert [float(v) for v in funnel_limits(0.0, 10)] == [0.0, 0.0] == [float(v) for v in funnel_limits(-0.5, 10)]
    lower, upper = funnel_limits(np.array([np.nan, 0.5]), np.array([10, 1]))
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert (float(lower[1]), float(upper[1])) == (0.0, 0.95)  # one person: (0 - (0.5 - 0.025)/0.5), (1 - 0.025/0.5)


def test_binomial_helpers_match_scipy_stats():
    from scipy import stats as sps

    from analysis.core.stats import binomial_cdf, binomial_ppf, binomial_sf_at

    rng = np.random.default_rng(7)
    n = rng.integers(0, 300, 2000).astype(float)
    p = rng.random(2000)
    p[:20], p[20:40] = 0.0, 1.0
    k = np.floor(rng.random(2000) * (n + 3)) - 1
    q = rng.random(2000)
    np.testing.assert_allclose(binomial_cdf(k, n, p), sps.binom.cdf(k, n, p), atol=1e-11)
    np.testing.assert_allclose(binomial_sf_at(k, n, p), sps.binom.sf(k - 1, n, p), atol=1e-11)
    np.testing.assert_array_equal(binomial_ppf(q, n, p), sps.binom.ppf(q, n, p))


def test_binomial_helpers_at_their_edges():
    from analysis.core.stats import binomial_cdf, binomial_ppf, binomial_sf_at

    assert binomial_cdf(-1, 5, 0.5) == 0.0 and binomial_cdf(5, 5, 0.5) == 1.0 and binomial_cdf(7, 5, 0.5) == 1.0
    assert binomial_cdf(2.7, 5, 0.5) == binomial_cdf(2, 5, 0.5) == 0.5  # 16 of 32
    assert binomial_sf_at(0, 5, 0.5) == 1.0 and binomial_sf_at(-2, 5, 0.5) == 1.0 and binomial_sf_at(6, 5, 0.5) == 0.0
    assert binomial_sf_at(4.2, 5, 0.5) == binomial_sf_at(5, 5, 0.5) == 1 / 32
    assert binomial_sf_at(5, 5, 0.5) == 1 / 32 and binomial_sf_at(1, 5, 0.5) == 31 / 32
    assert list(binomial_ppf(np.array([0.0, 1.0, 0.5]), 5, 0.5)) == [0.0, 5.0, 2.0]
    assert list(binomial_cdf(np.array([1, 1]), np.array([np.nan, 4]), 0.5)) == [1.0, 5 / 16]


def test_wilson_bounds_are_exactly_0_and_1_where_binary_floats_overshoot():
    """11 of 11 at 95% gives an upper bound of 1.0000000000000002 in floats, 0 of 21 at 99.8% a lower
    bound of -1.9e-17: a team with everyone (or no one) supervised shows exactly 100% (0%)."""
    low, high = wilson_interval(np.array([11, 0]), np.array([11, 21]), confidence=0.95)
    assert float(high[0]) == 1.0 and float(low[1]) == 0.0
    low, high = wilson_interval(np.array([30, 0]), np.array([30, 21]), confidence=0.998)
    assert float(high[0]) == 1.0 and float(low[1]) == 0.0
    assert not np.signbit(low[1])
