"""``tables.xlsx``: the month's tables as an accessible statistics workbook (the Analysis Function's gptables).

A cover (title, period, source, contact), a contents sheet, a notes sheet, then one table per
sheet, each with a title, a description and a marked header row; no merged cells, no meaning in
colour. Blank cells of the CSVs (nothing to count) are written ``[x]``, the standard's shorthand,
explained on each sheet. The CSVs are unchanged: this is a second view of the same tables.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import gptables as gpt
import pandas as pd

from analysis.config import Settings
from analysis.report.table_files import tidy_for_file

# gptables (2.0) warns of pandas deprecations inside itself, and of notes a sheet does not cite.
warnings.filterwarnings("ignore", module=r"gptables\.")

NOT_APPLICABLE = "[x]"
# Which notes each table's title refers to (gptables shows ``$$note1$$`` as ``[note 1]``).
NOTE_REFERENCES = {
    "supervision_monthly": "$$note1$$$$note2$$$$note3$$$$note4$$$$note5$$",
    "caseload_snapshots": "$$note1$$$$note5$$",
}
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


def _notes(config: Settings) -> pd.DataFrame:
    days, grace = config.absence_threshold_days, config.grace_days
    return pd.DataFrame(
        {
            "Note number": ["note1", "note2", "note3", "note4", "note5"],
            "Note text": [
                "Counts are people (headcount), not full-time equivalents.",
                f"Staff unavailable for {days} working days or more in a month are not due a supervision that month.",
                "Annual leave and sickness are not recorded for agency staff: agency figures are a lower bound.",
                f"A near miss is a formal supervision within {grace} calendar days after the month ends.",
                "Rates are fractions (0.9 is 90%); [x] marks a rate or average with nothing to divide by.",
            ],
        }
    )


def _sheet_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as the CSV writes it, blanks as ``[x]``."""
    tidy = tidy_for_file(frame)
    if tidy.empty:
        return pd.DataFrame({"note": ["No rows this month."]})
    return tidy.astype(object).where(tidy.notna(), NOT_APPLICABLE)


def write_workbook(
    tables: dict[str, pd.DataFrame], path: Path, config: Settings, month: pd.Period, window_start: pd.Period
) -> None:
    """Write ``tables`` to ``path`` as a cover, contents, notes and one sheet per table.

    Text from the data stays text: a team named ``=HYPERLINK(...)`` is written as those characters.
    """
    sheets = {}
    for name, frame in tables.items():
        title, description = TITLES.get(name, (name.replace("_", " ").capitalize(), ""))
        title += NOTE_REFERENCES.get(name, "")
        sheets[name[:31]] = gpt.GPTable(
            table=_sheet_table(frame),
            table_name=name,
            title=title,
            subtitles=[description, f"CSV file: tables/{name}.csv"],
            instructions="This worksheet contains one table. Notes are on the Notes worksheet.",
            source=f"Source: {config.report.authority}, HR, supervision and case-allocation records",
            index_columns={},
        )
    contact = config.report.contact or "Not given: set [report] contact in the configuration."
    cover = gpt.Cover(
        title=f"Supervision and caseload tables, {month.strftime('%B %Y')}",
        intro=[
            f"Authority: {config.report.authority}",
            f"Period: {window_start.strftime('%B %Y')} to {month.strftime('%B %Y')}",
            "One table per worksheet, the same as the CSV files in the tables folder.",
        ],
        about=[
            "Source: the authority's HR, supervision and case-allocation records.",
            "Some worksheets list staff by pseudonymous staff ID: they are for team managers and are never emailed.",
        ],
        contact=[contact],
    )
    gpt.write_workbook(
        filename=str(path),
        sheets=sheets,
        cover=cover,
        notes_table=_notes(config),
        contentsheet_options={"additional_elements": ["subtitles"]},
        workbook_options={"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
