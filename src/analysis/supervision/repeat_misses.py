"""Staff-level supervision for the team detail: this month's status and repeat misses.

A repeat miss is a run of months in which a person was due and not supervised. Runs are counted
back from the report month over the window and, for anyone missed in every month of it, further
back as far as the data allows. Never part of the leadership email.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.inputs.dataset import Dataset
from analysis.supervision.eligibility import person_months
from analysis.table_spec import N_, table


def _trailing_misses(pm: pd.DataFrame, months: Sequence[str]) -> pd.Series:
    """Per staff_id, due-and-unsupervised months in a row ending with the last of ``months``."""
    miss = (pm["due"].astype(bool) & ~pm["supervised"].astype(bool)).to_numpy().copy()
    column = pd.Index(list(months)).get_indexer(pm["month"])
    miss &= column >= 0
    row, people = pd.factorize(pm["staff_id"].to_numpy()[miss])
    hit = np.zeros((len(people), len(months)), dtype=bool)
    hit[row, column[miss]] = True
    last_break = np.where(~hit, np.arange(len(months)), -1).max(axis=1, initial=-1)
    return pd.Series(len(months) - 1 - last_break, index=pd.Index(people, name="staff_id"), dtype="int64")


def _subset(data: Dataset, staff_ids: pd.Index) -> Dataset:
    """Only these people's records."""
    return Dataset(
        *(
            frame[frame["staff_id"].isin(staff_ids)]
            for frame in (data.staff, data.absences, data.supervisions, data.allocations)
        )
    )


def consecutive_misses(
    data: Dataset, pm: pd.DataFrame, months: Sequence[pd.Period], config: Settings, step: int = 12
) -> pd.Series:
    """Per staff_id, due-and-unsupervised months in a row ending with the last of ``months``.

    Starts from ``pm`` (the person-months of ``months``); people missed in every one of them are
    followed further back, ``step`` months at a time and only for them, as far as the data
    allows: not before the first month with any supervision record, nor before anyone started.
    """
    months = sorted(months)
    labels = [str(m) for m in months]
    streak = _trailing_misses(pm[pm["month"].isin(labels)], labels)
    still = streak.index[streak == len(months)]
    if not len(still):
        return streak
    sup_dates = data.supervisions["supervision_date"].dropna()
    first = max(
        data.staff["start_date"].min().to_period("M"), sup_dates.min().to_period("M") if len(sup_dates) else months[0]
    )
    earliest = months[0]
    while len(still) and earliest > first:
        chunk = list(pd.period_range(max(first, earliest - step), earliest - 1, freq="M"))
        earlier = person_months(_subset(data, still), chunk, config)
        back = _trailing_misses(earlier, [str(m) for m in chunk]).reindex(still, fill_value=0)
        streak.loc[still] += back.to_numpy()
        still = back.index[back == len(chunk)]
        earliest = chunk[0]
    return streak


@table(
    N_("Staff-level supervision status (for team managers)"),
    N_("One row per member of staff in scope."),
    (
        "month",
        "team",
        "staff_id",
        "role",
        "category",
        "due",
        "supervised",
        "exclusion_reason",
        "near_miss",
        "last_formal_supervision",
        "consecutive_misses",
    ),
    staff_level=True,
)
def supervision_staff(
    data: Dataset, window_person_months: pd.DataFrame, month: pd.Period, window: Sequence[pd.Period], config: Settings
) -> pd.DataFrame:
    """Staff-level rows of the report month for the team detail (never the leadership email)."""
    pm = window_person_months
    this = pm[pm["month"] == str(month)]
    columns = [
        "month",
        "team",
        "staff_id",
        "role",
        "category",
        "due",
        "supervised",
        "exclusion_reason",
        "near_miss",
        "last_formal_supervision",
    ]
    table = this[columns].copy()
    window = [m for m in window if m <= month]
    streak = consecutive_misses(data, pm, window, config)
    table["consecutive_misses"] = streak.reindex(table["staff_id"]).fillna(0).astype("int64").to_numpy()
    return table.sort_values(["team", "staff_id"]).reset_index(drop=True)
