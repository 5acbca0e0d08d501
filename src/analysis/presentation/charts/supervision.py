"""Supervision charts: compliance against the target, by category, teams compared fairly, who was not due.

Each returns a figure with its text alternative and its data table (``charts.figure``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.presentation.charts.base import (
    CATEGORY_STYLE,
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    GROUND,
    LABEL_ALL_TEAMS,
    TURQUOISE,
    _percent_axis,
    figure,
    month_ticks,
    spread_labels,
    target_line,
)
from analysis.presentation.formats import count, month_name, month_short, pct
from analysis.presentation.html_kit import Column, Fragment, html_table
from analysis.vocabulary.current import _, n_
from analysis.vocabulary.labels import category_short, reason_labels

# --------------------------------------------------------------------------- supervision
# Words on a white ground, above the lines: a line never strikes through a label.
# Above this many months, only the last, first, highest and lowest points are labelled, none
# within two months of another (a label is about two months wide on a year's chart).
LABEL_EVERY_POINT = 8


def _month_axis(ax, months: Sequence[str]) -> None:
    month_ticks(ax, months)
    ax.set_xlim(-0.4, len(months) - 0.4 + (0.9 if len(months) > 1 else 0.6))


def labelled_points(values: np.ndarray) -> set[int]:
    """The points whose value is written beside them: all of a short window; of a long one the last,
    the first, the highest and the lowest, leaving out any within two months of one already chosen."""
    finite = np.flatnonzero(~np.isnan(values))
    if len(finite) <= LABEL_EVERY_POINT:
        return set(finite.tolist())
    wanted = [finite[-1], finite[0], finite[np.argmax(values[finite])], finite[np.argmin(values[finite])]]
    chosen: list[int] = []
    for point in map(int, wanted):
        if all(abs(point - other) > 2 for other in chosen):
            chosen.append(point)
    return set(chosen)


def compliance_trend(monthly: pd.DataFrame, target: float) -> Fragment:
    """All staff: compliance each month of the window against the target line."""
    rows = monthly.loc[monthly["category"] == "all"].sort_values("month")
    months = rows["month"].astype(str).tolist()
    values = rows["compliance"].astype(float).to_numpy()
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    x = np.arange(len(months))
    ax.plot(x, values, color=DARK_BLUE, marker="o", linewidth=2.2, markersize=7, label=_("All staff"))
    shown = labelled_points(values)
    for xi, v in zip(x, values):
        if int(xi) in shown:
            ax.annotate(
                pct(v),
                (xi, v),
                textcoords="offset points",
                xytext=(0, -16),
                ha="left" if xi == 0 and len(months) > 1 else "center",  # the first clear of the y-axis labels
                color=DARK_BLUE,
                fontweight="bold",
            )
    target_line(
        ax,
        target,
        DARK_PINK,
        {"linestyle": "--", "linewidth": 1.6},
        (len(months) - 0.45, target + 0.008),
        va="bottom",
        fontweight="bold",
        zorder=4,
    )
    finite = values[~np.isnan(values)]
    low = max(0.0, np.floor(((finite.min() if len(finite) else target) - 0.12) * 10) / 10)
    _percent_axis(ax, min(low, target - 0.1), 1.0)
    _month_axis(ax, months)
    ax.set_ylabel(_("Staff supervised (% of those due)"))
    ax.set_title(_("Formal supervision in the month, all staff"))
    alt = trend_alt(rows, target)
    table = html_table(
        rows,
        [
            Column("month", _("Month"), month_name),
            Column("due", _("Due"), count, True),
            Column("supervised", _("Supervised"), count, True),
            Column("compliance", _("Compliance"), pct, True),
        ],
        caption=_("Data for the chart: supervision compliance, all staff"),
        row_header="month",
    )
    return figure(fig, alt, _("Figure 1. Supervision compliance against the target."), table)


def trend_alt(rows: pd.DataFrame, target: float) -> str:
    """Text alternative for the trend: first and last month, the direction, the target."""
    rows = rows.dropna(subset=["compliance"])
    if rows.empty:
        return _("No staff were due supervision in the period.")
    first, last = rows.iloc[0], rows.iloc[-1]
    below = int((rows["compliance"] < target).sum())
    status = (
        _("below the {target} target in every month", target=pct(target, 0))
        if below == len(rows)
        else n_(
            "at or above the {target} target in {met} of {n} month",
            "at or above the {target} target in {met} of {n} months",
            len(rows),
            target=pct(target, 0),
            met=count(len(rows) - below),
        )
    )
    if len(rows) == 1:
        return _(
            "Line chart: {rate} of staff due were supervised in {month}, {status}.",
            rate=pct(last["compliance"]),
            month=month_name(last["month"]),
            status=status,
        )
    return _(
        "Line chart: compliance for all staff went from {first_rate} in {first} to {last_rate} in {last}, {status}.",
        first_rate=pct(first["compliance"]),
        first=month_name(first["month"]),
        last_rate=pct(last["compliance"]),
        last=month_name(last["month"]),
        status=status,
    )


def category_trend(monthly: pd.DataFrame, target: float) -> Fragment:
    """Compliance by category (qualified, NQSW, agency) and all, each labelled at its line end."""
    months = sorted(monthly["month"].astype(str).unique())
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    x = np.arange(len(months))
    ends = []
    for category in ("all", "qualified", "nqsw", "agency"):
        rows = monthly.loc[monthly["category"] == category]
        rows = rows.set_index(rows["month"].astype(str))
        values = rows["compliance"].reindex(months).astype(float).to_numpy()
        colour, marker, line = CATEGORY_STYLE[category]
        ax.plot(
            x,
            values,
            color=colour,
            marker=marker,
            linestyle=line,
            linewidth=2 if category == "all" else 1.6,
            markersize=6,
        )
        finite = np.flatnonzero(~np.isnan(values))
        if len(finite):
            ends.append((category, x[finite[-1]], values[finite[-1]], colour))
    target_line(
        ax,
        target,
        DARK_GREY,
        {"linestyle": (0, (1, 2)), "linewidth": 1.2},
        (-0.35, target + 0.01),
        va="bottom",
        fontsize=9,
        zorder=4,
    )
    if ends:
        positions = spread_labels([e[2] for e in ends], 0.045)
        for (category, xe, ye, colour), yl in zip(ends, positions):
            ax.annotate(
                _("{group} {rate}", group=category_short()[category], rate=pct(ye)),
                (xe, ye),
                xytext=(len(months) - 1 + 0.15, yl),
                textcoords="data",
                va="center",
                color=colour,
                fontweight="bold",
                fontsize=9,
                zorder=4,
                bbox=GROUND,
            )
    finite_all = monthly["compliance"].astype(float).dropna()
    low = np.floor(((finite_all.min() if len(finite_all) else target) - 0.1) * 10) / 10
    _percent_axis(ax, max(0.0, min(low, target - 0.1)), 1.02)
    _month_axis(ax, months)
    ax.set_xlim(-0.4, len(months) - 1 + 1.3)
    ax.set_ylabel(_("Staff supervised (% of those due)"))
    ax.set_title(_("Formal supervision by type of worker"))
    last = monthly.loc[monthly["month"].astype(str) == months[-1]] if months else monthly
    short = category_short()
    parts = [_("{group} {rate}", group=short[c], rate=pct(v)) for c, v in zip(last["category"], last["compliance"])]
    alt = (
        (
            _(
                "Line chart of compliance by type of worker from {first} to {last}; in {last}: {parts}.",
                first=month_name(months[0]),
                last=month_name(months[-1]),
                parts=", ".join(parts),
            )
        )
        if months
        else _("No data.")
    )
    return figure(fig, alt, _("Figure 3. Supervision compliance by type of worker."), category_table(monthly, months))


def category_table(monthly: pd.DataFrame, months: list[str]) -> str:
    """The category chart's data: a row per type of worker, a column per month."""
    frame = pd.DataFrame({"category": ["all", "qualified", "nqsw", "agency"]})
    columns = [Column("category", _("Type of worker"), lambda c: category_short().get(c, c))]
    for month in months:
        rows = monthly.loc[monthly["month"].astype(str) == month].set_index("category")["compliance"]
        frame[month] = frame["category"].map(rows)
        columns.append(Column(month, month_short(month), pct, True))
    return html_table(
        frame, columns, _("Data for the chart: compliance by type of worker and month"), row_header="category"
    )


