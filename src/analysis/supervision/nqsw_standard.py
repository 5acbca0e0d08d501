"""The newly qualified supervision standard: weekly, then fortnightly, then monthly.

The national employer standards expect an NQSW to be supervised weekly for their first six
weeks, fortnightly to six months, then monthly. Our rule, for each NQSW due in a month:

- the phases run from ``phase_start`` = the later of ``qualified_date`` and the person's first
  ``start_date`` in post (any assignment): weekly on days [s, s + 42 days), fortnightly on
  [s + 42 days, s + 6 calendar months), monthly from s + 6 months (months added as
  ``calendar.add_months``: day kept, clipped to the month's end);
- with w, f, m the calendar days of the month in each phase (days before s are in none),
  expected = floor(w / 7 + f / 14 + (1 if m > 0 else 0)), and at least 1;
- the standard is met when the month's ``formal_supervisions`` (counting types, exact
  duplicates once) >= expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.core.calendar import add_months, as_days
from analysis.inputs.dataset import Dataset
from analysis.table_spec import N_, table

WEEKLY_DAYS = 42
FORTNIGHTLY_MONTHS = 6
_ONE_DAY = np.timedelta64(1, "D")


def _days_between(first: np.ndarray, last: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Calendar days of [first, last] inside the half-open [lo, hi), element-wise."""
    return np.maximum((np.minimum(last + _ONE_DAY, hi) - np.maximum(first, lo)).astype(np.int64), 0)


def expected_supervisions(phase_start: Any, month_first: Any, month_last: Any) -> np.ndarray:
    """Formal supervisions the standard expects in the month [``month_first``, ``month_last``].

    See the module docstring for the rule. ``phase_start`` NaT counts as the monthly phase.
    """
    s = as_days(phase_start)
    first, last = as_days(month_first), as_days(month_last)
    s = np.where(np.isnat(s), np.datetime64("1900-01-01", "D"), s)
    fortnightly_from = s + np.timedelta64(WEEKLY_DAYS, "D")
    monthly_from = np.maximum(add_months(s, FORTNIGHTLY_MONTHS), fortnightly_from)
    weekly = _days_between(first, last, s, fortnightly_from)
    fortnightly = _days_between(first, last, fortnightly_from, monthly_from)
    monthly = _days_between(first, last, monthly_from, np.asarray(np.datetime64("2262-01-01", "D")))
    # In fourteenths, so the floor is exact integer arithmetic.
    return np.maximum((2 * weekly + fortnightly + 14 * (monthly > 0)) // 14, 1)


@table(
    N_("Newly qualified social workers' supervisions (staff-level)"),
    N_("One row per NQSW due."),
    ("month", "team", "staff_id", "phase_start", "expected", "formal_supervisions", "met_standard"),
    staff_level=True,
)
def nqsw_supervision_staff(data: Dataset, window_person_months: pd.DataFrame) -> pd.DataFrame:
    """Each NQSW due in each month of the window, with the supervisions the standard expects (staff-level).

    Parameters
    ----------
    data
        The canonical tables (for each person's first start date).
    window_person_months
        Person-months (``eligibility.person_months``) of the months to report.

    Returns
    -------
    pandas.DataFrame
        ``month, team, staff_id, phase_start, expected, formal_supervisions, met_standard``, sorted
        by month, team and staff_id.
    """
    pm = window_person_months
    nqsw = pm[(pm["category"] == "nqsw") & pm["due"].astype(bool)]
    first_start = data.staff.groupby("staff_id")["start_date"].min()
    started = first_start.reindex(nqsw["staff_id"]).to_numpy()
    qualified = nqsw["qualified_date"].to_numpy(dtype="datetime64[ns]")
    phase_start = np.where(np.isnat(qualified) | (started > qualified), started, qualified)
    # Each distinct month parsed once, not once per row.
    labels = pd.unique(nqsw["month"])
    firsts = pd.Series(np.array([f"{m}-01" for m in labels], dtype="datetime64[D]"), index=labels)
    month_first = firsts.reindex(nqsw["month"]).to_numpy(dtype="datetime64[D]")
    month_last = (month_first.astype("datetime64[M]") + 1).astype("datetime64[D]") - _ONE_DAY
    staff = pd.DataFrame(
        {
            "month": nqsw["month"].to_numpy(),
            "team": nqsw["team"].to_numpy(),
            "staff_id": nqsw["staff_id"].to_numpy(),
            "phase_start": phase_start.astype("datetime64[ns]"),
            "expected": expected_supervisions(phase_start, month_first, month_last),
            "formal_supervisions": nqsw["formal_supervisions"].to_numpy(dtype=np.int64),
        }
    )
    staff["met_standard"] = staff["formal_supervisions"] >= staff["expected"]
    return staff.sort_values(["month", "team", "staff_id"]).reset_index(drop=True)


@table(
    N_("Newly qualified social workers meeting the supervision standard"),
    N_("One row per month."),
    ("month", "nqsw_due", "met_standard", "proportion_met"),
)
def nqsw_supervision(nqsw_supervision_staff: pd.DataFrame, window_labels: Sequence[str]) -> pd.DataFrame:
    """How many due NQSWs met the standard, by month: ``month, nqsw_due, met_standard, proportion_met``.

    ``proportion_met`` to 4 dp, NaN where no NQSW is due; every month of ``window_labels`` has a row.
    """
    staff = nqsw_supervision_staff
    summary = (
        staff.assign(nqsw_due=1, met=staff["met_standard"].astype(int))
        .groupby("month")[["nqsw_due", "met"]]
        .sum()
        .reindex(list(window_labels), fill_value=0)
        .astype("int64")
        .rename(columns={"met": "met_standard"})
        .rename_axis("month")
        .reset_index()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        summary["proportion_met"] = np.round(
            np.where(summary["nqsw_due"] > 0, summary["met_standard"] / summary["nqsw_due"].clip(lower=1), np.nan), 4
        )
    return summary
