"""Next month's forecast and its back-test, as tables (docs/definitions.md, "Next month's forecast").

``forecasts`` (an intermediate) holds the forecast of every month from the thirteenth month of the
extract to the month after the report month, each made at the end of the month before it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.forecast.chances import person_chances
from analysis.forecast.draws import SUMMARY, forecast_groups
from analysis.forecast.known import known_person_months
from analysis.inputs.coverage import records_span
from analysis.inputs.dataset import Dataset
from analysis.supervision.compliance import CATEGORY_ORDER, rate
from analysis.table_spec import N_, table

LEARNING_MONTHS = 12  # a back-test starts at the thirteenth month of the extract
# Months drawn at once (numpy lets go of the interpreter lock while it draws and sums): two, but one
# above this many person-months, where each month's draws hold about 140 MB (a national history).
TWO_THREADS_UP_TO = 200_000
NEXT_COLUMNS = ["month", "scope", "group", *SUMMARY]
BACKTEST_COLUMNS = [
    "month",
    "scope",
    "group",
    "forecast",
    "low_80",
    "high_80",
    "low_95",
    "high_95",
    "actual",
    "inside_80",
    "inside_95",
]
CALIBRATION_COLUMNS = [
    "scope",
    "group_months",
    "share_inside_80",
    "share_inside_95",
    "mae_forecast",
    "mae_last_month",
    "mae_trailing_mean",
]
SCOPE_ORDER = {"all": 0, "category": 1, "team": 2}


def history_months(data: Dataset, month: pd.Period) -> list[pd.Period]:
    """The months whose outcomes a forecast may learn from: those up to ``month`` the extract covers,
    in whole or in part (not a gap, nor a month after its last record)."""
    span = records_span(data)
    if span.first is None:
        return []
    months = pd.period_range(min(span.first.to_period("M"), month), month, freq="M")
    return [m for m in months if span.state(m) in ("complete", "partial")]


def forecast_targets(history: list[pd.Period], month: pd.Period) -> list[pd.Period]:
    """The months forecast: every history month from the thirteenth of the extract, and the next."""
    first = history[0] + LEARNING_MONTHS if history else month + 1
    return [m for m in history if m >= first] + [month + 1]


def forecasts(data: Dataset, person_months: pd.DataFrame, month: pd.Period, config: Settings) -> pd.DataFrame:
    """The forecast of each target month (``forecast_targets``), ``NEXT_COLUMNS``."""
    history = history_months(data, month)
    targets = forecast_targets(history, month)
    labels = [str(m) for m in history]
    known = known_person_months(data, sorted({*history, *targets}), config)
    target_labels = [str(t) for t in targets]
    chances = person_chances(known, person_months, target_labels, labels, config)
    by_month = dict(tuple(chances.groupby("month", sort=False)))
    empty = chances.iloc[:0]
    # Each month draws from its own seeded generator, so two threads give the same figures as one.
    with ThreadPoolExecutor(2 if len(person_months) <= TWO_THREADS_UP_TO else 1) as pool:
        parts = list(pool.map(lambda t: forecast_groups(by_month.get(t, empty), t, config), target_labels))
    return pd.concat(parts, ignore_index=True)[NEXT_COLUMNS]


def actual_compliance(person_months: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """``month, scope, group, actual``: what compliance was, for the service, each category and team."""
    pm = person_months.loc[person_months["month"].isin(months), ["month", "category", "team", "due", "supervised"]]
    pm = pm.assign(due=pm["due"].astype(np.int64), supervised=(pm["due"] & pm["supervised"]).astype(np.int64))
    parts = [
        pm.groupby("month")[["due", "supervised"]].sum().reset_index().assign(scope="all", group="all"),
        pm.groupby(["month", "category"])[["due", "supervised"]]
        .sum()
        .reset_index()
        .rename(columns={"category": "group"})
        .assign(scope="category"),
        pm.dropna(subset=["team"])
        .groupby(["month", "team"])[["due", "supervised"]]
        .sum()
        .reset_index()
        .rename(columns={"team": "group"})
        .assign(scope="team"),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["group"] = out["group"].astype(str)
    out["actual"] = rate(out["supervised"], out["due"])
    return out[["month", "scope", "group", "actual"]]


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    category = {c: k for k, c in enumerate(CATEGORY_ORDER)}
    key = frame["scope"].map(SCOPE_ORDER) * 1000 + frame["group"].map(category).fillna(999)
    frame = frame.assign(_key=key.to_numpy())
    return frame.sort_values(["month", "_key", "group"], kind="stable").drop(columns="_key").reset_index(drop=True)


@table(
    N_("Next month's supervision compliance, forecast"),
    N_(
        "One row for the service, each category and each team: the month after the report month, forecast at "
        "the end of the report month from what was known then: people expected to be due and supervised, "
        "the median compliance of the draws, its 80% and 95% intervals, and the chance of reaching the target."
    ),
    NEXT_COLUMNS,
    meanings={
        "month": "The month forecast (the month after the report month).",
        "group": "all, the category or the team.",
    },
)
def forecast_next_month(forecasts: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """The forecast of the month after ``month``."""
    return _ordered(forecasts.loc[forecasts["month"] == str(month + 1)])[NEXT_COLUMNS]


@table(
    N_("Forecasts of past months against what happened"),
    N_(
        "One row for the service, each category and each team in every month from the thirteenth month of the "
        "extract to the report month: the forecast made at the end of the month before (median and intervals), "
        "the compliance that month, and whether each interval held it."
    ),
    BACKTEST_COLUMNS,
    meanings={"month": "The month forecast.", "group": "all, the category or the team."},
)
def forecast_backtest(forecasts: pd.DataFrame, person_months: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """Every past month's forecast beside what happened; blank where no one was due, or no forecast could be made."""
    past = forecasts.loc[forecasts["month"] < str(month + 1)]
    actual = actual_compliance(person_months, sorted(past["month"].unique()))
    out = past.merge(actual, on=["month", "scope", "group"], how="left").rename(
        columns={"compliance_median": "forecast"}
    )
    known = out["actual"].notna() & out["forecast"].notna()
    for level in ("80", "95"):
        inside = (out["actual"] >= out[f"low_{level}"]) & (out["actual"] <= out[f"high_{level}"])
        out[f"inside_{level}"] = pd.array(np.where(known, inside, pd.NA), dtype="boolean")
    return _ordered(out)[BACKTEST_COLUMNS]


