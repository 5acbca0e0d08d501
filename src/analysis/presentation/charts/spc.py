"""Making Data Count charts: the XmR chart of a measure and the variation and assurance icons.

Drawn here, in the Analysis Function palette; special-cause points differ by shape as well as
colour (improvement a triangle, concern a square, neutral a diamond), every line is labelled
where it ends, and each chart has its text alternative and its data in a table.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.measures import MEASURES
from analysis.presentation.charts.base import (
    DARK_BLUE,
    DARK_GREY,
    DARK_PINK,
    LIGHT_PURPLE,
    ORANGE,
    figure,
    month_ticks,
    spread_labels,
)
from analysis.presentation.formats import caseload, esc, month_name, month_short, pct
from analysis.presentation.html_kit import Column, Fragment, folded, html_table, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.trends.spc import phase_starts
from analysis.vocabulary.current import _, n_
from analysis.vocabulary.labels import measure_label

STYLE = {  # point type: colour, marker
    "common_cause": (DARK_GREY, "o"),
    "special_cause_improvement": (DARK_BLUE, "^"),
    "special_cause_concern": (ORANGE, "s"),
    "special_cause_neutral_high": (LIGHT_PURPLE, "D"),
    "special_cause_neutral_low": (LIGHT_PURPLE, "D"),
}


def point_words() -> dict[str, str]:
    """What each point type is, in words: ``special cause: improvement``."""
    return {
        "common_cause": _("common cause"),
        "special_cause_improvement": _("special cause: improvement"),
        "special_cause_concern": _("special cause: concern"),
        "special_cause_neutral_high": _("special cause: neutral, high"),
        "special_cause_neutral_low": _("special cause: neutral, low"),
    }


def point_kind(point_type: str) -> str:
    """A special cause's kind alone: ``improvement``; ``neutral, high``."""
    return {
        "special_cause_improvement": _("improvement"),
        "special_cause_concern": _("concern"),
        "special_cause_neutral_high": _("neutral, high"),
        "special_cause_neutral_low": _("neutral, low"),
    }.get(point_type, point_words()[point_type])


def value_text(measure: str, value: float) -> str:
    return pct(value) if MEASURES[measure].is_rate else caseload(value)


def xmr_chart(spc: pd.DataFrame, inputs: ReportInputs, measure: str, number: int) -> Fragment:
    """The XmR chart of ``measure`` from the month's ``spc`` table."""
    spc = spc
    rows = spc.loc[spc["measure"] == measure] if len(spc) else spc
    target = MEASURES[measure].target(inputs.config)
    return xmr_figure(
        rows,
        measure,
        target,
        inputs.config.spc_rebase_months,
        _("Figure {number}. {measure}: XmR chart (Making Data Count).", number=number, measure=measure_label(measure)),
    )


def xmr_figure(
    rows: pd.DataFrame, measure: str, target: float | None, rebase: list[str], caption: str, title: str | None = None
) -> Fragment:
    """An XmR chart from ``spc``-shaped rows: values, mean, limits, target, phase breaks, special causes."""
    if rows.empty:
        return Fragment(paragraph(_("No {measure} figures to chart.", measure=measure_label(measure).lower())))
    months = rows["month"].astype(str).tolist()
    x = np.arange(len(months))
    y = rows["value"].to_numpy(float)
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    ax.plot(x, y, color="#b1b4b6", linewidth=1.4, zorder=1)
    said = point_words()
    for point_type, (colour, marker) in STYLE.items():
        hit = (rows["point_type"] == point_type).to_numpy()
        if hit.any():
            size = 28 if point_type == "common_cause" else 60
            label = said[point_type][:1].upper() + said[point_type][1:]
            ax.scatter(x[hit], y[hit], color=colour, marker=marker, s=size, zorder=3, label=label)
    starts = phase_starts(months, rebase)
    for a, b in zip(starts, starts[1:] + [len(months)]):
        part = rows.iloc[a:b]
        for column, style in (("mean", "-"), ("lower_limit", "--"), ("upper_limit", "--")):
            ax.plot(x[a:b], part[column].to_numpy(float), color=DARK_GREY, linestyle=style, linewidth=1.1, zorder=2)
        if a > 0:
            ax.axvline(a - 0.5, color=DARK_GREY, linestyle=":", linewidth=1)
    last = rows.iloc[-1]
    end = len(months) - 1 + 0.3
    labels = [
        (_("Mean"), last["mean"], DARK_GREY),
        (_("Upper limit"), last["upper_limit"], DARK_GREY),
        (_("Lower limit"), last["lower_limit"], DARK_GREY),
    ]
    if target is not None:
        ax.axhline(target, color=DARK_PINK, linestyle="-.", linewidth=1.4, zorder=1)
        labels.append((_("Target {target}", target=pct(target, 0)), target, DARK_PINK))
    shown = [(text, level, colour) for text, level, colour in labels if np.isfinite(level)]
    low, high = ax.get_ylim()
    placed = spread_labels([level for _text, level, _colour in shown], (high - low) * 0.075) if shown else np.array([])
    for (text, _level, colour), at in zip(shown, placed):
        # On a white ground: the target's own line runs under its label.
        ax.text(
            end,
            at,
            text,
            va="center",
            fontsize=8,
            color=colour,
            fontweight="bold",
            zorder=4,
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
    for a in starts[1:]:
        ax.text(a - 0.4, ax.get_ylim()[1], " " + _("New phase"), va="top", fontsize=8, color=DARK_GREY)
    if MEASURES[measure].is_rate:
        ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    month_ticks(ax, months)
    ax.set_xlim(-0.5, len(months) + 2.5)
    ax.set_title(title or _("{measure}: is it improving?", measure=measure_label(measure)))
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.22), fontsize=8, frameon=False, ncol=4)
    fig.tight_layout()
    data = (
        folded(xmr_table(rows, measure), n_("The chart's data: {n} month", "The chart's data: {n} months", len(rows)))
        if len(rows) > 12
        else None
    )
    return figure(fig, xmr_alt(rows, measure, target), caption, data or xmr_table(rows, measure))


