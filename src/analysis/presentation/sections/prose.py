"""Paragraphs of the notebooks that state a setting, and the caveats, reading the settings."""

from __future__ import annotations

import pandas as pd

from analysis.presentation import wording as words
from analysis.presentation.formats import date_long, esc
from analysis.presentation.html_kit import Fragment, bullets, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.vocabulary.current import _


# --------------------------------------------------------------------------- notebook prose
# Paragraphs of the notebooks that state a setting: here, so that they read it.
def not_due_intro(inputs: ReportInputs) -> Fragment:
    """Who is not due, in the words of the council's report, with this run's threshold."""
    rule = words.working_days(inputs.config.absence_threshold_days)
    return Fragment(
        paragraph(
            _(
                "Supervision is not due when a member of staff is unavailable for {rule} or more in the month "
                "(annual leave, sickness, maternity leave, or starting or leaving part-way through). They are not "
                "included in the figures. Staff unavailable for fewer than {days} working days are included.",
                rule=rule,
                days=inputs.config.absence_threshold_days,
            )
        )
    )


def caseload_intro(inputs: ReportInputs) -> Fragment:
    """What the caseload comparison compares: the snapshot date and its name, from the settings."""
    month, day = inputs.config.snapshot_month_day
    stamp = pd.Timestamp(2019 if (month, day) != (2, 29) else 2020, month, day)
    day_month = date_long(stamp).removesuffix(f" {stamp.year}")
    census = (month, day) == (9, 30)
    return Fragment(
        paragraph(
            _(
                "The average caseload is compared on {day} (the national workforce census date), called "
                "\u201c{season}\u201d here, this year against last year.",
                day=day_month,
                season=words.season(stamp),
            )
            if census
            else _(
                "The average caseload is compared on {day}, called \u201c{season}\u201d here, this year against "
                "last year.",
                day=day_month,
                season=words.season(stamp),
            )
        )
    )


def snapshot_heading(inputs: ReportInputs) -> Fragment:
    month, day = inputs.config.snapshot_month_day
    season = words.season(pd.Timestamp(2020, month, day))
    heading = _("{season} against {season}", season=season)
    return Fragment(f"<h2>{esc(heading)}</h2>")


def nqsw_intro(inputs: ReportInputs) -> Fragment:
    months = inputs.config.nqsw_months
    span = _("first year") if months == 12 else _("first {months} months", months=words.number(months))
    return Fragment(
        paragraph(
            _("A newly qualified social worker's caseload should grow through their {span} of practice.", span=span)
        )
    )


def team_detail_guide(inputs: ReportInputs) -> Fragment:
    """How to read the team detail lists, with this run's near-miss window."""
    return Fragment(
        paragraph(
            _(
                "Staff are shown by their pseudonymous staff ID. Supervision is this month's status: supervised, "
                "overdue (due and not supervised; near miss if a supervision followed {grace}), or not due with the "
                "reason. Months missed in a row counts consecutive months due and not supervised, ending this month. "
                "Caseload is the number of cases held at the end of the month.",
                grace=words.grace(inputs.config),
            )
        )
    )


def caveats(inputs: ReportInputs, which: str = "supervision") -> Fragment:
    """The caveats the council's report gives, in plain words."""
    days = inputs.config.absence_threshold_days
    items = [
        _("The numbers are people (headcount), not full-time equivalents (FTE)."),
        _(
            "Staff who were unavailable for {days} or more in the month, through leave, sickness, maternity leave, "
            "or starting or leaving part-way through, are not due supervision and are left out of the figures; "
            "staff absent for less are included.",
            days=words.working_days(days),
        ),
        _(
            "Annual leave and sickness are not recorded for agency staff, so some agency workers counted as due "
            "may in fact have been absent: the agency figures are a lower bound."
        ),
    ]
    if which == "supervision":
        others = words.uncounted_supervision(inputs.config)
        counted, grace = words.counted_supervision(inputs.config), words.grace(inputs.config)
        items.append(
            _(
                "Only {counted} counts; {others} does not. A supervision {grace} after the month ends is shown as a "
                "near miss, not as supervised.",
                counted=counted,
                others=others,
                grace=grace,
            )
            if others
            else _(
                "Only {counted} counts. A supervision {grace} after the month ends is shown as a near miss, not as "
                "supervised.",
                counted=counted,
                grace=grace,
            )
        )
    else:
        items.append(
            _(
                "A caseload counts the distinct cases allocated to a worker on the day; co-worked cases count for "
                "each worker. The average is over workers holding at least one case."
            )
        )
        items.append(
            _(
                "The headline covers {roles} who are not newly qualified, permanent and agency alike.",
                roles=words.roles_plural(inputs.config.headline_roles),
            )
        )
    return Fragment('<div class="caveats">' + bullets(items) + "</div>")
