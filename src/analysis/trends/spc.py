"""Is it improving? Statistical process control (XmR charts) as NHS "Making Data Count" does it.

As NHSRplotthedots 0.2.0: each phase of a series (a new one at each rebase month) has its mean;
the moving ranges of consecutive values, those at or above 3.267 x their mean dropped and the
mean recomputed (``mr_bar``); limits at mean +/- 2.66 x mr_bar, near limits at two thirds of
that. A point is special cause, in this priority, when it is beyond a limit; part of 7 points
joined by 6 strict rises or 6 strict falls; itself between a near limit and its limit, in 3
consecutive points on one side of the mean of which at least 2 are; or part of 7 consecutive
points on one side of the mean (a point on the mean breaks the run). Above or rising is high,
below or falling is low; high or low is improvement or concern by the measure's direction.

The series are short (one value a month), so the rules loop over points; the data path that
makes the values is vectorised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

LIMIT = 2.66
NEAR = 2 / 3  # near limits: two thirds of the way from the mean to the limits
SCREEN = 3.267  # moving ranges at or above this multiple of their mean are dropped
RUN = 7  # points in a trend or a run on one side of the mean
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}


def phase_limits(y: np.ndarray) -> tuple[float, float]:
    """The mean and screened mean moving range of one phase's values (NaN with fewer than 2)."""
    mean = float(np.mean(y)) if len(y) else np.nan
    ranges = np.abs(np.diff(y))
    if not len(ranges):
        return mean, np.nan
    kept = ranges[ranges < SCREEN * ranges.mean()]
    return mean, float(kept.mean()) if len(kept) else np.nan


def _marks(flags: np.ndarray, width: int) -> np.ndarray:
    """Each point that ends a window of ``width`` flagged, and the ``width - 1`` before it, marked."""
    marked = np.zeros(len(flags), dtype=bool)
    for end in np.flatnonzero(flags):
        marked[end - width + 1 : end + 1] = True
    return marked


def phase_points(y: np.ndarray) -> pd.DataFrame:
    """The rules on one phase: limits, and each point's special-cause rule and direction (+1 high, -1 low)."""
    n = len(y)
    mean, mr_bar = phase_limits(y)
    upper, lower = mean + LIMIT * mr_bar, mean - LIMIT * mr_bar
    near_upper, near_lower = mean + NEAR * LIMIT * mr_bar, mean - NEAR * LIMIT * mr_bar
    with np.errstate(invalid="ignore"):
        side = np.sign(y - mean)
        outside = (y > upper) | (y < lower)
        close = ~outside & ((y > near_upper) | (y < near_lower))
    step = np.sign(np.diff(y))
    rising = np.array([i >= RUN - 1 and bool(np.all(step[i - RUN + 1 : i] > 0)) for i in range(n)])
    falling = np.array([i >= RUN - 1 and bool(np.all(step[i - RUN + 1 : i] < 0)) for i in range(n)])
    up, down = _marks(rising, RUN), _marks(falling, RUN)
    one_side = np.array(
        [i >= RUN - 1 and side[i] != 0 and bool(np.all(side[i - RUN + 1 : i + 1] == side[i])) for i in range(n)]
    )
    run = _marks(one_side, RUN)
    three = np.array(
        [i >= 2 and close[i - 2 : i + 1].sum() >= 2 and abs(side[i - 2 : i + 1].sum()) == 3 for i in range(n)]
    )
    two_in_three = _marks(three, 3) & close

    direction = np.zeros(n, dtype=int)
    rule = np.full(n, "", dtype=object)
    trend_dir = np.zeros(n, dtype=int)
    for i in np.flatnonzero(up | down):
        # The step to the next point when it is in the same trend, else the step from the previous one.
        same_trend_next = i + 1 < n and ((up[i] and up[i + 1]) or (down[i] and down[i + 1]))
        trend_dir[i] = int(step[i]) if same_trend_next else int(step[i - 1])
    for name, hit, towards in (
        ("run", run, side),
        ("two_in_three", two_in_three, side),
        ("trend", up | down, trend_dir),
        ("beyond_limit", outside, side),
    ):
        rule = np.where(hit, name, rule)
        direction = np.where(hit, towards, direction)
    return pd.DataFrame(
        {"mean": mean, "lower_limit": lower, "upper_limit": upper, "rule": rule, "direction": direction.astype(int)}
    )