def funnel_limits(p0: float, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Funnel limits around ``p0`` at coverage ``level``: ``analysis.core.stats.funnel_limits`` (exact
    binomial), or the normal approximation if that module is absent."""
    n = np.asarray(n, dtype=float)
    try:
        from analysis.core.stats import funnel_limits as exact
    except ImportError:
        from scipy.stats import norm

        z = norm.ppf(0.5 + level / 2)
        se = np.sqrt(p0 * (1 - p0) / np.maximum(n, 1))
        return np.clip(p0 - z * se, 0, 1), np.clip(p0 + z * se, 0, 1)
    lower, upper = exact(p0, n, level)
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


def funnel_plot(teams: pd.DataFrame, overall: float, month: Any) -> Fragment:
    """Each team's compliance against the number due, with 95% and 99.8% limits around the overall rate."""
    teams = teams.dropna(subset=["compliance"]).sort_values("due")
    fig, ax = plt.subplots(figsize=(7.2, 4.0))
    n_max = max(int(teams["due"].max()) if len(teams) else 10, 10)
    n = np.arange(2, int(n_max * 1.15) + 2, dtype=float)
    lo95, hi95 = funnel_limits(overall, n, 0.95)
    lo998, hi998 = funnel_limits(overall, n, 0.998)
    ax.plot(n, lo95, color=DARK_GREY, linestyle="--", linewidth=1.2)
    ax.plot(n, hi95, color=DARK_GREY, linestyle="--", linewidth=1.2)
    ax.plot(n, lo998, color=DARK_GREY, linestyle=":", linewidth=1.4)
    ax.plot(n, hi998, color=DARK_GREY, linestyle=":", linewidth=1.4)
    ax.plot([0, n[-1]], [overall, overall], color=DARK_BLUE, linewidth=1.4)
    overall_text = "  " + _("Overall {rate}", rate=pct(overall))
    ax.text(n[-1], overall, overall_text, color=DARK_BLUE, va="center", fontweight="bold", fontsize=9)
    ax.text(n[-1], lo95[-1], "  " + _("95% limit"), color=DARK_GREY, va="center", fontsize=9)
    ax.text(n[-1], lo998[-1], "  " + _("99.8% limit"), color=DARK_GREY, va="center", fontsize=9)
    outside = classify_teams(teams, overall)
    status = np.asarray(outside, dtype=object)
    # One collection per kind of point, not one per team: 1,400 teams draw as fast as 14.
    for kind, marker, colour in (("within", "o", DARK_BLUE), ("above", "^", TURQUOISE), ("below", "D", DARK_PINK)):
        these = status == kind
        if these.any():
            ax.scatter(
                teams["due"].to_numpy(float)[these],
                teams["compliance"].to_numpy(float)[these],
                marker=marker,
                s=46,
                color=colour,
                zorder=3,
                edgecolor="white",
                linewidth=0.6,
            )
    named = teams if len(teams) <= LABEL_ALL_TEAMS else teams.loc[[s != "within" for s in outside]]
    positions = spread_labels(named["compliance"].to_numpy(float), 0.045) if len(named) else np.array([])
    for (name, due, comp), ylab in zip(zip(named["team"], named["due"], named["compliance"]), positions):
        ax.annotate(
            str(name),
            (due, comp),
            xytext=(due + n_max * 0.04, ylab),
            textcoords="data",
            fontsize=8,
            va="center",
            color=DARK_GREY,
            zorder=4,
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
            arrowprops={"arrowstyle": "-", "color": "#b1b4b6", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 3},
        )
    low = np.nanmin(np.r_[teams["compliance"].to_numpy(float), overall]) - 0.25
    _percent_axis(ax, max(0.0, np.floor(low * 10) / 10), 1.03)
    ax.set_xlim(0, n[-1] * 1.22)
    ax.set_xlabel(_("Staff due supervision in the team"))
    ax.set_ylabel(_("Supervised (% of due)"))
    ax.set_title(_("Teams compared fairly, {month}", month=month_name(month)))
    ax.grid(axis="x", visible=False)
    alt = funnel_alt(teams, outside, overall, month)
    return figure(fig, alt, _("Figure 5. Funnel plot of team compliance."))


def classify_teams(teams: pd.DataFrame, overall: float) -> list[str]:
    """``below``/``above`` the 95% limits, or ``within``, for each team row (from the table's
    ``outside`` column when it has one)."""
    if "outside" in teams.columns:
        return [
            "below" if str(o).startswith("below") else "above" if str(o).startswith("above") else "within"
            for o in teams["outside"]
        ]
    lo, hi = funnel_limits(overall, teams["due"].to_numpy(float), 0.95)
    comp = teams["compliance"].to_numpy(float)
    return ["below" if c < lo_ else "above" if c > hi_ else "within" for c, lo_, hi_ in zip(comp, lo, hi)]


def funnel_alt(teams: pd.DataFrame, status: list[str], overall: float, month: Any) -> str:
    below = [t for t, s in zip(teams["team"], status) if s == "below"]
    above = [t for t, s in zip(teams["team"], status) if s == "above"]
    text = n_(
        "Funnel plot of {n} team in {month} around the overall rate of {rate}: ",
        "Funnel plot of {n} teams in {month} around the overall rate of {rate}: ",
        len(teams),
        month=month_name(month),
        rate=pct(overall),
    )
    if not below and not above:
        return text + _("every team is within the 95% limits, so no team stands out once its size is allowed for.")
    parts = []
    if below:
        parts.append(_("below the 95% limit: {teams}", teams=", ".join(map(str, below))))
    if above:
        parts.append(_("above the 95% limit: {teams}", teams=", ".join(map(str, above))))
    return text + "; ".join(parts) + "."


def exclusions_chart(reasons: pd.DataFrame, month: Any) -> Fragment:
    """Staff not due supervision in the month, by reason (horizontal bars, counts labelled)."""
    reasons = reasons.sort_values("staff")
    fig, ax = plt.subplots(figsize=(7.2, 0.5 + 0.45 * max(len(reasons), 1)))
    labels = [reason_labels().get(r, str(r)) for r in reasons["reason"]]
    ax.barh(labels, reasons["staff"], color=DARK_BLUE)
    for y, v in enumerate(reasons["staff"]):
        ax.text(v, y, f" {int(v)}", va="center", color=DARK_GREY, fontweight="bold")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(_("Staff not due supervision"))
    ax.set_title(_("Why staff were not due, {month}", month=month_name(month)))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlim(0, max(1, reasons["staff"].max() if len(reasons) else 1) * 1.15)
    total = int(reasons["staff"].sum())
    top = reasons.iloc[-1] if len(reasons) else None
    alt = n_(
        "Bar chart: {n} member of staff was not due supervision in {month}",
        "Bar chart: {n} members of staff were not due supervision in {month}",
        total,
        month=month_name(month),
    ) + (
        _(
            "; the most common reason was {reason} ({n}).",
            reason=reason_labels().get(top["reason"], top["reason"]).lower(),
            n=count(top["staff"]),
        )
        if top is not None
        else "."
    )
    return figure(fig, alt, _("Figure 4. Staff not due supervision, by reason."))
