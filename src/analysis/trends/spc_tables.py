"""The Making Data Count tables: ``spc`` (every point of every measure) and ``spc_summary`` (the month).

Measures: ``compliance_all``, ``compliance_qualified``, ``compliance_nqsw`` and
``compliance_agency`` (supervised / due, against ``target``) and ``mean_caseload`` (the headline
average caseload per qualified social worker at each month end; no target). Each monthly series
runs from the first month in which anyone is due to the report month, months where the value is
undefined left out. It never starts before the extract's first supervision (months before it
would read 0%, see ``coverage``), nor before ``spc_first_month`` when that is set.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.caseload import on_dates
from analysis.caseload.index import CaseIndex
from analysis.caseload.summary import headline_mask
from analysis.config import SPC_MEASURES, Settings
from analysis.inputs.coverage import records_span
from analysis.inputs.dataset import Dataset
from analysis.measures import MEASURES
from analysis.supervision import eligibility
from analysis.supervision.regular import regular_flags
from analysis.table_spec import N_, table
from analysis.trends.spc import assurance, variation, xmr

SPC_COLUMNS = ["measure", "month", "value", "mean", "lower_limit", "upper_limit", "point_type"]
SUMMARY_COLUMNS = ["measure", "month", "value", "target", "variation", "assurance"]


def spc_months(data: Dataset, month: pd.Period, config: Settings) -> pd.PeriodIndex:
    """The months an SPC series may cover: from the first supervision (or ``spc_first_month``) to
    ``month``, less the months inside the extract without a supervision record (``records_span``)."""
    span = records_span(data)
    start = span.first.to_period("M") if span.first is not None else month
    if config.spc_first_month is not None:
        start = max(start, pd.Period(config.spc_first_month, "M"))
    months = pd.period_range(min(start, month), month, freq="M")
    return months[~months.isin(span.gaps)] if span.gaps else months


def spc_series(
    data: Dataset,
    month: pd.Period,
    config: Settings,
    person_months: pd.DataFrame | None = None,
    case_index: CaseIndex | None = None,
    mean_caseload: pd.Series | None = None,
) -> dict[str, pd.Series]:
    """Each measure's monthly values, indexed by ``YYYY-MM``, from the first month anyone is due.

    ``person_months``, ``case_index`` (of every allocation) and ``mean_caseload``
    (``spc_mean_caseload``), when given, save working them out again.
    """
    months = spc_months(data, month, config)
    labels = [str(m) for m in months]
    if person_months is not None and set(labels) <= set(person_months["month"].unique()):
        pm = person_months[["month", "staff_id", "category", "team", "due", "supervised"]]  # columns only
        pm = pm if pm["month"].isin(labels).all() else pm.loc[pm["month"].isin(labels)]
    else:
        pm = eligibility.person_months(data, list(months), config)
    by_month = MonthlyCompliance(pm)
    started = by_month.values("all")
    begin = started.index.min() if len(started) else str(month)
    series = {}
    for measure in MEASURES.values():
        if measure.series == "compliance":
            series[measure.name] = by_month.values(measure.category)
        elif measure.series == "regular":
            series[measure.name] = regular_values(pm)
        else:
            series[measure.name] = (
                mean_caseload if mean_caseload is not None else spc_mean_caseload(data, month, config, case_index)
            )
    return {name: values.loc[values.index >= begin].rename_axis("month") for name, values in series.items()}


# Posts on month ends worked out at a time: a million rows (every post of 35,000 staff on 28
# month ends, of 100,000 on 10) keeps the working memory small without slowing a small history.
POSTS_AT_ONCE = 1_000_000


def spc_mean_caseload(
    data: Dataset, month: pd.Period, config: Settings, case_index: CaseIndex | None = None
) -> pd.Series:
    """The headline mean caseload at the end of every month an SPC series may cover (``spc_months``),
    by ``YYYY-MM``; ``spc_series`` keeps the months from the first in which anyone is due."""
    ends = [m.end_time.normalize() for m in spc_months(data, month, config)]
    index = case_index if case_index is not None else on_dates.case_index(data, config, ends)
    # Only the headline roles' caseloads make the measure: the other roles are never counted.
    # A national history's every post on every month end is millions of rows: some month ends at a time.
    at_once = max(1, POSTS_AT_ONCE // max(len(data.staff), 1))
    chunks = [ends[i : i + at_once] for i in range(0, len(ends), at_once)] or [[]]
    means = [
        caseload_values(on_dates.role_caseloads(data, chunk, config, index, config.headline_roles), config)
        for chunk in chunks
    ]
    return pd.concat(means).sort_index() if len(means) > 1 else means[0]


class MonthlyCompliance:
    """Supervised / due by month of person-months, for any category and team: each column is
    numbered once (a national history is a million person-months) and every series counted."""

    def __init__(self, pm: pd.DataFrame):
        self.month, self.months = pd.factorize(pm["month"].to_numpy())  # YYYY-MM text
        self.category, self.categories = pd.factorize(pm["category"].to_numpy())
        self.due = pm["due"].to_numpy(dtype=bool)
        self.supervised = pm["supervised"].to_numpy(dtype=bool)
        self.team = pm["team"]

    def values(self, category: str = "all", team: str | None = None) -> pd.Series:
        """Months with nobody due are left out; sorted by month."""
        keep = self.due.copy()
        if category != "all":
            keep &= self.category == _code(self.categories, category)
        if team is not None:
            keep &= (self.team == team).to_numpy(dtype=bool)
        n = len(self.months)
        due = np.bincount(self.month[keep], minlength=n)
        supervised = np.bincount(self.month[keep & self.supervised], minlength=n)
        some = due > 0
        values = pd.Series(supervised[some] / due[some], index=np.asarray(self.months, dtype=object)[some].astype(str))
        return values.astype(float).sort_index()


def _code(values: np.ndarray | pd.Index, value: str) -> int:
    """The code of ``value`` among the factorized ``values``; -2 (no row's code: a missing value's
    is -1) when it is not there."""
    found = np.flatnonzero(np.asarray(values, dtype=object) == value)
    return int(found[0]) if len(found) else -2


def compliance_values(pm: pd.DataFrame, category: str = "all", team: str | None = None) -> pd.Series:
    """Supervised / due by month (``YYYY-MM``) of a category (or ``all``) and a team (None: every team);
    months with nobody due are left out."""
    return MonthlyCompliance(pm).values(category, team)


def regular_values(pm: pd.DataFrame, team: str | None = None) -> pd.Series:
    """Regular supervision by month (``YYYY-MM``) of a team (None: every team); months with nobody
    due in all three months ending in them are left out."""
    flags = regular_flags(pm)
    flags = flags if team is None else flags.loc[(flags["team"] == team).to_numpy(dtype=bool)]
    counts = flags.groupby(flags["month"].astype(str))[["due_three", "supervised_three"]].sum()
    counts = counts.loc[counts["due_three"] > 0]
    return (counts["supervised_three"] / counts["due_three"]).astype(float).sort_index()


def caseload_values(loads: pd.DataFrame, config: Settings, team: str | None = None) -> pd.Series:
    """The headline mean caseload by month end (``YYYY-MM``), of a team (None: every team)."""
    holders = loads.loc[headline_mask(loads, config) & (loads["caseload"] > 0)]
    holders = holders if team is None else holders.loc[holders["team"] == team]
    mean = holders.groupby("date")["caseload"].mean()  # by date, then each date written once as YYYY-MM
    mean.index = pd.DatetimeIndex(mean.index).strftime("%Y-%m")
    return mean.astype(float).sort_index()


def spc_charts(
    data: Dataset,
    month: pd.Period,
    config: Settings,
    person_months: pd.DataFrame | None = None,
    spc_mean_caseload: pd.Series | None = None,
) -> dict[str, pd.DataFrame]:
    """Each measure's XmR chart (``trends.spc.xmr``) up to ``month``, by measure, in ``SPC_MEASURES`` order."""
    series = spc_series(data, month, config, person_months, mean_caseload=spc_mean_caseload)
    return {
        measure: xmr(series[measure], config.spc_improvement[measure], config.spc_rebase_months) for measure in series
    }


