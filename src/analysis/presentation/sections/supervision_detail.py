"""Who was not due and the near misses, the agency data gap, teams and posts compared fairly."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.presentation import wording as words
from analysis.presentation.charts import supervision as supervision_charts
from analysis.presentation.formats import DASH, _missing, count, esc, month_name, pct
from analysis.presentation.html_kit import Column, Fragment, html_table, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.presentation.sections.generic_tables import humanise, rows_of_month
from analysis.presentation.sections.supervision import month_row, monthly
from analysis.vocabulary.current import _, n_
from analysis.vocabulary.labels import reason_labels, role_labels, role_plurals


# --------------------------------------------------------------------------- supervision detail
def exclusions_section(
    supervision_exclusions: pd.DataFrame, supervision_near_misses: pd.DataFrame, inputs: ReportInputs
) -> tuple[Fragment, pd.DataFrame]:
    """Who was not due, by reason, and the near misses; returns the reasons for the chart too."""
    table, near_table = supervision_exclusions, supervision_near_misses
    this_month = rows_of_month(near_table, inputs.month) if len(near_table) else near_table
    now = this_month.iloc[0] if len(this_month) else None
    parts: list[str] = []
    reasons = pd.DataFrame(columns=["reason", "staff"])
    if not table.empty:
        this = rows_of_month(table, inputs.month)
        if "category" in this.columns:
            this = this.loc[this["category"] == "all"]
        reasons = this.groupby("reason", as_index=False)["staff"].sum()
        reasons = reasons.loc[reasons["staff"] > 0]
    if now is not None:
        not_due = int(now["not_due"])
        parts.append(
            paragraph(
                n_(
                    "In {month}, {n} member of staff was in post in a supervision role; {not_due} of them were not "
                    "due supervision because they were unavailable for {days} or more, and are left out of the "
                    "figures.",
                    "In {month}, {n} members of staff were in post in a supervision role; {not_due} of them were "
                    "not due supervision because they were unavailable for {days} or more, and are left out of the "
                    "figures.",
                    int(now["in_scope"]),
                    month=month_name(inputs.month),
                    not_due=count(not_due),
                    days=words.working_days(inputs.config.absence_threshold_days),
                )
            )
        )
    if len(reasons):
        order = {r: n for n, r in enumerate(reason_labels())}
        reasons = reasons.assign(_o=reasons["reason"].map(order)).sort_values("_o").drop(columns="_o")
        parts.append(
            html_table(
                reasons,
                [
                    Column("reason", _("Reason"), lambda r: reason_labels().get(r, humanise(r))),
                    Column("staff", _("Staff not due"), count, True),
                ],
                _("Staff not due supervision in {month}, by reason", month=month_name(inputs.month)),
                row_header="reason",
            )
        )
    this = this_month
    if now is not None and len(this):
        row = this.iloc[0]
        missed, near = int(row["not_supervised"]), int(row["near_miss"])
        parts.append(f"<h3>{esc(_('Near misses'))}</h3>")
        said = n_(
            "Of the {n} member of staff due but not supervised in {month}, {near} had a formal supervision {grace} "
            "after the month ended: a session rescheduled by a few days that missed the cut-off for reporting.",
            "Of the {n} members of staff due but not supervised in {month}, {near} had a formal supervision {grace} "
            "after the month ended: a session rescheduled by a few days that missed the cut-off for reporting.",
            missed,
            month=month_name(inputs.month),
            near=count(near),
            grace=words.grace(inputs.config),
        )
        if row["due"]:
            said += " " + _(
                "Counting them, compliance would have been {rate}.", rate=pct(row["compliance_with_near_misses"])
            )
        parts.append(paragraph(said))
        parts.append(
            html_table(
                near_table,
                [
                    Column("month", _("Month"), month_name),
                    Column("not_supervised", _("Due, not supervised"), count, True),
                    Column("near_miss", _("Near misses"), count, True),
                    Column("compliance", _("Compliance"), pct, True),
                    Column("compliance_with_near_misses", _("Compliance counting near misses"), pct, True),
                ],
                _("Near misses by month, all staff"),
                row_header="month",
            )
        )
    return join(*parts), reasons


def data_gap_section(supervision_data_gap: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """The agency absence data gap and the compliance upper bound, month by month."""
    table = supervision_data_gap
    table = table.assign(month=table["month"].astype(str)).sort_values("month")
    now = table.loc[table["month"] == str(inputs.month)]
    text = _(
        "Annual leave and sickness are not recorded for agency staff, so an agency worker who was away may be "
        "counted as due."
    )
    if len(now):
        row = now.iloc[0]
        text += " " + n_(
            "In {month}, {n} of the {unsupervised} staff due and not supervised was an agency worker with no absence "
            "record at all. Had that worker in fact been {rule}, compliance would have been {upper} rather than "
            "{rate}: the true figure lies between the two.",
            "In {month}, {n} of the {unsupervised} staff due and not supervised were agency workers with no absence "
            "record at all. If every one of them had in fact been {rule}, compliance would have been {upper} rather "
            "than {rate}: the true figure lies between the two.",
            int(row["with_absence_gap"]),
            month=month_name(inputs.month),
            unsupervised=count(row["due_unsupervised"]),
            rule=words.not_due_rule(inputs.config),
            upper=pct(row["compliance_upper_bound"]),
            rate=pct(row["compliance"]),
        )
    return join(
        paragraph(text),
        html_table(
            table,
            [
                Column("month", _("Month"), month_name),
                Column("due_unsupervised", _("Due, not supervised"), count, True),
                Column("with_absence_gap", _("Of whom agency, no absence record"), count, True),
                Column("compliance", _("Compliance"), pct, True),
                Column("compliance_upper_bound", _("Upper bound"), pct, True),
            ],
            _("Agency absence data gap by month, all staff"),
            row_header="month",
        ),
    )


def overall_compliance(supervision_monthly: pd.DataFrame, month: Any) -> float | None:
    """The month's All compliance (None when nobody was due)."""
    frame = monthly(supervision_monthly)
    row = month_row(frame, month) if not frame.empty else None
    return None if row is None or _missing(row["compliance"]) else float(row["compliance"])


