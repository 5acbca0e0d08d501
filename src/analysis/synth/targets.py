"""The figures the sample authority is calibrated to (the council report's).

And the small independent counts that check them as calibration goes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.calendar import add_months, busdaycalendar
from analysis.synth.events import (
    FORMAL,
    as_dates,
    as_days,
)
from analysis.synth.people import NONE, SENIOR, SOCIAL_WORKER, day

SNAPSHOTS = ("2018-09-30", "2019-09-30", "2019-12-31")


HEADLINE = {"2018-09-30": (23.80, 5), "2019-09-30": (16.16, 25)}  # mean, holders a multiple of this


NQSW_AS_AT = "2019-12-31"


NQSW_NOT_AFTER = "2018-11-30"  # everyone else qualified by then is past NQSW status on NQSW_AS_AT


APRIL_QUALIFIED = ("2019-04-05", "2019-04-12", "2019-04-18", "2019-04-26")


RECENT_FROM = "2019-07-08"  # qualified on or after this: in the first six months on NQSW_AS_AT


NQSW_CASELOADS = {"april": [13, 14, 14, 15], "recent": [7, 9], "none": [0, 0]}


COMPLIANCE = {"2019-09": 0.815, "2019-10": 0.82, "2019-11": 0.83, "2019-12": 0.84}


ABSENCE_THRESHOLD = 10


MARGIN = 3


class CalibrationError(RuntimeError):
    """The generated body cannot be calibrated (too few people of the kind needed)."""


def rows_on(staff: pd.DataFrame, when: int) -> pd.DataFrame:
    """The assignment rows covering day ``when``."""
    return staff.loc[(staff["start"] <= when) & (staff["end"] >= when)]


def month_working_days(month: str) -> np.ndarray:
    """The working days of ``month`` (``YYYY-MM``) as day numbers."""
    first = np.datetime64(month + "-01", "D")
    days = np.arange(first, (first.astype("datetime64[M]") + 1).astype("datetime64[D]"))
    return as_days(days[np.is_busday(days, busdaycal=busdaycalendar())])


def person_days(frame: pd.DataFrame, days: np.ndarray, people: np.ndarray) -> np.ndarray:
    """people x days: True where one of the person's [start, end] intervals in ``frame`` covers the day."""
    covers = (frame["start"].to_numpy()[:, None] <= days) & (frame["end"].to_numpy()[:, None] >= days)
    out = np.zeros((len(people), len(days)), dtype=bool)
    np.logical_or.at(out, np.searchsorted(people, frame["person"].to_numpy()), covers)
    return out


def due_people(staff: pd.DataFrame, absences: pd.DataFrame, month: str) -> np.ndarray:
    """People in scope in ``month`` with fewer than 10 unavailable working days."""
    days = month_working_days(month)
    first, last = month_bounds(month)
    in_scope = np.unique(staff.loc[(staff["start"] <= last) & (staff["end"] >= first), "person"])
    absent = absences.loc[absences["person"].isin(in_scope)]
    in_post = person_days(staff.loc[staff["person"].isin(in_scope)], days, in_scope)
    away = person_days(absent, days, in_scope)
    unavailable = (~in_post | away).sum(axis=1)
    return in_scope[unavailable < ABSENCE_THRESHOLD]


def month_bounds(month: str) -> tuple[int, int]:
    """First and last day of ``month`` (``YYYY-MM``) as day numbers."""
    first = day(month + "-01")
    following = as_days(add_months(np.array([month + "-01"], "datetime64[D]"), 1))[0]
    return first, int(following) - 1


def supervised_people(supervisions: pd.DataFrame, month: str) -> np.ndarray:
    """People with a formal supervision dated in ``month``."""
    first, last = month_bounds(month)
    formal = supervisions.loc[(supervisions["kind"] == FORMAL) & supervisions["date"].between(first, last)]
    return np.unique(formal["person"])


def caseloads(allocations: pd.DataFrame, when: int) -> pd.Series:
    """Distinct cases each person holds on day ``when`` (people with none left out)."""
    covering = allocations.loc[(allocations["start"] <= when) & (allocations["end"] >= when)]
    return covering.groupby("person")["case"].nunique()


def headline_people(staff: pd.DataFrame, when: int) -> pd.DataFrame:
    """Rows on ``when`` of social workers and seniors who are not newly qualified."""
    rows = rows_on(staff, when)
    rows = rows.loc[rows["role"].isin([SOCIAL_WORKER, SENIOR])]
    qualified = rows["qualified"].to_numpy()
    until = as_days(add_months(as_dates(np.where(qualified > NONE, qualified, 0)), 12))
    newly = ~rows["agency"].to_numpy() & (qualified > NONE) & (when < until)
    return rows.loc[~newly]
