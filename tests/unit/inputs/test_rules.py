"""Each validation rule on its own: a small folder with one planted problem, and what it reports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.inputs import rule_kit, rules, rules_files
from analysis.inputs.loading import load_dataset

from conftest import good_frames, write_tables


def planted(tmp_path, config, code, **changes):
    """Load ``good_frames()`` with ``changes`` applied; return the findings of rule ``code``.

    A change is a whole table (DataFrame, str or bytes) or ``(table, row_position, column, value)``
    given as ``edit=[...]``.
    """
    frames = good_frames()
    for table, position, column, value in changes.pop("edit", []):
        frames[table].loc[position, column] = value
    frames.update(changes)
    data = load_dataset(write_tables(tmp_path / "data", **frames), config)
    return [f for f in data.findings if f.code == code]


def where(findings):
    return sorted((f.file, f.row, f.column) for f in findings)


def test_good_frames_have_no_findings(tmp_path, config):
    data = load_dataset(write_tables(tmp_path, **good_frames()), config)
    assert data.findings == []


# --- folder rules ------------------------------------------------------------------------------


def test_missing_file(tmp_path, config):
    frames = good_frames()
    del frames["absences"]
    data = load_dataset(write_tables(tmp_path, **frames), config)
    [finding] = data.findings
    assert (finding.code, finding.severity, finding.file, finding.row) == (
        "missing_file",
        "error",
        "absences.csv",
        None,
    )
    assert "absences.csv or absences.xlsx" in finding.message


def test_missing_allocations_names_the_ssd_alternative(tmp_path, config):
    frames = good_frames()
    del frames["allocations"]
    data = load_dataset(write_tables(tmp_path, **frames), config)
    [finding] = data.findings
    assert "ssd_involvements.csv" in finding.message


def test_two_sources(tmp_path, config):
    folder = write_tables(tmp_path, **good_frames())
    (folder / "ssd_involvements.csv").write_text("invo_professional_id,invo_person_id,invo_involvement_start_date\n")
    [finding] = [f for f in load_dataset(folder, config).findings if f.code == "two_sources"]
    assert finding.file == "allocations.csv" and "ssd_involvements.csv" in finding.message


def test_csv_and_xlsx_of_one_table_are_two_sources(tmp_path, config):
    folder = write_tables(tmp_path, **good_frames())
    good_frames()["staff"].to_excel(folder / "staff.xlsx", index=False, sheet_name="staff")
    [finding] = load_dataset(folder, config).findings
    assert finding.code == "two_sources" and "staff.xlsx" in finding.message


# --- file rules ----------------------------------------------------------------------------------


def test_empty_file(tmp_path, config):
    assert [(f.file, f.severity) for f in planted(tmp_path, config, "empty_file", staff="")] == [("staff.csv", "error")]


def test_blank_lines_only_is_an_empty_file(tmp_path, config):
    assert len(planted(tmp_path, config, "empty_file", supervisions="\n\n")) == 1


def test_not_utf8(tmp_path, config):
    text = "staff_id,absence_type,start_date,end_date\nS1,annual leave – Jos\u00e9,2019-09-09,2019-09-20\n"
    [finding] = planted(tmp_path, config, "not_utf8", absences=text.encode("cp1252"))
    assert finding.file == "absences.csv" and "CSV UTF-8" in finding.message


def test_malformed_csv(tmp_path, config):
    text = "staff_id,supervision_date,supervision_type\nS1,2019-10-15,formal\nS2,2019-10-16,formal,extra\n"
    [finding] = planted(tmp_path, config, "malformed_csv", supervisions=text)
    assert finding.file == "supervisions.csv" and "line 3" in finding.message


def test_malformed_csv_with_an_unclosed_quote(tmp_path, config):
    text = 'staff_id,supervision_date,supervision_type\nS1,"2019-10-15,formal\n'
    assert len(planted(tmp_path, config, "malformed_csv", supervisions=text)) == 1


def test_wrong_sheet(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "staff"})
    with pd.ExcelWriter(folder / "staff.xlsx") as book:
        frames["staff"].to_excel(book, sheet_name="Report", index=False)
        frames["staff"].to_excel(book, sheet_name="Notes", index=False)
    [finding] = load_dataset(folder, config).findings
    assert (finding.code, finding.file) == ("wrong_sheet", "staff.xlsx")
    assert "Report, Notes" in finding.message


def test_not_xlsx(tmp_path, config):
    frames = good_frames()
    folder = write_tables(tmp_path, **{k: v for k, v in frames.items() if k != "staff"})
    frames["staff"].to_csv(folder / "staff.xlsx", index=False)  # a CSV renamed
    [finding] = load_dataset(folder, config).findings
    assert (finding.code, finding.file) == ("not_xlsx", "staff.xlsx")


def test_unreadable_file():
    finding = rules_files.read_failure(Path("staff.csv"), "staff", OSError("disk on fire"))
    assert finding.code == "unreadable_file" and "disk on fire" in finding.message


def test_missing_column(tmp_path, config):
    frames = good_frames()
    found = planted(tmp_path, config, "missing_column", staff=frames["staff"].drop(columns=["role", "team"]))
    assert where(found) == [("staff.csv", None, "role"), ("staff.csv", None, "team")]
    assert "[columns.staff]" in found[0].message


def test_missing_optional_column_is_fine(tmp_path, config):
    frames = good_frames()
    data = load_dataset(
        write_tables(tmp_path, **{**frames, "staff": frames["staff"].drop(columns=["fte", "qualified_date"])}), config
    )
    assert data.findings == []
    assert data.staff["fte"].tolist() == [1.0] * 5 and data.staff["qualified_date"].isna().all()


def test_missing_column_says_when_the_separator_is_wrong(tmp_path, config):
    text = "staff_id;supervision_date;supervision_type\nS1;2019-10-15;formal\n"
    found = planted(tmp_path, config, "missing_column", supervisions=text)
    assert len(found) == 3 and "commas" in found[0].message


def test_repeated_column(tmp_path, config):
    staff = good_frames()["staff"].rename(columns={"staff_id": "Employee ID"}).assign(**{"Employee Number": "S1"})
    [finding] = planted(tmp_path, config, "repeated_column", staff=staff)
    assert finding.column == "staff_id" and "employee id, employee number" in finding.message


def test_a_canonical_column_wins_over_an_alias_with_a_note(tmp_path, config):
    staff = good_frames()["staff"].assign(**{"Job Title": "Head of Service"})
    data = load_dataset(write_tables(tmp_path, **{**good_frames(), "staff": staff}), config)
    assert data.findings == [] and set(data.staff["role"]) == set(good_frames()["staff"]["role"])
    assert data.notes == ["staff.csv: column 'role' is read; 'job title', which also means role, is set aside"]


# --- record rules ---------------------------------------------------------------------------------


def test_short_row_is_padded_with_blanks(tmp_path, config):
    text = "staff_id,supervision_date,supervision_type\nS1,2019-10-15,formal\nS2,2019-10-16\n"
    assert where(planted(tmp_path, config, "blank_value", supervisions=text)) == [
        ("supervisions.csv", 3, "supervision_type")
    ]


def test_blank_id(tmp_path, config):
    found = planted(
        tmp_path, config, "blank_id", edit=[("allocations", 1, "case_id", "  "), ("supervisions", 3, "staff_id", "")]
    )
    assert where(found) == [("allocations.csv", 3, "case_id"), ("supervisions.csv", 5, "staff_id")]


def test_blank_value(tmp_path, config):
    found = planted(tmp_path, config, "blank_value", edit=[("staff", 0, "team", ""), ("absences", 1, "end_date", "")])
    assert where(found) == [("absences.csv", 3, "end_date"), ("staff.csv", 2, "team")]


def test_bad_date(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "bad_date",
        edit=[
            ("staff", 2, "start_date", "2019-02-30"),
            ("supervisions", 0, "supervision_date", "15.10.2019"),
            ("allocations", 0, "end_date", "3019-01-01"),
        ],
    )
    assert where(found) == [
        ("allocations.csv", 2, "end_date"),
        ("staff.csv", 4, "start_date"),
        ("supervisions.csv", 2, "supervision_date"),
    ]
    assert found[0].value is not None and "YYYY-MM-DD" in found[0].message


def test_end_before_start(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "end_before_start",
        edit=[("absences", 0, "end_date", "2019-09-08"), ("allocations", 2, "end_date", "31/05/2019")],
    )
    assert where(found) == [("absences.csv", 2, "end_date"), ("allocations.csv", 4, "end_date")]


def test_end_on_start_is_fine(tmp_path, config):
    assert planted(tmp_path, config, "end_before_start", edit=[("absences", 0, "end_date", "2019-09-09")]) == []


def test_unknown_code(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "unknown_code",
        edit=[
            ("staff", 1, "role", "wizard"),
            ("staff", 2, "employment", "volunteer"),
            ("absences", 0, "absence_type", "holiday"),
            ("supervisions", 0, "supervision_type", "chat"),
        ],
    )
    assert where(found) == [
        ("absences.csv", 2, "absence_type"),
        ("staff.csv", 3, "role"),
        ("staff.csv", 4, "employment"),
        ("supervisions.csv", 2, "supervision_type"),
    ]
    role = next(f for f in found if f.column == "role")
    assert role.value == "wizard" and "social_worker" in role.message and "[values.role]" in role.message


def test_bad_fte(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "bad_fte",
        edit=[("staff", 0, "fte", "1.5"), ("staff", 1, "fte", "0"), ("staff", 3, "fte", "half")],
    )
    assert [(f.row, f.value) for f in found] == [(2, "1.5"), (3, "0"), (5, "half")]


def test_overlapping_assignments(tmp_path, config):
    found = planted(tmp_path, config, "overlapping_assignments", edit=[("staff", 2, "start_date", "2019-05-31")])
    assert where(found) == [("staff.csv", 3, "start_date"), ("staff.csv", 4, "start_date")]
    assert {f.row: f.message.split("row ")[1][0] for f in found} == {3: "4", 4: "3"}


def test_overlap_with_an_open_assignment_that_started_earlier(tmp_path, config):
    staff = good_frames()["staff"]
    extra = staff.iloc[[0]].assign(start_date="2019-03-01", end_date="2019-03-31", team="South")
    found = planted(tmp_path, config, "overlapping_assignments", staff=pd.concat([staff, extra]))
    assert where(found) == [("staff.csv", 2, "start_date"), ("staff.csv", 7, "start_date")]


def test_back_to_back_assignments_do_not_overlap(tmp_path, config):
    assert planted(tmp_path, config, "overlapping_assignments", edit=[("staff", 2, "start_date", "2019-06-01")]) == []


def test_duplicate_row(tmp_path, config):
    frames = good_frames()
    supervisions = pd.concat([frames["supervisions"], frames["supervisions"].iloc[[1, 1]]], ignore_index=True)
    supervisions.loc[5, "staff_id"] = " S2 "  # trimmed text is the same record
    found = planted(tmp_path, config, "duplicate_row", supervisions=supervisions)
    assert [(f.file, f.row, f.severity) for f in found] == [
        ("supervisions.csv", 6, "query"),
        ("supervisions.csv", 7, "query"),
    ]
    assert "row 3" in found[0].message
    data = load_dataset(tmp_path / "data", config)
    assert len(data.supervisions) == 4 and data.supervisions["row"].tolist() == [2, 3, 4, 5]


def test_qualified_date_differs(tmp_path, config):
    [finding] = planted(tmp_path, config, "qualified_date_differs", edit=[("staff", 2, "qualified_date", "2016-08-01")])
    assert (finding.row, finding.column, finding.severity) == (4, "qualified_date", "query")
    assert "row 3" in finding.message and "2016-07-01" in finding.message


def test_unknown_staff(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "unknown_staff",
        edit=[("allocations", 0, "staff_id", "S99"), ("absences", 1, "staff_id", "X")],
    )
    assert where(found) == [("absences.csv", 3, "staff_id"), ("allocations.csv", 2, "staff_id")]
    data = load_dataset(tmp_path / "data", config)
    assert "S99" in data.text("allocations")["staff_id"].tolist()


def _supervisions(ids: list[str]) -> pd.DataFrame:
    """One supervision a day from 1 October 2019 for each id in turn (no two records alike)."""
    days = pd.date_range("2019-10-01", periods=len(ids)).strftime("%Y-%m-%d")
    return pd.DataFrame({"staff_id": ids, "supervision_date": days, "supervision_type": "formal"})


def test_unmatched_staff_ids(tmp_path, config):
    # 2 of 20 supervisions (10%) match no staff_id: more than the 5% allowed.
    found = planted(tmp_path, config, "unmatched_staff_ids", supervisions=_supervisions(["S1"] * 18 + ["X1", "X2"]))
    [finding] = found
    assert (finding.severity, finding.file, finding.row, finding.column) == (
        "error",
        "supervisions.csv",
        None,
        "staff_id",
    )
    assert finding.message.startswith("2 of 20 records (10.0%) have a staff_id that is in no row of the staff table")
    assert "5% allowed (unmatched_share)" in finding.message and "would match" not in finding.message


def test_unmatched_staff_ids_at_exactly_the_share_is_allowed(tmp_path, config):
    assert planted(tmp_path, config, "unmatched_staff_ids", supervisions=_supervisions(["S1"] * 19 + ["X1"])) == []
    assert (
        planted(
            tmp_path,
            config.with_changes(unmatched_share=0.04),
            "unmatched_staff_ids",
            supervisions=_supervisions(["S1"] * 19 + ["X1"]),
        )
        != []
    )


def test_ids_differing_only_in_case_or_leading_zeros_are_the_staff_tables(tmp_path, config):
    frames = good_frames()
    frames["staff"]["staff_id"] = ["S1", "002", "002", "S3", "S4"]
    frames["absences"]["staff_id"] = ["s1", "2"]
    frames["allocations"]["staff_id"] = ["S1", "s1", "2", "S4"]
    data = load_dataset(
        write_tables(
            tmp_path, **{**frames, "supervisions": frames["supervisions"].assign(staff_id=["s1", "0002", "S3", " s4 "])}
        ),
        config,
    )
    assert [f.code for f in data.findings] == []
    assert sorted(data.text("supervisions")["staff_id"]) == ["002", "S1", "S3", "S4"]
    assert sorted(data.text("absences")["staff_id"]) == ["002", "S1"]
    assert any("supervisions.csv: 3 staff_id spellings" in n and "'s1' as 'S1'" in n for n in data.notes)


def test_id_spellings(tmp_path, config):
    frames = good_frames()
    frames["staff"]["staff_id"] = ["S1", "S2", "s2", "S3", "04"]
    frames["allocations"]["case_id"] = ["C1", "C2", "C3", "c1"]
    found = planted(tmp_path, config, "id_spellings", staff=frames["staff"], allocations=frames["allocations"])
    assert where(found) == [
        ("allocations.csv", 2, "case_id"),
        ("allocations.csv", 5, "case_id"),
        ("staff.csv", 3, "staff_id"),
        ("staff.csv", 4, "staff_id"),
    ]
    assert {f.severity for f in found} == {"error"}
    by_row = {(f.file, f.row): f.message for f in found}
    assert by_row["staff.csv", 3].startswith("staff_id 'S2' and 's2' differ only in letter case or leading zeros")
    assert by_row["allocations.csv", 5].startswith("case_id 'c1' and 'C1' differ only")


def test_id_spellings_of_the_first_and_last_person_and_leading_zeros(tmp_path, config):
    frames = good_frames()
    frames["staff"]["staff_id"] = ["7", "S2", "S2", "S3", "007"]
    found = planted(tmp_path, config, "id_spellings", staff=frames["staff"])
    assert where(found) == [("staff.csv", 2, "staff_id"), ("staff.csv", 6, "staff_id")]


def test_supervision_outside_employment(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "supervision_outside_employment",
        edit=[
            ("supervisions", 3, "supervision_date", "2019-12-23"),  # S4 left 20 Dec
            ("supervisions", 0, "supervision_date", "2017-12-31"),
        ],
    )  # S1 started 2018
    assert where(found) == [("supervisions.csv", 2, "supervision_date"), ("supervisions.csv", 5, "supervision_date")]


def test_supervision_on_last_day_is_in_employment(tmp_path, config):
    assert (
        planted(
            tmp_path,
            config,
            "supervision_outside_employment",
            edit=[("supervisions", 3, "supervision_date", "2019-12-20")],
        )
        == []
    )


def test_absence_outside_employment(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "absence_outside_employment",
        edit=[("absences", 0, "start_date", "2017-01-02"), ("absences", 0, "end_date", "2017-01-06")],
    )
    assert where(found) == [("absences.csv", 2, "start_date")]


def test_absence_running_into_employment_is_fine(tmp_path, config):
    assert (
        planted(
            tmp_path,
            config,
            "absence_outside_employment",
            edit=[("absences", 0, "start_date", "2017-12-20"), ("absences", 0, "end_date", "2018-01-05")],
        )
        == []
    )


def test_allocation_after_leaving(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "allocation_after_leaving",
        edit=[("allocations", 3, "end_date", ""), ("allocations", 2, "staff_id", "S3")],
    )
    assert where(found) == [("allocations.csv", 5, "end_date")]
    assert "2019-12-20" in found[0].message and found[0].severity == "query"


def test_rules_skip_a_table_with_a_missing_column(tmp_path, config):
    frames = good_frames()
    data = load_dataset(
        write_tables(tmp_path, **{**frames, "staff": frames["staff"].drop(columns="start_date")}), config
    )
    assert [f.code for f in data.findings] == ["missing_column"]


def test_hits_helpers():
    assert rule_kit.spread(np.array([1, -1, 0]), np.array([10, 20]), 0).tolist() == [20, 0, 10]


def test_every_rule_has_its_own_test():
    # Read from this file's text rather than from which tests ran: tests may run in parallel.
    source = Path(__file__).read_text(encoding="utf-8")
    assert {code for code in rules.RULES if f"def test_{code}" not in source} == set()


@pytest.mark.parametrize("r", list(rules.RULES.values()), ids=lambda r: r.code)
def test_every_rule_says_what_was_expected(r):
    assert r.severity in ("error", "query")
    assert "expected" in r.message


# --- properties against naive checks --------------------------------------------------------------

from datetime import date, timedelta  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

assignment = st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(0, 60), st.integers(0, 30), st.booleans())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posts=st.lists(assignment, min_size=1, max_size=8))
def test_overlaps_match_a_pairwise_check(tmp_path_factory, config, posts):
    day0 = date(2019, 1, 1)
    staff = pd.DataFrame(
        {
            "staff_id": [p[0] for p in posts],
            "team": "T",
            "role": "social_worker",
            "employment": "permanent",
            "start_date": [(day0 + timedelta(p[1])).isoformat() for p in posts],
            "end_date": ["" if p[3] else (day0 + timedelta(p[1] + p[2])).isoformat() for p in posts],
        }
    )
    folder = write_tables(tmp_path_factory.mktemp("o"), **{**good_frames(), "staff": staff})
    loaded = load_dataset(folder, config)
    findings = [f for f in loaded.findings if f.code == "overlapping_assignments"]
    data = loaded.staff  # exact duplicates are dropped before the check
    end = data["end_date"].fillna(pd.Timestamp.max)
    expected = set()
    for i in range(len(data)):
        for j in range(len(data)):
            if (
                i != j
                and data["staff_id"][i] == data["staff_id"][j]
                and data["start_date"][i] <= end[j]
                and data["start_date"][j] <= end[i]
            ):
                expected.add(int(data["row"][i]))
    assert {f.row for f in findings} == expected


def test_utf16_unicode_text_is_not_utf8(tmp_path, config):
    text = good_frames()["absences"].to_csv(index=False, sep="\t")
    [finding] = planted(tmp_path, config, "not_utf8", absences=text.encode("utf-16"))
    assert finding.file == "absences.csv"


def test_a_byte_order_mark_alone_is_an_empty_file(tmp_path, config):
    assert len(planted(tmp_path, config, "empty_file", absences="\ufeff".encode("utf-8"))) == 1


def test_part_day_absence(tmp_path, config):
    found = planted(
        tmp_path,
        config,
        "part_day_absence",
        edit=[
            ("absences", 0, "start_date", "2019-09-09 13:00"),  # an afternoon off: refused
            ("absences", 0, "end_date", "2019-09-20 17:00"),  # to the end of the day: a whole day
            ("absences", 1, "start_date", "01/10/2019 09:00"),  # from the start of the day: whole
            ("absences", 1, "end_date", "2019-10-02 12:30 PM"),  # a morning: refused
        ],
    )
    assert where(found) == [("absences.csv", 2, "start_date"), ("absences.csv", 3, "end_date")]
    assert "the first day a part day" in found[0].message and "the last day a part day" in found[1].message


@pytest.mark.parametrize(
    "start, end", [("2019-09-09 00:00:00", "2019-09-20 00:00:00"), ("2019-09-09T09:00", "2019-09-20 5:00 PM")]
)
def test_whole_days_with_a_time_are_not_part_days(tmp_path, config, start, end):
    edit = [("absences", 0, "start_date", start), ("absences", 0, "end_date", end)]
    assert planted(tmp_path, config, "part_day_absence", edit=edit) == []


# --- each rule at its boundaries: the first and last person, the byte, the separator ----------


def test_not_utf8_names_the_first_byte_that_cannot_be_read(tmp_path, config):
    text = "staff_id,absence_type,start_date,end_date\nS1,annual leave \u2013 Jos\u00e9,2019-09-09,2019-09-20\n"
    raw = text.encode("cp1252")
    [finding] = planted(tmp_path, config, "not_utf8", absences=raw)
    dash = raw.index(bytes([0x96]))  # cp1252's en dash: the first byte that is not UTF-8
    assert f"byte {dash + 1} cannot be read" in finding.message


def test_missing_column_says_when_the_file_is_tab_separated(tmp_path, config):
    text = "staff_id\tsupervision_date\tsupervision_type\nS1\t2019-10-15\tformal\n"
    found = planted(tmp_path, config, "missing_column", supervisions=text)
    assert len(found) == 3 and all("separated by something other than commas" in f.message for f in found)


def test_blank_ids_take_no_part_in_the_overlap_check(tmp_path, config):
    staff = good_frames()["staff"]
    blanks = staff.iloc[[0, 0]].assign(staff_id="", start_date=["2019-03-01", "2019-03-15"], end_date="2019-04-30")
    found = planted(tmp_path, config, "overlapping_assignments", staff=pd.concat([staff, blanks]))
    assert found == []


def test_allocation_after_leaving_for_the_first_and_the_last_person(tmp_path, config):
    frames = good_frames()
    frames["staff"].loc[0, "end_date"] = "2019-08-31"  # S1, the first person, leaves
    frames["allocations"].loc[1, "end_date"] = ""  # S1's open case
    frames["allocations"].loc[3, "end_date"] = ""  # S4, the last person, left on 2019-12-20
    found = planted(tmp_path, config, "allocation_after_leaving", **frames)
    assert where(found) == [("allocations.csv", r, "end_date") for r in (2, 3, 5)]
    assert {f.row: f.message.split("ended on ")[1][:10] for f in found} == {
        2: "2019-08-31",
        3: "2019-08-31",
        5: "2019-12-20",
    }


def test_ids_in_capitals_pass_the_spelling_check_without_keys_and_others_are_keyed():
    from analysis.inputs.id_keys import all_distinct

    assert all_distinct(["C0000001", "C0000002", "W00001"])
    assert not all_distinct(["C1", "c1"]) and not all_distinct(["042", "42"]) and not all_distinct(["Ab", "AB"])
    assert all_distinct(["ab", "AC"]) and all_distinct([])
