"""The newly qualified social workers' caseloads: the council's breakdown, in a sentence and a list."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.presentation import wording as words
from analysis.presentation.formats import (
    DASH,
    _missing,
    caseload,
    count,
    date_long,
    plural,
)
from analysis.presentation.html_kit import Column, Fragment, bullets, html_table, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.presentation.sections.generic_tables import has


def nqsw_sentence(nqsw: pd.DataFrame, as_at: Any, config: Settings, ends: pd.DataFrame | None = None) -> str:
    """The council's NQSW breakdown as one sentence."""
    bands = words.band_words(config)
    rows = nqsw.set_index("band")
    total = int(rows["staff"].sum()) if len(rows) else 0
    if total == 0:
        return f"There were no newly qualified social workers on {date_long(as_at)}."

    def n(band: str) -> int:
        return int(rows.loc[band, "staff"]) if band in rows.index else 0

    def mean(band: str) -> str:
        return caseload(rows.loc[band, "mean_caseload"]) if band in rows.index else DASH

    parts = [f"{n('non_case_holding')} holding no cases"]
    if n("months_0_6"):
        parts.append(
            f"{n('months_0_6')} in their {bands['months_0_6']} with an average caseload of {mean('months_0_6')}"
        )
    else:
        parts.append(f"none holding cases in their {bands['months_0_6']}")
    late = f"{n('months_6_12')} in months {bands['months_6_12'].removesuffix(' months')}"
    if ends is not None and has(ends, "band", "status_ends_first", "status_ends_last"):
        e = ends.set_index("band")
        if "months_6_12" in e.index and not _missing(e.loc["months_6_12", "status_ends_first"]):
            first = pd.Timestamp(e.loc["months_6_12", "status_ends_first"]).strftime("%B %Y")
            last = pd.Timestamp(e.loc["months_6_12", "status_ends_last"]).strftime("%B %Y")
            late += f" (newly qualified status ending {first if first == last else first + ' to ' + last})"
    if n("months_6_12"):
        late += f" with an average caseload of {mean('months_6_12')}"
    parts.append(late)
    return f"Of the {plural(total, 'newly qualified social worker')} on {date_long(as_at)}: " + "; ".join(parts) + "."


def nqsw_section(nqsw_caseload: pd.DataFrame, nqsw_status_ends: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    nqsw = nqsw_caseload
    if not has(nqsw, "band", "staff", "mean_caseload"):
        return Fragment(paragraph("No newly qualified breakdown is available."))
    as_at = nqsw["as_at"].iloc[0] if len(nqsw) else inputs.month.end_time
    ends = nqsw_status_ends
    items = []
    rows = nqsw.set_index("band")
    e = ends.set_index("band") if has(ends, "band", "status_ends_first") else None
    bands, labels = words.band_words(inputs.config), words.band_labels(inputs.config)
    for band in labels:
        if band not in rows.index:
            continue
        staff_n = int(rows.loc[band, "staff"])
        text = (
            f"{staff_n} "
            + {
                "non_case_holding": "are non-case holding.",
                "months_0_6": f"are in their {bands['months_0_6']} after qualifying",
                "months_6_12": f"are {bands['months_6_12']} after qualifying",
            }[band]
        )
        if band != "non_case_holding":
            if e is not None and band in e.index and not _missing(e.loc[band, "status_ends_first"]):
                text += f" (status ending {pd.Timestamp(e.loc[band, 'status_ends_first']).strftime('%B %Y')}"
                last = pd.Timestamp(e.loc[band, "status_ends_last"]).strftime("%B %Y")
                first = pd.Timestamp(e.loc[band, "status_ends_first"]).strftime("%B %Y")
                text += ")" if last == first else f" to {last})"
            text += (
                f" and they have an average caseload of {caseload(rows.loc[band, 'mean_caseload'])}."
                if staff_n
                else "."
            )
        items.append(text)
    total = int(rows["staff"].sum())
    intro = paragraph(
        f"Of the {plural(total, 'newly qualified social worker')} (NQSW) in the service on {date_long(as_at)}:"
    )
    shown = nqsw.set_index("band").reindex(list(labels)).reset_index()
    shown.loc[shown["band"] == "non_case_holding", "mean_caseload"] = np.nan
    table = html_table(
        shown,
        [
            Column("band", "Stage", lambda b: labels.get(b, b)),
            Column("staff", "NQSWs", count, True),
            Column("mean_caseload", "Average caseload", caseload, True),
        ],
        f"Newly qualified social workers on {date_long(as_at)}",
        row_header="band",
    )
    return join(intro, bullets(items), table)
