"""Paragraphs of the notebooks that state a setting, and the caveats, reading the settings."""

from __future__ import annotations

import pandas as pd

from analysis.presentation import wording as words
from analysis.presentation.formats import esc
from analysis.presentation.html_kit import Fragment, bullets, paragraph
from analysis.presentation.report_inputs import ReportInputs


# --------------------------------------------------------------------------- notebook prose
# Paragraphs of the notebooks that state a setting: here, so that they read it.
def not_due_intro(inputs: ReportInputs) -> Fragment:
    """Who is not due, in the words of the council's report, with this run's threshold."""
    rule = words.working_days(inputs.config.absence_threshold_days)
    return Fragment(
        paragraph(
            f"Supervision is not due when a member of staff is unavailable for {rule} or more in the month "
            "(annual leave, sickness, maternity leave, or starting or leaving part-way through). They are not "
            f"included in the figures. Staff unavailable for fewer than {inputs.config.absence_threshold_days} working "
            "days are included."
        )
    )


def caseload_intro(inputs: ReportInputs) -> Fragment:
    """What the caseload comparison compares: the snapshot date and its name, from the settings."""
    month, day = inputs.config.snapshot_month_day
    stamp = pd.Timestamp(2019 if (month, day) != (2, 29) else 2020, month, day)
    census = " (the national workforce census date)" if (month, day) == (9, 30) else ""
    return Fragment(
        paragraph(
            f"The average caseload is compared on {stamp.day} {stamp:%B}{census}, called "
            f"\u201c{words.season(stamp)}\u201d here, this year against last year."
        )
    )


def snapshot_heading(inputs: ReportInputs) -> Fragment:
    month, day = inputs.config.snapshot_month_day
    season = words.season(pd.Timestamp(2020, month, day))
    return Fragment(f"<h2>{esc(season)} against {esc(season)}</h2>")


def nqsw_intro(inputs: ReportInputs) -> Fragment:
    months = inputs.config.nqsw_months
    span = "first year" if months == 12 else f"first {words.number(months)} months"
    return Fragment(
        paragraph(f"A newly qualified social worker's caseload should grow through their {span} of practice.")
    )


def team_detail_guide(inputs: ReportInputs) -> Fragment:
    """How to read the team detail lists, with this run's near-miss window."""
    return Fragment(
        paragraph(
            "Staff are shown by their pseudonymous staff ID. Supervision is this month's status: supervised, overdue "
            f"(due and not supervised; near miss if a supervision followed {words.grace(inputs.config)}), or not due "
            "with the reason. Months missed in a row counts consecutive months due and not supervised, ending this "
            "month. Caseload is the number of cases held at the end of the month."
        )
    )


def caveats(inputs: ReportInputs, which: str = "supervision") -> Fragment:
    """The caveats the council's report gives, in plain words."""
    days = inputs.config.absence_threshold_days
    items = [
        "The numbers are people (headcount), not full-time equivalents (FTE).",
        f"Staff who were unavailable for {words.working_days(days)} or more in the month, through leave, "
        "sickness, maternity leave, or starting or leaving part-way through, are not due supervision and are left "
        "out of the figures; staff absent for less are included.",
        "Annual leave and sickness are not recorded for agency staff, so some agency workers counted as due "
        "may in fact have been absent: the agency figures are a lower bound.",
    ]
    if which == "supervision":
        others = words.uncounted_supervision(inputs.config)
        items.append(
            f"Only {words.counted_supervision(inputs.config)} counts"
            + (f"; {others} does not. " if others else ". ")
            + f"A supervision {words.grace(inputs.config)} after the month ends is "
            "shown as a near miss, not as supervised."
        )
    else:
        items.append(
            "A caseload counts the distinct cases allocated to a worker on the day; co-worked cases "
            "count for each worker. The average is over workers holding at least one case."
        )
        items.append(
            "The headline covers social workers and senior social workers who are not newly qualified, "
            "permanent and agency alike."
        )
    return Fragment('<div class="caveats">' + bullets(items) + "</div>")
