"""Who held which post on a date, and which category that puts them in.

Shared by the supervision and caseload calculations: both need, for many (person, date) pairs
at once, the assignment covering the date and the person's category on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.core.calendar import add_months

POST_COLUMNS = ["team", "role", "employment", "fte", "qualified_date"]


def person_qualified_dates(staff: pd.DataFrame) -> pd.Series:
    """Each person's ``qualified_date``: the first one given on any of their assignments."""
    return staff.dropna(subset=["qualified_date"]).groupby("staff_id")["qualified_date"].min()


def assignments_on(staff: pd.DataFrame, keys: pd.DataFrame, date_column: str = "date") -> pd.DataFrame:
    """The assignment covering each (staff_id, date) pair.

    Parameters
    ----------
    staff
        The canonical staff table (one row per assignment; assignments do not overlap).
    keys
        A frame with ``staff_id`` and ``date_column``; any other columns are kept.

    Returns
    -------
    pandas.DataFrame
        ``keys`` in the same order with ``employed`` (bool) and the covering assignment's
        ``team``, ``role``, ``employment``, ``fte`` and ``qualified_date`` (missing where not
        employed). ``qualified_date`` is the person's earliest on any assignment: a person
        qualifies once, whichever post they hold.
    """
    left = keys.reset_index(drop=True).assign(_key=lambda f: np.arange(len(f)))
    posts = staff[["staff_id", "start_date", "end_date", *POST_COLUMNS]]
    pairs = left[["_key", "staff_id", date_column]].merge(posts, on="staff_id", how="inner")
    when = pairs[date_column]
    covering = (pairs["start_date"] <= when) & (pairs["end_date"].isna() | (pairs["end_date"] >= when))
    hit = pairs.loc[covering].drop_duplicates("_key")
    out = left.merge(hit[["_key", *POST_COLUMNS]], on="_key", how="left")
    out["employed"] = out["_key"].isin(hit["_key"])
    # reindex, not Series.map: map with an empty datetime mapper raises in pandas 3
    earliest = pd.Series(person_qualified_dates(staff).reindex(out["staff_id"].to_numpy()).to_numpy(), index=out.index)
    out["qualified_date"] = earliest.where(out["employed"])
    return out.drop(columns="_key")


def categorise(employment: Any, qualified_date: Any, on: Any, nqsw_months: int) -> np.ndarray:
    """Category on a date: ``agency``, else ``nqsw`` within ``nqsw_months`` of qualifying, else ``qualified``.

    NQSW while ``on < qualified_date + nqsw_months`` calendar months (day kept, clipped to the
    month's end). Missing employment gives a missing category.
    """
    employment = np.asarray(employment, dtype=object)
    qualified_until = add_months(qualified_date, nqsw_months)
    on_days = np.asarray(pd.to_datetime(on), dtype="datetime64[ns]").astype("datetime64[D]")
    nqsw = ~np.isnat(qualified_until) & (on_days < qualified_until)
    # Indexing three shared strings, rather than making a new string object for every row.
    names = np.array(["qualified", "nqsw", "agency"], dtype=object)
    category = np.asarray(names[np.where(employment == "agency", 2, nqsw.astype(np.intp))], dtype=object)
    missing = pd.isna(employment)
    category[missing] = None
    return category


def nqsw_status_end_dates(qualified_date: Any, nqsw_months: int) -> np.ndarray:
    """The first day a newly qualified worker is no longer NQSW."""
    return add_months(qualified_date, nqsw_months)
