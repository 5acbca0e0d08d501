"""The newly qualified social workers' caseloads: the council's breakdown, in a sentence and a list."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.presentation import wording as words
from analysis.presentation.formats import DASH, _missing, caseload, count, date_long, month_name
from analysis.presentation.html_kit import Column, Fragment, bullets, html_table, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.vocabulary.current import _, n_


def _status_months(ends: pd.DataFrame | None, band: str) -> tuple[str, str] | None:
    """When the band's newly qualified status ends: its first and last month, or None."""
    if ends is None:
        return None
    e = ends.set_index("band")
    if band not in e.index or _missing(e.loc[band, "status_ends_first"]):
        return None
    first = pd.Timestamp(e.loc[band, "status_ends_first"]).to_period("M")
    last = pd.Timestamp(e.loc[band, "status_ends_last"]).to_period("M")
    return month_name(first), month_name(last)


def nqsw_sentence(nqsw: pd.DataFrame, as_at: Any, config: Settings, ends: pd.DataFrame | None = None) -> str:
    """The council's NQSW breakdown as one sentence."""
    bands = words.band_words(config)
    rows = nqsw.set_index("band")
    total = int(rows["staff"].sum()) if len(rows) else 0
    if total == 0:
        return _("There were no newly qualified social workers on {date}.", date=date_long(as_at))

    def n(band: str) -> int:
        return int(rows.loc[band, "staff"]) if band in rows.index else 0

    def mean(band: str) -> str:
        return caseload(rows.loc[band, "mean_caseload"]) if band in rows.index else DASH

    parts = [_("{n} holding no cases", n=count(n("non_case_holding")))]
    if n("months_0_6"):
        parts.append(
            _(
                "{n} in their {band} with an average caseload of {mean}",
                n=count(n("months_0_6")),
                band=bands["months_0_6"],
                mean=mean("months_0_6"),
            )
        )
    else:
        parts.append(_("none holding cases in their {band}", band=bands["months_0_6"]))
    late = _(
        "{n} in months {first} to {last}",
        n=count(n("months_6_12")),
        first=words.number(config.nqsw_band_months),
        last=words.number(config.nqsw_months),
    )
    status = _status_months(ends, "months_6_12")
    if status is not None:
        when = status[0] if status[0] == status[1] else _("{first} to {last}", first=status[0], last=status[1])
        late += " " + _("(newly qualified status ending {when})", when=when)
    if n("months_6_12"):
        late += " " + _("with an average caseload of {mean}", mean=mean("months_6_12"))
    parts.append(late)
    return n_(
        "Of the {n} newly qualified social worker on {date}: {parts}.",
        "Of the {n} newly qualified social workers on {date}: {parts}.",
        total,
        date=date_long(as_at),
        parts="; ".join(parts),
    )


def nqsw_section(nqsw_caseload: pd.DataFrame, nqsw_status_ends: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    nqsw = nqsw_caseload
    as_at = nqsw["as_at"].iloc[0] if len(nqsw) else inputs.month.end_time
    ends = nqsw_status_ends
    items = []
    rows = nqsw.set_index("band")
    bands, labels = words.band_words(inputs.config), words.band_labels(inputs.config)
    for band in labels:
        if band not in rows.index:
            continue
        staff_n = int(rows.loc[band, "staff"])
        if band == "non_case_holding":
            items.append(n_("{n} is non-case holding.", "{n} are non-case holding.", staff_n))
            continue
        text = (
            n_(
                "{n} is in their {band} after qualifying",
                "{n} are in their {band} after qualifying",
                staff_n,
                band=bands[band],
            )
            if band == "months_0_6"
            else n_("{n} is {band} after qualifying", "{n} are {band} after qualifying", staff_n, band=bands[band])
        )
        status = _status_months(ends, band)
        if status is not None:
            when = status[0] if status[0] == status[1] else _("{first} to {last}", first=status[0], last=status[1])
            text += " " + _("(status ending {when})", when=when)
        text += (
            " " + _("and they have an average caseload of {mean}.", mean=caseload(rows.loc[band, "mean_caseload"]))
            if staff_n
            else "."
        )
        items.append(text)
    total = int(rows["staff"].sum())
    intro = paragraph(
        n_(
            "Of the {n} newly qualified social worker (NQSW) in the service on {date}:",
            "Of the {n} newly qualified social workers (NQSW) in the service on {date}:",
            total,
            date=date_long(as_at),
        )
    )
    shown = nqsw.set_index("band").reindex(list(labels)).reset_index()
    shown.loc[shown["band"] == "non_case_holding", "mean_caseload"] = np.nan
    table = html_table(
        shown,
        [
            Column("band", _("Stage"), lambda b: labels.get(b, b)),
            Column("staff", _("NQSWs"), count, True),
            Column("mean_caseload", _("Average caseload"), caseload, True),
        ],
        _("Newly qualified social workers on {date}", date=date_long(as_at)),
        row_header="band",
    )
    return join(intro, bullets(items), table)
