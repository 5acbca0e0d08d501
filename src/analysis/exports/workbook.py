"""``tables.xlsx``: the month's tables as an accessible statistics workbook, to the Analysis Function's standard.

A cover (title, period, source, contact), a contents sheet linking to every table, a notes sheet,
then one table per sheet: a title (with its notes), a description and the source above one marked
table (an Excel table whose header row screen readers announce); no merged cells, no meaning in
colour. A blank figure of the CSVs (a rate with nothing to divide by) is written ``[z]``, the
standard's shorthand for "not applicable", explained in the notes; other blanks stay blank. The
CSVs are unchanged: this is a second view of the same tables.

Written straight with xlsxwriter, row by row: the layout is the Analysis Function's ``gptables``
layout, but gptables formats every cell on its own, which took 9 s for a national authority's
staff-level sheets; this takes about a third of that. xlsxwriter's streaming mode
(``constant_memory``) cannot mark a table (``add_table``), which screen readers need, so the
book is built in memory: a national authority's 68,000 rows take about 3 s and 160 MiB, in a
process of its own while the report goes on (``month_build``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from analysis import __version__
from analysis.columns import COLUMNS
from analysis.config import Settings
from analysis.exports.table_files import tidy_for_file
from analysis.presentation.formats import month_name
from analysis.table_spec import SPECS
from analysis.vocabulary.current import N_, _, speaking

# The statistics shorthand (Analysis Function, "Symbols in tables"): [z] is "not applicable", here a
# rate or average with nothing to divide by. Other empty cells (no date of a last supervision, no
# absence) are left blank: they are facts, not figures withheld.
NOT_APPLICABLE = "[z]"
FIGURE_UNITS = ("rate", "cases", "number")
# Sheets with more columns than this print landscape.
PORTRAIT_COLUMNS = 7


def _title(name: str) -> tuple[str, str]:
    """A table's title and description from its spec, in the language being written (a table without
    one: its name, no description)."""
    spec = SPECS.get(name)
    return (_(spec.title), _(spec.description)) if spec else (name.replace("_", " ").capitalize(), "")


NOTE_RATES = N_(
    "Rates are fractions (0.9 is 90%); [z] marks a rate or average with nothing to divide by (not applicable)."
)


def workbook_notes(config: Settings) -> list[tuple[int, str]]:
    """The numbered notes tables refer to as ``[note N]``, with this run's settings."""
    return [
        (1, _("Counts are people (headcount), not full-time equivalents.")),
        (
            2,
            _(
                "Staff unavailable for {days} working days or more in a month are not due a supervision that month.",
                days=config.absence_threshold_days,
            ),
        ),
        (3, _("Annual leave and sickness are not recorded for agency staff: agency figures are a lower bound.")),
        (
            4,
            _(
                "A near miss is a formal supervision within {days} calendar days after the month ends.",
                days=config.grace_days,
            ),
        ),
        (
            5,
            _(NOTE_RATES),
        ),
    ]


def _sheet_rows(frame: pd.DataFrame) -> tuple[list[str], list[list[Any]]]:
    """The header and rows as the CSV writes them: a blank figure (``FIGURE_UNITS``) as ``[z]``, any
    other blank left empty; a table without rows has the CSV's header and a row saying so."""
    tidy = tidy_for_file(frame)
    header = [str(c) for c in tidy.columns]
    if tidy.empty:
        return header or ["note"], [[_("No rows this month."), *[None] * (len(header) - 1)]]
    cells = tidy.astype(object).where(tidy.notna(), None)
    for column in tidy.columns:
        if column in COLUMNS and COLUMNS[column].unit in FIGURE_UNITS:
            cells[column] = cells[column].where(tidy[column].notna(), NOT_APPLICABLE)
    return header, cells.to_numpy().tolist()


def _print_setup(sheet: Any, landscape: bool, header_row: int | None = None) -> None:
    """A4, one page wide (as many pages down as it takes), the table's header repeated on each page."""
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    if header_row is not None:
        sheet.repeat_rows(header_row)


def _width(header: str, rows: list[list], column: int) -> float:
    sample = [len(str(row[column])) for row in rows[:200]]
    return min(max([len(header), *sample]) + 2, 60)


def write_workbook(
    tables: dict[str, pd.DataFrame],
    path: Path,
    config: Settings,
    month: pd.Period,
    window_start: pd.Period,
    generated: datetime | None = None,
    lang: str = "en",
) -> None:
    """Write ``tables`` to ``path`` as a cover, contents, notes and one sheet per table; the book's
    properties (title, author, created) come from the run, and every sheet prints one page wide.

    Text from the data stays text: a team named ``=HYPERLINK(...)`` is written as those characters.
    Every word is in ``lang`` (``tables.cy.xlsx`` is the Welsh book).
    """
    with speaking(lang):
        _write(tables, path, config, month, window_start, generated)


