"""The Autumn snapshots and the month's caseload tables: by role, the newly qualified, every worker.

Definitions: docs/definitions.md, "Caseload" (the headline average, the Autumn snapshots and the
newly qualified breakdown). Each table is computed from ``loads``, the ``caseloads_on`` rows of the two
Autumn snapshots and the month end (``analysis.tables`` computes them once).
"""

from __future__ import annotations

import calendar

import pandas as pd

from analysis.caseload.index import CaseIndex
from analysis.caseload.on_dates import caseloads_outside_employment
from analysis.caseload.summary import headline_mask, summarise
from analysis.config import Settings
from analysis.inputs.dataset import ROLES, Dataset
from analysis.table_spec import N_, table

SNAPSHOT_COLUMNS = ["snapshot", "group", "staff", "case_holders", "cases", "mean_caseload", "cases_per_fte"]
NQSW_BANDS = ("non_case_holding", "months_0_6", "months_6_12")
STAFF_COLUMNS = ["date", "staff_id", "team", "role", "employment", "fte", "category", "caseload", "complex_cases"]


def _on_or_clipped(year: int, month: int, day: int) -> pd.Timestamp:
    last = calendar.monthrange(year, month)[1]
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


@table(
    N_("Average caseload on the Autumn snapshots"),
    N_("One row per snapshot and group: the headline (qualified social workers) and each role."),
    SNAPSHOT_COLUMNS,
    notes=(1, 5),
    fixed=True,
    meanings={"group": "headline (qualified social workers not newly qualified) or a role."},
)
def caseload_snapshots(loads: pd.DataFrame, snapshots: list[pd.Timestamp], config: Settings) -> pd.DataFrame:
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
    loads = loads.loc[loads["date"].isin(snapshots)]
    headline = loads.loc[headline_mask(loads, config)].assign(group="headline")
    grouped = pd.concat([headline, loads.assign(group=loads["role"])], ignore_index=True)
    groups = ["headline", *ROLES]
    frame = pd.MultiIndex.from_product([snapshots, groups], names=["snapshot", "group"]).to_frame(index=False)
    table = summarise(grouped.rename(columns={"date": "snapshot"}), ["snapshot", "group"])
    out = frame.merge(table, on=["snapshot", "group"], how="left")
    for column in ("staff", "case_holders", "cases"):
        out[column] = out[column].fillna(0).astype("int64")
    return out[SNAPSHOT_COLUMNS]


@table(
    N_("Newly qualified social workers' caseloads"),
    N_("One row per band on the month end."),
    ("as_at", "band", "staff", "mean_caseload"),
    fixed=True,
    meanings={
        "band": "The newly qualified band: non case holding, or months since qualifying.",
        "staff": "Newly qualified social workers in the band.",
    },
)
def nqsw_caseload(loads: pd.DataFrame, month_end: pd.Timestamp) -> pd.DataFrame:
    """Newly qualified social workers on ``month_end``: non-case-holding, and case holders by band.

    Returns
    -------
    pandas.DataFrame
        Exactly ``as_at, band, staff, mean_caseload``, always three rows: ``non_case_holding``
        (NQSWs with no case; mean 0.0 when there are any), ``months_0_6`` (case holders with
        as_at < qualified_date + ``nqsw_band_months`` calendar months) and ``months_6_12`` (the
        other case holders). Means to 2 dp, NaN where ``staff`` is 0.
    """
    nqsw = loads.loc[(loads["date"] == month_end) & (loads["category"] == "nqsw")]
    band = nqsw["nqsw_band"].where(nqsw["caseload"] > 0, "non_case_holding")
    stats = nqsw["caseload"].groupby(band).agg(["size", "mean"])
    stats = stats.reindex(list(NQSW_BANDS))
    return pd.DataFrame(
        {
            "as_at": pd.Series([month_end] * len(NQSW_BANDS), dtype="datetime64[ns]"),
            "band": list(NQSW_BANDS),
            "staff": stats["size"].fillna(0).astype("int64").to_numpy(),
            "mean_caseload": stats["mean"].round(2).to_numpy(),
        }
    )


@table(
    N_("Cases held outside employment"),
    N_("One row per date."),
    ("as_at", "staff", "unknown_staff", "cases"),
)
def caseload_outside_employment(
    data: Dataset, dates: pd.DatetimeIndex, config: Settings, case_index: CaseIndex, loads: pd.DataFrame
) -> pd.DataFrame:
    """Per date: staff_ids holding open cases while not employed (of them unknown), and their cases."""
    rows = caseloads_outside_employment(data, dates, config, case_index, loads)
    rows = rows.assign(unknown=~rows["known_staff"])
    counts = rows.groupby("date").agg(
        staff=("staff_id", "size"), unknown_staff=("unknown", "sum"), cases=("caseload", "sum")
    )
    counts = counts.reindex(dates.sort_values(), fill_value=0).astype("int64")
    counts.index.name = "as_at"
    return counts.reset_index()


@table(
    N_("Each person's caseload (staff-level)"),
    N_("One row per person on each date."),
    ("as_at", "staff_id", "team", "role", "employment", "fte", "category", "caseload", "complex_cases"),
    staff_level=True,
)
def caseload_staff(month_end_loads: pd.DataFrame) -> pd.DataFrame:
    """The ``caseload_staff`` table: each person's post, category and caseload on one date."""
    return month_end_loads[STAFF_COLUMNS].rename(columns={"date": "as_at"}).reset_index(drop=True)
