"""The supervision headline, the council's comparative tables and the category sentence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.presentation import wording as words
from analysis.presentation.formats import _missing, count, esc, month_name, pct, percent_rounded
from analysis.presentation.html_kit import Column, Fragment, html_table, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.vocabulary.current import _, current, n_
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
        return _("unchanged")
    size = current().number(abs(delta))
    return _("up {size} percentage points", size=size) if delta > 0 else _("down {size} percentage points", size=size)


def compliance_sentence(frame: pd.DataFrame, month: Any, target: float) -> str:
    """The headline: the month's All compliance against the target and the direction of travel."""
    now = month_row(frame, month)
    if now is None or _missing(now["compliance"]):
        return _("No staff were due formal supervision in {month}.", month=month_name(month))
    values = {
        "month": month_name(month),
        "rate": pct(now["compliance"]),
        "supervised": count(now["supervised"]),
        "due": count(now["due"]),
        "target": pct(target, 0),
    }
    before = month_row(frame, pd.Period(str(month), "M") - 1)
    met = float(now["compliance"]) >= target
    if before is None or _missing(before["compliance"]):
        return (
            _(
                "In {month}, {rate} of staff due formal supervision received "
                "it ({supervised} of {due}), meeting the {target} target.",
                **values,
            )
            if met
            else _(
                "In {month}, {rate} of staff due formal supervision received "
                "it ({supervised} of {due}), below the {target} target.",
                **values,
            )
        )
    values |= {
        "direction": direction(now["compliance"], before["compliance"]),
        "before": month_name(before["month"]),
        "before_rate": pct(before["compliance"]),
    }
    return (
        _(
            "In {month}, {rate} of staff due formal supervision received it ({supervised} of "
            "{due}), meeting the {target} target; {direction} on {before} ({before_rate}).",
            **values,
        )
        if met
        else _(
            "In {month}, {rate} of staff due formal supervision received it ({supervised} of "
            "{due}), below the {target} target; {direction} on {before} ({before_rate}).",
            **values,
        )
    )


def window_sentence(frame: pd.DataFrame, window_start: Any, month: Any) -> str:
    """The range over the window, as the council put it ("ranged between 80% and 85%")."""
    rows = frame.loc[frame["category"] == "all"].dropna(subset=["compliance"])
    if len(rows) < 2:
        return ""
    lo, hi = rows["compliance"].min(), rows["compliance"].max()
    due = rows.sort_values("month")["due"].to_numpy()
    said = _(
        "From {first} to {last}, compliance ranged between {low} and {high}.",
        first=month_name(window_start),
        last=month_name(month),
        low=pct(lo),
        high=pct(hi),
    )
    if len(due) > 1 and bool(np.all(np.diff(due) > 0)):
        said += " " + _("The number of staff due rose every month as staff were appointed.")
    return said


