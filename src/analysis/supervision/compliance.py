"""Supervision figures: compliance by month and category, teams and posts compared fairly, and why not.

Everything here aggregates ``eligibility.person_months``; the definitions live there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.core.stats import binomial_cdf, binomial_sf_at, funnel_limits, wilson_interval
from analysis.table_spec import N_, table

CATEGORY_ORDER = ("all", "qualified", "nqsw", "agency")
# What a group compared fairly (a team, a post) shows beside its name.
COMPARED_COLUMNS = (
    "in_scope",
    "due",
    "supervised",
    "compliance",
    "wilson_low",
    "wilson_high",
    "overall",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "outside",
)
MONTHLY_COLUMNS = ["month", "category", "in_scope", "due", "supervised", "compliance", "near_miss"]
FUNNEL_LEVELS = {"95": 0.95, "998": 0.998}


def rate(numerator: Any, denominator: Any, places: int = 4) -> np.ndarray:
    """``numerator / denominator`` rounded, NaN where the denominator is 0."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.round(np.where(den > 0, num / den, np.nan), places)


def _months_of(pm: pd.DataFrame, months: Sequence[Any] | None) -> list[str]:
    if months is not None:
        return [str(m) for m in months]
    if pm.attrs.get("months"):
        return [str(m) for m in pm.attrs["months"]]
    return sorted(pm["month"].astype(str).unique())


@table(
    N_("Formal supervision by month and category"),
    N_(
        "One row per month and category (all, qualified, nqsw, agency): in scope, due, supervised, compliance, "
        "near misses."
    ),
    MONTHLY_COLUMNS,
    notes=(1, 2, 3, 4, 5),
    fixed=True,
)
def supervision_monthly(window_person_months: pd.DataFrame, window_labels: Sequence[Any] | None = None) -> pd.DataFrame:
    """The council's tables: in scope, due, supervised, compliance and near misses by month and category.

    Parameters
    ----------
    window_person_months
        From ``eligibility.person_months``.
    window_labels
        Months to report (``Period`` or ``YYYY-MM``); default ``window_person_months.attrs["months"]``,
        else the months present. A month with no one still gets its four rows, with zeros.

    Returns
    -------
    pandas.DataFrame
        Columns exactly ``month, category, in_scope, due, supervised, compliance, near_miss``;
        one row per month and category in the order all, qualified, nqsw, agency;
        ``compliance`` = supervised / due to 4 decimal places, NaN where due is 0.
    """
    labels = _months_of(window_person_months, window_labels)
    counts = ["in_scope", "due", "supervised", "near_miss"]
    pm = window_person_months[["month", "category", "due", "supervised", "near_miss"]].assign(in_scope=1)
    pm = pm.astype({"due": int, "supervised": int, "near_miss": int})
    by_category = pm.groupby(["month", "category"])[counts].sum()
    overall = pm.groupby("month")[counts].sum()
    overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], names=["month", "category"])
    grid = pd.MultiIndex.from_product([labels, CATEGORY_ORDER], names=["month", "category"])
    table = pd.concat([overall, by_category]).reindex(grid, fill_value=0).astype("int64").reset_index()
    table["compliance"] = rate(table["supervised"], table["due"])
    return table[MONTHLY_COLUMNS]


@table(
    N_("All staff by month: due, supervised and near misses"),
    N_("One row per month: in post, not due, due, supervised, not supervised, near misses, compliance."),
    (
        "month",
        "in_scope",
        "not_due",
        "due",
        "supervised",
        "not_supervised",
        "near_miss",
        "compliance",
        "compliance_with_near_misses",
    ),
)
def supervision_near_misses(supervision_monthly: pd.DataFrame) -> pd.DataFrame:
    """All staff by month: in post, not due, due, supervised, not supervised, near misses, and compliance
    with and without the near misses counted (4 dp; blank where no one is due)."""
    rows = supervision_monthly.loc[supervision_monthly["category"] == "all"]
    return pd.DataFrame(
        {
            "month": rows["month"].to_numpy(),
            "in_scope": rows["in_scope"].to_numpy(),
            "not_due": (rows["in_scope"] - rows["due"]).to_numpy(),
            "due": rows["due"].to_numpy(),
            "supervised": rows["supervised"].to_numpy(),
            "not_supervised": (rows["due"] - rows["supervised"]).to_numpy(),
            "near_miss": rows["near_miss"].to_numpy(),
            "compliance": rows["compliance"].to_numpy(),
            "compliance_with_near_misses": rate(rows["supervised"] + rows["near_miss"], rows["due"]),
        }
    )


def compare_groups(pm_month: pd.DataFrame, by: str) -> pd.DataFrame:
    """Each group's compliance in one month against the overall rate: Wilson intervals and funnel limits.

    Parameters
    ----------
    pm_month
        Person-months of a single month.
    by
        The column to group by (``team`` or ``role``).

    Returns
    -------
    pandas.DataFrame
        ``month, <by>, in_scope, due, supervised, compliance, wilson_low, wilson_high, overall,
        lower_95, upper_95, lower_998, upper_998, outside``: funnel limits are exact binomial
        (``stats.funnel_limits``) around the overall rate; ``outside`` is ``above_99.8``,
        ``above_95``, ``within``, ``below_95`` or ``below_99.8`` (None where no one is due), see
        ``outside_flag``.
    """
    pm = pm_month.assign(in_scope=1).astype({"due": int, "supervised": int})
    table = pm.groupby(["month", by])[["in_scope", "due", "supervised"]].sum().reset_index()
    table["compliance"] = rate(table["supervised"], table["due"])
    low, high = wilson_interval(table["supervised"], table["due"])
    table["wilson_low"], table["wilson_high"] = np.round(low, 4), np.round(high, 4)
    overall = pm["supervised"].sum() / pm["due"].sum() if pm["due"].sum() else np.nan
    table["overall"] = round(overall, 4)  # NaN stays NaN
    for name, level in FUNNEL_LEVELS.items():
        lower, upper = funnel_limits(overall, table["due"], level)
        table[f"lower_{name}"], table[f"upper_{name}"] = np.round(lower, 4), np.round(upper, 4)
    table["outside"] = outside_flag(table["supervised"], table["due"], overall)
    return table


