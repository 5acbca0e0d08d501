"""Appropriate work: the design's caseload flags, staff by staff and counted by rule.

Each function takes rows as ``analysis.caseload.on_dates.caseloads_on`` returns them (one per person and date).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.table_spec import N_, table

FLAG_RULES = ("team_manager_holding_cases", "nqsw_over_band_limit", "nqsw_early_complex_case", "over_max_caseload")
FLAG_COLUMNS = ["as_at", "staff_id", "team", "role", "category", "caseload", "complex_cases", "rule", "detail"]
COUNT_COLUMNS = ["as_at", "rule", "count"]


def _band_limit(loads: pd.DataFrame, config: Settings) -> pd.Series:
    early, later = config.nqsw_max_caseload
    limit = np.where(loads["nqsw_band"] == "months_0_6", early, later)
    return pd.Series(limit, index=loads.index)


def _with_rule(rows: pd.DataFrame, rule: str, detail: pd.Series) -> pd.DataFrame:
    return rows.assign(rule=rule, detail=detail.loc[rows.index].to_numpy())


def _count_text(counts: pd.Series, noun: str) -> pd.Series:
    """``"1 case"``, ``"3 cases"``, element-wise."""
    return counts.astype(str) + " " + noun + np.where(counts == 1, "", "s")


@table(
    N_("Caseloads breaking a rule of appropriate work (staff-level)"),
    N_("One row per person and rule."),
    FLAG_COLUMNS,
    staff_level=True,
)
def caseload_flags(month_end_loads: pd.DataFrame, config: Settings) -> pd.DataFrame:
    """Staff whose caseload breaks a rule of appropriate work (staff-level): one row per person, date and rule.

    Returns
    -------
    pandas.DataFrame
        ``as_at, staff_id, team, role, category, caseload, complex_cases, rule, detail``, sorted by
        date, team, staff_id, then rule. Rules: ``team_manager_holding_cases`` (role in
        ``non_case_holding_roles``, caseload > 0), ``nqsw_over_band_limit`` (NQSW with caseload
        above ``nqsw_max_caseload`` for their band: 10 in months 0-6, 16 in months 6-12),
        ``nqsw_early_complex_case`` (NQSW in months 0-6 holding a complex case),
        ``over_max_caseload`` (caseload above ``max_caseload``).
    """
    loads = month_end_loads
    caseload = loads["caseload"]
    nqsw = loads["category"] == "nqsw"
    limit = _band_limit(loads, config)
    max_load = int(config.max_caseload)
    holds = "holds " + _count_text(caseload, "case")
    band_text = loads["nqsw_band"].str.replace("months_", "months ").str.replace("_", "-")  # NQSWs have a band
    checks = [
        (
            "team_manager_holding_cases",
            loads["role"].isin(config.non_case_holding_roles) & (caseload > 0),
            holds + "; the role should hold none",
        ),
        (
            "nqsw_over_band_limit",
            nqsw & (caseload > limit),
            holds + "; the limit for an NQSW in " + band_text + " after qualifying is " + limit.astype(str),
        ),
        (
            "nqsw_early_complex_case",
            nqsw & (loads["nqsw_band"] == "months_0_6") & (loads["complex_cases"] > 0),
            "holds "
            + _count_text(loads["complex_cases"], "complex case")
            + " in the first "
            + str(config.nqsw_band_months)
            + " months after qualifying",
        ),
        ("over_max_caseload", caseload > max_load, holds + "; the limit is " + str(max_load)),
    ]
    parts = [
        _with_rule(loads.loc[broken.to_numpy()], rule, detail)  # comparisons: never blank
        for rule, broken, detail in checks
    ]
    flags = pd.concat(parts, ignore_index=True).rename(columns={"date": "as_at"})
    if flags.empty:
        flags = pd.DataFrame(
            {c: pd.Series(dtype=loads[c].dtype if c in loads else object) for c in ["date", *FLAG_COLUMNS[1:]]}
        ).rename(columns={"date": "as_at"})
    # The checks run in FLAG_RULES order, which the sort keeps within each person (pandas sorts
    # on several columns stably).
    flags = flags.sort_values(["as_at", "team", "staff_id"])
    return flags[FLAG_COLUMNS].reset_index(drop=True)


@table(
    N_("Caseloads breaking a rule of appropriate work, counted"),
    N_("One row per date and rule."),
    COUNT_COLUMNS,
)
def caseload_flag_counts(caseload_flags: pd.DataFrame, month_end: Any) -> pd.DataFrame:
    """People flagged by each rule on each date (``as_at, rule, count``): every rule present, 0 where none."""
    as_at = [month_end] if isinstance(month_end, (str, pd.Timestamp)) else list(month_end)
    counts = caseload_flags.groupby(["as_at", "rule"]).size()
    grid = pd.MultiIndex.from_product([pd.to_datetime(as_at), list(FLAG_RULES)], names=["as_at", "rule"])
    out = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    out["as_at"] = pd.to_datetime(out["as_at"]).astype("datetime64[ns]")
    return out[COUNT_COLUMNS]
