"""Reading a data folder: types, dates, maps, XLSX, the SSD preset, spreadsheet rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from analysis.config import ConfigError, load_config
from analysis.inputs.dataset import COLUMNS, empty_table
from analysis.inputs.findings import InputError
from analysis.inputs.loading import load_dataset, load_valid_dataset, record_key
from analysis.inputs.parsing import parse_dates

from conftest import good_frames, write_tables


def test_good_folder_gives_typed_canonical_frames(good_dir, config):
    data = load_valid_dataset(good_dir, config)
    for name, frame in data.tables().items():
        assert list(frame.columns) == [*COLUMNS[name], "row"]
        assert frame.dtypes.astype(str).to_dict() == empty_table(name).dtypes.astype(str).to_dict() | {
            c: "str" for c in frame.columns if empty_table(name)[c].dtype == object
        }
    staff = data.staff
    assert staff["start_date"].tolist()[:2] == [pd.Timestamp("2018-01-01"), pd.Timestamp("2017-05-01")]
    assert staff["end_date"].isna().tolist() == [True, False, True, True, False]
    assert staff["fte"].tolist() == [1.0, 0.5, 1.0, 1.0, 1.0]
    assert staff["row"].tolist() == [2, 3, 4, 5, 6]
    assert data.allocations["case_type"].isna().tolist() == [False, False, True, False]
    assert sorted(data.files) == ["absences", "allocations", "staff", "supervisions"]


def test_dates_are_midnight_nanoseconds(good_dir, config):
    data = load_valid_dataset(good_dir, config)
    assert str(data.supervisions["supervision_date"].dtype) == "datetime64[ns]"
    assert (data.supervisions["supervision_date"] == data.supervisions["supervision_date"].dt.normalize()).all()


def test_uk_and_iso_dates_in_one_column(tmp_path, config):
    frames = good_frames()
    frames["supervisions"]["supervision_date"] = ["15/10/2019", "2019-10-16", " 07/11/2019 ", "2019-11-01 00:00:00"]
    data = load_valid_dataset(write_tables(tmp_path, **frames), config)
    assert data.supervisions["supervision_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-10-15",
        "2019-10-16",
        "2019-11-07",
        "2019-11-01",
    ]


def test_parse_dates_rejects_impossible_and_american_dates():
    got = parse_dates(pd.Index(["31/12/2019", "12/31/2019", "2019-02-29", "2020-02-29", "", "1899-12-31"]))
    assert pd.Series(got).dt.strftime("%Y-%m-%d").fillna("NaT").tolist() == [
        "2019-12-31",
        "NaT",
        "NaT",
        "2020-02-29",
        "NaT",
        "NaT",
    ]


def test_bom_is_tolerated(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **frames)
    (folder / "staff.csv").write_bytes(frames["staff"].to_csv(index=False).encode("utf-8-sig"))
    assert len(load_valid_dataset(folder, config).staff) == 5


def test_crlf_line_ends(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **frames)
    (folder / "absences.csv").write_bytes(frames["absences"].to_csv(index=False, lineterminator="\r\n").encode())
    assert load_valid_dataset(folder, config).absences["end_date"].tolist() == [
        pd.Timestamp("2019-09-20"),
        pd.Timestamp("2019-10-02"),
    ]


def test_headers_are_trimmed_and_case_insensitive_and_extra_columns_ignored(tmp_path, config):
    frames = good_frames()
    frames["supervisions"].columns = [" Staff_ID", "SUPERVISION_DATE ", "Supervision_Type"]
    frames["supervisions"]["notes"] = "x"
    data = load_valid_dataset(write_tables(tmp_path, **frames), config)
    assert list(data.supervisions.columns) == ["staff_id", "supervision_date", "supervision_type", "row"]


def test_column_and_value_maps_from_the_shipped_config(tmp_path, config):
    frames = good_frames()
    staff = frames["staff"].rename(
        columns={
            "staff_id": "Employee Number",
            "role": "Job Title",
            "employment": "Contract Type",
            "start_date": "Date Started",
            "end_date": "Date Left",
            "qualified_date": "Qualification Date",
        }
    )
    staff["Job Title"] = ["Social Worker", " social worker", "SENIOR SOCIAL WORKER", "Team Manager", "social_worker"]
    staff["Contract Type"] = ["Perm", "permanent", "Fixed Term", "perm", "Locum"]
    absences = frames["absences"].rename(columns={"absence_type": "Absence Reason"})
    absences["Absence Reason"] = ["AL", "Sick Leave"]
    data = load_valid_dataset(write_tables(tmp_path, **{**frames, "staff": staff, "absences": absences}), config)
    assert data.staff["role"].tolist() == [
        "social_worker",
        "social_worker",
        "senior_social_worker",
        "team_manager",
        "social_worker",
    ]
    assert data.staff["employment"].tolist() == ["permanent"] * 4 + ["agency"]
    assert data.absences["absence_type"].tolist() == ["annual_leave", "sickness"]


def test_override_config_adds_maps(tmp_path):
    override = tmp_path / "council.toml"
    override.write_text(
        '[columns.supervisions]\n"Worker Ref" = "staff_id"\n[values.supervision_type]\n"Reflective 1-2-1" = "formal"\n'
    )
    config = load_config(override)
    frames = good_frames()
    supervisions = frames["supervisions"].rename(columns={"staff_id": "worker ref"})
    supervisions["supervision_type"] = ["reflective 1-2-1", "formal", "group", "Reflective 1-2-1 "]
    data = load_valid_dataset(write_tables(tmp_path / "d", **{**frames, "supervisions": supervisions}), config)
    assert data.supervisions["supervision_type"].tolist() == ["formal", "formal", "group", "formal"]


def test_a_value_map_onto_a_non_canonical_value_is_refused(tmp_path):
    override = tmp_path / "bad.toml"
    override.write_text('[values.role]\n"wizard" = "sorcerer"\n')
    with pytest.raises(ConfigError, match="'sorcerer' is not a role"):
        load_config(override)


def test_ssd_involvements_preset(tmp_path, config):
    frames = good_frames()
    allocations = frames.pop("allocations")
    ssd = pd.DataFrame(
        {
            "invo_involvements_id": [1, 2, 3, 4],
            "invo_professional_id": allocations["staff_id"],
            "invo_person_id": allocations["case_id"],
            "invo_involvement_start_date": allocations["start_date"],
            "invo_involvement_end_date": allocations["end_date"],
            "invo_professional_role_id": "SW",
        }
    )
    data = load_valid_dataset(write_tables(tmp_path, ssd_involvements=ssd, **frames), config)
    allocations = data.text("allocations")
    assert allocations["staff_id"].tolist() == ["S1", "S1", "S2", "S4"]
    assert allocations["case_id"].tolist() == ["C1", "C2", "C3", "C1"]
    assert data.allocations["case_type"].isna().all()
    assert data.files["allocations"].name == "ssd_involvements.csv"


def test_ssd_problem_names_the_ssd_file(tmp_path, config):
    frames = good_frames()
    frames.pop("allocations")
    ssd = "invo_professional_id,invo_person_id,invo_involvement_start_date\nS1,C1,2019-13-01\n"
    data = load_dataset(write_tables(tmp_path, ssd_involvements=ssd, **frames), config)
    assert [(f.code, f.file, f.row, f.column) for f in data.findings] == [
        ("bad_date", "ssd_involvements.csv", 2, "start_date")
    ]


def _xlsx(path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_xlsx_with_date_cells_and_numbers(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "staff"})
    _xlsx(
        folder / "staff.xlsx",
        {
            "Cover": [["HR extract"]],
            "Staff": [
                ["staff_id", "team", "role", "employment", "start_date", "end_date", "qualified_date", "fte"],
                ["S1", "North", "social_worker", "permanent", dt.datetime(2018, 1, 1), None, dt.date(2018, 11, 30), 1],
                ["S2", "North", "social_worker", "permanent", "01/05/2017", "2019-05-31", None, 0.5],
                ["S2", "South", "senior_social_worker", "permanent", dt.datetime(2019, 6, 1), None, None, None],
                [1234, "South", "team_manager", "permanent", dt.datetime(2015, 1, 1), None, None, 1.0],
            ],
        },
    )
    data = load_dataset(folder, config.with_changes(unmatched_share=1.0))
    staff = data.text("staff")
    assert staff["staff_id"].tolist() == ["S1", "S2", "S2", "1234"]
    assert staff["start_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2018-01-01",
        "2017-05-01",
        "2019-06-01",
        "2015-01-01",
    ]
    assert staff["qualified_date"].iloc[0] == pd.Timestamp("2018-11-30")
    assert staff["fte"].tolist() == [1.0, 0.5, 1.0, 1.0]
    assert staff["row"].tolist() == [2, 3, 4, 5]
    # S3 and S4 of the CSVs are now unknown, and reported as such.
    assert {f.code for f in data.findings} == {"unknown_staff"}


def test_xlsx_single_sheet_with_any_name_and_its_row_numbers(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "supervisions"})
    _xlsx(
        folder / "supervisions.xlsx",
        {
            "Sheet1": [
                ["Staff_ID", "Supervision_Date", "Supervision_Type"],
                ["S1", dt.datetime(2019, 10, 15), "formal"],
                ["S2", "not a date", "Formal 1:1"],
            ]
        },
    )
    data = load_dataset(folder, config)
    assert [(f.code, f.file, f.row, f.column, f.value) for f in data.findings] == [
        ("bad_date", "supervisions.xlsx", 3, "supervision_date", "not a date")
    ]
    assert data.supervisions["supervision_type"].tolist() == ["formal", "formal"]


def test_empty_xlsx_sheet_is_an_empty_file(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "absences"})
    _xlsx(folder / "absences.xlsx", {"absences": []})
    assert [(f.code, f.file) for f in load_dataset(folder, config).findings] == [("empty_file", "absences.xlsx")]


def test_header_only_file_is_an_empty_table(tmp_path, config):
    frames = good_frames()
    data = load_valid_dataset(
        write_tables(tmp_path, **{**frames, "absences": "staff_id,absence_type,start_date,end_date\n"}), config
    )
    assert data.absences.empty and list(data.absences.columns) == [*COLUMNS["absences"], "row"]


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path, config):
    text = "staff_id,supervision_date,supervision_type\nS1,2019-10-15,formal\n,,\n\nS2,2019-13-16, \n,,\n"
    data = load_dataset(write_tables(tmp_path, **{**good_frames(), "supervisions": text}), config)
    assert sorted((f.code, f.row) for f in data.findings) == [("bad_date", 5), ("blank_value", 5)]
    assert data.supervisions["row"].tolist() == [2, 5]


def test_load_valid_dataset_raises_with_every_finding(tmp_path, config):
    frames = good_frames()
    frames["staff"].loc[0, "fte"] = "2"
    frames["supervisions"].loc[0, "staff_id"] = "nobody"
    with pytest.raises(InputError) as caught:
        load_valid_dataset(write_tables(tmp_path, **frames), config.with_changes(unmatched_share=0.5))
    assert sorted(f.code for f in caught.value.findings) == ["bad_fte", "unknown_staff"]


def test_queries_alone_do_not_stop_the_run(tmp_path, config):
    frames = good_frames()
    frames["supervisions"].loc[0, "staff_id"] = "nobody"  # 1 of 4 records: allowed with a share of 0.5
    data = load_valid_dataset(write_tables(tmp_path, **frames), config.with_changes(unmatched_share=0.5))
    assert [f.code for f in data.queries] == ["unknown_staff"] and data.errors == []


def test_record_key_equal_exactly_where_all_columns_are():
    a = np.array([0, 1, 0, 0, 2])
    b = np.array([5, 5, 5, 6, -1])
    key = record_key([a, b])
    assert (key[0] == key[2]) and len(set(key.tolist())) == 4


def test_record_key_survives_many_wide_columns():
    rng = np.random.default_rng(0)
    columns = [rng.integers(0, 2_000_000, 1000) for _ in range(6)]
    columns.append(columns[0].copy())
    key = record_key(columns)
    assert len(set(key.tolist())) == len({tuple(r) for r in np.column_stack(columns).tolist()})


def test_xlsx_header_below_a_title_and_blank_rows(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "supervisions"})
    _xlsx(
        folder / "supervisions.xlsx",
        {
            "supervisions": [
                ["Supervision extract, run 2019-12-02"],
                [],
                [None, "staff_id", "supervision_date", "supervision_type"],
                [None, "S1", dt.datetime(2019, 10, 15), "formal"],
                [],
                [None, "S2", "16/10/2019", "chat"],
            ]
        },
    )
    data = load_dataset(folder, config)
    assert [(f.code, f.row, f.column) for f in data.findings] == [("unknown_code", 6, "supervision_type")]
    assert data.supervisions["row"].tolist() == [4, 6]


def test_an_hr_style_extract_reads_as_the_canonical_folder(config):
    """tests/data/extract: HR headers and codes, UK dates, BOM and CRLF, and the SSD allocations."""
    from analysis.paths import PROJECT_ROOT

    good = load_valid_dataset(PROJECT_ROOT / "tests" / "data" / "good", config)
    extract = load_valid_dataset(PROJECT_ROOT / "tests" / "data" / "extract", config)
    for name in ("staff", "absences", "supervisions"):
        pd.testing.assert_frame_equal(extract.text(name), good.text(name))
    columns = ["case_id", "staff_id", "start_date", "end_date", "row"]
    pd.testing.assert_frame_equal(extract.text("allocations")[columns], good.text("allocations")[columns])


def test_file_names_match_case_insensitively(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "staff"})
    frames["staff"].to_csv(folder / "Staff.CSV", index=False)
    data = load_valid_dataset(folder, config)
    assert len(data.staff) == 5 and data.files["staff"].name == "Staff.CSV"


# --- what real systems write (issue: no silently wrong figure) -----------------------------------


def test_excel_ids_read_the_same_from_a_workbook_and_a_csv(tmp_path, config):
    """Staff ids typed as numbers: 1001 in staff.xlsx, 1001.0 in the CSVs Excel saved."""
    frames = good_frames()
    numbers = {"S1": "1001", "S2": "1002", "S3": "1003", "S4": "1004"}
    for name in ("absences", "supervisions", "allocations"):
        frames[name]["staff_id"] = frames[name]["staff_id"].map(numbers) + ".0"
    frames["allocations"]["case_id"] = ["7.0", "8", "9.00", "7"]
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "staff"})
    staff = frames["staff"].assign(staff_id=frames["staff"]["staff_id"].map(numbers).astype(int))
    rows = [list(staff.columns)] + [[(None if v == "" else v) for v in r] for r in staff.itertuples(index=False)]
    rows = [[int(v) if isinstance(v, str) and v.isdigit() else v for v in r] for r in rows]
    _xlsx(folder / "staff.xlsx", {"staff": [[float(v) if isinstance(v, int) else v for v in r] for r in rows]})
    data = load_valid_dataset(folder, config)
    assert data.findings == []
    assert sorted(set(data.text("staff")["staff_id"])) == ["1001", "1002", "1003", "1004"]
    assert data.text("supervisions")["staff_id"].tolist() == ["1001", "1002", "1003", "1004"]
    assert data.text("allocations")["case_id"].tolist() == ["7", "8", "9", "7"]


@pytest.mark.parametrize(
    "written",
    [
        "2019-10-15 00:00:00.000",  # SQL Server (the Standard Safeguarding Dataset)
        "2019-10-15T00:00:00",
        "15/10/2019 00:00",  # Excel's UK CSV export
        "2019-10-15 14:30",  # a supervision with its time
        "15/10/2019 2:30 PM",
        "15-Oct-2019",
        "15 October 2019",
        "15 Oct 2019",
    ],
)
def test_dates_as_real_systems_write_them_are_that_date(tmp_path, config, written):
    frames = good_frames()
    frames["supervisions"].loc[0, "supervision_date"] = written
    data = load_valid_dataset(write_tables(tmp_path, **frames), config)
    assert data.supervisions["supervision_date"].iloc[0] == pd.Timestamp("2019-10-15")


@pytest.mark.parametrize(
    "written, says",
    [
        ("15/10/19", "two-digit year"),
        ("15-Oct-19", "two-digit year"),
        ("43753", "Excel date serial"),
        ("10/15/2019", "US date"),
        ("2019-02-30", "expected YYYY-MM-DD or DD/MM/YYYY"),
        ("1819-10-15", "outside 1900-2100"),
    ],
)
def test_dates_in_forms_that_cannot_be_trusted_are_refused_with_the_fix(tmp_path, config, written, says):
    frames = good_frames()
    frames["supervisions"].loc[1, "supervision_date"] = written
    with pytest.raises(InputError) as caught:
        load_valid_dataset(write_tables(tmp_path, **frames), config)
    [finding] = [f for f in caught.value.findings if f.severity == "error"]
    assert (finding.code, finding.file, finding.row, finding.column, finding.value) == (
        "bad_date",
        "supervisions.csv",
        3,
        "supervision_date",
        written,
    )
    assert says in finding.message


def test_cells_of_any_type_in_columns_not_used_never_stop_a_run(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "supervisions"})
    _xlsx(
        folder / "supervisions.xlsx",
        {
            "supervisions": [
                ["staff_id", "supervision_date", "supervision_type", "start time", "done", "notes"],
                ["S1", dt.datetime(2019, 10, 15, 14, 30), "formal", dt.time(14, 30), True, 3.25],
                ["S2", dt.datetime(2019, 10, 16), "formal", dt.time(9, 0), False, "=SUM(A1)"],
                ["S3", "2019-11-07 09:00", "group", None, None, None],
                ["S4", dt.date(2019, 11, 1), "formal", dt.timedelta(hours=1), None, dt.datetime(2020, 1, 1)],
            ]
        },
    )
    data = load_valid_dataset(folder, config)
    assert data.supervisions["supervision_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-10-15",
        "2019-10-16",
        "2019-11-07",
        "2019-11-01",
    ]


@pytest.mark.parametrize("names", [("staff.csv", "Staff.CSV"), ("staff.csv", "STAFF.xlsx")])
def test_two_files_for_one_table_whatever_their_case_are_refused(tmp_path, config, names):
    import os

    frames = good_frames()
    folder = write_tables(tmp_path, **frames)
    os.replace(folder / "staff.csv", folder / names[0])
    (folder / names[1]).write_bytes((folder / names[0]).read_bytes())
    if len({p.name for p in folder.iterdir()}) < 5:
        pytest.skip("this file system does not keep names that differ only in case")
    with pytest.raises(InputError) as caught:
        load_valid_dataset(folder, config)
    [finding] = caught.value.findings
    assert finding.code == "two_sources" and {names[0], names[1]} <= set(finding.message.split())


def test_reference_cycles_are_collected_after_loading_only_a_large_extract(good_dir, config, monkeypatch):
    import analysis.inputs.loading as loading

    collected = []
    monkeypatch.setattr(loading, "release_freed_memory", lambda collect=False: collected.append(collect))
    load_dataset(good_dir, config)
    assert collected[-1] is False  # a handful of rows: no full collection
    monkeypatch.setattr(loading, "COLLECT_ABOVE_ROWS", 3)
    load_dataset(good_dir, config)
    assert collected[-1] is True