@table(
    N_("Teams compared fairly"),
    N_("One row per team in the report month, with funnel limits."),
    ("month", "team", *COMPARED_COLUMNS),
)
def supervision_teams(month_person_months: pd.DataFrame) -> pd.DataFrame:
    """Each team's compliance in the report month, compared fairly (``compare_groups`` by team)."""
    return compare_groups(month_person_months, "team")


@table(
    N_("Posts compared fairly"),
    N_("One row per post (role) in the report month, with funnel limits."),
    ("month", "role", *COMPARED_COLUMNS),
)
def supervision_posts(month_person_months: pd.DataFrame) -> pd.DataFrame:
    """Each post's (role's) compliance in the report month, compared fairly (``compare_groups`` by role)."""
    return compare_groups(month_person_months, "role")


def outside_flag(supervised: Any, due: Any, overall: float) -> np.ndarray:
    """Whether each group lies outside the funnel, by the exact binomial tails of its own count.

    ``above_99.8`` when P(R >= supervised) < 0.001 for R ~ Binomial(due, overall), ``above_95``
    when < 0.025, and the same below with P(R <= supervised); else ``within``; None where no one
    is due. The drawn limits are interpolated (smooth in n), so a count right at a discrete limit
    (12 of 12, say) can sit a hair beyond the drawn line without being flagged: the exact tail
    says how surprising the count really is.
    """
    k = np.asarray(supervised, dtype=float)
    n = np.asarray(due, dtype=float)
    p = overall if np.isfinite(overall) else 0.5
    above = binomial_sf_at(k, n, p)
    below = binomial_cdf(k, n, p)
    tails = {name: (1 - level) / 2 for name, level in FUNNEL_LEVELS.items()}
    flag = np.select(
        [above < tails["998"], above < tails["95"], below < tails["998"], below < tails["95"]],
        ["above_99.8", "above_95", "below_99.8", "below_95"],
        default="within",
    ).astype(object)
    flag[(n <= 0) | ~np.isfinite(overall)] = None
    return flag


@table(
    N_("Staff not due, by reason"),
    N_("One row per month, category and reason."),
    ("month", "category", "reason", "staff"),
)
def supervision_exclusions(
    window_person_months: pd.DataFrame, window_labels: Sequence[str], exclusion_reasons: Sequence[str]
) -> pd.DataFrame:
    """Staff not due, by month, category (``all`` and each) and reason; every combination, zeros kept."""
    pm, months, reasons = window_person_months, window_labels, exclusion_reasons
    excluded = pm.loc[~pm["due"].astype(bool), ["month", "category", "exclusion_reason"]]
    by_category = excluded.groupby(["month", "category", "exclusion_reason"]).size()
    overall = excluded.groupby(["month", "exclusion_reason"]).size()
    overall.index = pd.MultiIndex.from_arrays(
        [overall.index.get_level_values(0), ["all"] * len(overall), overall.index.get_level_values(1)]
    )
    grid = pd.MultiIndex.from_product(
        [list(months), CATEGORY_ORDER, list(reasons)], names=["month", "category", "reason"]
    )
    counts = pd.concat([overall, by_category])
    counts.index.names = grid.names
    return counts.reindex(grid, fill_value=0).astype("int64").rename("staff").reset_index()


@table(
    N_("The agency absence data gap"),
    N_("One row per month: due and not supervised, of whom agency with no absence record, and the upper bound."),
    ("month", "due", "supervised", "due_unsupervised", "with_absence_gap", "compliance", "compliance_upper_bound"),
)
def supervision_data_gap(window_person_months: pd.DataFrame, window_labels: Sequence[str]) -> pd.DataFrame:
    """The agency absence-data gap by month: how many due-and-unsupervised have it, and the upper bound.

    ``compliance_upper_bound`` treats every due, unsupervised worker with the gap as absent:
    supervised / (due - those workers); NaN where that leaves no one due.
    """
    pm, months = window_person_months, window_labels
    unsupervised = pm["due"] & ~pm["supervised"]  # person-months' flags are bool
    frame = pd.DataFrame(
        {
            "month": pm["month"],
            "due": pm["due"],
            "supervised": pm["supervised"],
            "due_unsupervised": unsupervised,
            "with_absence_gap": unsupervised & pm["absence_data_gap"],
        }
    )
    table = frame.groupby("month").sum().reindex(list(months), fill_value=0).astype("int64")
    table = table.rename_axis("month").reset_index()
    table["compliance"] = rate(table["supervised"], table["due"])
    table["compliance_upper_bound"] = rate(table["supervised"], table["due"] - table["with_absence_gap"])
    return table
