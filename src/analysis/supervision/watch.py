"""What to watch next month: who will be due and is already behind, and absences known to be coming.

A person is on the list when either

- they will be due next month (``eligibility.person_months`` of next month, on the posts and
  absences already recorded) and they missed this month (due, no formal supervision) or their
  last formal supervision on or before this month's end is over a month old at the start of next
  month (before the first day of this month, or none at all); or
- they are in scope next month and a known absence of theirs starts next month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.core.calendar import month_end, month_start
from analysis.inputs.dataset import Dataset
from analysis.table_spec import N_, table

COLUMNS = [
    "month",
    "team",
    "staff_id",
    "role",
    "category",
    "due_next_month",
    "missed_this_month",
    "supervision_overdue",
    "last_formal_supervision",
    "absence_type",
    "absence_start",
    "absence_end",
    "absence_working_days_next_month",
]


@table(
    N_("Watch list for next month (staff-level)"),
    N_("One row per member of staff to watch."),
    COLUMNS,
    staff_level=True,
)
def watch_next_month(data: Dataset, person_months: pd.DataFrame, month: pd.Period, config: Settings) -> pd.DataFrame:
    """The watch list for the month after ``month``.

    Parameters
    ----------
    data
        The canonical tables (for absences starting next month).
    person_months
        Person-months covering ``month`` and ``month + 1`` (other months are ignored).
    month
        The report month.
    config
        Unused; kept for the common call shape.

    Returns
    -------
    pandas.DataFrame
        ``COLUMNS``, one row per person, sorted by team and ``staff_id``; ``month`` is next month;
        the absence columns describe the first absence starting next month, if any.
    """
    upcoming = month + 1
    pm = person_months
    this = pm[pm["month"] == str(month)].set_index("staff_id")
    following = pm[pm["month"] == str(upcoming)].set_index("staff_id")
    missed = (this["due"].astype(bool) & ~this["supervised"].astype(bool)).reindex(following.index, fill_value=False)
    last = this["last_formal_supervision"].reindex(following.index)
    last = last.fillna(
        following["last_formal_supervision"].where(following["last_formal_supervision"] <= month_end(month))
    )
    overdue = last.isna() | (last < month_start(month))
    due_next = following["due"].astype(bool)

    absences = data.absences
    starting = absences[
        (absences["start_date"] >= month_start(upcoming))
        & (absences["start_date"] <= month_end(upcoming))
        & absences["staff_id"].isin(following.index)
    ]
    # The first to start, then the longest, then by type: a full tie-break, whatever the rows' order.
    first = starting.assign(_end=starting["end_date"].fillna(pd.Timestamp.max))
    first = first.sort_values(["staff_id", "start_date", "_end", "absence_type"], ascending=[True, True, False, True])
    first = first.drop_duplicates("staff_id").set_index("staff_id")

    on_list = (due_next & (missed | overdue)) | following.index.isin(first.index)
    people = following.index[on_list.to_numpy()]
    table = pd.DataFrame(
        {
            "month": str(upcoming),
            "team": following.loc[people, "team"].to_numpy(),
            "staff_id": people.to_numpy(),
            "role": following.loc[people, "role"].to_numpy(),
            "category": following.loc[people, "category"].to_numpy(),
            "due_next_month": due_next.loc[people].to_numpy(),
            "missed_this_month": missed.loc[people].to_numpy(),
            "supervision_overdue": overdue.loc[people].to_numpy(),
            "last_formal_supervision": last.loc[people].to_numpy(dtype="datetime64[ns]"),
            "absence_type": first["absence_type"].reindex(people).to_numpy(dtype=object),
            "absence_start": first["start_date"].reindex(people).to_numpy(dtype="datetime64[ns]"),
            "absence_end": first["end_date"].reindex(people).to_numpy(dtype="datetime64[ns]"),
            "absence_working_days_next_month": following.loc[people, "unavailable_days"].to_numpy(dtype=np.int64)
            - following.loc[people, "days_not_in_post"].to_numpy(dtype=np.int64),
        },
        columns=COLUMNS,
    )
    table["absence_type"] = table["absence_type"].where(table["absence_type"].notna(), None)
    return table.sort_values(["team", "staff_id"]).reset_index(drop=True)


@table(
    N_("Watch list for next month, by team"),
    N_("One row per team, then all teams."),
    ("month", "team", "on_list", "missed", "overdue", "absence"),
)
def watch_next_month_teams(watch_next_month: pd.DataFrame) -> pd.DataFrame:
    """The watch list counted per team, then ``All teams``: who is on it and why (counts only, for leaders).

    Returns
    -------
    pandas.DataFrame
        ``month, team, on_list, missed, overdue, absence``: people on the list, and of them those who
        missed this month, whose last formal supervision is over a month old, and with an absence
        starting next month (a person may have several reasons). The last row is ``All teams``.
    """
    watch = watch_next_month
    frame = pd.DataFrame(
        {
            "team": watch["team"].astype(object),
            "on_list": 1,
            "missed": watch["missed_this_month"].fillna(False).astype(bool).astype(int),
            "overdue": watch["supervision_overdue"].fillna(False).astype(bool).astype(int),
            "absence": watch["absence_type"].notna().astype(int),
        }
    )
    teams = frame.groupby("team", as_index=False).sum()
    total = pd.DataFrame([{"team": "All teams", **teams[["on_list", "missed", "overdue", "absence"]].sum()}])
    out = pd.concat([teams, total], ignore_index=True)
    counts = ["on_list", "missed", "overdue", "absence"]
    out[counts] = out[counts].astype("int64")
    month = watch["month"].iloc[0] if len(watch) else None
    return out.assign(month=month)[["month", "team", *counts]]
