"""Caseloads on dates, the Autumn snapshots, the newly qualified breakdown and the fixed tables.

Definitions: design.md "Caseload", "Average caseload per qualified social worker", "Snapshots",
"Newly qualified breakdown", "Appropriate work". Everything starts from ``caseloads_on``: one row
per person employed on each date, with the post covering that date and their caseload on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis import caseload_breakdowns as breakdowns
from analysis.assignments import assignments_on, categorise
from analysis.calendar import add_months
from analysis.caseload_flags import flag_counts, flag_rows
from analysis.caseload_index import CaseIndex
from analysis.caseload_summary import headline_mask, summarise
from analysis.config import Settings
from analysis.dataset import ROLES, Dataset

SNAPSHOT_COLUMNS = ["snapshot", "group", "staff", "case_holders", "cases", "mean_caseload", "cases_per_fte"]
NQSW_BANDS = ("non_case_holding", "months_0_6", "months_6_12")
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


def _employed_on(data: Dataset, dates: pd.DatetimeIndex) -> pd.DataFrame:
    people = pd.Index(pd.unique(data.staff["staff_id"].astype(object)), name="staff_id")
    keys = pd.DataFrame(
        {
            "date": np.repeat(dates.to_numpy(), len(people)),
            "staff_id": np.tile(people.to_numpy(dtype=object), len(dates)),
        }
    )
    posts = assignments_on(data.staff, keys)
    return posts.loc[posts["employed"]].drop(columns="employed").reset_index(drop=True)


def caseloads_from_index(data: Dataset, dates: Any, config: Settings, index: CaseIndex) -> pd.DataFrame:
    """``caseloads_on`` with a prebuilt ``case_index`` (to share one index between tables)."""
    dates = as_dates(dates)
    out = _employed_on(data, dates)
    out["category"] = categorise(out["employment"], out["qualified_date"], out["date"], config.nqsw_months)
    out["caseload"], out["complex_cases"] = index.counts(out["staff_id"], out["date"])
    out["months_since_qualified"] = months_since(out["qualified_date"], out["date"])
    band_ends = pd.to_datetime(add_months(out["qualified_date"], config.nqsw_band_months))
    early = out["date"].to_numpy() < band_ends.to_numpy()
    out["nqsw_band"] = np.where(out["category"] == "nqsw", np.where(early, "months_0_6", "months_6_12"), None)
    out["nqsw_band"] = out["nqsw_band"].astype(object)
    return out[CASELOAD_COLUMNS].sort_values(["date", "staff_id"], kind="stable").reset_index(drop=True)


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
    holders = index.staff_ids.to_numpy(dtype=object)
    keys = pd.DataFrame({"date": np.repeat(dates.to_numpy(), len(holders)), "staff_id": np.tile(holders, len(dates))})
    keys["caseload"] = index.counts(keys["staff_id"], keys["date"])[0]
    keys = keys.loc[keys["caseload"] > 0]
    if employed is None:
        is_employed = assignments_on(data.staff, keys[["staff_id", "date"]])["employed"].to_numpy()
    else:
        pairs = pd.MultiIndex.from_frame(employed[["date", "staff_id"]].astype({"staff_id": object}))
        is_employed = pd.MultiIndex.from_frame(keys[["date", "staff_id"]]).isin(pairs)
    out = keys.loc[~is_employed].copy()
    out["known_staff"] = out["staff_id"].isin(set(data.staff["staff_id"]))
    return out[["date", "staff_id", "known_staff", "caseload"]].reset_index(drop=True)


# --- snapshots -----------------------------------------------------------------------------------


def _on_or_clipped(year: int, month: int, day: int) -> pd.Timestamp:
    last = pd.Timestamp(year=year, month=month, day=1).days_in_month
    return pd.Timestamp(year=year, month=month, day=min(day, last))


def autumn_snapshots(month: pd.Period, config: Settings) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The latest snapshot date on or before the end of ``month``, and the same date a year earlier.

    December 2019 and September 2019 give (2019-09-30, 2018-09-30); August 2019 gives
    (2018-09-30, 2017-09-30).
    """
    snap_month, snap_day = config.snapshot_month_day
    end = month.end_time.normalize()
    year = end.year if (snap_month, snap_day) <= (end.month, end.day) else end.year - 1
    return _on_or_clipped(year, snap_month, snap_day), _on_or_clipped(year - 1, snap_month, snap_day)


