"""The caseload tables behind the headline: by role and category, change, distribution, NQSW detail.

Each function takes rows as ``caseload.caseloads_on`` returns them (one per person and date) and
returns a tidy frame, already rounded (means 2 dp, shares 4 dp).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.caseload.summary import headline_mask, summarise
from analysis.config import Settings
from analysis.core import assignments
from analysis.inputs.dataset import ROLES
from analysis.table_spec import N_, table

# The categories in the order the council's tables use.
CATEGORY_ORDER = ("qualified", "agency", "nqsw")
_CHANGE_MEASURES = ("case_holders", "cases", "mean_caseload")


@table(
    N_("Caseload by role and by category"),
    N_("One row per snapshot, dimension and group."),
    (
        "snapshot",
        "dimension",
        "group",
        "staff",
        "case_holders",
        "cases",
        "mean_caseload",
        "median_caseload",
        "max_caseload",
        "cases_per_fte",
    ),
    meanings={"group": "The role or the category (see dimension)."},
)
def caseload_by_role_category(loads: pd.DataFrame, snapshots: list[pd.Timestamp], config: Settings) -> pd.DataFrame:
    """Caseload on each snapshot by role (everyone employed) and by category (headline roles).

    Returns
    -------
    pandas.DataFrame
        ``snapshot, dimension, group, staff, case_holders, cases, mean_caseload,
        median_caseload, max_caseload, cases_per_fte``. ``dimension`` is ``role`` (each role,
        every category) or ``category`` (qualified, agency, nqsw among people in a
        ``headline_roles`` role, so the qualified and agency rows add up to the headline).
        Mean, median and maximum are over case holders.
    """
    loads = loads.loc[loads["date"].isin(snapshots)].rename(columns={"date": "snapshot"})
    in_headline_roles = loads.loc[loads["role"].isin(config.headline_roles)]
    grouped = pd.concat(
        [
            loads.assign(dimension="role", group=loads["role"]),
            in_headline_roles.assign(dimension="category", group=in_headline_roles["category"]),
        ],
        ignore_index=True,
    )
    keys = ["snapshot", "dimension", "group"]
    grid = pd.concat(
        [
            pd.MultiIndex.from_product([snapshots, ["role"], list(ROLES)], names=keys).to_frame(index=False),
            pd.MultiIndex.from_product([snapshots, ["category"], list(CATEGORY_ORDER)], names=keys).to_frame(
                index=False
            ),
        ],
        ignore_index=True,
    )
    table = summarise(grouped, keys)
    holders = (
        grouped.loc[grouped["caseload"] > 0]
        .groupby(keys)["caseload"]
        .agg(median_caseload="median", max_caseload="max")
        .reset_index()
    )
    out = grid.merge(table, on=keys, how="left").merge(holders, on=keys, how="left")
    for column in ("staff", "case_holders", "cases"):
        out[column] = out[column].fillna(0).astype("int64")
    out["max_caseload"] = out["max_caseload"].astype("Int64")  # medians of whole caseloads need no rounding
    return out[
        [*keys, "staff", "case_holders", "cases", "mean_caseload", "median_caseload", "max_caseload", "cases_per_fte"]
    ]


@table(
    N_("Autumn against Autumn: the change in caseload"),
    N_("One row per dimension and group."),
    (
        "dimension",
        "group",
        "snapshot_earlier",
        "snapshot_latest",
        "case_holders_earlier",
        "case_holders_latest",
        "case_holders_change",
        "cases_earlier",
        "cases_latest",
        "cases_change",
        "mean_caseload_earlier",
        "mean_caseload_latest",
        "mean_caseload_change",
    ),
    meanings={"group": "The role or the category (see dimension)."},
)
def caseload_change(loads: pd.DataFrame, latest: pd.Timestamp, earlier: pd.Timestamp, config: Settings) -> pd.DataFrame:
    """Autumn against Autumn: case holders, cases and mean caseload in each year, and the change.

    Returns
    -------
    pandas.DataFrame
        ``dimension, group, snapshot_earlier, snapshot_latest`` then, for each of
        ``case_holders``, ``cases`` and ``mean_caseload``: ``_earlier``, ``_latest`` and
        ``_change`` (latest minus earlier). Rows: ``headline`` (the headline population), each
        ``team`` (the headline population in that team, so teams add up to the headline) and
        each ``role`` (everyone employed in it). A group missing in one year has zeros there.
    """
    loads = loads.loc[loads["date"].isin([latest, earlier])]
    headline = loads.loc[headline_mask(loads, config)]
    grouped = pd.concat(
        [
            headline.assign(dimension="headline", group="headline"),
            headline.assign(dimension="team", group=headline["team"]),
            loads.assign(dimension="role", group=loads["role"]),
        ],
        ignore_index=True,
    )
    table = summarise(grouped, ["dimension", "group", "date"])
    table["when"] = np.where(table["date"] == latest, "latest", "earlier")
    wide = table.pivot(index=["dimension", "group"], columns="when", values=list(_CHANGE_MEASURES))
    wide = wide.reindex(columns=pd.MultiIndex.from_product([_CHANGE_MEASURES, ["earlier", "latest"]]))
    wide.columns = [f"{measure}_{when}" for measure, when in wide.columns]
    out = wide.reset_index()
    for measure in ("case_holders", "cases"):
        for when in ("earlier", "latest"):
            out[f"{measure}_{when}"] = out[f"{measure}_{when}"].fillna(0).astype("int64")
    for measure in _CHANGE_MEASURES:
        out[f"{measure}_change"] = out[f"{measure}_latest"] - out[f"{measure}_earlier"]
    out["mean_caseload_change"] = out["mean_caseload_change"].round(2)
    out["snapshot_earlier"] = pd.Series(pd.Timestamp(earlier), index=out.index, dtype="datetime64[ns]")
    out["snapshot_latest"] = pd.Series(pd.Timestamp(latest), index=out.index, dtype="datetime64[ns]")
    columns = [f"{m}_{w}" for m in _CHANGE_MEASURES for w in ("earlier", "latest", "change")]
    out = out[["dimension", "group", "snapshot_earlier", "snapshot_latest", *columns]]
    dims = {"headline": 0, "team": 1, "role": 2}
    role_rank = {role: n for n, role in enumerate(ROLES)}
    rank = out["group"].map(role_rank).where(out["dimension"] == "role")  # teams: by name alone
    out = out.assign(_d=out["dimension"].map(dims), _r=rank).sort_values(["_d", "_r", "group"])
    return out.drop(columns=["_d", "_r"]).reset_index(drop=True)


@table(
    N_("Distribution of caseloads"),
    N_("One row per snapshot and caseload band."),
    ("snapshot", "caseload_band", "lower", "upper", "case_holders", "share"),
)
def caseload_distribution(
    loads: pd.DataFrame, snapshots: list[pd.Timestamp], config: Settings, width: int = 5
) -> pd.DataFrame:
    """Headline case holders on each snapshot counted by caseload band, for a distribution chart.

    Returns
    -------
    pandas.DataFrame
        ``snapshot, caseload_band, lower, upper, case_holders, share``: bands 1-5, 6-10, ... up
        to ``max_caseload``, then ``over N`` (``upper`` blank); every band on every snapshot;
        ``share`` of the snapshot's headline case holders, 4 dp.
    """
    max_load = int(config.max_caseload)
    lower = np.arange(1, max_load + 1, width)
    upper = np.minimum(lower + width - 1, max_load)
    labels = [f"{a}-{b}" if a != b else f"{a}" for a, b in zip(lower, upper)] + [f"over {max_load}"]
    edges = np.r_[lower, max_load + 1]
    people = loads.loc[loads["date"].isin(snapshots) & headline_mask(loads, config) & (loads["caseload"] > 0)]
    band = np.searchsorted(edges, people["caseload"].to_numpy(), side="right") - 1
    counts = pd.DataFrame({"snapshot": people["date"].to_numpy(), "band": band}).value_counts()
    grid = pd.MultiIndex.from_product([snapshots, range(len(labels))], names=["snapshot", "band"])
    counts = counts.reindex(grid, fill_value=0).rename("case_holders").reset_index()
    totals = counts.groupby("snapshot")["case_holders"].transform("sum")
    return pd.DataFrame(
        {
            "snapshot": pd.to_datetime(counts["snapshot"]).astype("datetime64[ns]"),
            "caseload_band": np.asarray(labels, dtype=object)[counts["band"]],
            "lower": edges[counts["band"]],
            "upper": pd.Series(upper, dtype="Int64").reindex(counts["band"]).array,  # "over N": blank
            "case_holders": counts["case_holders"].astype("int64"),
            "share": (counts["case_holders"] / totals).round(4),  # pandas: 0 / 0 is blank
        }
    )


@table(
    N_("Newly qualified social workers (staff-level)"),
    N_("One row per NQSW on the month end."),
    (
        "as_at",
        "team",
        "staff_id",
        "role",
        "employment",
        "qualified_date",
        "months_since_qualified",
        "months_band",
        "band",
        "nqsw_status_ends",
        "caseload",
        "complex_cases",
        "band_limit",
    ),
    staff_level=True,
)
def nqsw_detail(loads: pd.DataFrame, month_end: pd.Timestamp, config: Settings) -> pd.DataFrame:
    """Each newly qualified social worker on ``month_end``, for team managers (staff-level).

    Returns
    -------
    pandas.DataFrame
        ``as_at, team, staff_id, role, employment, qualified_date, months_since_qualified,
        months_band`` (``months_0_6``/``months_6_12`` by time since qualifying), ``band`` (as
        in ``nqsw_caseload``: ``non_case_holding`` when holding no case), ``nqsw_status_ends``
        (qualified_date + ``nqsw_months``: the first day no longer NQSW), ``caseload``,
        ``complex_cases``, ``band_limit`` (``nqsw_max_caseload`` for the months band).
    """
    nqsw = loads.loc[(loads["date"] == month_end) & (loads["category"] == "nqsw")]
    ends = assignments.nqsw_status_end_dates(nqsw["qualified_date"], config.nqsw_months)
    early, later = config.nqsw_max_caseload
    out = pd.DataFrame(
        {
            "as_at": nqsw["date"],
            "team": nqsw["team"],
            "staff_id": nqsw["staff_id"],
            "role": nqsw["role"],
            "employment": nqsw["employment"],
            "qualified_date": nqsw["qualified_date"],
            "months_since_qualified": nqsw["months_since_qualified"],
            "months_band": nqsw["nqsw_band"],
            "band": nqsw["nqsw_band"].where(nqsw["caseload"] > 0, "non_case_holding"),
            "nqsw_status_ends": pd.to_datetime(ends),
            "caseload": nqsw["caseload"],
            "complex_cases": nqsw["complex_cases"],
            "band_limit": np.where(nqsw["nqsw_band"] == "months_0_6", early, later),
        }
    )
    out["nqsw_status_ends"] = out["nqsw_status_ends"].astype("datetime64[ns]")
    return out.sort_values(["team", "staff_id"]).reset_index(drop=True)


@table(
    N_("When newly qualified status ends"),
    N_("One row per band."),
    ("as_at", "band", "staff", "status_ends_first", "status_ends_last"),
    meanings={"band": "The band of months since qualifying.", "staff": "Newly qualified social workers in the band."},
)
def nqsw_status_ends(nqsw_detail: pd.DataFrame) -> pd.DataFrame:
    """When each band's NQSW status ends: ``as_at, band, staff, status_ends_first, status_ends_last``."""
    bands = ["non_case_holding", "months_0_6", "months_6_12"]
    detail = nqsw_detail
    stats = detail.groupby("band")["nqsw_status_ends"].agg(["size", "min", "max"]).reindex(bands)
    as_at = detail["as_at"].iloc[0] if len(detail) else pd.NaT
    return pd.DataFrame(
        {
            "as_at": pd.Series([as_at] * len(bands), dtype="datetime64[ns]"),
            "band": bands,
            "staff": stats["size"].fillna(0).astype("int64").to_numpy(),
            "status_ends_first": stats["min"].astype("datetime64[ns]").to_numpy(),
            "status_ends_last": stats["max"].astype("datetime64[ns]").to_numpy(),
        }
    )


