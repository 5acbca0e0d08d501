"""The supervision headline, the council's comparative tables and the category sentence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.presentation import wording as words
from analysis.presentation.formats import _missing, count, esc, month_name, pct, percent_rounded
from analysis.presentation.html_kit import Column, Fragment, html_table, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.vocabulary.labels import category_labels


# --------------------------------------------------------------------------- supervision
def monthly(supervision_monthly: pd.DataFrame) -> pd.DataFrame:
    """``supervision_monthly`` with ``month`` as text, sorted, for display."""
    frame = supervision_monthly.copy()
    if frame.empty:
        return frame
    frame["month"] = frame["month"].astype(str)
    return frame.sort_values(["month", "category"]).reset_index(drop=True)


def month_row(frame: pd.DataFrame, month: Any, category: str = "all") -> pd.Series | None:
    rows = frame.loc[(frame["month"].astype(str) == str(month)) & (frame["category"] == category)]
    return rows.iloc[0] if len(rows) else None


def direction(now: Any, before: Any) -> str:
    """``up 1.4 percentage points``, ``down 0.3 percentage points`` or ``unchanged``."""
    if _missing(now) or _missing(before):
        return ""
    delta = percent_rounded(now) - percent_rounded(before)  # the change between the figures shown
    if delta == 0:
        return "unchanged"
    return f"{'up' if delta > 0 else 'down'} {abs(delta)} percentage points"


def compliance_sentence(frame: pd.DataFrame, month: Any, target: float) -> str:
    """The headline: the month's All compliance against the target and the direction of travel."""
    now = month_row(frame, month)
    if now is None or _missing(now["compliance"]):
        return f"No staff were due formal supervision in {month_name(month)}."
    status = "meeting" if float(now["compliance"]) >= target else "below"
    text = (
        f"In {month_name(month)}, {pct(now['compliance'])} of staff due formal supervision received it "
        f"({count(now['supervised'])} of {count(now['due'])}), {status} the {pct(target, 0)} target"
    )
    before = month_row(frame, pd.Period(str(month), "M") - 1)
    if before is not None and not _missing(before["compliance"]):
        text += (
            f"; {direction(now['compliance'], before['compliance'])} on "
            f"{month_name(before['month'])} ({pct(before['compliance'])})"
        )
    return text + "."


def window_sentence(frame: pd.DataFrame, window_start: Any, month: Any) -> str:
    """The range over the window, as the council put it ("ranged between 80% and 85%")."""
    rows = frame.loc[frame["category"] == "all"].dropna(subset=["compliance"])
    if len(rows) < 2:
        return ""
    lo, hi = rows["compliance"].min(), rows["compliance"].max()
    due = rows.sort_values("month")["due"].to_numpy()
    rising = (
        " The number of staff due rose every month as staff were appointed."
        if len(due) > 1 and bool(np.all(np.diff(due) > 0))
        else ""
    )
    return (
        f"From {month_name(window_start)} to {month_name(month)}, compliance ranged between "
        f"{pct(lo)} and {pct(hi)}.{rising}"
    )


