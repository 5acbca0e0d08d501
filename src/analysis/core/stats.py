"""Intervals for comparing proportions fairly: Wilson score intervals and funnel-plot limits.

Built on ``scipy.special`` (the binomial distribution function ``bdtr``) rather than
``scipy.stats``, whose import alone takes longer than a small authority's whole calculation.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any

import numpy as np


@cache
def _special() -> ModuleType:
    """``scipy.special``, imported on first use: the ``tables`` command would otherwise wait for it
    before reading a file, where a worker thread can import it while the other core works."""
    from scipy import special

    return special


def _z(confidence: float) -> float:
    return float(_special().ndtri(0.5 + confidence / 2))


def _counts(values: np.ndarray) -> np.ndarray:
    """Whole, non-negative counts as integers (``bdtr`` takes no others); NaN becomes 0."""
    return np.maximum(np.nan_to_num(values, nan=0.0), 0).astype(np.int64)


def binomial_cdf(k: Any, n: Any, p: Any) -> np.ndarray:
    """P(R <= k) for R ~ Binomial(n, p), element-wise; 0 below 0 and 1 from n up."""
    k, n, p = np.broadcast_arrays(
        np.floor(np.asarray(k, dtype=float)), np.asarray(n, dtype=float), np.asarray(p, dtype=float)
    )
    whole = _counts(n)
    inside = _special().bdtr(_counts(np.clip(k, 0, whole)), whole, p)
    return np.where(k < 0, 0.0, np.where(k >= n, 1.0, inside))


def binomial_sf_at(k: Any, n: Any, p: Any) -> np.ndarray:
    """P(R >= k) for R ~ Binomial(n, p), element-wise, without losing small upper tails."""
    k, n, p = np.broadcast_arrays(
        np.ceil(np.asarray(k, dtype=float)), np.asarray(n, dtype=float), np.asarray(p, dtype=float)
    )
    whole = _counts(n)
    inside = _special().bdtrc(_counts(np.clip(k - 1, 0, whole)), whole, p)
    return np.where(k <= 0, 1.0, np.where(k > n, 0.0, inside))


def binomial_ppf(q: Any, n: Any, p: Any) -> np.ndarray:
    """The smallest count r in [0, n] with P(R <= r) >= q, element-wise (bisection on ``bdtr``)."""
    q, n, p = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(n, dtype=float), np.asarray(p, dtype=float))
    low, high = np.full(q.shape, -1.0), n.copy()
    while np.any(high - low > 1):
        middle = np.floor((low + high) / 2)
        enough = binomial_cdf(middle, n, p) >= q
        busy = high - low > 1
        high = np.where(busy & enough, middle, high)
        low = np.where(busy & ~enough, middle, low)
    return high


def wilson_interval(successes: Any, n: Any, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``successes`` out of ``n``, element-wise.

    The same as ``statsmodels.stats.proportion.proportion_confint(method="wilson")``:
    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``. 8 out of 10 gives 0.4902 to 0.9433.

    Parameters
    ----------
    successes, n
        Counts (scalars or arrays of the same shape).
    confidence
        Two-sided coverage, e.g. 0.95.

    Returns
    -------
    (low, high)
        Float arrays; NaN where ``n`` is 0.

    Raises
    ------
    ValueError
        If ``confidence`` is not strictly between 0 and 1.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = p + z * z / (2 * n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        denominator = 1 + z * z / n
        low = np.where(n > 0, (centre - half) / denominator, np.nan)
        high = np.where(n > 0, (centre + half) / denominator, np.nan)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def funnel_limits(p0: Any, n: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Funnel-plot control limits for a proportion ``p0`` at denominators ``n``, element-wise.

    Exact binomial limits with the interpolation of Spiegelhalter (2005, *Statistics in
    Medicine* 24:1185), as in the PHE/NHS funnel-plot tools: for the tail probability ``a``
    (``(1 - level) / 2`` below, ``(1 + level) / 2`` above), ``r`` is the smallest count with
    ``P(R <= r) >= a`` for ``R ~ Binomial(n, p0)``, and the limit is
    ``(r - (P(R <= r) - a) / P(R = r)) / n``, clipped to [0, 1]. This makes the limits a smooth
    function of ``n`` rather than a staircase. 95% limits put about 1 in 20 groups outside by
    chance, 99.8% limits about 1 in 500.

    Parameters
    ----------
    p0
        The overall (target) proportion, in [0, 1].
    n
        Denominators (due staff in each group).
    level
        Two-sided coverage, e.g. 0.95 or 0.998.

    Returns
    -------
    (lower, upper)
        Float arrays; NaN where ``n`` is 0 or ``p0`` is undefined.

    Raises
    ------
    ValueError
        If ``level`` is not strictly between 0 and 1.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level}")
    p0, n = np.broadcast_arrays(np.asarray(p0, dtype=float), np.asarray(n, dtype=float))
    ok = (n > 0) & np.isfinite(p0)
    safe_n = np.where(ok, n, 1)
    safe_p = np.where(ok, np.clip(p0, 0, 1), 0.5)

    def limit(tail: float) -> np.ndarray:
        r = binomial_ppf(tail, safe_n, safe_p)
        at_r = binomial_cdf(r, safe_n, safe_p)
        mass = at_r - binomial_cdf(r - 1, safe_n, safe_p)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(mass > 0, (at_r - tail) / mass, 0.0)
        return np.where(ok, np.clip((r - step) / safe_n, 0, 1), np.nan)

    return limit((1 - level) / 2), limit((1 + level) / 2)