@table(
    N_("Principal social workers' complex cases"),
    N_("One row per date and role."),
    ("as_at", "role", "staff", "case_holders", "cases", "mean_caseload", "complex_cases", "complex_share"),
)
def principal_complexity(loads: pd.DataFrame, latest: pd.Timestamp, month_end: pd.Timestamp) -> pd.DataFrame:
    """Principal social workers' caseload and share of complex cases against the other practitioners'.

    Returns
    -------
    pandas.DataFrame
        ``as_at, role, staff, case_holders, cases, mean_caseload, complex_cases,
        complex_share`` (complex / cases, 4 dp, blank with no cases) for social_worker,
        senior_social_worker and principal_social_worker on each date.
    """
    roles = [r for r in ROLES if r != "team_manager"]
    dates = list(pd.DatetimeIndex([latest, month_end]).unique())
    people = loads.loc[loads["date"].isin(dates) & loads["role"].isin(roles)]
    grid = pd.MultiIndex.from_product([dates, roles], names=["date", "role"]).to_frame(index=False)
    table = summarise(people, ["date", "role"])
    complex_cases = people.groupby(["date", "role"])["complex_cases"].sum().rename("complex_cases").reset_index()
    out = grid.merge(table, on=["date", "role"], how="left").merge(complex_cases, on=["date", "role"], how="left")
    for column in ("staff", "case_holders", "cases", "complex_cases"):
        out[column] = out[column].fillna(0).astype("int64")
    out["complex_share"] = (out["complex_cases"] / out["cases"]).round(4)  # pandas: 0 / 0 is blank
    out = out.rename(columns={"date": "as_at"})
    return out[["as_at", "role", "staff", "case_holders", "cases", "mean_caseload", "complex_cases", "complex_share"]]
