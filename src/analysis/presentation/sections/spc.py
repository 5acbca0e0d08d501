"""The "Is it improving?" section: a sentence a director can quote and the Making Data Count table.

Every figure and verdict comes from the ``spc`` and ``spc_summary`` tables; the icons are the
project's own (``charts_spc``), each with its words beside it.
"""

from __future__ import annotations

import pandas as pd

from analysis.measures import MEASURES
from analysis.presentation.charts.spc import assurance_icon, value_text, variation_icon
from analysis.presentation.formats import DASH, NUM, esc, month_name, pct
from analysis.presentation.html_kit import Fragment, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.presentation.spc_words import assurance_sentence, variation_clause
from analysis.trends.spc import current_phase_start
from analysis.vocabulary.current import _
from analysis.vocabulary.labels import measure_label, measure_phrase


def variation_words() -> dict[str, str]:
    return {
        "common_cause": _("Common cause variation"),
        "improvement_high": _("Special cause improvement (higher)"),
        "improvement_low": _("Special cause improvement (lower)"),
        "concern_high": _("Special cause concern (higher)"),
        "concern_low": _("Special cause concern (lower)"),
        "neutral_high": _("Special cause variation (higher)"),
        "neutral_low": _("Special cause variation (lower)"),
    }


def assurance_words() -> dict[str, str]:
    return {
        "pass": _("The target will be met consistently"),
        "fail": _("The target will not be met without a change"),
        "hit_and_miss": _("The target will be hit and missed at random"),
    }


def spc_sentence(
    spc_summary: pd.DataFrame, spc: pd.DataFrame, inputs: ReportInputs, measure: str = "compliance_all"
) -> str:
    """E.g. "Common cause variation, with no evidence of improvement or concern since April 2017. The
    90% target will be hit and missed at random." (``spc_words``)."""
    summary = spc_summary
    rows = summary.loc[summary["measure"] == measure] if len(summary) else summary
    if rows.empty or pd.isna(rows.iloc[0]["variation"]):
        return _(
            "There are too few months to say whether {measure} is improving.",
            measure=measure_phrase(measure),
        )
    row = rows.iloc[0]
    since = current_phase_start(spc, measure, inputs.config.spc_rebase_months) or str(row["month"])
    said = variation_clause(row["variation"], str(row["month"]), since)
    said = said[:1].upper() + said[1:] + "."
    if _given(row["assurance"]):
        said += " " + assurance_sentence(row["assurance"], pct(row["target"], 0))
    return said


def _given(value: object) -> bool:
    return isinstance(value, str) and value != ""


def spc_summary_table(spc_summary: pd.DataFrame, inputs: ReportInputs) -> str:
    """Every measure's latest value, target, variation and assurance, icons with their words."""
    summary = spc_summary
    head = "".join(
        f'<th scope="col"{NUM if n in (2, 3) else ""}>{esc(h)}</th>'
        for n, h in enumerate([_("Measure"), _("Month"), _("Value"), _("Target"), _("Variation"), _("Assurance")])
    )
    body = []
    for row in summary.to_dict("records"):
        measure = row["measure"]
        value = value_text(measure, row["value"]) if pd.notna(row["value"]) else DASH
        target = pct(row["target"], 0) if pd.notna(row["target"]) else DASH
        variation = row["variation"] if _given(row["variation"]) else None
        assurance = row["assurance"] if _given(row["assurance"]) else None
        said_variation = variation_words()[variation] if variation else _("Not enough months")
        said_assurance = (
            assurance_words()[assurance]
            if assurance
            else (_("No target") if pd.isna(row["target"]) else _("Not enough months"))
        )
        cells = [
            f'<th scope="row">{esc(measure_label(measure))}</th>',
            f"<td>{esc(month_name(row['month']))}</td>",
            f"<td{NUM}>{esc(value)}</td>",
            f"<td{NUM}>{esc(target)}</td>",
            f"<td>{variation_icon(variation, said_variation)} {esc(said_variation)}</td>",
            f"<td>{assurance_icon(assurance, said_assurance)} {esc(said_assurance)}</td>",
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    caption = _("Making Data Count summary, {month}", month=month_name(inputs.month))
    return (
        f'<div class="table-wrap"><table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def spc_section(
    spc_summary: pd.DataFrame, spc: pd.DataFrame, inputs: ReportInputs, measure: str = "compliance_all"
) -> Fragment:
    """The sentence, how to read it, and (for supervision) the summary of every measure."""
    explain = _(
        "Statistical process control (the NHS Making Data Count method) tells the month-to-month noise of a "
        "stable process (common cause variation) from a real change (special cause). Almost every month of a "
        "stable process falls between the process limits. A point beyond a limit, seven points rising or falling "
        "in a row, seven on one side of the mean, or two of three close to a limit are special causes. In the "
        "chart a triangle marks improvement, a square concern and a diamond a change that is neither; a small "
        "circle is common cause."
    )
    parts = [
        f'<div class="headline"><p>{esc(spc_sentence(spc_summary, spc, inputs, measure))}</p></div>',
        paragraph(explain),
    ]
    if MEASURES[measure].is_rate:
        parts.append(spc_summary_table(spc_summary, inputs))
    return join(*parts)
