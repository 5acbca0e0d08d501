"""tables.xlsx as a statistics workbook: cover, contents, notes, one marked table per sheet, text kept as text."""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from analysis.config import load_config
from analysis.exports.workbook import NOT_APPLICABLE, write_workbook
from analysis.table_spec import SPECS
from analysis.tables import TABLES

MONTH, START = pd.Period("2019-12", "M"), pd.Period("2019-09", "M")


def _monthly() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [pd.Period("2019-12", "M")] * 2,
            "category": ["all", "nqsw"],
            "in_scope": [10, 0],
            "due": [8.0, 0.0],
            "supervised": [7, 0],
            "compliance": [0.875, np.nan],
            "near_miss": [1, 0],
        }
    )


def _book(tmp_path, tables, config=None):
    path = tmp_path / "tables.xlsx"
    write_workbook(tables, path, config or load_config(), MONTH, START)
    return load_workbook(path)


def _rows(sheet):
    return [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]


def test_cover_contents_and_notes_come_first_then_a_sheet_per_table(tmp_path):
    teams = pd.DataFrame({"team": ["Assessment"], "due": [3]})
    book = _book(tmp_path, {"supervision_monthly": _monthly(), "supervision_teams": teams})
    assert book.sheetnames == ["Cover", "Contents", "Notes", "supervision_monthly", "supervision_teams"]
    cover = " ".join(str(v) for row in _rows(book["Cover"]) for v in row if v)
    assert "Supervision and caseload tables, December 2019" in cover
    assert "Period: September 2019 to December 2019" in cover
    assert "Sample County Council (synthetic data)" in cover
    assert "The performance and information team" in cover
    contents = " ".join(str(v) for row in _rows(book["Contents"]) for v in row if v)
    assert SPECS["supervision_teams"].title in contents and "supervision_monthly" in contents
    notes = " ".join(str(v) for row in _rows(book["Notes"]) for v in row if v)
    assert "10 working days or more" in notes and "within 7 calendar days" in notes


def test_each_table_sheet_has_a_title_and_one_marked_table_with_the_csv_columns(tmp_path):
    book = _book(tmp_path, {"supervision_monthly": _monthly()})
    sheet = book["supervision_monthly"]
    assert sheet["A1"].value.startswith("Formal supervision by month and category")
    assert "[note 2]" in sheet["A1"].value
    (table,) = sheet.tables.values()
    header_row = int(table.ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    header = [c.value for c in sheet[header_row]]
    assert header == list(_monthly().columns)
    assert [c.value for c in sheet[header_row + 1]] == ["2019-12", "all", 10, 8, 7, 0.875, 1]
    assert [c.value for c in sheet[header_row + 2]] == ["2019-12", "nqsw", 0, 0, 0, NOT_APPLICABLE, 0]
    assert not sheet.merged_cells.ranges


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    hostile = '=HYPERLINK("http://example.invalid","Assessment")'
    book = _book(tmp_path, {"supervision_teams": pd.DataFrame({"team": [hostile, "+1", "www.example.invalid"]})})
    cells = [c for row in book["supervision_teams"].iter_rows() for c in row if c.value in (hostile, "+1")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
    assert not any(c.hyperlink for row in book["supervision_teams"].iter_rows() for c in row)


def test_an_empty_table_still_gets_its_sheet_saying_so(tmp_path):
    book = _book(tmp_path, {"caseload_flags": pd.DataFrame(columns=["as_at", "staff_id"])})
    assert "No rows this month." in [v for row in _rows(book["caseload_flags"]) for v in row]


def test_every_table_of_the_registry_has_a_spec_with_a_title_and_description():
    assert set(TABLES) <= set(SPECS)
    assert all(SPECS[name].title and SPECS[name].description.startswith("One row") for name in TABLES)


def test_the_contact_comes_from_the_settings(tmp_path):
    config = load_config()
    config = config.model_copy(update={"report": config.report.model_copy(update={"contact": "stats@council.example"})})
    book = _book(tmp_path, {"supervision_monthly": _monthly()}, config)
    assert "stats@council.example" in " ".join(str(v) for row in _rows(book["Cover"]) for v in row if v)


def test_the_books_properties_come_from_the_run(tmp_path):
    from datetime import datetime

    path = tmp_path / "tables.xlsx"
    write_workbook({"supervision_monthly": _monthly()}, path, load_config(), MONTH, START, datetime(2020, 1, 6, 9, 30))
    props = load_workbook(path).properties
    assert props.title == "Supervision and caseload tables, December 2019"
    assert props.creator == "Sample County Council (synthetic data)"
    assert props.created == datetime(2020, 1, 6, 9, 30)


def test_every_sheet_prints_one_page_wide_with_its_header_repeated(tmp_path):
    wide = pd.DataFrame({f"c{i}": [i] for i in range(9)})
    book = _book(tmp_path, {"supervision_monthly": _monthly(), "supervision_teams": wide})
    for sheet in book.worksheets:
        # fitToWidth is written only when not 1 (its default in the file format)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1)
        assert sheet.page_setup.fitToHeight == 0 and sheet.page_setup.paperSize == 9  # A4, as many pages down
    assert book["supervision_teams"].page_setup.orientation == "landscape"
    assert book["supervision_monthly"].page_setup.orientation != "landscape"  # seven columns fit portrait
    (table,) = book["supervision_monthly"].tables.values()
    header_row = table.ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert book["supervision_monthly"].print_title_rows == f"${header_row}:${header_row}"


def test_z_marks_only_a_figure_with_nothing_to_divide_by_and_other_blanks_stay_blank(tmp_path):
    staff = pd.DataFrame(
        {
            "month": ["2019-12"],
            "staff_id": ["S1"],
            "exclusion_reason": [None],
            "last_formal_supervision": [pd.NaT],
            "consecutive_misses": [2],
        }
    )
    book = _book(tmp_path, {"supervision_staff": staff, "supervision_monthly": _monthly()})
    (table,) = book["supervision_staff"].tables.values()
    first = int(table.ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert [c.value for c in book["supervision_staff"][first + 1]] == ["2019-12", "S1", None, None, 2]
    cells = [v for row in _rows(book["supervision_staff"]) for v in row]
    assert NOT_APPLICABLE not in cells and "[x]" not in cells
    assert NOT_APPLICABLE == "[z]"
    notes = " ".join(str(v) for row in _rows(book["Notes"]) for v in row if v)
    assert "[z] marks a rate or average with nothing to divide by (not applicable)" in notes


def test_a_table_without_rows_has_the_header_of_its_csv(tmp_path):
    empty = pd.DataFrame(columns=["code", "severity", "file", "row", "column", "value", "message"])
    book = _book(tmp_path, {"data_quality": empty})
    (table,) = book["data_quality"].tables.values()
    first = int(table.ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert [c.value for c in book["data_quality"][first]] == list(empty.columns)
    assert book["data_quality"].cell(first + 1, 1).value == "No rows this month."
