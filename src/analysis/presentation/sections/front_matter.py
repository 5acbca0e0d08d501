"""The report's front and back matter: the title block (with any coverage warning) and the colophon."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.inputs.coverage import coverage_warnings
from analysis.presentation.formats import date_long, esc, month_name
from analysis.presentation.html_kit import Fragment
from analysis.presentation.report_inputs import ReportInputs


def title_block(coverage: pd.DataFrame, inputs: ReportInputs, report: str, restricted: bool = False) -> Fragment:
    """The report's title block: authority, title, period, data extract, generated, version."""
    period = (
        f"{month_name(inputs.month)}; trend from {month_name(inputs.window_start)}"
        if inputs.window_start != inputs.month
        else month_name(inputs.month)
    )
    commit = (inputs.git_commit or "not recorded")[:12]
    facts = [
        ("Report month", month_name(inputs.month)),
        ("Period covered", f"{month_name(inputs.window_start)} to {month_name(inputs.month)}"),
        (
            "Data extract",
            f"records up to {date_long(inputs.extract_date)}" if inputs.extract_date is not None else "not known",
        ),
        ("Generated", inputs.generated_at.strftime("%d %B %Y, %H:%M UTC").lstrip("0")),
        ("Code version", f"analysis {inputs.version}, commit {commit}"),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    warning = (
        (
            '<p class="restricted">Restricted: staff-level detail for team managers. '
            "Do not forward or include in the leadership email.</p>"
        )
        if restricted
        else ""
    )
    warning += "".join(f'<p class="restricted" role="note">{esc(w)}</p>' for w in coverage_warnings(coverage))
    body = (
        f'<header class="title-block"><p class="authority">{esc(inputs.authority)}</p>'
        f'<h1>{esc(report)}</h1><p class="period">{esc(period)}</p><dl>{rows}</dl></header>{warning}'
    )
    return Fragment(body, title=f"{report}: {month_name(inputs.month)} ({inputs.authority})")


def colophon(inputs: ReportInputs) -> Fragment:
    """The closing note: how the report was made and where its tables are."""
    return Fragment(
        '<footer class="colophon"><p>Produced by the supervision and caseload analysis '
        f"(analysis {esc(inputs.version)}, commit {esc((inputs.git_commit or 'not recorded')[:12])}) "
        f"from the HR and case management extracts in {esc(Path(inputs.data_dir).name)}. "
        "Every figure is in the tables folder and tables.xlsx that accompany this report; "
        "counts are people (headcount), not full-time equivalents.</p></footer>"
    )
