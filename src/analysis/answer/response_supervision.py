"""Part (i) of the response: formal supervision by month, for All and each category, from ``supervision_monthly``.

Every figure comes from a table of the month (``supervision_monthly``, ``supervision_data_gap``,
``regular_supervision``, ``spc``, ``spc_summary``); every threshold, target and date from the settings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.answer.document import Block, Heading, Paragraph, Table
from analysis.config import Settings
from analysis.vocabulary.labels import category_labels
from analysis.vocabulary.language import Language

CATEGORIES = ("all", "qualified", "nqsw", "agency")


def category_label(lang: Language, category: str) -> str:
    return category_labels(lang)[category]


def supervision_words(lang: Language, kind: str) -> str:
    _ = lang._
    return {
        "formal": _("formal one-to-one supervision"),
        "group": _("group supervision"),
        "peer": _("peer supervision"),
        "informal": _("informal supervision"),
    }[kind]


def listed(lang: Language, items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the language."""
    if len(items) <= 1:
        return "".join(items)
    return lang._("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def _monthly(supervision_monthly: pd.DataFrame) -> pd.DataFrame:
    frame = supervision_monthly.assign(month=supervision_monthly["month"].astype(str))
    return frame.sort_values(["month", "category"]).reset_index(drop=True)


def aims(lang: Language, config: Settings) -> Paragraph:
    counted = [supervision_words(lang, k) for k in config.counting_supervision_types]
    return Paragraph(
        lang._(
            "The service aims for every member of operational staff to receive {counted} every month. "
            "The target is {target} of the staff due a supervision in each month.",
            counted=listed(lang, counted),
            target=lang.percent(config.target, 0),
        )
    )


def range_sentences(lang: Language, frame: pd.DataFrame, month: Any, window_start: Any, target: float) -> Paragraph:
    _ = lang._
    rows = frame.loc[frame["category"] == "all"].dropna(subset=["compliance"])
    if rows.empty:
        return Paragraph(_("No staff were due a supervision in the period."))
    text = ""
    if len(rows) >= 2:
        text = _(
            "From {first} to {last}, the share of staff due a supervision who received one ranged between "
            "{low} and {high}, against the target of {target}.",
            first=lang.month(window_start),
            last=lang.month(month),
            low=lang.percent(rows["compliance"].min()),
            high=lang.percent(rows["compliance"].max()),
            target=lang.percent(target, 0),
        )
    now = rows.loc[rows["month"] == str(month)]
    if len(now):
        row = now.iloc[0]
        text += (" " if text else "") + _(
            "In {month}, {supervised} of the {due} staff due a supervision received one: {rate}.",
            month=lang.month(month),
            supervised=lang.count(row["supervised"]),
            due=lang.count(row["due"]),
            rate=lang.percent(row["compliance"]),
        )
    return Paragraph(text)


def headcount(lang: Language, frame: pd.DataFrame) -> Paragraph:
    due = frame.loc[frame["category"] == "all"].sort_values("month")["due"].to_numpy()
    text = lang._("The numbers in the tables are people (headcount), not full-time equivalents (FTE).")
    if len(due) > 1 and bool(np.all(np.diff(due) > 0)):
        text += " " + lang._("The number of staff due a supervision rose every month as staff were appointed.")
    return Paragraph(text)


def exclusion_rule(lang: Language, config: Settings) -> Paragraph:
    return Paragraph(
        lang._(
            "A supervision is not due when a member of staff is unavailable for {days} working days or more in the "
            "month, through annual leave, sickness, maternity leave, or starting or leaving part-way through; they "
            "are not included in the figures. Staff unavailable for fewer than {days} working days are included.",
            days=lang.count(config.absence_threshold_days),
        )
    )


def agency_caveat(lang: Language, data_gap: pd.DataFrame, month: Any) -> Paragraph:
    text = lang._(
        "Annual leave and sickness are not recorded for agency staff, so an agency worker who was away may be "
        "counted as due, which lowers the figures."
    )
    now = data_gap.loc[data_gap["month"].astype(str) == str(month)] if len(data_gap) else data_gap
    if len(now):
        row = now.iloc[0]
        text += " " + lang.n_(
            "In {month}, {n} of the {unsupervised} staff due and not supervised was an agency worker with no "
            "absence record; had that worker been away, compliance would have been {upper} rather than {rate}.",
            "In {month}, {n} of the {unsupervised} staff due and not supervised were agency workers with no "
            "absence record; had all of them been away, compliance would have been {upper} rather than {rate}.",
            int(row["with_absence_gap"]),
            month=lang.month(month),
            unsupervised=lang.count(row["due_unsupervised"]),
            upper=lang.percent(row["compliance_upper_bound"]),
            rate=lang.percent(row["compliance"]),
        )
    return Paragraph(text)


def regular_paragraph(lang: Language, regular_supervision: pd.DataFrame, month: Any, target: float) -> Paragraph:
    """Regular supervision in the month, for all staff, from ``regular_supervision``."""
    row = regular_supervision.loc[
        (regular_supervision["month"].astype(str) == str(month))
        & (regular_supervision["scope"] == "category")
        & (regular_supervision["group"] == "all")
    ]
    first, last = lang.month(pd.Period(str(month), "M") - 2), lang.month(month)
    if row.empty or not row.iloc[0]["due_three"]:
        return Paragraph(
            lang._(
                "No member of staff was due a supervision in each month from {first} to {last}.", first=first, last=last
            )
        )
    row = row.iloc[0]
    return Paragraph(
        lang.n_(
            "Of the {due} member of staff due a supervision in each month from {first} to {last}, {supervised} "
            "received one in all three months: {rate}, against the target of {target}.",
            "Of the {due} staff due a supervision in each month from {first} to {last}, {supervised} received one "
            "in all three months: {rate}, against the target of {target}.",
            int(row["due_three"]),
            due=lang.count(row["due_three"]),
            first=first,
            last=last,
            supervised=lang.count(row["supervised_three"]),
            rate=lang.percent(row["regular"]),
            target=lang.percent(target, 0),
        )
    )


def category_table(lang: Language, frame: pd.DataFrame, category: str) -> Table:
    _ = lang._
    rows = frame.loc[frame["category"] == category]
    columns = [
        rows["month"].map(lang.month),
        rows["in_scope"].map(lang.count),
        (rows["in_scope"] - rows["due"]).map(lang.count),
        rows["due"].map(lang.count),
        rows["supervised"].map(lang.count),
        rows["compliance"].map(lang.percent, na_action=None),
    ]
    body = tuple(zip(*(c.tolist() for c in columns)))
    caption = (
        _("All staff (qualified, newly qualified and agency social workers and managers): formal supervision by month")
        if category == "all"
        else _("{group}: formal supervision by month", group=category_label(lang, category))
    )
    header = (_("Month"), _("Staff in post"), _("Not due"), _("Due"), _("Supervised"), _("Compliance"))
    return Table(caption, header, body, (False, True, True, True, True, True))


def supervision_part(
    lang: Language,
    supervision_monthly: pd.DataFrame,
    supervision_data_gap: pd.DataFrame,
    regular_supervision: pd.DataFrame,
    spc_summary: pd.DataFrame,
    spc: pd.DataFrame,
    month: Any,
    window_start: Any,
    config: Settings,
) -> list[Block]:
    """The blocks of part (i), in the council's order."""
    from analysis.answer.verdicts import spc_paragraph

    _ = lang._
    frame = _monthly(supervision_monthly)
    blocks: list[Block] = [
        Heading(
            _(
                "Evidence of the numbers of qualified, newly qualified and agency social workers receiving "
                "regular formal supervision"
            ),
            3,
        ),
        aims(lang, config),
        range_sentences(lang, frame, month, window_start, config.target),
        headcount(lang, frame),
        exclusion_rule(lang, config),
        agency_caveat(lang, supervision_data_gap, month),
    ]
    blocks += [category_table(lang, frame, c) for c in CATEGORIES if (frame["category"] == c).any()]
    blocks.append(regular_paragraph(lang, regular_supervision, month, config.target))
    blocks.append(spc_paragraph(lang, spc_summary, spc, config, "compliance_all"))
    return blocks
