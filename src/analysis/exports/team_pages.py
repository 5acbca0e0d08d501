"""``team_detail/<team>.html``: each team's staff-level page, for that team's manager alone.

The index (``team_detail/index.html``, from ``notebooks/team_detail.ipynb``) lists the teams with
counts only and links here. A page holds one team's staff, newly qualified social workers,
caseload flags and watch list, so it stays small at any size of authority and a manager is sent
only their own staff (the data-protection minimum). Pages use the reports' own stylesheet and,
like them, need nothing from the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.presentation.formats import esc
from analysis.presentation.html_kit import Fragment, join, paragraph, section
from analysis.presentation.page import page, page_suffix
from analysis.presentation.report_inputs import ReportInputs
from analysis.presentation.sections import prose
from analysis.presentation.sections.forecast import team_forecast_sentence
from analysis.presentation.sections.front_matter import colophon, title_block
from analysis.presentation.sections.team_detail import (
    flags_detail_table,
    nqsw_detail_table,
    staff_detail,
    team_staff_section,
)
from analysis.presentation.sections.watch import watch_rows_table
from analysis.presentation.team_links import team_slugs
from analysis.tables import empty_table
from analysis.vocabulary.current import _

FOLDER = "team_detail"
TABLES_READ = (
    "coverage",
    "caseload_staff",
    "supervision_staff",
    "caseload_flags",
    "nqsw_detail",
    "watch_next_month",
    "forecast_next_month",
)


def _by_team(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return dict(tuple(frame.groupby("team", sort=False)))


def team_pages(tables: Mapping[str, pd.DataFrame], inputs: ReportInputs) -> dict[str, str]:
    """Each team's page by file name (``child-protection-north.html``), for every team with staff."""
    table = {name: tables[name] if name in tables else empty_table(name) for name in TABLES_READ}
    detail = staff_detail(table["caseload_staff"], table["supervision_staff"], table["caseload_flags"], inputs)
    if detail.empty:
        return {}
    names = team_slugs(detail["team"], inputs.team_pages)
    parts = {
        name: (_by_team(table[name]), table[name].iloc[:0])
        for name in ("nqsw_detail", "caseload_flags", "watch_next_month")
    }

    def of(name: str, team: str) -> pd.DataFrame:
        groups, empty = parts[name]
        return groups.get(team, empty)

    pages = {}
    all_teams = _("All teams")
    for team, rows in detail.groupby("team", sort=True):
        body = join(
            title_block(table["coverage"], inputs, _("Team detail: {team}", team=team), restricted=True),
            Fragment(f'<p><a href="index{page_suffix()}.html">{esc(all_teams)}</a></p>'),
            section(_("How to read this"), prose.team_detail_guide(inputs)),
            section(_("Staff"), team_staff_section(team, rows, inputs)),
            section(_("Newly qualified social workers"), nqsw_detail_table(of("nqsw_detail", team), inputs)),
            section(_("Caseload flags"), flags_detail_table(of("caseload_flags", team), inputs)),
            section(_("To watch next month"), watch_rows_table(of("watch_next_month", team), inputs)),
            section(
                _("Next month's forecast"),
                paragraph(team_forecast_sentence(table["forecast_next_month"], str(team), inputs.month, inputs.target)),
            ),
            colophon(inputs),
        )
        pages[f"{names[team]}{page_suffix()}.html"] = page(body.title or _("Team detail: {team}", team=team), str(body))
    return pages


def write_team_pages(tables: Mapping[str, pd.DataFrame], inputs: ReportInputs, folder: Path) -> list[Path]:
    """Write every team's page into ``folder``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in team_pages(tables, inputs).items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
