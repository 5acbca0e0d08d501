"""``tables.xlsx``: the month's tables as an accessible statistics workbook, to the Analysis Function's standard.

A cover (title, period, source, contact), a contents sheet linking to every table, a notes sheet,
then one table per sheet: a title (with its notes), a description and the source above one marked
table (an Excel table whose header row screen readers announce); no merged cells, no meaning in
colour. Blank cells of the CSVs (nothing to count) are written ``[x]``, the standard's shorthand,
explained in the notes. The CSVs are unchanged: this is a second view of the same tables.

Written straight with xlsxwriter, row by row: the layout is the Analysis Function's ``gptables``
layout, but gptables formats every cell on its own, which took 9 s for a national authority's
staff-level sheets; this takes about a third of that. xlsxwriter's streaming mode
(``constant_memory``) cannot mark a table (``add_table``), which screen readers need, so the
book is built in memory: a national authority's 68,000 rows take about 3 s and 160 MiB, in a
process of its own while the report goes on (``month_build``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from analysis.config import Settings
from analysis.report.table_files import tidy_for_file

NOT_APPLICABLE = "[x]"
# Which notes each table's title refers to, shown as "[note 1]" after it.
NOTE_REFERENCES = {"supervision_monthly": (1, 2, 3, 4, 5), "caseload_snapshots": (1, 5)}
# name -> (title, what a row is); every table of analysis.tables.TABLES has one.
TITLES = {
    "coverage": ("How well the extract covers each month", "One row per month: first and last record, and coverage."),
    "supervision_monthly": (
        "Formal supervision by month and category",
        "One row per month and category (all, qualified, nqsw, agency): in scope, due, supervised, compliance, "
        "near misses.",
    ),
    "supervision_near_misses": (
        "All staff by month: due, supervised and near misses",
        "One row per month: in post, not due, due, supervised, not supervised, near misses, compliance.",
    ),
    "regular_supervision": (
        "Regular supervision: supervised in each of three months",
        "One row per month for each category (all, qualified, nqsw, agency) and team: people due in each of the "
        "three months ending in the month, those supervised in all three, and the share.",
    ),
    "supervision_teams": ("Teams compared fairly", "One row per team in the report month, with funnel limits."),
    "supervision_posts": ("Posts compared fairly", "One row per post (role) in the report month, with funnel limits."),
    "supervision_exclusions": ("Staff not due, by reason", "One row per month, category and reason."),
    "supervision_data_gap": (
        "The agency absence data gap",
        "One row per month: due and not supervised, of whom agency with no absence record, and the upper bound.",
    ),
    "supervision_staff": (
        "Staff-level supervision status (for team managers)",
        "One row per member of staff in scope.",
    ),
    "nqsw_supervision": ("Newly qualified social workers meeting the supervision standard", "One row per month."),
    "nqsw_supervision_staff": ("Newly qualified social workers' supervisions (staff-level)", "One row per NQSW due."),
    "watch_next_month": ("Watch list for next month (staff-level)", "One row per member of staff to watch."),
    "watch_next_month_teams": ("Watch list for next month, by team", "One row per team, then all teams."),
    "caseload_snapshots": (
        "Average caseload on the Autumn snapshots",
        "One row per snapshot and group: the headline (qualified social workers) and each role.",
    ),
    "nqsw_caseload": ("Newly qualified social workers' caseloads", "One row per band on the month end."),
    "caseload_flags": ("Caseloads breaking a rule of appropriate work (staff-level)", "One row per person and rule."),
    "caseload_flag_counts": ("Caseloads breaking a rule of appropriate work, counted", "One row per date and rule."),
    "caseload_by_role_category": ("Caseload by role and by category", "One row per snapshot, dimension and group."),
    "caseload_change": ("Autumn against Autumn: the change in caseload", "One row per dimension and group."),
    "caseload_distribution": ("Distribution of caseloads", "One row per snapshot and caseload band."),
    "nqsw_detail": ("Newly qualified social workers (staff-level)", "One row per NQSW on the month end."),
    "nqsw_status_ends": ("When newly qualified status ends", "One row per band."),
    "principal_complexity": ("Principal social workers' complex cases", "One row per date and role."),
    "caseload_outside_employment": ("Cases held outside employment", "One row per date."),
    "caseload_staff": ("Each person's caseload (staff-level)", "One row per person on each date."),
    "spc": ("Statistical process control: every point", "One row per measure and month."),
    "spc_summary": ("Statistical process control: the month's verdicts", "One row per measure."),
    "data_quality": ("Data quality findings", "One row per finding about the data folder."),
}


def _notes(config: Settings) -> list[tuple[str, str]]:
    days, grace = config.absence_threshold_days, config.grace_days
    return [
        ("note1", "Counts are people (headcount), not full-time equivalents."),
        (
            "note2",
            f"Staff unavailable for {days} working days or more in a month are not due a supervision that month.",
        ),
        ("note3", "Annual leave and sickness are not recorded for agency staff: agency figures are a lower bound."),
        ("note4", f"A near miss is a formal supervision within {grace} calendar days after the month ends."),
        ("note5", "Rates are fractions (0.9 is 90%); [x] marks a rate or average with nothing to divide by."),
    ]


def _sheet_rows(frame: pd.DataFrame) -> tuple[list[str], list[list]]:
    """The header and rows as the CSV writes them, blanks as ``[x]``."""
    tidy = tidy_for_file(frame)
    if tidy.empty:
        return ["note"], [["No rows this month."]]
    cells = tidy.astype(object).where(tidy.notna(), NOT_APPLICABLE)
    return [str(c) for c in tidy.columns], cells.to_numpy().tolist()


def _width(header: str, rows: list[list], column: int) -> float:
    sample = [len(str(row[column])) for row in rows[:200]]
    return min(max([len(header), *sample]) + 2, 60)


def write_workbook(
    tables: dict[str, pd.DataFrame], path: Path, config: Settings, month: pd.Period, window_start: pd.Period
) -> None:
    """Write ``tables`` to ``path`` as a cover, contents, notes and one sheet per table.

    Text from the data stays text: a team named ``=HYPERLINK(...)`` is written as those characters.
    """
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    heading = book.add_format({"bold": True, "font_size": 16})
    subheading = book.add_format({"bold": True, "font_size": 12})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    link = book.add_format({"font_color": "#12436D", "underline": 1})
    period = f"{window_start.strftime('%B %Y')} to {month.strftime('%B %Y')}"
    source = f"Source: {config.report.authority}, HR, supervision and case-allocation records"

    cover = book.add_worksheet("Cover")
    cover.set_column(0, 0, 100, wrap)
    lines = [
        (f"Supervision and caseload tables, {month.strftime('%B %Y')}", heading),
        (f"Authority: {config.report.authority}", None),
        (f"Period: {period}", None),
        ("One table per worksheet, the same as the CSV files in the tables folder.", None),
        ("About these tables", subheading),
        ("Source: the authority's HR, supervision and case-allocation records.", None),
        (
            "Some worksheets list staff by pseudonymous staff ID: they are for team managers and are never emailed.",
            None,
        ),
        ("Contact", subheading),
        (config.report.contact or "Not given: set [report] contact in the configuration.", None),
    ]
    for row, (text, style) in enumerate(lines):
        cover.write_string(row, 0, text, style) if style else cover.write_string(row, 0, text)

    names = {name: name[:31] for name in tables}
    contents = book.add_worksheet("Contents")
    contents.write_string(0, 0, "Table of contents", heading)
    contents.write_string(1, 0, "This worksheet contains one table. Each sheet name links to its table.")
    entries = [[names[n], *TITLES.get(n, (n.replace("_", " ").capitalize(), ""))] for n in tables]
    contents.add_table(
        2,
        0,
        2 + len(entries),
        2,
        {
            "name": "contents",
            "columns": [{"header": h} for h in ("Sheet", "Table title", "Description")],
            "style": "Table Style Light 1",
        },
    )
    for row, (sheet, title, description) in enumerate(entries, start=3):
        contents.write_url(row, 0, f"internal:'{sheet}'!A1", link, string=sheet)
        contents.write_string(row, 1, title)
        contents.write_string(row, 2, description)
    contents.set_column(0, 0, 30)
    contents.set_column(1, 2, 70)

    notes = book.add_worksheet("Notes")
    notes.write_string(0, 0, "Notes", heading)
    notes.write_string(1, 0, "This worksheet contains one table. Tables refer to these notes as [note 1] and so on.")
    rows = _notes(config)
    notes.add_table(
        2,
        0,
        2 + len(rows),
        1,
        {
            "name": "notes",
            "columns": [{"header": "Note number"}, {"header": "Note text"}],
            "style": "Table Style Light 1",
        },
    )
    for row, (number, text) in enumerate(rows, start=3):
        notes.write_string(row, 0, number)
        notes.write_string(row, 1, text)
    notes.set_column(0, 0, 14)
    notes.set_column(1, 1, 100)

    for name, frame in tables.items():
        title, description = TITLES.get(name, (name.replace("_", " ").capitalize(), ""))
        refs = "".join(f" [note {n}]" for n in NOTE_REFERENCES.get(name, ()))
        sheet = book.add_worksheet(names[name])
        above = [
            (title + refs, heading),
            (description, None),
            (f"CSV file: tables/{name}.csv", None),
            ("This worksheet contains one table. Notes are on the Notes worksheet.", None),
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
            sheet.write_row(row, 0, values)  # blanks are [x] already
        for column, label in enumerate(header):
            sheet.set_column(column, column, _width(label, body, column))
    book.close()