def xmr_alt(rows: pd.DataFrame, measure: str, target: float | None) -> str:
    """The chart in words: the span, the last phase's mean and limits, the special-cause points."""
    last = rows.iloc[-1]
    special = rows.loc[rows["point_type"] != "common_cause"]
    said = _(
        "XmR chart of {measure}, {first} to {last}: mean {mean}",
        measure=measure_label(measure).lower(),
        first=month_name(rows["month"].iloc[0]),
        last=month_name(last["month"]),
        mean=value_text(measure, last["mean"]),
    )
    if np.isfinite(last["lower_limit"]):
        said += _(
            ", process limits {low} to {high}",
            low=value_text(measure, last["lower_limit"]),
            high=value_text(measure, last["upper_limit"]),
        )
    said += "; " + n_("{n} special cause point", "{n} special cause points", len(special))
    if len(special):
        said += " (" + ", ".join(
            _("{month} {kind}", month=month_short(m), kind=point_kind(t))
            for m, t in zip(special["month"].tail(6), special["point_type"].tail(6))
        )
        said += _(", the latest shown)") if len(special) > 6 else ")"
    said += ". " + _(
        "{month}: {value}, {kind}.",
        month=month_name(last["month"]),
        value=value_text(measure, last["value"]),
        kind=point_words()[last["point_type"]],
    )
    if target is not None:
        said += " " + _("Target {target}.", target=pct(target, 0))
    return said


def xmr_table(rows: pd.DataFrame, measure: str) -> str:
    fmt = lambda v: value_text(measure, v)  # noqa: E731 - one format for four columns
    return html_table(
        rows,
        [
            Column("month", _("Month"), month_name),
            Column("value", _("Value"), fmt, True),
            Column("mean", _("Mean"), fmt, True),
            Column("lower_limit", _("Lower limit"), fmt, True),
            Column("upper_limit", _("Upper limit"), fmt, True),
            Column("point_type", _("Variation"), lambda t: point_words()[t][:1].upper() + point_words()[t][1:]),
        ],
        caption=_("Data for the chart: {measure}", measure=measure_label(measure).lower()),
        row_header="month",
    )


ICON_COLOURS = {
    "improvement": DARK_BLUE,
    "concern": ORANGE,
    "neutral": LIGHT_PURPLE,
    "common": DARK_GREY,
    "pass": DARK_BLUE,
    "fail": ORANGE,
    "hit_and_miss": DARK_GREY,
}


def variation_icon(kind: str | None, label: str) -> str:
    """A small SVG: a ring in the variation's colour with H, L or a wave, and ``label`` as its name."""
    if not kind:
        return ""
    family = kind.split("_")[0]
    letter = {"high": "H", "low": "L"}.get(kind.rsplit("_", 1)[-1], "~")
    return _icon(ICON_COLOURS[family], letter, label)


def assurance_icon(kind: str | None, label: str) -> str:
    """A small SVG: P (pass), F (fail) or ? (hit and miss) in a ring, ``label`` as its name."""
    if not kind:
        return ""
    return _icon(ICON_COLOURS[kind], {"pass": "P", "fail": "F", "hit_and_miss": "?"}[kind], label)


def _icon(colour: str, letter: str, label: str) -> str:
    return (
        f'<svg class="mdc-icon" width="28" height="28" viewBox="0 0 28 28" role="img" '
        f'aria-label="{esc(label)}"><title>{esc(label)}</title>'
        f'<circle cx="14" cy="14" r="12" fill="white" stroke="{colour}" stroke-width="3"/>'
        f'<text x="14" y="19" text-anchor="middle" font-size="14" font-weight="bold" '
        f'font-family="Arial, sans-serif" fill="{colour}">{esc(letter)}</text></svg>'
    )
