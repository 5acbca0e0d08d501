"""Working days and calendar months, vectorised over arrays of dates.

A working day is Monday to Friday and not a bank holiday of the configured country and
subdivision (default England and Wales). Every count here works on whole numpy arrays, so the
calculations can count working days for every person-month at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import holidays
import numpy as np
import pandas as pd

from analysis.config import Settings

FIRST_YEAR, LAST_YEAR = 1990, 2045
_ONE_DAY = np.timedelta64(1, "D")


@lru_cache(maxsize=8)
def _busdaycalendar(country: str, subdivision: str | None) -> np.busdaycalendar:
    days = holidays.country_holidays(country, subdiv=subdivision, years=range(FIRST_YEAR, LAST_YEAR + 1))
    # np.busdaycalendar drops holidays that fall at a weekend, so an observed holiday counts once.
    dates = np.array(sorted(days.keys()), dtype="datetime64[D]")
    return np.busdaycalendar(weekmask="1111100", holidays=dates)


def busdaycalendar(config: Settings | None = None) -> np.busdaycalendar:
    """The numpy business-day calendar of ``config.calendar`` (without settings: GB, WLS)."""
    if config is None:
        return _busdaycalendar("GB", "WLS")
    return _busdaycalendar(config.calendar.country, config.calendar.subdivision)


def as_days(values: Any) -> np.ndarray:
    """Dates (scalars, lists, Series, DatetimeIndex) as a ``datetime64[D]`` array; NaT kept."""
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy()
    try:
        days = np.asarray(values, dtype="datetime64[ns]")
    except TypeError:  # a list holding pandas.NaT, which numpy cannot convert
        days = pd.to_datetime(pd.Series(values, dtype=object)).to_numpy(dtype="datetime64[ns]")
    return days.astype("datetime64[D]")


def working_days(start: Any, end: Any, config: Settings | None = None) -> np.ndarray:
    """Working days from ``start`` to ``end``, both inclusive, element-wise; 0 where end < start.

    Raises
    ------
    ValueError
        If any date is NaT (an open end must be clipped by the caller first).
    """
    s, e = as_days(start), as_days(end)
    if np.isnat(s).any() or np.isnat(e).any():
        raise ValueError("working_days needs real dates; clip open ends first")
    counts = np.busday_count(s, e + _ONE_DAY, busdaycal=busdaycalendar(config))
    return np.maximum(counts, 0)


def working_day_ordinal(dates: Any, config: Settings | None = None) -> np.ndarray:
    """Position of each date in working-day space: the working days before it since 1970.

    An inclusive interval [s, e] covers the half-open ordinals [ordinal(s), ordinal(e + 1)), so
    interval arithmetic on working days becomes integer arithmetic.
    """
    d = as_days(dates)
    epoch = np.datetime64("1970-01-01", "D")
    return np.busday_count(epoch, d, busdaycal=busdaycalendar(config))


def is_working_day(dates: Any, config: Settings | None = None) -> np.ndarray:
    """True where the date is a working day."""
    return np.is_busday(as_days(dates), busdaycal=busdaycalendar(config))


# --- months -------------------------------------------------------------------------------------


def parse_month(text: str) -> pd.Period:
    """``"2019-12"`` as a monthly Period.

    Raises
    ------
    ValueError
        If ``text`` is not ``YYYY-MM``.
    """
    text = str(text).strip()
    parts = text.split("-")
    if len(parts) != 2 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
    return pd.Period(text, freq="M")


def month_range(first: str | pd.Period, last: str | pd.Period) -> pd.PeriodIndex:
    """Every month from ``first`` to ``last`` inclusive.

    Raises
    ------
    ValueError
        If ``last`` is before ``first``.
    """
    first = parse_month(first) if isinstance(first, str) else first
    last = parse_month(last) if isinstance(last, str) else last
    if last < first:
        raise ValueError(f"the window ends ({last}) before it starts ({first})")
    return pd.period_range(first, last, freq="M")


def month_start(month: pd.Period) -> pd.Timestamp:
    return month.start_time.normalize()


def month_end(month: pd.Period) -> pd.Timestamp:
    return month.end_time.normalize()


def add_months(dates: Any, months: int) -> np.ndarray:
    """Add calendar months, keeping the day and clipping to the month's last day; NaT stays NaT.

    31 August 2019 + 6 months = 29 February 2020, as ``dateutil.relativedelta`` does.
    """
    d = as_days(dates)
    if d.ndim == 1 and len(d) > 4096:
        # Many rows, few distinct dates: work out each distinct date once.
        codes, distinct = pd.factorize(d.view(np.int64))
        return _add_months(distinct.view("datetime64[D]"), months)[codes]
    return _add_months(d, months)


def _add_months(d: np.ndarray, months: int) -> np.ndarray:
    # numpy carries NaT through every step: a blank date stays blank.
    month_index = d.astype("datetime64[M]")
    day_offset = d - month_index.astype("datetime64[D]")
    target_month = month_index + np.timedelta64(months, "M")
    last_day = (target_month + np.timedelta64(1, "M")).astype("datetime64[D]") - _ONE_DAY
    return np.minimum(target_month.astype("datetime64[D]") + day_offset, last_day)


class MonthSpan:
    """The requested months as sorted arrays: period ordinals, first and last days, working days."""

    def __init__(self, months: Sequence[pd.Period], config: Settings):
        periods = sorted({pd.Period(m, freq="M") for m in months})
        self.labels = np.array([str(p) for p in periods], dtype=object)
        self.ordinal = np.array([p.ordinal for p in periods], dtype=np.int64)
        self.first = self.ordinal.astype("datetime64[M]").astype("datetime64[D]")
        self.last = (self.ordinal + 1).astype("datetime64[M]").astype("datetime64[D]") - _ONE_DAY
        self.first_wd = working_day_ordinal(self.first, config)
        self.end_wd = working_day_ordinal(self.last + _ONE_DAY, config)
        self.n = len(periods)

    def index_of(self, days: np.ndarray) -> np.ndarray:
        """Index of the month holding each date, -1 where that month was not requested."""
        month = days.astype("datetime64[M]").astype(np.int64)
        at = np.searchsorted(self.ordinal, month)
        hit = (at < self.n) & (self.ordinal[np.minimum(at, self.n - 1)] == month)
        return np.where(hit, at, -1)


def explode_months(start: np.ndarray, end: np.ndarray, months: MonthSpan) -> tuple[np.ndarray, np.ndarray]:
    """For intervals [start, end], (interval index, month index) of every requested month they overlap."""
    first = np.searchsorted(months.ordinal, start.astype("datetime64[M]").astype(np.int64), side="left")
    last = np.searchsorted(months.ordinal, end.astype("datetime64[M]").astype(np.int64), side="right")
    count = np.maximum(last - first, 0)
    interval = np.repeat(np.arange(len(start)), count)
    step = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return interval, np.repeat(first, count) + step


def clip_to_months(
    start: np.ndarray, end: np.ndarray, month: np.ndarray, months: MonthSpan, config: Settings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intervals clipped to their month, as half-open working-day ordinals, and the clipped end date."""
    s = np.maximum(start, months.first[month])
    e = np.minimum(end, months.last[month])
    return working_day_ordinal(s, config), working_day_ordinal(e + _ONE_DAY, config), e