def point_types(rule: np.ndarray, direction: np.ndarray, improvement: str) -> np.ndarray:
    """``common_cause``, ``special_cause_improvement``/``concern`` or ``special_cause_neutral_high``/``low``."""
    better = DIRECTIONS[improvement]
    special = rule != ""
    if better == 0:
        named = np.where(direction > 0, "special_cause_neutral_high", "special_cause_neutral_low")
    else:
        named = np.where(direction == better, "special_cause_improvement", "special_cause_concern")
    return np.where(special, named, "common_cause").astype(object)


def phase_starts(months: Sequence[str], rebase_months: Iterable[str]) -> list[int]:
    """Where each phase of a series of ``months`` (in order) begins: its first month, and each
    rebase month after it."""
    rebase = set(map(str, rebase_months))
    return [0] + [i for i, m in enumerate(months) if i > 0 and str(m) in rebase]


def current_phase_start(spc: pd.DataFrame, measure: str, rebase_months: Iterable[str]) -> str | None:
    """The first month (``YYYY-MM``) of ``measure``'s last phase in an ``spc`` table; None without points."""
    months = spc.loc[spc["measure"] == measure, "month"].astype(str).tolist() if len(spc) else []
    return months[phase_starts(months, rebase_months)[-1]] if months else None


def xmr(values: pd.Series, improvement: str, rebase_months: Iterable[str] = ()) -> pd.DataFrame:
    """An XmR chart of a monthly series: each point's phase limits, rule and point type.

    Parameters
    ----------
    values
        Indexed by month (``YYYY-MM`` or Period), in month order; undefined months already left out.
    improvement
        ``increase``, ``decrease`` or ``neutral``.
    rebase_months
        Months at which a new phase starts (ignored where not in the series).

    Returns
    -------
    pandas.DataFrame
        ``month, value, phase, mean, lower_limit, upper_limit, rule, direction, point_type``.
    """
    months = [str(m) for m in values.index]
    y = values.to_numpy(dtype=float)
    begins = np.zeros(len(months), dtype=int)
    begins[phase_starts(months, rebase_months)[1:]] = 1
    phase = np.cumsum(begins)
    parts = [phase_points(y[phase == p]) for p in np.unique(phase)] if len(y) else []
    out = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["mean", "lower_limit", "upper_limit", "rule", "direction"])
    )
    out.insert(0, "month", months)
    out.insert(1, "value", y)
    out.insert(2, "phase", phase.astype(int))
    out["point_type"] = point_types(
        out["rule"].to_numpy(dtype=object), out["direction"].to_numpy(dtype=int), improvement
    )
    return out


def variation(point_type: str, direction: int) -> str:
    """The variation icon of a point: ``common_cause``, ``improvement_high``, ``concern_low``, ..."""
    if point_type == "common_cause":
        return "common_cause"
    kind = point_type.removeprefix("special_cause_").removesuffix("_high").removesuffix("_low")
    return f"{kind}_{'high' if direction > 0 else 'low'}"


def assurance(target: float | None, lower: float, upper: float, improvement: str) -> str | None:
    """``pass`` when the whole band is on the good side of the target, ``fail`` on the bad side,
    ``hit_and_miss`` when the target is inside it; None without a target or limits."""
    better = DIRECTIONS[improvement]
    if target is None or better == 0 or not (np.isfinite(lower) and np.isfinite(upper)):
        return None
    if target < lower:
        return "pass" if better > 0 else "fail"
    if target > upper:
        return "fail" if better > 0 else "pass"
    return "hit_and_miss"