def naive_forecasts(person_months: pd.DataFrame, history: list[str], months: int = LEARNING_MONTHS) -> pd.DataFrame:
    """``month, scope, group, last_month, trailing_mean``: for each month after a history month, each
    group's compliance the month before, and the mean of its monthly compliance over the ``months``
    months before (the months it had anyone due)."""
    actual = actual_compliance(person_months, history)
    if actual.empty:
        return pd.DataFrame(columns=["month", "scope", "group", "last_month", "trailing_mean"])
    ordinal = pd.PeriodIndex(actual["month"], freq="M").asi8
    wide = actual.assign(ordinal=ordinal).pivot_table(index=["scope", "group"], columns="ordinal", values="actual")
    span = np.arange(ordinal.min(), ordinal.max() + 2)
    wide = wide.reindex(columns=span)
    last_month = wide.T.shift(1).T
    total = wide.fillna(0).T.cumsum()
    count = wide.notna().astype(int).T.cumsum()
    sums = (total.shift(1, fill_value=0) - total.shift(months + 1, fill_value=0)).T
    counts = (count.shift(1, fill_value=0) - count.shift(months + 1, fill_value=0)).T
    trailing = sums / counts.where(counts > 0)
    out = pd.DataFrame(
        {"last_month": last_month.stack(future_stack=True), "trailing_mean": trailing.stack(future_stack=True)}
    )
    out = out.reset_index().rename(columns={"ordinal": "month_ordinal"})
    out["month"] = out.pop("month_ordinal").to_numpy(dtype=np.int64).astype("datetime64[M]").astype(str)
    return out[["month", "scope", "group", "last_month", "trailing_mean"]]


@table(
    N_("How well past forecasts held"),
    N_(
        "One row for the service, the categories and the teams: the group-months back-tested with anyone due, "
        "the share of them whose 80% and 95% intervals held what happened, and the mean absolute error of the "
        "forecast's median beside two simple guesses: the same as last month, and the mean of the last twelve months."
    ),
    CALIBRATION_COLUMNS,
)
def forecast_calibration(
    forecast_backtest: pd.DataFrame, person_months: pd.DataFrame, data: Dataset, month: pd.Period
) -> pd.DataFrame:
    """Coverage of the back-test's intervals, and its median's error against the simple guesses.

    Coverage counts every group-month with a forecast and anyone due; the errors are compared over
    the group-months where all three guesses exist (a month before, a mean before).
    """
    history = [str(m) for m in history_months(data, month)]
    tested = forecast_backtest.loc[forecast_backtest["actual"].notna() & forecast_backtest["forecast"].notna()]
    tested = tested.merge(naive_forecasts(person_months, history), on=["month", "scope", "group"], how="left")
    rows = []
    for scope in SCOPE_ORDER:
        part = tested.loc[tested["scope"] == scope]
        compared = part.dropna(subset=["last_month", "trailing_mean"])
        error = {
            name: np.round((compared[column] - compared["actual"]).abs().mean(), 4) if len(compared) else np.nan
            for name, column in (
                ("mae_forecast", "forecast"),
                ("mae_last_month", "last_month"),
                ("mae_trailing_mean", "trailing_mean"),
            )
        }
        rows.append(
            {
                "scope": scope,
                "group_months": len(part),
                "share_inside_80": np.round(part["inside_80"].astype(float).mean(), 4) if len(part) else np.nan,
                "share_inside_95": np.round(part["inside_95"].astype(float).mean(), 4) if len(part) else np.nan,
                **error,
            }
        )
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)