def supervision_headline(supervision_monthly: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """The headline box and the key figures of the month, from ``supervision_monthly``."""
    frame = monthly(supervision_monthly)
    now = month_row(frame, inputs.month) if not frame.empty else None
    sentences = (
        [compliance_sentence(frame, inputs.month, inputs.target)]
        if not frame.empty
        else ["No supervision figures are available for this month."]
    )
    if not frame.empty:
        extra = window_sentence(frame, inputs.window_start, inputs.month)
        if extra:
            sentences.append(extra)
    box = '<div class="headline">' + "".join(f"<p>{esc(s)}</p>" for s in sentences) + "</div>"
    if now is None:
        return Fragment(box)
    status = "status-met" if not _missing(now["compliance"]) and now["compliance"] >= inputs.target else "status-below"
    figures = [
        (pct(now["compliance"]), f"supervised (target {pct(inputs.target, 0)})", status),
        (count(now["due"]), "staff due supervision", ""),
        (count(now["supervised"]), "supervised in the month", ""),
        (count(now["due"] - now["supervised"]), "not supervised", ""),
        (count(now["near_miss"]), f"near misses (supervised {words.grace(inputs.config)} after)", ""),
        (count(now["in_scope"] - now["due"]), f"not due ({words.not_due_rule(inputs.config)})", ""),
    ]
    items = "".join(
        f'<li><span class="figure {css}">{esc(v)}</span><span class="label">{esc(k)}</span></li>'
        for v, k, css in figures
    )
    return Fragment(
        box + f'<ul class="key-figures" aria-label="Key figures for {esc(month_name(inputs.month))}">{items}</ul>'
    )


MONTHLY_COLUMNS = [
    Column("month", "Month", month_name),
    Column("in_scope", "Staff in post", count, True),
    Column("not_due", "Not due", count, True),
    Column("due", "Due", count, True),
    Column("supervised", "Supervised", count, True),
    Column("not_supervised", "Not supervised", count, True),
    Column("compliance", "Compliance", pct, True),
    Column("near_miss", "Near misses", count, True),
]


def category_table(frame: pd.DataFrame, category: str) -> str:
    """One category's months as the council tabulates them."""
    rows = frame.loc[frame["category"] == category].copy()
    rows["not_due"] = rows["in_scope"] - rows["due"]
    rows["not_supervised"] = rows["due"] - rows["supervised"]
    label = category_labels()[category]
    caption = (
        ("All staff (qualified, newly qualified and agency social workers and managers): formal supervision by month")
        if category == "all"
        else f"{label}: formal supervision by month"
    )
    return html_table(rows, MONTHLY_COLUMNS, caption, row_header="month")


def comparative_tables(supervision_monthly: pd.DataFrame) -> Fragment:
    """The council's comparative tables from ``supervision_monthly``: All, then Qualified, NQSW and Agency."""
    frame = monthly(supervision_monthly)
    if frame.empty:
        return Fragment(paragraph("No supervision figures are available."))
    parts = [category_table(frame, "all"), "<h3>Breakdown: qualified, newly qualified and agency</h3>"]
    parts += [category_table(frame, c) for c in ("qualified", "nqsw", "agency")]
    return join(*parts)


def category_paragraph(supervision_monthly: pd.DataFrame, month: Any) -> Fragment:
    """``category_sentence`` of ``supervision_monthly`` as a paragraph."""
    return Fragment(paragraph(category_sentence(monthly(supervision_monthly), month)))


def category_sentence(frame: pd.DataFrame, month: Any) -> str:
    """Which groups had the highest and the lowest compliance this month; ties and lone groups said as such."""
    rows = frame.loc[(frame["month"] == str(month)) & (frame["category"] != "all")].dropna(subset=["compliance"])
    if rows.empty:
        return ""

    names = {"qualified": "qualified", "nqsw": "newly qualified", "agency": "agency"}

    def who(part: pd.DataFrame) -> str:
        return words.listed([names[c] for c in part["category"]]) + " staff"

    def figures(part: pd.DataFrame) -> str:
        counts = words.listed([f"{count(n)} of {count(d)}" for n, d in zip(part["supervised"], part["due"])])
        return f"{pct(part['compliance'].iloc[0])}, {counts}"

    # Equal fractions divide to the same float, so == finds ties exactly.
    high = rows.loc[rows["compliance"] == rows["compliance"].max()]
    low = rows.loc[rows["compliance"] == rows["compliance"].min()]
    none_due = [names[c] for c in names if c not in set(rows["category"])]
    unsaid = f"; no {words.listed(none_due, 'or')} staff were due" if none_due else ""
    if len(rows) == 1:
        return f"In {month_name(month)}, compliance for {who(rows)} was {figures(rows)}{unsaid}."
    if len(high) == len(rows):
        return f"In {month_name(month)}, compliance was the same for {who(rows)}: {figures(rows)}{unsaid}."
    return (
        f"In {month_name(month)}, compliance was highest for {who(high)} ({figures(high)}) and lowest for "
        f"{who(low)} ({figures(low)}){unsaid}."
    )


# --------------------------------------------------------------------------- regular supervision
REGULAR_COLUMNS = [
    Column("label", "Staff"),
    Column("due_three", "Due in all three months", count, True),
    Column("supervised_three", "Supervised in all three", count, True),
    Column("regular", "Regular supervision", pct, True),
]


def regular_sentence(regular_supervision: pd.DataFrame, month: Any, target: float) -> str:
    """The month's regular supervision for all staff against the target, from ``regular_supervision``."""
    rows = regular_supervision.loc[
        (regular_supervision["month"].astype(str) == str(month))
        & (regular_supervision["scope"] == "category")
        & (regular_supervision["group"] == "all")
    ]
    first = month_name(pd.Period(str(month), "M") - 2)
    if rows.empty or _missing(rows["regular"].iloc[0]):
        return f"No member of staff was due formal supervision in each month from {first} to {month_name(month)}."
    row = rows.iloc[0]
    status = "meeting" if float(row["regular"]) >= target else "below"
    return (
        f"Of the {count(row['due_three'])} staff due formal supervision in each month from {first} to "
        f"{month_name(month)}, {count(row['supervised_three'])} ({pct(row['regular'])}) were supervised in all "
        f"three months, {status} the {pct(target, 0)} target."
    )


def regular_section(regular_supervision: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """Regular supervision in the report month: the sentence, then each category, from ``regular_supervision``."""
    rows = regular_supervision.loc[
        (regular_supervision["month"].astype(str) == str(inputs.month)) & (regular_supervision["scope"] == "category")
    ]
    rows = rows.assign(label=rows["group"].map(category_labels()))
    caption = f"Regular supervision by type of worker, three months to {month_name(inputs.month)}"
    return join(
        paragraph(regular_sentence(regular_supervision, inputs.month, inputs.target)),
        html_table(rows, REGULAR_COLUMNS, caption, row_header="label"),
    )
