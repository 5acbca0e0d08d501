"""The Making Data Count verdict of a measure, from ``spc_summary`` and ``spc``, in the answer's language."""

from __future__ import annotations

import pandas as pd

from analysis.answer.document import Paragraph
from analysis.config import Settings
from analysis.vocabulary.language import Language


def measure_name(lang: Language, measure: str) -> str:
    _ = lang._
    names = {
        "compliance_all": _("supervision compliance (all staff)"),
        "compliance_qualified": _("supervision compliance (qualified staff)"),
        "compliance_nqsw": _("supervision compliance (newly qualified staff)"),
        "compliance_agency": _("supervision compliance (agency staff)"),
        "mean_caseload": _("the average caseload"),
    }
    return names[measure]


def phase_start(spc: pd.DataFrame, config: Settings, measure: str) -> str | None:
    """The first month of the measure's current phase (a rebase month from the settings, or the first)."""
    rows = spc.loc[spc["measure"] == measure] if len(spc) else spc
    if rows.empty:
        return None
    months = rows["month"].astype(str).tolist()
    starts = [m for m in config.spc_rebase_months if m in months[1:]]
    return max(starts) if starts else months[0]


def variation_sentence(lang: Language, kind: str, month: str, since: str) -> str:
    """What the method finds, completing "... the Making Data Count method finds"."""
    _ = lang._
    values = {"month": lang.month(month), "since": lang.month(since)}
    return {
        "common_cause": _(
            "common cause variation, with no evidence of improvement or concern since {since}.", **values
        ),
        "improvement_high": _(
            "special cause improvement, as {month} is higher than the variation since {since} would explain.", **values
        ),
        "improvement_low": _(
            "special cause improvement, as {month} is lower than the variation since {since} would explain.", **values
        ),
        "concern_high": _(
            "special cause concern, as {month} is higher than the variation since {since} would explain.", **values
        ),
        "concern_low": _(
            "special cause concern, as {month} is lower than the variation since {since} would explain.", **values
        ),
        "neutral_high": _(
            "special cause variation, as {month} is higher than the variation since {since} would explain.", **values
        ),
        "neutral_low": _(
            "special cause variation, as {month} is lower than the variation since {since} would explain.", **values
        ),
    }[kind]


def assurance_sentence(lang: Language, kind: str, target: str) -> str:
    _ = lang._
    return {
        "pass": _("The {target} target will be met consistently if nothing changes.", target=target),
        "fail": _("The {target} target will not be met unless something changes.", target=target),
        "hit_and_miss": _("The {target} target will be hit and missed at random.", target=target),
    }[kind]


def spc_paragraph(
    lang: Language, spc_summary: pd.DataFrame, spc: pd.DataFrame, config: Settings, measure: str
) -> Paragraph:
    """``Is it improving? ...``: the variation since the phase began and, against a target, the assurance."""
    _ = lang._
    rows = spc_summary.loc[spc_summary["measure"] == measure] if len(spc_summary) else spc_summary
    measure_words = measure_name(lang, measure)
    if rows.empty or pd.isna(rows.iloc[0]["variation"]) or rows.iloc[0]["variation"] == "":
        return Paragraph(_("Is it improving? For {measure}, there are too few months to say.", measure=measure_words))
    row = rows.iloc[0]
    since = phase_start(spc, config, measure)
    text = _("Is it improving? For {measure}, the Making Data Count method finds", measure=measure_words)
    text += " " + variation_sentence(lang, row["variation"], str(row["month"]), since or str(row["month"]))
    if isinstance(row["assurance"], str) and row["assurance"]:
        text += " " + assurance_sentence(lang, row["assurance"], lang.percent(row["target"], 0))
    return Paragraph(text)
