"""The committee paper: heading facts, the question, then the response built from the month's tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import __version__
from analysis.answer.document import Bullets, Document, Fields, Heading, PageBreak, Paragraph
from analysis.answer.question import Question
from analysis.answer.response_caseload import caseload_part
from analysis.answer.response_supervision import supervision_part
from analysis.config import Settings
from analysis.vocabulary.language import Language, language


def question_blocks(text: str) -> list:
    """The question's paragraphs; lines starting ``-`` or ``*`` become a list."""
    blocks: list = []
    for part in [p.strip() for p in text.split("\n\n") if p.strip()]:
        lines = [line.strip() for line in part.splitlines()]
        if all(line[:1] in "-*" for line in lines):
            blocks.append(Bullets(tuple(line[1:].strip() for line in lines)))
        else:
            blocks.append(Paragraph(" ".join(lines)))
    return blocks


def paper(
    lang: Language,
    question: Question,
    tables: dict[str, pd.DataFrame],
    month: Any,
    window_start: Any,
    config: Settings,
) -> Document:
    """The whole paper in one language."""
    _ = lang._
    authority = question.text(lang.code, "authority") or config.report.authority
    subject = question.text(lang.code, "subject") or _("Supervision and caseloads of social workers")
    doc = Document(lang.code, f"{authority}: {subject}")
    meeting = question.text(lang.code, "meeting")
    when = lang.date(question.meeting_date) if question.meeting_date else ""
    fields = [(_("Meeting"), ", ".join(p for p in (meeting, when) if p))] if (meeting or when) else []
    if question.text(lang.code, "author"):
        fields.append((_("Report author"), question.text(lang.code, "author")))
    fields.append((_("Subject"), subject))
    doc.add(Heading(authority, 1), Fields(tuple(fields)), Heading(_("Question"), 2))
    doc.add(*question_blocks(question.text(lang.code, "question")))
    doc.add(Heading(_("Response"), 2))
    doc.add(
        *supervision_part(
            lang,
            tables["supervision_monthly"],
            tables["supervision_data_gap"],
            tables["regular_supervision"],
            tables["spc_summary"],
            tables["spc"],
            month,
            window_start,
            config,
        )
    )
    doc.add(*caseload_part(lang, tables, month, config))
    doc.add(
        Paragraph(
            _(
                "Figures for {month}, from the records of the HR, supervision and case-allocation systems, computed "
                "by supervision-caseload {version}; every figure is in the month's tables.",
                month=lang.month(month),
                version=__version__,
            )
        )
    )
    return doc


def bilingual(welsh: Document, english: Document) -> Document:
    """Welsh first, then English on a new page, as the Welsh Language Standards expect."""
    doc = Document("cy-en", f"{welsh.title} / {english.title}")
    doc.add(*welsh.blocks, PageBreak("en"), *english.blocks)
    return doc


def papers(
    languages: list[str],
    question: Question,
    tables: dict[str, pd.DataFrame],
    month: Any,
    window_start: Any,
    config: Settings,
) -> dict[str, Document]:
    """The paper in each language asked for, and the bilingual one when both are."""
    out = {code: paper(language(code), question, tables, month, window_start, config) for code in languages}
    if {"en", "cy"} <= set(out):
        out["cy-en"] = bilingual(out["cy"], out["en"])
    return out
