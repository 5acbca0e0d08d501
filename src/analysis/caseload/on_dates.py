"""Each worker's caseload on any dates: their post, category and open cases on each date.

Definitions: docs/definitions.md, "Caseload" and "Who is counted in a month". Everything else in
``analysis.caseload`` starts from ``caseloads_on``: one row per person employed on each date, with
the post covering that date and their caseload on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.caseload.index import CaseIndex
from analysis.config import Settings
from analysis.core.assignments import assignments_on, categorise
from analysis.core.calendar import add_months
from analysis.inputs.dataset import Dataset

CASELOAD_COLUMNS = [
    "date",
    "staff_id",
    "team",
    "role",
    "employment",
    "fte",
    "qualified_date",
    "category",
    "caseload",
    "complex_cases",
    "months_since_qualified",
    "nqsw_band",
]


def as_dates(dates: Any) -> pd.DatetimeIndex:
    """One date or many as a DatetimeIndex at midnight, duplicates dropped, order kept."""
    if isinstance(dates, (str, pd.Timestamp)) or np.isscalar(dates) or not hasattr(dates, "__len__"):
        dates = [dates]
    return pd.DatetimeIndex(pd.to_datetime(list(dates))).normalize().unique().as_unit("ns")


def case_index(data: Dataset, config: Settings, dates: Any = None) -> CaseIndex:
    """The allocations of ``data`` indexed for caseload queries (build once, query many dates).

    With ``dates``, only the allocations covering one of them are indexed: the index answers
    for those dates alone, and faster.
    """
    return CaseIndex.from_allocations(
        data.allocations, list(config.complex_case_types), None if dates is None else as_dates(dates)
    )


def months_since(qualified: pd.Series, on: pd.Series) -> pd.Series:
    """Whole calendar months from ``qualified`` to ``on`` (clipped days, as ``add_months``); NA where not qualified."""
    q, d = pd.to_datetime(qualified), pd.to_datetime(on)
    whole = (d.dt.year - q.dt.year) * 12 + (d.dt.month - q.dt.month)
    # q + whole months lands in d's month, on q's day clipped to that month's length.
    landing_day = np.minimum(q.dt.day, d.dt.days_in_month)
    return (whole - (landing_day > d.dt.day).astype("Int64")).astype("Int64")


def _employed_on(data: Dataset, dates: pd.DatetimeIndex, roles: Any = None) -> pd.DataFrame:
    """Everyone employed on each date, with their post on it; only those in ``roles`` when given."""
    staff = data.staff
    people = pd.Index(pd.unique(staff["staff_id"].to_numpy()))
    if roles is not None:  # only people who ever held one of the roles can hold it on a date
        people = people[people.isin(staff.loc[staff["role"].isin(roles).to_numpy(), "staff_id"].to_numpy())]
    keys = pd.DataFrame(
        {
            "date": np.repeat(dates.to_numpy(), len(people)),
            "staff_id": np.tile(people.to_numpy(), len(dates)),
        }
    )
    posts = assignments_on(staff, keys)
    employed = posts["employed"].to_numpy()
    if roles is not None:
        employed = employed & posts["role"].isin(roles).to_numpy()
    return posts.loc[employed].drop(columns="employed").reset_index(drop=True)


def role_caseloads(data: Dataset, dates: Any, config: Settings, case_index: CaseIndex, roles: Any) -> pd.DataFrame:
    """The people holding one of ``roles`` on each date: ``date, staff_id, team, role,
    employment, fte, qualified_date, category, caseload`` (as ``caseloads_on``; no complex cases
    or bands, for a series over many dates that reads none)."""
    out = _employed_on(data, as_dates(dates), roles)
    out["category"] = categorise(out["employment"], out["qualified_date"], out["date"], config.nqsw_months)
    out["caseload"] = case_index.counts(out["staff_id"], out["date"], complex_cases=False)[0]
    return out


def caseloads_from_index(data: Dataset, dates: Any, config: Settings, case_index: CaseIndex) -> pd.DataFrame:
    """``caseloads_on`` with a prebuilt ``case_index`` (to share one index between tables)."""
    dates = as_dates(dates)
    out = _employed_on(data, dates)
    out["category"] = categorise(out["employment"], out["qualified_date"], out["date"], config.nqsw_months)
    out["caseload"], out["complex_cases"] = case_index.counts(out["staff_id"], out["date"])
    out["months_since_qualified"] = months_since(out["qualified_date"], out["date"])
    band_ends = pd.to_datetime(add_months(out["qualified_date"], config.nqsw_band_months))
    early = out["date"].to_numpy() < band_ends.to_numpy()
    none = np.array(None, dtype=object)
    out["nqsw_band"] = np.where(out["category"] == "nqsw", np.where(early, "months_0_6", "months_6_12"), none)
    out["nqsw_band"] = out["nqsw_band"].astype(object)
    return out[CASELOAD_COLUMNS].sort_values(["date", "staff_id"]).reset_index(drop=True)


def caseloads_on(data: Dataset, dates: Any, config: Settings) -> pd.DataFrame:
    """Every person employed on each date, with their post, category and caseload on it.

    Parameters
    ----------
    data
        The canonical tables.
    dates
        One date or many; all are answered in one vectorised pass.
    config
        Uses ``nqsw_months``, ``nqsw_band_months`` and ``complex_case_types``.

    Returns
    -------
    pandas.DataFrame
        One row per (date, person employed on it: an assignment covers the date), sorted by date
        then staff_id: ``date, staff_id, team, role, employment, fte, qualified_date`` (from the
        assignment covering the date), ``category`` on the date, ``caseload`` (distinct case_id
        with an allocation to them covering the date; co-worked cases count for each worker),
        ``complex_cases`` (those of them with a complex ``case_type``), ``months_since_qualified``
        (whole calendar months; NA without a qualified date) and ``nqsw_band`` (``months_0_6``
        while date < qualified_date + ``nqsw_band_months``, else ``months_6_12``; NQSWs only).
    """
    dates = as_dates(dates)
    return caseloads_from_index(data, dates, config, case_index(data, config, dates))


def caseloads_outside_employment(
    data: Dataset, dates: Any, config: Settings, index: CaseIndex | None = None, employed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Open cases on each date allocated to someone not employed on it (a data-quality count).

    Parameters
    ----------
    index, employed
        Optional: a prebuilt ``case_index`` and the ``caseloads_on`` rows (``date``,
        ``staff_id``) of everyone employed on ``dates``, to save working them out again.

    Returns
    -------
    pandas.DataFrame
        ``date, staff_id, known_staff`` (the staff_id is in the staff table at all), ``caseload``;
        one row per (date, staff_id) with caseload > 0 and no assignment covering the date. These
        cases count in no figure.
    """
    dates = as_dates(dates)
    index = index or case_index(data, config, dates)
    holders = index.staff_ids.to_numpy()
    keys = pd.DataFrame({"date": np.repeat(dates.to_numpy(), len(holders)), "staff_id": np.tile(holders, len(dates))})
    keys["caseload"] = index.counts(keys["staff_id"], keys["date"])[0]
    keys = keys.loc[keys["caseload"] > 0]
    if employed is None:
        is_employed = assignments_on(data.staff, keys[["staff_id", "date"]])["employed"].to_numpy()
    else:
        pairs = pd.MultiIndex.from_frame(employed[["date", "staff_id"]])
        is_employed = pd.MultiIndex.from_frame(keys[["date", "staff_id"]]).isin(pairs)
    out = keys.loc[~is_employed].copy()
    out["known_staff"] = out["staff_id"].isin(set(data.staff["staff_id"]))
    return out[["date", "staff_id", "known_staff", "caseload"]].reset_index(drop=True)
