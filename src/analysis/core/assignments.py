"""Who held which post on a date, and which category that puts them in.

Shared by the supervision and caseload calculations: both need, for many (person, date) pairs
at once, the assignment covering the date and the person's category on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.core.calendar import add_months, as_days

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
    out = keys.reset_index(drop=True)
    posts = staff.loc[staff["start_date"].notna().to_numpy()]
    people = pd.Index(pd.unique(posts["staff_id"].to_numpy()))
    post_person = people.get_indexer(posts["staff_id"].to_numpy()).astype(np.int64)
    start = as_days(posts["start_date"]).astype(np.int64)
    end = as_days(posts["end_date"])
    end = np.where(np.isnat(end), np.iinfo(np.int64).max, end.astype(np.int64))
    # Each post keyed (person, start day); a key's post is the person's last starting on or
    # before its date, and it covers the date unless it ended before it.
    order = np.lexsort((start, post_person))
    post_person, start, end = post_person[order], start[order], end[order]
    who = people.get_indexer(out["staff_id"].to_numpy()).astype(np.int64)
    when = as_days(out[date_column])
    day = np.where(np.isnat(when), 0, when.astype(np.int64))
    at = _last_on_or_before(post_person, start, who, day)
    if len(posts) == 0:  # no one has a post: a stand-in post nobody holds keeps the arithmetic whole
        post_person, end, order = np.array([-1]), np.array([0]), np.array([0])
    safe = np.maximum(at, 0)
    employed = (who >= 0) & ~np.isnat(when) & (at >= 0) & (post_person[safe] == who) & (end[safe] >= day)
    taken = order[safe]
    for column in POST_COLUMNS[:-1]:
        values = posts[column].to_numpy()[taken] if len(posts) else np.full(len(out), None)
        out[column] = pd.Series(values, dtype=posts[column].dtype).where(employed)
    # reindex, not Series.map: map with an empty datetime mapper raises in pandas 3
    earliest = person_qualified_dates(staff).reindex(out["staff_id"].to_numpy()).to_numpy(dtype="datetime64[ns]")
    out["qualified_date"] = pd.Series(earliest).where(employed)
    out["employed"] = employed
    return out


def _last_on_or_before(person: np.ndarray, day: np.ndarray, who: np.ndarray, on: np.ndarray) -> np.ndarray:
    """For each (``who``, ``on``), the position of the last (person, day) pair, sorted by person then
    day, with that person and a day on or before ``on``; -1, or another person's, where none is.

    Packed into one integer key: days span at most the 73,000 of 1900-2100, so even a million
    people fit in 63 bits.
    """
    if len(person) == 0:
        return np.full(len(who), -1, dtype=np.int64)
    first, last = int(day.min()), int(day.max())
    width = last - first + 2  # slot 0: before the person's first post
    keys = person * width + (day - first + 1)
    return np.searchsorted(keys, who * width + (np.clip(on, first - 1, last) - first + 1), side="right") - 1


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
