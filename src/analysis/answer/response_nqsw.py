"""The newly qualified social workers' caseloads, as the council broke them down, from ``nqsw_caseload``."""

from __future__ import annotations

import pandas as pd

from analysis.answer.document import Block, Bullets, Paragraph, Table
from analysis.config import Settings
from analysis.vocabulary.language import Language


def _ends(lang: Language, ends: pd.DataFrame, band: str) -> str:
    """When the band's NQSW status ends, as a sentence (a month, or the first and last); blank if unknown."""
    rows = ends.loc[ends["band"] == band] if len(ends) else ends
    if rows.empty or pd.isna(rows.iloc[0]["status_ends_first"]):
        return ""
    first = lang.month(pd.Timestamp(rows.iloc[0]["status_ends_first"]).to_period("M"))
    last = lang.month(pd.Timestamp(rows.iloc[0]["status_ends_last"]).to_period("M"))
    if first == last:
        return lang._("Their newly qualified status ends in {when}.", when=first)
    return lang._("Their newly qualified status ends between {first} and {last}.", first=first, last=last)


def nqsw_part(
    lang: Language, nqsw_caseload: pd.DataFrame, nqsw_status_ends: pd.DataFrame, config: Settings
) -> list[Block]:
    """The breakdown in a sentence, a list and a table: none holding cases, early months, late months."""
    _ = lang._
    if nqsw_caseload.empty:
        return []
    rows = nqsw_caseload.set_index("band")
    as_at = pd.Timestamp(nqsw_caseload["as_at"].iloc[0])
    total = int(rows["staff"].sum())
    if total == 0:
        return [
            Paragraph(
                _("There were no newly qualified social workers in the service on {date}.", date=lang.date(as_at))
            )
        ]

    def n(band: str) -> int:
        return int(rows.loc[band, "staff"]) if band in rows.index else 0

    band, months = config.nqsw_band_months, config.nqsw_months
    items = [lang.n_("{n} holds no cases.", "{n} hold no cases.", n("non_case_holding"))]
    for key, text in (
        (
            "months_0_6",
            lang.n_(
                "{n} is in the first {band} months after qualifying, with an average caseload of {mean}.",
                "{n} are in the first {band} months after qualifying, with an average caseload of {mean}.",
                n("months_0_6"),
                band=lang.count(band),
                mean=lang.caseload(rows["mean_caseload"].get("months_0_6")),
            ),
        ),
        (
            "months_6_12",
            lang.n_(
                "{n} is {band} to {months} months after qualifying, with an average caseload of {mean}.",
                "{n} are {band} to {months} months after qualifying, with an average caseload of {mean}.",
                n("months_6_12"),
                band=lang.count(band),
                months=lang.count(months),
                mean=lang.caseload(rows["mean_caseload"].get("months_6_12")),
            ),
        ),
    ):
        if n(key):
            ends = _ends(lang, nqsw_status_ends, key)
            items.append(text + (" " + ends if ends else ""))
    intro = Paragraph(
        lang.n_(
            "Of the {n} newly qualified social worker (NQSW) in the service on {date}:",
            "Of the {n} newly qualified social workers (NQSW) in the service on {date}:",
            total,
            date=lang.date(as_at),
        )
    )
    labels = {
        "non_case_holding": _("Holding no cases"),
        "months_0_6": _("First {band} months after qualifying", band=lang.count(band)),
        "months_6_12": _(
            "{band} to {months} months after qualifying", band=lang.count(band), months=lang.count(months)
        ),
    }
    body = tuple(
        (
            labels[b],
            lang.count(n(b)),
            "–" if b == "non_case_holding" else lang.caseload(rows["mean_caseload"].get(b)),
        )
        for b in labels
    )
    table = Table(
        _("Newly qualified social workers on {date}", date=lang.date(as_at)),
        (_("Stage"), _("NQSWs"), _("Average caseload")),
        body,
        (False, True, True),
    )
    closing = Paragraph(
        _(
            "A newly qualified social worker's caseload grows through their first {months} months of practice, as "
            "their experience increases.",
            months=lang.count(months),
        )
    )
    return [intro, Bullets(tuple(items)), table, closing]