def snapshot_rows(loads: pd.DataFrame, snapshots: list[pd.Timestamp], config: Settings) -> pd.DataFrame:
    """The ``caseload_snapshots`` table from ``caseloads_on`` rows covering ``snapshots``."""
    loads = loads.loc[loads["date"].isin(snapshots)]
    headline = loads.loc[headline_mask(loads, config)].assign(group="headline")
    grouped = pd.concat([headline, loads.assign(group=loads["role"])], ignore_index=True)
    groups = ["headline", *ROLES]
    frame = pd.MultiIndex.from_product([snapshots, groups], names=["snapshot", "group"]).to_frame(index=False)
    table = summarise(grouped.rename(columns={"date": "snapshot"}), ["snapshot", "group"])
    out = frame.merge(table, on=["snapshot", "group"], how="left")
    for column in ("staff", "case_holders", "cases"):
        out[column] = out[column].fillna(0).astype("int64")
    out["snapshot"] = pd.to_datetime(out["snapshot"]).astype("datetime64[ns]")
    return out[SNAPSHOT_COLUMNS]


def caseload_snapshots(data: Dataset, month: pd.Period, config: Settings) -> pd.DataFrame:
    """The headline and each role's caseload on the two Autumn snapshots of ``month``.

    Returns
    -------
    pandas.DataFrame
        Exactly ``snapshot, group, staff, case_holders, cases, mean_caseload, cases_per_fte``;
        the latest snapshot first, then the one a year earlier; within each, ``headline`` then
        the roles social_worker, senior_social_worker, principal_social_worker, team_manager.
        ``headline``: people employed on the date in a ``headline_roles`` role whose category is
        not nqsw; a role group: everyone employed in that role. ``staff`` counts all of them;
        the rest are over case holders (caseload >= 1): ``mean_caseload`` = cases / case
        holders and ``cases_per_fte`` = cases / their summed fte, both to 2 dp, NaN with no
        case holders.
    """
    snapshots = list(autumn_snapshots(month, config))
    return snapshot_rows(caseloads_on(data, snapshots, config), snapshots, config)


# --- newly qualified --------------------------------------------------------------------------


def nqsw_rows(loads: pd.DataFrame, as_at: pd.Timestamp) -> pd.DataFrame:
    """The ``nqsw_caseload`` table from ``caseloads_on`` rows for ``as_at``."""
    nqsw = loads.loc[(loads["date"] == as_at) & (loads["category"] == "nqsw")]
    band = nqsw["nqsw_band"].where(nqsw["caseload"] > 0, "non_case_holding")
    stats = nqsw["caseload"].groupby(band).agg(["size", "mean"])
    stats = stats.reindex(list(NQSW_BANDS))
    return pd.DataFrame(
        {
            "as_at": pd.Series([as_at] * len(NQSW_BANDS), dtype="datetime64[ns]"),
            "band": list(NQSW_BANDS),
            "staff": stats["size"].fillna(0).astype("int64").to_numpy(),
            "mean_caseload": stats["mean"].astype(float).round(2).to_numpy(),
        }
    )


def nqsw_caseload(data: Dataset, as_at: Any, config: Settings) -> pd.DataFrame:
    """Newly qualified social workers on ``as_at``: non-case-holding, and case holders by band.

    Returns
    -------
    pandas.DataFrame
        Exactly ``as_at, band, staff, mean_caseload``, always three rows: ``non_case_holding``
        (NQSWs with no case; mean 0.0 when there are any), ``months_0_6`` (case holders with
        as_at < qualified_date + ``nqsw_band_months`` calendar months) and ``months_6_12`` (the
        other case holders). Means to 2 dp, NaN where ``staff`` is 0.
    """
    as_at = as_dates(as_at)[0]
    return nqsw_rows(caseloads_on(data, [as_at], config), as_at)


# --- appropriate work ------------------------------------------------------------------------