def _write(
    tables: dict[str, pd.DataFrame],
    path: Path,
    config: Settings,
    month: pd.Period,
    window_start: pd.Period,
    generated: datetime | None,
) -> None:
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    book.set_properties(
        {
            "title": _("Supervision and caseload tables, {month}", month=month_name(month)),
            "subject": _("Formal supervision and caseloads of social workers"),
            "author": config.report.authority,
            "company": config.report.authority,
            "keywords": "supervision, caseload, children's social care",
            "comments": f"Made by supervision-caseload {__version__}",
            "created": (generated or datetime.now(UTC)).replace(tzinfo=None),
        }
    )
    heading = book.add_format({"bold": True, "font_size": 16})
    subheading = book.add_format({"bold": True, "font_size": 12})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    link = book.add_format({"font_color": "#12436D", "underline": 1})
    period = _("{start} to {month}", start=month_name(window_start), month=month_name(month))
    source = _("Source: {authority}, HR, supervision and case-allocation records", authority=config.report.authority)

    cover = book.add_worksheet(_("Cover"))
    cover.set_column(0, 0, 90, wrap)
    _print_setup(cover, landscape=False)
    lines = [
        (_("Supervision and caseload tables, {month}", month=month_name(month)), heading),
        (_("Authority: {authority}", authority=config.report.authority), None),
        (_("Period: {period}", period=period), None),
        (_("One table per worksheet, the same as the CSV files in the tables folder."), None),
        (_("About these tables"), subheading),
        (_("Source: the authority's HR, supervision and case-allocation records."), None),
        (
            _("Some worksheets list staff by pseudonymous staff ID: they are for team managers and are never emailed."),
            None,
        ),
        (_("Contact"), subheading),
        (config.report.contact or _("Not given: set [report] contact in the configuration."), None),
    ]
    for row, (text, style) in enumerate(lines):
        cover.write_string(row, 0, text, style) if style else cover.write_string(row, 0, text)

    names = {name: name[:31] for name in tables}
    contents = book.add_worksheet(_("Contents"))
    contents.write_string(0, 0, _("Table of contents"), heading)
    contents.write_string(1, 0, _("This worksheet contains one table. Each sheet name links to its table."))
    entries = [[names[n], *_title(n)] for n in tables]
    contents.add_table(
        2,
        0,
        2 + len(entries),
        2,
        {
            "name": "contents",
            "columns": [{"header": h} for h in (_("Sheet"), _("Table title"), _("Description"))],
            "style": "Table Style Light 1",
        },
    )
    for row, (sheet, title, description) in enumerate(entries, start=3):
        contents.write_url(row, 0, f"internal:'{sheet}'!A1", link, string=sheet)
        contents.write_string(row, 1, title)
        contents.write_string(row, 2, description)
    contents.set_column(0, 0, 30)
    contents.set_column(1, 2, 70)
    _print_setup(contents, landscape=True, header_row=2)

    notes = book.add_worksheet(_("Notes"))
    notes.write_string(0, 0, _("Notes"), heading)
    notes.write_string(1, 0, _("This worksheet contains one table. Tables refer to these notes as [note 1] and so on."))
    rows = [(f"note{number}", text) for number, text in workbook_notes(config)]
    notes.add_table(
        2,
        0,
        2 + len(rows),
        1,
        {
            "name": "notes",
            "columns": [{"header": _("Note number")}, {"header": _("Note text")}],
            "style": "Table Style Light 1",
        },
    )
    for row, (number, text) in enumerate(rows, start=3):
        notes.write_string(row, 0, number)
        notes.write_string(row, 1, text)
    notes.set_column(0, 0, 14)
    notes.set_column(1, 1, 100)
    _print_setup(notes, landscape=True, header_row=2)

    for name, frame in tables.items():
        title, description = _title(name)
        refs = "".join(" " + _("[note {n}]", n=n) for n in (SPECS[name].notes if name in SPECS else ()))
        sheet = book.add_worksheet(names[name])
        above = [
            (title + refs, heading),
            (description, None),
            (_("CSV file: tables/{name}.csv", name=name), None),
            (_("This worksheet contains one table. Notes are on the Notes worksheet."), None),
            (source, None),
        ]
        for row, (text, style) in enumerate(above):
            sheet.write_string(row, 0, text, style) if style else sheet.write_string(row, 0, text)
        header, body = _sheet_rows(frame)
        first = len(above)
        sheet.add_table(
            first,
            0,
            first + len(body),
            len(header) - 1,
            {"name": name, "columns": [{"header": h} for h in header], "style": "Table Style Light 1"},
        )
        for row, values in enumerate(body, start=first + 1):
            sheet.write_row(row, 0, values)  # blank figures are [z] already
        for column, label in enumerate(header):
            sheet.set_column(column, column, _width(label, body, column))
        _print_setup(sheet, landscape=len(header) > PORTRAIT_COLUMNS, header_row=first)
    book.close()