def supervision_headline(supervision_monthly: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """The headline box and the key figures of the month, from ``supervision_monthly``."""
    frame = monthly(supervision_monthly)
    now = month_row(frame, inputs.month) if not frame.empty else None
    sentences = (
        [compliance_sentence(frame, inputs.month, inputs.target)]
        if not frame.empty
        else [_("No supervision figures are available for this month.")]
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
        (pct(now["compliance"]), _("supervised (target {target})", target=pct(inputs.target, 0)), status),
        (count(now["due"]), _("staff due supervision"), ""),
        (count(now["supervised"]), _("supervised in the month"), ""),
        (count(now["due"] - now["supervised"]), _("not supervised"), ""),
        (count(now["near_miss"]), _("near misses (supervised {grace} after)", grace=words.grace(inputs.config)), ""),
        (count(now["in_scope"] - now["due"]), _("not due ({rule})", rule=words.not_due_rule(inputs.config)), ""),
    ]
    items = "".join(
        f'<li><span class="figure {css}">{esc(v)}</span><span class="label">{esc(k)}</span></li>'
        for v, k, css in figures
    )
    label = _("Key figures for {month}", month=month_name(inputs.month))
    return Fragment(box + f'<ul class="key-figures" aria-label="{esc(label)}">{items}</ul>')


def monthly_columns() -> list[Column]:
    return [
        Column("month", _("Month"), month_name),
        Column("in_scope", _("Staff in post"), count, True),
        Column("not_due", _("Not due"), count, True),
        Column("due", _("Due"), count, True),
        Column("supervised", _("Supervised"), count, True),
        Column("not_supervised", _("Not supervised"), count, True),
        Column("compliance", _("Compliance"), pct, True),
        Column("near_miss", _("Near misses"), count, True),
    ]


def category_table(frame: pd.DataFrame, category: str) -> str:
    """One category's months as the council tabulates them."""
    rows = frame.loc[frame["category"] == category].copy()
    rows["not_due"] = rows["in_scope"] - rows["due"]
    rows["not_supervised"] = rows["due"] - rows["supervised"]
    label = category_labels()[category]
    caption = (
        _("All staff (qualified, newly qualified and agency social workers and managers): formal supervision by month")
        if category == "all"
        else _("{group}: formal supervision by month", group=label)
    )
    return html_table(rows, monthly_columns(), caption, row_header="month")


def comparative_tables(supervision_monthly: pd.DataFrame) -> Fragment:
    """The council's comparative tables from ``supervision_monthly``: All, then Qualified, NQSW and Agency."""
    frame = monthly(supervision_monthly)
    if frame.empty:
        return Fragment(paragraph(_("No supervision figures are available.")))
    heading = _("Breakdown: qualified, newly qualified and agency")
    parts = [category_table(frame, "all"), f"<h3>{esc(heading)}</h3>"]
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

    names = {"qualified": _("qualified"), "nqsw": _("newly qualified"), "agency": _("agency")}

    def who(part: pd.DataFrame) -> str:
        return _("{groups} staff", groups=words.listed([names[c] for c in part["category"]]))

    def figures(part: pd.DataFrame) -> str:
        counts = words.listed(
            [_("{n} of {d}", n=count(n), d=count(d)) for n, d in zip(part["supervised"], part["due"])]
        )
        return _("{rate}, {counts}", rate=pct(part["compliance"].iloc[0]), counts=counts)

    # Equal fractions divide to the same float, so == finds ties exactly.
    high = rows.loc[rows["compliance"] == rows["compliance"].max()]
    low = rows.loc[rows["compliance"] == rows["compliance"].min()]
    none_due = [names[c] for c in names if c not in set(rows["category"])]
    unsaid = _("; no {groups} staff were due", groups=words.listed(none_due, "or")) if none_due else ""
    when = month_name(month)
    if len(rows) == 1:
        said = _("In {month}, compliance for {who} was {figures}", month=when, who=who(rows), figures=figures(rows))
    elif len(high) == len(rows):
        said = _(
            "In {month}, compliance was the same for {who}: {figures}", month=when, who=who(rows), figures=figures(rows)
        )
    else:
        said = _(
            "In {month}, compliance was highest for {high} ({high_figures}) and lowest for {low} ({low_figures})",
            month=when,
            high=who(high),
            high_figures=figures(high),
            low=who(low),
            low_figures=figures(low),
        )
    return said + unsaid + "."


# --------------------------------------------------------------------------- regular supervision
def regular_columns() -> list[Column]:
    return [
        Column("label", _("Staff")),
        Column("due_three", _("Due in all three months"), count, True),
        Column("supervised_three", _("Supervised in all three"), count, True),
        Column("regular", _("Regular supervision"), pct, True),
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
        return _(
            "No member of staff was due formal supervision in each month from {first} to {last}.",
            first=first,
            last=month_name(month),
        )
    row = rows.iloc[0]
    values = {
        "first": first,
        "last": month_name(month),
        "supervised": count(row["supervised_three"]),
        "rate": pct(row["regular"]),
        "target": pct(target, 0),
    }
    if float(row["regular"]) >= target:
        return n_(
            "Of the {n} member of staff due formal supervision in each month from {first} to {last}, {supervised} "
            "({rate}) was supervised in all three months, meeting the {target} target.",
            "Of the {n} staff due formal supervision in each month from {first} to {last}, {supervised} ({rate}) "
            "were supervised in all three months, meeting the {target} target.",
            int(row["due_three"]),
            **values,
        )
    return n_(
        "Of the {n} member of staff due formal supervision in each month from {first} to {last}, {supervised} "
        "({rate}) was supervised in all three months, below the {target} target.",
        "Of the {n} staff due formal supervision in each month from {first} to {last}, {supervised} ({rate}) "
        "were supervised in all three months, below the {target} target.",
        int(row["due_three"]),
        **values,
    )


def regular_section(regular_supervision: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """Regular supervision in the report month: the sentence, then each category, from ``regular_supervision``."""
    rows = regular_supervision.loc[
        (regular_supervision["month"].astype(str) == str(inputs.month)) & (regular_supervision["scope"] == "category")
    ]
    rows = rows.assign(label=rows["group"].map(category_labels()))
    caption = _("Regular supervision by type of worker, three months to {month}", month=month_name(inputs.month))
    return join(
        paragraph(regular_sentence(regular_supervision, inputs.month, inputs.target)),
        html_table(rows, regular_columns(), caption, row_header="label"),
    )