def teams_frame(supervision_teams: pd.DataFrame, month: Any) -> pd.DataFrame:
    """The month's teams: ``team, due, supervised, compliance`` plus any interval columns."""
    teams = rows_of_month(supervision_teams, month)
    teams = teams.copy()
    if "compliance" not in teams.columns:
        teams["compliance"] = teams["supervised"] / teams["due"].where(teams["due"] > 0)
    return teams.sort_values("team").reset_index(drop=True)


def comparison_table(frame: pd.DataFrame, key: str, label: str, caption: str) -> str:
    """Groups compared fairly: due, supervised, compliance, the funnel's 95% limits for that many due
    and where the compliance falls against them. The limits shown are the ones the verdict uses (the
    Wilson interval, a different test, stays in the CSV and is not set beside the verdict)."""
    low, high = "lower_95", "upper_95"
    columns = [
        Column(key, label, lambda v: role_labels().get(v, str(v))),
        Column("due", _("Due"), count, True),
        Column("supervised", _("Supervised"), count, True),
        Column("compliance", _("Compliance"), pct, True),
    ]
    frame = frame.assign(
        _limits=[
            _("{low} to {high}", low=pct(a), high=pct(b)) if not _missing(a) else DASH
            for a, b in zip(frame[low], frame[high])
        ]
    )
    columns.append(Column("_limits", _("Funnel 95% limits for this many due"), str, True))
    if "outside" in frame.columns:
        words = {
            "within": _("Within limits"),
            "below_95": _("Below 95% limit"),
            "below_99.8": _("Below 99.8% limit"),
            "above_95": _("Above 95% limit"),
            "above_99.8": _("Above 99.8% limit"),
        }
        frame = frame.assign(_where=frame["outside"].map(lambda o: words.get(o, DASH) if isinstance(o, str) else DASH))
        columns.append(Column("_where", _("Against the funnel limits")))
    return html_table(frame, columns, caption, row_header=key)


def teams_table(supervision_teams: pd.DataFrame, month: Any) -> str:
    return comparison_table(
        teams_frame(supervision_teams, month),
        "team",
        _("Team"),
        _("Supervision by team, {month}", month=month_name(month)),
    )


def teams_sentence(teams: pd.DataFrame, status: list[str]) -> str:
    """What the funnel plot shows, in words; ``status`` per row of ``teams`` (charts.classify_teams)."""
    below = [t for t, s in zip(teams["team"], status) if s == "below"]
    if not below:
        return _(
            "Allowing for team size, no team's compliance is lower than chance variation around the service rate "
            "would explain: no particular team stands out as not receiving supervision."
        )
    return n_(
        "Allowing for team size, {teams} is below the 95% limit: lower than chance alone would explain.",
        "Allowing for team size, {teams} are below the 95% limit: lower than chance alone would explain.",
        len(below),
        teams=", ".join(map(str, below)),
    )


def posts_section(supervision_posts: pd.DataFrame, month: Any) -> Fragment:
    """Supervision by type of post (role), compared fairly like the teams."""
    posts = rows_of_month(supervision_posts, month)
    posts = posts.assign(_o=posts["role"].map({r: n for n, r in enumerate(role_labels())})).sort_values("_o")
    status = ["below" if str(o).startswith("below") else "" for o in posts.get("outside", [""] * len(posts))]
    below = [role_plurals().get(r, r).lower() for r, s_ in zip(posts["role"], status) if s_]
    sentence = (
        _("No type of post is below the 95% limit: no type of post holder stands out as not receiving supervision.")
        if not below
        else _("Below the 95% limit: {posts}.", posts=", ".join(below))
    )
    return join(
        paragraph(sentence),
        comparison_table(posts, "role", _("Post"), _("Supervision by type of post, {month}", month=month_name(month))),
    )


def teams_section(supervision_teams: pd.DataFrame, supervision_monthly: pd.DataFrame, month: Any) -> Fragment:
    """The teams section: what the funnel shows, the chart, and the team table with intervals."""
    teams = teams_frame(supervision_teams, month)
    overall = overall_compliance(supervision_monthly, month)
    if teams.empty or overall is None:
        return Fragment(paragraph(_("No team breakdown is available for this month.")))
    ordered = teams.dropna(subset=["compliance"]).sort_values("due")
    sentence = teams_sentence(ordered, supervision_charts.classify_teams(ordered, overall))
    return join(
        paragraph(sentence),
        supervision_charts.funnel_plot(teams, overall, month),
        teams_table(supervision_teams, month),
    )


def not_due_section(
    supervision_exclusions: pd.DataFrame, supervision_near_misses: pd.DataFrame, inputs: ReportInputs
) -> Fragment:
    """Staff not due by reason (text and table), the chart, then the near misses."""
    fragment, reasons = exclusions_section(supervision_exclusions, supervision_near_misses, inputs)
    if reasons.empty:
        return fragment
    return join(supervision_charts.exclusions_chart(reasons, inputs.month), fragment)
