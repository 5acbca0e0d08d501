"""What to watch next month, and the newly qualified supervision standard."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.presentation import wording as words
from analysis.presentation.formats import (
    DASH,
    _missing,
    count,
    month_name,
    month_short,
    pct,
)
from analysis.presentation.html_kit import Column, Fragment, bullets, html_table, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.presentation.sections.generic_tables import humanise
from analysis.supervision.nqsw_standard import FORTNIGHTLY_MONTHS, WEEKLY_DAYS
from analysis.vocabulary.current import _, n_
from analysis.vocabulary.labels import reason_labels, role_labels


def watch_frame(watch_next_month: pd.DataFrame, inputs: ReportInputs) -> pd.DataFrame:
    return watch_next_month


def _flag(watch: pd.DataFrame, column: str) -> pd.Series:
    if column not in watch.columns:
        return pd.Series(False, index=watch.index)
    values = watch[column]
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.fillna(0).astype(bool)
    return values.notna() & (values.astype(str) != "")


def watch_section(watch_next_month_teams: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """Next month: who is already behind, and absences known to be coming (counts only)."""
    nxt = month_name(inputs.month + 1)
    if len(watch_next_month_teams) < 2:
        return Fragment(paragraph(_("Nobody is flagged to watch in {month}.", month=nxt)))
    summary = watch_next_month_teams.iloc[:-1]
    total = watch_next_month_teams.iloc[-1]
    this = month_name(inputs.month)
    items = [
        n_(
            "{n} member of staff missed supervision in {month} and will be due again in {next}.",
            "{n} members of staff missed supervision in {month} and will be due again in {next}.",
            int(total["missed"]),
            month=this,
            next=nxt,
        ),
        n_(
            "{n} member of staff had no formal supervision in {month} or before it for over a month.",
            "{n} members of staff had no formal supervision in {month} or before it for over a month.",
            int(total["overdue"]),
            month=this,
        ),
        n_(
            "{n} member of staff has an absence already booked to start in {next}: supervision may need to be "
            "brought forward.",
            "{n} members of staff have an absence already booked to start in {next}: supervision may need to be "
            "brought forward.",
            int(total["absence"]),
            next=nxt,
        ),
    ]
    table = html_table(
        summary,
        [
            Column("team", _("Team")),
            Column("on_list", _("On the watch list"), count, True),
            Column("missed", _("Missed in {month}", month=month_short(inputs.month)), count, True),
            Column("overdue", _("Over a month since supervision"), count, True),
            Column("absence", _("Absence starting in {month}", month=month_short(inputs.month + 1)), count, True),
        ],
        _("To watch in {month}, by team (names are in the team detail report)", month=nxt),
        row_header="team",
    )
    return join(
        paragraph(
            n_(
                "{n} member of staff is on the watch list for {month}:",
                "{n} members of staff are on the watch list for {month}:",
                int(total["on_list"]),
                month=nxt,
            )
        ),
        bullets(items),
        table,
    )


def date_short(value: Any) -> str:
    """A date as ``2 Jan 2020``."""
    if _missing(value):
        return DASH
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {month_short(stamp.to_period('M'))}"


def watch_detail_table(watch_next_month: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """Next month's watch list, person by person (team detail only)."""
    return watch_rows_table(watch_rows(watch_next_month, inputs), inputs)


def watch_rows(watch_next_month: pd.DataFrame, inputs: ReportInputs) -> pd.DataFrame:
    """The watch list as it is shown: staff_id, team, role, why, last supervision, absence booked
    (worked out once for every team, then split by team for the team pages)."""
    watch = watch_frame(watch_next_month, inputs)
    if watch.empty:
        return pd.DataFrame(columns=["staff_id", "team", "role", "why", "last", "absence"])
    reasons = pd.Series("", index=watch.index)
    if "missed_this_month" in watch:
        reasons = reasons.where(
            ~_flag(watch, "missed_this_month"), _("missed in {month}", month=month_short(inputs.month))
        )
    if "supervision_overdue" in watch:
        overdue = _flag(watch, "supervision_overdue")
        reasons = reasons.where(
            ~overdue,
            reasons.str.cat(pd.Series(_("over a month since supervision"), index=watch.index), sep="; ").str.strip(
                "; "
            ),
        )
    absence = pd.Series("", index=watch.index)
    booked = _flag(watch, "absence_type")
    start, end = watch["absence_start"].map(date_short), watch["absence_end"].map(date_short)
    text = (
        watch["absence_type"].map(lambda a: reason_labels().get(a, humanise(a)) if isinstance(a, str) else "")
        + " "
        + start.where(start == end, start + " " + _("to") + " " + end)
    )
    if "absence_working_days_next_month" in watch:
        days = watch["absence_working_days_next_month"]
        text += days.map(
            lambda d: (
                " " + n_("({n} working day next month)", "({n} working days next month)", int(d))
                if not _missing(d)
                else " (" + DASH + ")"
            )
        )
    absence = absence.where(~booked, text)
    return pd.DataFrame(
        {
            "staff_id": watch["staff_id"],
            "team": watch["team"],
            "role": watch.get("role", pd.Series("", index=watch.index)),
            "why": reasons.str[:1].str.upper() + reasons.str[1:],
            "last": watch.get("last_formal_supervision", pd.Series(pd.NaT, index=watch.index)),
            "absence": absence,
        }
    )


def watch_rows_table(frame: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """``watch_rows`` (of every team, or one) as the accessible table."""
    if frame.empty:
        return Fragment(paragraph(_("Nobody is on next month's watch list.")))
    return Fragment(
        html_table(
            frame,
            [
                Column("staff_id", _("Staff ID")),
                Column("team", _("Team")),
                Column("role", _("Role"), lambda r: role_labels().get(r, humanise(r))),
                Column("why", _("Behind on supervision")),
                Column("last", _("Last formal supervision"), date_short),
                Column("absence", _("Absence booked")),
            ],
            _("Staff to watch in {month}", month=month_name(inputs.month + 1)),
            row_header="staff_id",
        )
    )


def nqsw_standard_section(nqsw_supervision: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """The newly qualified supervision standard (weekly, fortnightly, then monthly), by month."""
    table = nqsw_supervision
    table = table.assign(month=table["month"].astype(str)).sort_values("month")
    now = table.loc[table["month"] == str(inputs.month)]
    text = _(
        "Newly qualified social workers should be supervised weekly for their first {weeks} weeks, then "
        "fortnightly to {months} months, then monthly.",
        weeks=words.number(WEEKLY_DAYS // 7),
        months=words.number(FORTNIGHTLY_MONTHS),
    )
    if len(now) and now.iloc[0]["nqsw_due"] > 0:
        row = now.iloc[0]
        text += " " + n_(
            "In {month}, {met} of the {n} NQSW due supervision had as many formal supervisions as the standard "
            "expects ({rate}).",
            "In {month}, {met} of the {n} NQSWs due supervision had as many formal supervisions as the standard "
            "expects ({rate}).",
            int(row["nqsw_due"]),
            month=month_name(inputs.month),
            met=count(row["met_standard"]),
            rate=pct(row["proportion_met"]),
        )
    return join(
        paragraph(text),
        html_table(
            table,
            [
                Column("month", _("Month"), month_name),
                Column("nqsw_due", _("NQSWs due"), count, True),
                Column("met_standard", _("Met the standard"), count, True),
                Column("proportion_met", _("Proportion"), pct, True),
            ],
            _("Newly qualified social workers meeting the supervision standard"),
            row_header="month",
        ),
    )
