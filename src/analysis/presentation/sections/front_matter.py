"""The report's front and back matter: the title block (with any coverage warning) and the colophon."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.inputs.coverage import coverage_warnings
from analysis.presentation.formats import date_long, esc, month_name
from analysis.presentation.html_kit import Fragment
from analysis.presentation.report_inputs import ReportInputs
from analysis.vocabulary.current import N_, _

# The reports' titles, as the notebooks name them (translated where shown).
REPORT_TITLES = (N_("Supervision compliance"), N_("Caseloads and appropriate work"), N_("Team detail for managers"))


def title_block(coverage: pd.DataFrame, inputs: ReportInputs, report: str, restricted: bool = False) -> Fragment:
    """The report's title block: authority, title, period, data extract, generated, version."""
    report = _(report) if report in REPORT_TITLES else report
    month, start = month_name(inputs.month), month_name(inputs.window_start)
    period = (
        _("{month}; trend from {start}", month=month, start=start) if inputs.window_start != inputs.month else month
    )
    commit = (inputs.git_commit or _("not recorded"))[:12]
    generated = inputs.generated_at
    facts = [
        (_("Report month"), month),
        (_("Period covered"), _("{start} to {month}", start=start, month=month)),
        (
            _("Data extract"),
            _("records up to {date}", date=date_long(inputs.extract_date))
            if inputs.extract_date is not None
            else _("not known"),
        ),
        (_("Generated"), _("{date}, {time} UTC", date=date_long(generated.date()), time=f"{generated:%H:%M}")),
        (_("Code version"), _("analysis {version}, commit {commit}", version=inputs.version, commit=commit)),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    warning = (
        '<p class="restricted">'
        + esc(_("Restricted: staff-level detail for team managers. Do not forward or include in the leadership email."))
        + "</p>"
        if restricted
        else ""
    )
    warning += "".join(f'<p class="restricted" role="note">{esc(w)}</p>' for w in coverage_warnings(coverage))
    body = (
        f'<header class="title-block"><p class="authority">{esc(inputs.authority)}</p>'
        f'<h1>{esc(report)}</h1><p class="period">{esc(period)}</p><dl>{rows}</dl></header>{warning}'
    )
    return Fragment(
        body, title=_("{report}: {month} ({authority})", report=report, month=month, authority=inputs.authority)
    )


def colophon(inputs: ReportInputs) -> Fragment:
    """The closing note: how the report was made and where its tables are."""
    said = _(
        "Produced by the supervision and caseload analysis (analysis {version}, commit {commit}) from the HR and "
        "case management extracts in {folder}. Every figure is in the tables folder and tables.xlsx that accompany "
        "this report; counts are people (headcount), not full-time equivalents.",
        version=inputs.version,
        commit=(inputs.git_commit or _("not recorded"))[:12],
        folder=Path(inputs.data_dir).name,
    )
    return Fragment(f'<footer class="colophon"><p>{esc(said)}</p></footer>')
