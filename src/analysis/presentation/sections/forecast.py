"""Next month's forecast: the service's line, the teams most likely to miss the target, and how well
past forecasts held (``forecast_next_month``, ``forecast_backtest``, ``forecast_calibration``)."""

from __future__ import annotations

import pandas as pd

from analysis.presentation.formats import DASH, _missing, count, month_name, pct
from analysis.presentation.html_kit import Column, Fragment, bullets, html_table, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.vocabulary.current import _, n_
from analysis.vocabulary.labels import category_labels

MOST_LIKELY_TO_MISS = 5  # teams named


def interval_text(low: float, high: float) -> str:
    """An interval as ``72.0% to 88.9%``; a dash where there is none (no one can be due)."""
    if _missing(low) or _missing(high):
        return DASH
    return _("{low} to {high}", low=pct(low), high=pct(high))


def forecast_table(rows: pd.DataFrame, caption: str, label: str) -> str:
    """The forecast of each group (``forecast_next_month`` rows): median, intervals, chance of the target."""
    shown = rows.assign(
        interval_80=[interval_text(lo, hi) for lo, hi in zip(rows["low_80"], rows["high_80"])],
        interval_95=[interval_text(lo, hi) for lo, hi in zip(rows["low_95"], rows["high_95"])],
    )
    return html_table(
        shown,
        [
            Column("label", label),
            Column("due_expected", _("Expected due"), lambda v: f"{v:.1f}", True),
            Column("compliance_median", _("Forecast (median)"), pct, True),
            Column("interval_80", _("80% interval"), str, True),
            Column("interval_95", _("95% interval"), str, True),
            Column("p_target", _("Chance of reaching the target"), lambda v: pct(v, 0), True),
        ],
        caption,
        row_header="label",
    )


def _row(forecast_next_month: pd.DataFrame, scope: str, group: str) -> pd.Series | None:
    rows = forecast_next_month.loc[(forecast_next_month["scope"] == scope) & (forecast_next_month["group"] == group)]
    return None if rows.empty or _missing(rows["compliance_median"].iloc[0]) else rows.iloc[0]


def forecast_sentence(forecast_next_month: pd.DataFrame, month: pd.Period, target: float) -> str:
    """The service's forecast for the month after ``month``, in one sentence."""
    nxt = month_name(month + 1)
    row = _row(forecast_next_month, "all", "all")
    if row is None:
        return _("No forecast can be made for {month}: no one known to be in post could be due.", month=nxt)
    return _(
        "Forecast for {month}: {median} of staff due supervised (80% interval {interval80}; 95% interval "
        "{interval95}), a {chance} chance of reaching the {target} target.",
        month=nxt,
        median=pct(row["compliance_median"]),
        interval80=interval_text(row["low_80"], row["high_80"]),
        interval95=interval_text(row["low_95"], row["high_95"]),
        chance=pct(row["p_target"], 0),
        target=pct(target, 0),
    )


def likely_to_miss(forecast_next_month: pd.DataFrame, target: float) -> str:
    """The teams least likely to reach the target, worst first (those with under an even chance)."""
    teams = forecast_next_month.loc[
        (forecast_next_month["scope"] == "team") & (forecast_next_month["p_target"] < 0.5)
    ].sort_values(["p_target", "compliance_median", "group"], kind="stable")
    if teams.empty:
        return paragraph(
            _("Every team has at least an even chance of reaching the {target} target.", target=pct(target, 0))
        )
    shown = teams.head(MOST_LIKELY_TO_MISS)
    lead = n_(
        "{n} team is more likely than not to miss the {target} target; the least likely to reach it:",
        "{n} teams are more likely than not to miss the {target} target; the least likely to reach it:",
        len(teams),
        target=pct(target, 0),
    )
    items = [
        _(
            "{team}: a {chance} chance (forecast {median}, 80% interval {interval}).",
            team=str(team),
            chance=pct(chance, 0),
            median=pct(median),
            interval=interval_text(low, high),
        )
        for team, chance, median, low, high in zip(
            shown["group"], shown["p_target"], shown["compliance_median"], shown["low_80"], shown["high_80"]
        )
    ]
    return paragraph(lead) + bullets(items)


