"""The Making Data Count verdict of a measure, from ``spc_summary`` and ``spc``, in the answer's language."""

from __future__ import annotations

import pandas as pd

from analysis.answer.document import Paragraph
from analysis.config import Settings
from analysis.presentation.spc_words import assurance_sentence, variation_clause
from analysis.trends.spc import current_phase_start
from analysis.vocabulary.labels import measure_phrase
from analysis.vocabulary.language import Language


def spc_paragraph(
    lang: Language, spc_summary: pd.DataFrame, spc: pd.DataFrame, config: Settings, measure: str
) -> Paragraph:
    """``Is it improving? ...``: the variation since the phase began and, against a target, the assurance."""
    _ = lang._
    rows = spc_summary.loc[spc_summary["measure"] == measure] if len(spc_summary) else spc_summary
    measure_words = measure_phrase(measure, lang)
    if rows.empty or pd.isna(rows.iloc[0]["variation"]) or rows.iloc[0]["variation"] == "":
        return Paragraph(_("Is it improving? For {measure}, there are too few months to say.", measure=measure_words))
    row = rows.iloc[0]
    since = current_phase_start(spc, measure, config.spc_rebase_months)
    text = _("Is it improving? For {measure}, the Making Data Count method finds", measure=measure_words)
    text += " " + variation_clause(row["variation"], str(row["month"]), since or str(row["month"]), lang) + "."
    if isinstance(row["assurance"], str) and row["assurance"]:
        text += " " + assurance_sentence(row["assurance"], lang.percent(row["target"], 0), lang)
    return Paragraph(text)