@table(
    N_("Statistical process control: every point"),
    N_("One row per measure and month."),
    SPC_COLUMNS,
)
def spc(spc_charts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every point of every measure: ``measure, month, value, mean, lower_limit, upper_limit, point_type``."""
    # A measure without a point adds no row (nor, concatenated empty, a change of the columns' types).
    points = [chart.assign(measure=measure) for measure, chart in spc_charts.items() if not chart.empty]
    table = pd.concat(points, ignore_index=True) if points else pd.DataFrame(columns=SPC_COLUMNS)
    order = {m: n for n, m in enumerate(SPC_MEASURES)}
    table = table.assign(_o=table["measure"].map(order)).sort_values(["_o", "month"], kind="stable")
    numbers = ["value", "mean", "lower_limit", "upper_limit"]
    table[numbers] = table[numbers].astype(float).round(6)
    return table[SPC_COLUMNS].reset_index(drop=True)


@table(
    N_("Statistical process control: the month's verdicts"),
    N_("One row per measure."),
    SUMMARY_COLUMNS,
    meanings={"value": "The measure's value in the month."},
)
def spc_summary(spc_charts: dict[str, pd.DataFrame], month: pd.Period, config: Settings) -> pd.DataFrame:
    """Each measure in the report month: ``measure, month, value, target, variation, assurance``."""
    summary = []
    for measure, chart in spc_charts.items():
        improvement = config.spc_improvement[measure]
        target = MEASURES[measure].target(config)
        if chart.empty:
            summary.append(
                {
                    "measure": measure,
                    "month": str(month),
                    "value": np.nan,
                    "target": target,
                    "variation": None,
                    "assurance": None,
                }
            )
            continue
        last = chart.iloc[-1]
        summary.append(
            {
                "measure": measure,
                "month": last["month"],
                "value": last["value"],
                "target": target,
                "variation": variation(last["point_type"], int(last["direction"])),
                "assurance": assurance(target, last["lower_limit"], last["upper_limit"], improvement),
            }
        )
    table = pd.DataFrame(summary, columns=SUMMARY_COLUMNS)
    table["target"] = table["target"].astype(float)
    table["value"] = table["value"].astype(float).round(6)
    return table