def next_month_section(forecast_next_month: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """The service's forecast, the teams most likely to miss, and the forecast by type of worker."""
    groups = forecast_next_month.loc[forecast_next_month["scope"].isin(["all", "category"])]
    groups = groups.assign(label=groups["group"].map(category_labels()).fillna(groups["group"]))
    caption = _("Forecast by type of worker, {month}", month=month_name(inputs.month + 1))
    return join(
        paragraph(forecast_sentence(forecast_next_month, inputs.month, inputs.target)),
        likely_to_miss(forecast_next_month, inputs.target),
        forecast_table(groups, caption, _("Staff")),
    )


def team_forecast_sentence(forecast_next_month: pd.DataFrame, team: str, month: pd.Period, target: float) -> str:
    """One team's forecast for the month after ``month`` (its own page)."""
    row = _row(forecast_next_month, "team", team)
    nxt = month_name(month + 1)
    if row is None:
        return _("No forecast can be made for the team in {month}.", month=nxt)
    return _(
        "Forecast for {month}: {median} of the team's staff due supervised (80% interval {interval}), a {chance} "
        "chance of reaching the {target} target.",
        month=nxt,
        median=pct(row["compliance_median"]),
        interval=interval_text(row["low_80"], row["high_80"]),
        chance=pct(row["p_target"], 0),
        target=pct(target, 0),
    )


def calibration_section(forecast_calibration: pd.DataFrame, forecast_backtest: pd.DataFrame) -> Fragment:
    """How well the forecasts of past months held: a sentence on the teams, and a small table."""
    tested = forecast_calibration.loc[forecast_calibration["group_months"] > 0]
    teams = tested.loc[tested["scope"] == "team"]
    if teams.empty:
        return Fragment(
            paragraph(_("The extract is too short to test the forecast: it needs a year of history before a month."))
        )
    row = teams.iloc[0]
    months = forecast_backtest["month"].astype(str)
    sentence = _(
        "Tested on the {n} team-months from {first} to {last}, each forecast at the end of the month before, the 80% "
        "intervals held what happened in {share80} of them and the 95% intervals in {share95}. The forecast's "
        "median was out by {error} on average, against {last_month} for \u201cthe same as last month\u201d and "
        "{trailing} for the mean of the last twelve months.",
        n=count(row["group_months"]),
        first=month_name(pd.Period(months.min(), "M")),
        last=month_name(pd.Period(months.max(), "M")),
        share80=pct(row["share_inside_80"], 0),
        share95=pct(row["share_inside_95"], 0),
        error=pct(row["mae_forecast"]),
        last_month=pct(row["mae_last_month"]),
        trailing=pct(row["mae_trailing_mean"]),
    )
    labels = {"all": _("Service"), "category": _("Types of worker"), "team": _("Teams")}
    shown = tested.assign(label=tested["scope"].map(labels))
    table = html_table(
        shown,
        [
            Column("label", _("Forecasts of")),
            Column("group_months", _("Months tested"), count, True),
            Column("share_inside_80", _("Inside the 80% interval"), lambda v: pct(v, 0), True),
            Column("share_inside_95", _("Inside the 95% interval"), lambda v: pct(v, 0), True),
            Column("mae_forecast", _("Forecast's error"), pct, True),
            Column("mae_last_month", _("Same as last month"), pct, True),
            Column("mae_trailing_mean", _("Mean of last twelve months"), pct, True),
        ],
        _("How well past forecasts held: share inside each interval, and mean absolute error (percentage points)"),
        row_header="label",
    )
    return join(paragraph(sentence), table)
