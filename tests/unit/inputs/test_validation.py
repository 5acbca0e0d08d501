"""``validate``: every planted problem reported with file, row and column; malformed input never crashes."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.inputs.findings import Finding, findings_frame
from analysis.inputs.loading import load_dataset
from analysis.inputs.validation import PRINT_LIMIT, count_line, report_lines, validate_command
from analysis.paths import PROJECT_ROOT, SAMPLE_DATA

from conftest import good_frames, write_tables

# file, spreadsheet row, column of each problem planted by ``planted_folder``
PLANTED = {
    ("absences.csv", None, "absence_type"),  # missing column
    ("supervisions.csv", 3, "supervision_date"),  # bad date
    ("allocations.csv", 4, "end_date"),  # end before start
    ("staff.csv", 2, "role"),  # unknown role
    ("staff.csv", 6, "fte"),  # fte of 1.5
    ("staff.csv", 3, "start_date"),  # overlapping assignments, both rows
    ("staff.csv", 4, "start_date"),
}


def planted_folder(folder):
    frames = good_frames()
    frames["absences"] = frames["absences"].drop(columns="absence_type")
    frames["supervisions"].loc[1, "supervision_date"] = "16/13/2019"
    frames["allocations"].loc[2, "end_date"] = "2019-05-31"
    frames["staff"].loc[0, "role"] = "Wizard"
    frames["staff"].loc[4, "fte"] = "1.5"
    frames["staff"].loc[2, "start_date"] = "2019-05-01"
    return write_tables(folder, **frames)


def test_every_planted_problem_is_reported_with_file_row_and_column(tmp_path, config):
    findings = load_dataset(planted_folder(tmp_path), config).findings
    assert {(f.file, f.row, f.column) for f in findings} == PLANTED
    assert all(f.severity == "error" for f in findings)


def test_validate_through_the_cli(tmp_path, capsys):
    status = main(["validate", "--data", str(planted_folder(tmp_path))])
    out = capsys.readouterr().out.splitlines()
    assert status == 2
    assert out[-1] == "7 errors, 0 queries in 4 files"
    assert len(out) == 8
    for file, row, column in PLANTED:
        assert any(
            file in line and (row is None or f"row {row}," in line) and f"column {column}" in line for line in out
        ), (file, row, column)


def test_validate_as_a_command(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", "--data", str(planted_folder(tmp_path))],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "staff.csv, row 6, column fte (value '1.5')" in done.stdout
    assert done.stdout.splitlines()[-1] == "7 errors, 0 queries in 4 files"


def test_clean_folder_exits_0(good_dir, config):
    out = io.StringIO()
    assert validate_command(good_dir, config, out) == 0
    assert out.getvalue() == "0 errors, 0 queries in 4 files\n"


def test_queries_alone_exit_0_and_are_listed(tmp_path, config):
    frames = good_frames()
    frames["supervisions"] = pd.concat([frames["supervisions"]] * 2, ignore_index=True)
    out = io.StringIO()
    assert validate_command(write_tables(tmp_path, **frames), config, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[-1] == "0 errors, 4 queries in 4 files"
    assert all(line.startswith("QUERY duplicate_row supervisions.csv, row") for line in lines[:-1])


def test_errors_come_first_grouped_by_file():
    findings = [
        Finding("unknown_staff", "query", "a.csv", 2, "staff_id", "x", "m"),
        Finding("bad_date", "error", "staff.csv", 9, "start_date", "x", "m"),
        Finding("bad_fte", "error", "staff.csv", 3, "fte", "x", "m"),
        Finding("missing_column", "error", "absences.csv", None, "absence_type", None, "m"),
    ]
    codes = [line.split()[1] for line in report_lines(findings)]
    assert codes == ["missing_column", "bad_fte", "bad_date", "unknown_staff"]


def test_printing_is_capped_but_everything_is_counted():
    findings = [Finding("bad_fte", "error", "staff.csv", r, "fte", "2", "m") for r in range(2, 130)]
    lines = report_lines(findings, limit=50)
    assert len(lines) == 51
    assert lines[-1] == "ERROR bad_fte staff.csv: 78 more not shown"
    assert count_line(findings, 1) == "128 errors, 0 queries in 1 file"


def test_count_line_grammar():
    one = [Finding("x", "error", "f", 2, "c", "v", "m"), Finding("y", "query", "f", 2, "c", "v", "m")]
    assert count_line(one, 1) == "1 error, 1 query in 1 file"
    assert count_line([], 0) == "0 errors, 0 queries in 0 files"


def test_data_quality_frame(tmp_path, config):
    frame = findings_frame(load_dataset(planted_folder(tmp_path), config).findings)
    assert list(frame.columns) == ["code", "severity", "file", "row", "column", "value", "message"]
    assert len(frame) == 7 and frame["file"].iloc[0] == "absences.csv"


def test_missing_folder_contents_are_reported_not_raised(tmp_path, config):
    out = io.StringIO()
    assert validate_command(tmp_path, config, out) == 2
    assert out.getvalue().splitlines()[-1] == "4 errors, 0 queries in 0 files"


@pytest.mark.skipif(not (SAMPLE_DATA / "staff.csv").exists(), reason="data/sample not generated yet")
def test_sample_has_no_errors(config):
    assert load_dataset(SAMPLE_DATA, config).errors == []


# --- malformed input never ends in a traceback ------------------------------------------------------

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _one_sentence(finding):
    return "\n" not in finding.message and "Traceback" not in finding.message


@FUZZ
@given(content=st.binary(max_size=300), name=st.sampled_from(["staff.csv", "absences.csv", "staff.xlsx"]))
def test_random_bytes(tmp_path_factory, config, content, name):
    frames = good_frames()
    stem = name.split(".")[0]
    frames.pop(stem)
    folder = write_tables(tmp_path_factory.mktemp("fuzz"), **frames, **{name: content})
    out = io.StringIO()
    status = validate_command(folder, config, out)
    assert status in (0, 2)
    findings = load_dataset(folder, config).findings
    assert all(_one_sentence(f) for f in findings)
    assert re.fullmatch(r"\d+ errors?, \d+ quer(y|ies) in \d files?", out.getvalue().splitlines()[-1])


header_text = st.sampled_from(["staff_id", "absence_type", "start_date", "end_date", "Reason", "", " staff_id "])
cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "S1", "2019-09-09", "09/09/2019", "annual_leave", '"', ",", "\n", "\ufeff", "1.5", "nan", "31/02/2019"]
    ),
)


@FUZZ
@given(headers=st.lists(header_text, min_size=1, max_size=6), rows=st.lists(st.lists(cell, max_size=7), max_size=6))
def test_random_cells(tmp_path_factory, config, headers, rows):
    lines = [",".join(headers)] + [",".join(r) for r in rows]
    folder = write_tables(tmp_path_factory.mktemp("fuzz"), **{**good_frames(), "absences": "\n".join(lines)})
    data = load_dataset(folder, config)
    assert all(_one_sentence(f) for f in data.findings)
    assert all(f.file == "absences.csv" for f in data.findings)


@FUZZ
@given(text=st.text(max_size=200))
def test_random_text(tmp_path_factory, config, text):
    folder = write_tables(tmp_path_factory.mktemp("fuzz"), **{**good_frames(), "supervisions": text})
    out = io.StringIO()
    assert validate_command(folder, config, out) in (0, 2)


@FUZZ
@given(
    cells=st.lists(
        st.one_of(
            st.none(),
            st.integers(-(10**12), 10**12),
            st.floats(allow_nan=True),
            st.datetimes(),
            # Text a workbook can hold: XML has no lone surrogates and no U+FFFE or U+FFFF.
            st.text(
                st.characters(min_codepoint=32, exclude_categories=("Cs",), exclude_characters="\ufffe\uffff"),
                max_size=8,
            ),
            st.booleans(),
        ),
        min_size=4,
        max_size=12,
    )
)
def test_random_xlsx_cells(tmp_path_factory, config, cells):
    from openpyxl import Workbook

    frames = good_frames()
    frames.pop("supervisions")
    folder = write_tables(tmp_path_factory.mktemp("fuzz"), **frames)
    book = Workbook()
    sheet = book.active
    sheet.append(["staff_id", "supervision_date", "supervision_type"])
    for start in range(0, len(cells), 3):
        sheet.append(cells[start : start + 3])
    book.save(folder / "supervisions.xlsx")
    data = load_dataset(folder, config)
    assert all(_one_sentence(f) for f in data.findings)


# --- the hand-made folders in tests/data ------------------------------------------------------------

TEST_DATA = PROJECT_ROOT / "tests" / "data"


def test_hand_made_planted_folder(capsys):
    assert main(["validate", "--data", str(TEST_DATA / "planted")]) == 2
    lines = capsys.readouterr().out.splitlines()
    reported = {
        tuple(re.match(r"ERROR (\w+) ([\w.]+)(?:, row (\d+))?, column (\w+)", line).groups()) for line in lines[:-1]
    }
    assert reported == {
        ("missing_column", "absences.csv", None, "absence_type"),
        ("bad_date", "supervisions.csv", "4", "supervision_date"),
        ("end_before_start", "allocations.csv", "4", "end_date"),
        ("unknown_code", "staff.csv", "2", "role"),
        ("bad_fte", "staff.csv", "6", "fte"),
        ("overlapping_assignments", "staff.csv", "4", "start_date"),
        ("overlapping_assignments", "staff.csv", "5", "start_date"),
    }
    assert lines[-1] == "7 errors, 0 queries in 4 files"


@pytest.mark.parametrize("folder", ["good", "extract"])
def test_hand_made_clean_folders(folder, capsys):
    assert main(["validate", "--data", str(TEST_DATA / folder)]) == 0
    assert capsys.readouterr().out == "0 errors, 0 queries in 4 files\n"


@pytest.mark.parametrize("command", ["tables", "report"])
def test_report_and_tables_print_findings_as_validate_does(tmp_path, capsys, command):
    """Thousands of findings: capped per rule and file, sorted, with a total; nothing written."""
    from analysis.cli import main

    lines = ["staff_id,supervision_date,supervision_type"] + [f"S1,2019-10-01x{n},formal" for n in range(120)]
    folder = write_tables(tmp_path / "data", **{**good_frames(), "supervisions": "\n".join(lines) + "\n"})
    argv = [command, "--data", str(folder), "--month", "2019-11", "--out", str(tmp_path / "out")]
    assert main(argv) == 2
    err = capsys.readouterr().err.splitlines()
    shown = [line for line in err if line.startswith("ERROR bad_date supervisions.csv, row")]
    assert len(shown) == PRINT_LIMIT
    assert [int(line.split("row ")[1].split(",")[0]) for line in shown] == list(range(2, 2 + PRINT_LIMIT))
    assert f"ERROR bad_date supervisions.csv: {120 - PRINT_LIMIT} more not shown" in err
    assert err[-1] == "error: 120 errors, 0 queries in 1 file; nothing was written."
    assert not (tmp_path / "out").exists()


def test_a_header_holding_a_line_break_is_named_on_one_line(tmp_path, config):
    # Found by test_random_cells: a quote opens a field that runs over the line end, so the only
    # header is ",\n,".
    folder = write_tables(tmp_path, **{**good_frames(), "absences": '\n",\n,'})
    findings = load_dataset(folder, config).findings
    assert findings and all(_one_sentence(f) for f in findings)
    assert "its header is ,\\n," in findings[0].message
