"""Next month's forecast by team: each team's 80% and 95% intervals and median against the target."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.presentation.charts.base import DARK_BLUE, DARK_GREY, DARK_PINK, figure, month_ticks, target_line
from analysis.presentation.formats import month_name, pct
from analysis.presentation.html_kit import Column, Fragment, html_table
from analysis.presentation.sections.forecast import forecast_table
from analysis.vocabulary.current import _, n_


def team_intervals(forecast_next_month: pd.DataFrame, target: float) -> Fragment | None:
    """Each team's forecast: a thick bar for the 80% interval, a thin line for the 95%, a dot at the median."""
    teams = forecast_next_month.loc[
        (forecast_next_month["scope"] == "team") & forecast_next_month["compliance_median"].notna()
    ].sort_values(["compliance_median", "group"], ascending=[True, True], kind="stable")
    if teams.empty:
        return None
    month = month_name(pd.Period(str(teams["month"].iloc[0]), "M"))
    y = np.arange(len(teams))
    fig, ax = plt.subplots(figsize=(7.2, 0.9 + 0.42 * len(teams)))
    ax.hlines(y, teams["low_95"], teams["high_95"], color=DARK_GREY, linewidth=1.2, label=_("95% interval"))
    ax.hlines(y, teams["low_80"], teams["high_80"], color=DARK_BLUE, linewidth=7, label=_("80% interval"))
    ax.plot(teams["compliance_median"], y, "o", color="white", markersize=6, markeredgecolor=DARK_BLUE)
    for yi, (median, high) in enumerate(zip(teams["compliance_median"], teams["high_95"])):
        ax.text(min(float(high) + 0.01, 1.005), yi, pct(median), va="center", ha="left", color=DARK_BLUE, fontsize=8)
    target_line(
        ax,
        target,
        DARK_PINK,
        {"linestyle": "--", "linewidth": 1.4},
        (target, len(teams) - 0.4),
        vertical=True,
        ha="center",
        va="bottom",
        fontweight="bold",
    )
    ax.set_yticks(y)
    ax.set_yticklabels(teams["group"].astype(str).tolist(), fontsize=9)
    ax.set_ylim(-0.7, len(teams) + 0.2)
    low = max(0.0, np.floor((min(float(teams["low_95"].min()), target - 0.1) - 0.02) * 10) / 10)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlim(low, 1.08)
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.set_title(_("Forecast compliance by team, {month}", month=month))
    ax.set_xlabel(_("Staff supervised (% of those due); thick bar 80%, thin line 95% interval"))
    likely = teams.loc[teams["p_target"] < 0.5, "group"].astype(str).tolist()
    alt = n_(
        "Forecast compliance for {month} by team, with 80% and 95% intervals: {n} of the {total} teams is more "
        "likely than not to miss the {target} target.",
        "Forecast compliance for {month} by team, with 80% and 95% intervals: {n} of the {total} teams are more "
        "likely than not to miss the {target} target.",
        len(likely),
        month=month,
        total=len(teams),
        target=pct(target, 0),
    )
    table = forecast_table(
        teams.assign(label=teams["group"]), _("Data for the chart: forecast by team, {month}", month=month), _("Team")
    )
    return figure(fig, alt, _("Figure 6. Next month's forecast by team."), table)


def backtest_chart(rows: pd.DataFrame, target: float, title: str) -> Fragment:
    """One group's forecasts month by month (``forecast_backtest`` rows, and next month's where given):
    the 95% and 80% intervals as bands, the median dashed, what happened as dots."""
    rows = rows.sort_values("month")
    months = rows["month"].astype(str).tolist()
    x = np.arange(len(months))
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    ax.fill_between(x, rows["low_95"], rows["high_95"], color=DARK_BLUE, alpha=0.12, step="mid", linewidth=0)
    ax.fill_between(x, rows["low_80"], rows["high_80"], color=DARK_BLUE, alpha=0.28, step="mid", linewidth=0)
    ax.plot(x, rows["forecast"], color=DARK_BLUE, linestyle="--", linewidth=1.4, label=_("Forecast (median)"))
    actual = rows["actual"].astype(float).to_numpy()
    ax.plot(x, actual, "o", color=DARK_GREY, markersize=5, label=_("What happened"))
    target_line(
        ax,
        target,
        DARK_PINK,
        {"linestyle": ":", "linewidth": 1.2},
        (len(months) - 0.5, target + 0.01),
        ha="right",
        va="bottom",
    )
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_ylim(max(0.0, float(np.nanmin(rows["low_95"].to_numpy(dtype=float))) - 0.05), 1.05)
    ax.set_xlim(-0.5, len(months) - 0.5)
    month_ticks(ax, months)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(title)
    inside = rows["inside_80"].dropna().astype(bool)
    alt = _(
        "{title}: forecasts with their 80% and 95% intervals against what happened; the 80% interval held "
        "{share} of the months tested.",
        title=title,
        share=pct(inside.mean(), 0) if len(inside) else "–",
    )
    table = html_table(
        rows,
        [
            Column("month", _("Month"), month_name),
            Column("forecast", _("Forecast (median)"), pct, True),
            Column("low_80", _("80% low"), pct, True),
            Column("high_80", _("80% high"), pct, True),
            Column("actual", _("What happened"), pct, True),
        ],
        _("Data for the chart: forecasts against what happened"),
        row_header="month",
    )
    return figure(fig, alt, title, table)