def caseload_flags(data: Dataset, as_at: Any, config: Settings) -> pd.DataFrame:
    """Staff whose caseload on ``as_at`` breaks a rule of appropriate work (staff-level).

    Returns
    -------
    pandas.DataFrame
        ``as_at, staff_id, team, role, category, caseload, complex_cases, rule, detail``; one row
        per person and rule broken, sorted by team then staff_id. Rules:
        ``team_manager_holding_cases`` (role in ``non_case_holding_roles``, caseload > 0),
        ``nqsw_over_band_limit`` (NQSW with caseload above ``nqsw_max_caseload`` for their band:
        10 in months 0-6, 16 in months 6-12), ``nqsw_early_complex_case`` (NQSW in months 0-6
        holding a complex case), ``over_max_caseload`` (caseload above ``max_caseload``).
    """
    dates = as_dates(as_at)
    return flag_rows(caseloads_on(data, dates, config), config)


def caseload_flag_counts(flags: pd.DataFrame, as_at: Any) -> pd.DataFrame:
    """People flagged by each rule (``as_at, rule, count``), every rule present, for leadership."""
    return flag_counts(flags, list(as_dates(as_at)))


# --- every caseload table of a month ---------------------------------------------------------


def outside_employment_summary(
    data: Dataset, dates: pd.DatetimeIndex, config: Settings, index: CaseIndex, employed: pd.DataFrame
) -> pd.DataFrame:
    """Per date: staff_ids holding open cases while not employed (of them unknown), and their cases."""
    rows = caseloads_outside_employment(data, dates, config, index, employed)
    rows = rows.assign(unknown=~rows["known_staff"])
    counts = rows.groupby("date").agg(
        staff=("staff_id", "size"), unknown_staff=("unknown", "sum"), cases=("caseload", "sum")
    )
    counts = counts.reindex(dates.sort_values(), fill_value=0).astype("int64")
    counts.index.name = "as_at"
    return counts.reset_index()


STAFF_COLUMNS = ["date", "staff_id", "team", "role", "employment", "fte", "category", "caseload", "complex_cases"]


def staff_rows(loads: pd.DataFrame) -> pd.DataFrame:
    """The ``caseload_staff`` table: each person's post, category and caseload on one date."""
    return loads[STAFF_COLUMNS].rename(columns={"date": "as_at"}).reset_index(drop=True)


def caseload_tables(data: Dataset, month: pd.Period, config: Settings) -> dict[str, pd.DataFrame]:
    """Every caseload table of the report for ``month``, by name.

    One allocation index and one ``caseloads_on`` pass over the two Autumn snapshots and the end
    of the month feed every table.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``caseload_snapshots`` and ``nqsw_caseload`` (the design's fixed columns; NQSW as at the
        end of ``month``), ``caseload_flags`` (staff-level, end of ``month``),
        ``caseload_flag_counts``, ``caseload_by_role_category``, ``caseload_change``,
        ``caseload_distribution``, ``nqsw_detail`` (staff-level), ``nqsw_status_ends``,
        ``principal_complexity`` (latest snapshot and end of month),
        ``caseload_outside_employment`` (a data-quality count) and ``caseload_staff`` (every
        person employed at the end of ``month`` with their caseload, for team detail).
    """
    latest, earlier = autumn_snapshots(month, config)
    month_end = month.end_time.normalize()
    dates = as_dates([latest, earlier, month_end])
    index = case_index(data, config, dates)
    loads = caseloads_from_index(data, dates, config, index)
    at_month_end = loads.loc[loads["date"] == month_end]
    flags = flag_rows(at_month_end, config)
    detail = breakdowns.nqsw_detail(loads, month_end, config)
    return {
        "caseload_snapshots": snapshot_rows(loads, [latest, earlier], config),
        "nqsw_caseload": nqsw_rows(loads, month_end),
        "caseload_flags": flags,
        "caseload_flag_counts": flag_counts(flags, [month_end]),
        "caseload_by_role_category": breakdowns.by_role_and_category(loads, [latest, earlier], config),
        "caseload_change": breakdowns.change_over_year(loads, latest, earlier, config),
        "caseload_distribution": breakdowns.distribution(loads, [latest, earlier], config),
        "nqsw_detail": detail,
        "nqsw_status_ends": breakdowns.nqsw_status_summary(detail),
        "principal_complexity": breakdowns.principal_complexity(loads, list(as_dates([latest, month_end]))),
        "caseload_outside_employment": outside_employment_summary(data, dates, config, index, loads),
        "caseload_staff": staff_rows(at_month_end),
    }
