"""``python -m analysis answer``: the month's tables, then the paper in each language, as Word and PDF.

Writes ``OUT/YYYY-MM/answer/``: ``answer.en.docx``, ``answer.en.pdf``, ``answer.cy.docx``,
``answer.cy.pdf`` for the languages asked for, and with both the bilingual paper (Welsh first)
as ``answer.cy-en.docx`` and ``answer.cy-en.pdf``. Everything is checked before any work (the
question file, the browser, the output folder) and the files are staged and moved into place
together: a failed run writes nothing.
"""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from analysis.answer.docx_file import write_docx
from analysis.answer.paper import papers
from analysis.answer.pdf_file import BrowserMissing, find_browser, write_pdf
from analysis.answer.question import QuestionError, read_question
from analysis.config import Settings
from analysis.exports import output_folder
from analysis.exports.output_folder import move_into_place
from analysis.paths import CONFIG_DIR, PROJECT_ROOT
from analysis.vocabulary.language import CatalogueError

SAMPLE_QUESTION = CONFIG_DIR / "question-sample.toml"
LANGUAGE_CHOICES = {"en": ["en"], "cy": ["cy"], "both": ["en", "cy"]}


def answer_files(languages: list[str]) -> list[str]:
    """The files an answer in ``languages`` is written as."""
    keys = list(languages) + (["cy-en"] if len(languages) > 1 else [])
    return [f"answer.{key}.{kind}" for key in keys for kind in ("docx", "pdf")]


def answer_command(
    month: pd.Period,
    window_start: pd.Period | None,
    data_dir: Path,
    out_dir: Path,
    config: Settings,
    question_path: Path | None,
    lang: str,
) -> int:
    """Write the committee answer for ``month``; 0 on success, 2 on bad input (nothing written).

    Raises
    ------
    analysis.inputs.findings.InputError
        If the data folder has any error.
    analysis.inputs.coverage.CoverageError
        If the extract does not cover the window.
    analysis.exports.output_folder.OutputError
        If the output folder cannot be written.
    """
    from analysis.exports.table_files import command_tables
    from analysis.tables import default_window_start

    languages = LANGUAGE_CHOICES[lang]
    try:
        question = read_question(question_path or SAMPLE_QUESTION, languages)
        browser = find_browser()
    except (QuestionError, BrowserMissing) as exc:
        print(f"error: {exc}; nothing was written.", file=sys.stderr)
        return 2
    if question_path is None:
        print(
            f"question: {SAMPLE_QUESTION.relative_to(PROJECT_ROOT)} (the sample; --question names yours)",
            file=sys.stderr,
        )
    output_folder.check(out_dir)
    start = window_start or default_window_start(month, config)
    tables = command_tables(data_dir, month, start, config)
    if tables is None:
        return 2
    try:
        documents = papers(languages, question, tables, month, start, config)
    except CatalogueError as exc:
        print(f"error: {exc}; nothing was written.", file=sys.stderr)
        return 2
    month_dir = output_folder.prepare(Path(out_dir) / str(month))
    staging = output_folder.staging_folder(month_dir, "answer")
    made = datetime.now(UTC).replace(microsecond=0)
    author = config.report.authority
    try:
        for key, doc in documents.items():
            write_docx(doc, staging / f"answer.{key}.docx", author, made)
            write_pdf(doc, staging / f"answer.{key}.pdf", browser, author, made)
        move_into_place(staging, month_dir / "answer")
    except RuntimeError as exc:
        print(f"error: {exc}; nothing was written.", file=sys.stderr)
        return 1
    except OSError as exc:
        raise output_folder.OutputError(output_folder.describe(month_dir, exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for name in answer_files(languages):
        print(f"Wrote {month_dir / 'answer' / name}", file=sys.stderr)
    return 0
