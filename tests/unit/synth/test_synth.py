"""The synthetic authority: deterministic, realistic, and calibrated to the council report.

The calibration figures are checked by ``independent_count``, a day-by-day count written from the
design's definitions without the package's calculations.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.paths import SAMPLE_DATA
from analysis.synth.command import COLUMNS, DEFAULT_END, DEFAULT_SEED, DEFAULT_STAFF, DEFAULT_START, synth_command

from independent_count import Authority

TABLES = ("staff", "absences", "supervisions", "allocations")
AUTUMN = ("2019-09", "2019-10", "2019-11", "2019-12")
COMPLEX = {"child_protection", "court_proceedings"}


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False) for name in TABLES}


def run_synth(folder: Path, *options: str) -> dict[str, pd.DataFrame]:
    assert main(["synth", "--out", str(folder), *options]) == 0
    return read_tables(folder)


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return read_tables(SAMPLE_DATA)


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority(SAMPLE_DATA)


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return run_synth(tmp_path_factory.mktemp("medium"), "--staff", "2000", "--seed", "7")


# --- determinism -----------------------------------------------------------------------------------


def test_defaults_write_the_committed_sample_byte_for_byte(tmp_path, capsys):
    assert synth_command(tmp_path) == 0
    for name in TABLES:
        assert (tmp_path / f"{name}.csv").read_bytes() == (SAMPLE_DATA / f"{name}.csv").read_bytes(), name
    assert "synth: wrote" in capsys.readouterr().out


def test_defaults_are_documented_values():
    assert (DEFAULT_SEED, DEFAULT_STAFF, str(DEFAULT_START), str(DEFAULT_END)) == (20200123, 151, "2017-04", "2020-03")


def test_same_seed_same_bytes_and_different_seed_differs(tmp_path):
    options = ("--staff", "60", "--start", "2018-01", "--end", "2019-06")
    for folder, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        run_synth(tmp_path / folder, "--seed", seed, *options)
    same = [(tmp_path / "a" / f"{n}.csv").read_bytes() == (tmp_path / "b" / f"{n}.csv").read_bytes() for n in TABLES]
    differ = [(tmp_path / "a" / f"{n}.csv").read_bytes() != (tmp_path / "c" / f"{n}.csv").read_bytes() for n in TABLES]
    assert all(same) and all(differ)


# --- format and options ----------------------------------------------------------------------------


def test_canonical_columns_iso_dates_and_unix_line_endings(sample):
    for name in TABLES:
        raw = (SAMPLE_DATA / f"{name}.csv").read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
        assert list(sample[name].columns) == COLUMNS[name]
        for column in (c for c in COLUMNS[name] if c.endswith("date")):
            values = sample[name][column]
            assert values.str.fullmatch(r"(\d{4}-\d{2}-\d{2})?").all(), (name, column)
    assert sample["staff"]["fte"].str.fullmatch(r"[01]\.\d\d").all()


def test_staff_start_and_end_are_honoured(tmp_path):
    tables = run_synth(tmp_path, "--staff", "80", "--start", "2018-04", "--end", "2019-03", "--seed", "11")
    assert tables["staff"]["staff_id"].nunique() == 80
    first, last = "2018-04-01", "2019-03-31"
    dated = [
        tables["supervisions"]["supervision_date"],
        tables["absences"]["start_date"],
        tables["allocations"]["start_date"].where(lambda s: s >= first),
    ]
    for dates in dated:
        assert dates.dropna().between(first, last).all()
    ends = pd.concat([tables["staff"]["end_date"], tables["allocations"]["end_date"]])
    assert ends[ends != ""].le(last).all()
    assert tables["supervisions"]["supervision_date"].str[:7].isin(["2018-04", "2019-03"]).any()
    assert tables["supervisions"]["supervision_date"].min() < "2018-04-15"
    assert tables["supervisions"]["supervision_date"].max() > "2019-03-15"


def test_bad_options_exit_2(tmp_path, capsys):
    assert main(["synth", "--out", str(tmp_path / "a"), "--start", "2020-01", "--end", "2019-01"]) == 2
    assert main(["synth", "--out", str(tmp_path / "b"), "--staff", "5"]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_sample_passes_validation(config):
    from analysis.inputs.loading import load_dataset

    assert load_dataset(SAMPLE_DATA, config).errors == []


# --- realism rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["sample", "medium"])
def test_agency_staff_have_no_absence_records(which, sample, medium):
    tables = sample if which == "sample" else medium
    agency = tables["staff"].loc[tables["staff"]["employment"] == "agency", "staff_id"]
    assert len(agency) > 0
    assert not tables["absences"]["staff_id"].isin(agency).any()


@pytest.mark.parametrize("which", ["sample", "medium"])
def test_team_managers_hold_no_cases(which, sample, medium):
    tables = sample if which == "sample" else medium
    managers = tables["staff"].loc[tables["staff"]["role"] == "team_manager", "staff_id"]
    assert len(managers) > 0
    assert not tables["allocations"]["staff_id"].isin(managers).any()


@pytest.mark.parametrize("which", ["sample", "medium"])
def test_assignments_do_not_overlap_and_ends_follow_starts(which, sample, medium):
    staff = (sample if which == "sample" else medium)["staff"].sort_values(["staff_id", "start_date"])
    same_person = staff["staff_id"].eq(staff["staff_id"].shift())
    previous_end = staff["end_date"].shift()
    assert (previous_end[same_person] != "").all()
    assert (staff["start_date"][same_person] > previous_end[same_person]).all()
    assert same_person.any(), "someone should change team or role"
    for table in ("staff", "absences", "allocations"):
        frame = (sample if which == "sample" else medium)[table]
        closed = frame["end_date"] != ""
        assert (frame["end_date"][closed] >= frame["start_date"][closed]).all(), table


def test_sample_has_the_realistic_ingredients(sample):
    staff, absences, supervisions, allocations = (sample[n] for n in TABLES)
    assert staff["team"].nunique() == 6
    assert set(staff["role"]) == {"social_worker", "senior_social_worker", "principal_social_worker", "team_manager"}
    assert set(absences["absence_type"]) == {"annual_leave", "sickness", "maternity", "other"}
    assert set(supervisions["supervision_type"]) == {"formal", "group", "peer", "informal"}
    assert COMPLEX <= set(allocations["case_type"]) and allocations["case_type"].nunique() >= 4
    leave_months = absences.loc[absences["absence_type"] == "annual_leave", "start_date"].str[5:7]
    assert leave_months.isin(["07", "08", "12"]).mean() > 0.35  # clustered in the school holidays
    assert (staff["end_date"] != "").sum() > 20 and (staff["start_date"] > "2017-04-01").sum() > 20
    per_case = allocations.groupby("case_id")["staff_id"].agg(["nunique", "size"])
    assert (per_case["nunique"] > 1).any()  # reallocated
    assert ((per_case["size"] > per_case["nunique"]) & (per_case["nunique"] > 1)).any()  # and back again


def test_sample_has_co_working(sample):
    allocations = sample["allocations"].assign(end=lambda f: f["end_date"].replace("", "9999-12-31"))
    pairs = allocations.merge(allocations, on="case_id")
    overlapping = (
        (pairs["staff_id_x"] < pairs["staff_id_y"])
        & (pairs["start_date_x"] <= pairs["end_y"])
        & (pairs["start_date_y"] <= pairs["end_x"])
    )
    assert overlapping.sum() > 10


# --- calibration, by the independent count -------------------------------------------------------------


def test_autumn_2019_compliance_between_80_and_85_percent(authority):
    for month in AUTUMN:
        counts = authority.supervision(month)["all"]
        assert 0.80 <= counts["supervised"] / counts["due"] <= 0.85, (month, counts)


def test_due_staff_rise_every_month(authority):
    due = [authority.supervision(month)["all"]["due"] for month in AUTUMN]
    assert due == sorted(set(due)), due


def test_every_category_is_present_in_the_autumn(authority):
    for month in AUTUMN:
        counts = authority.supervision(month)
        assert {"qualified", "nqsw", "agency"} <= set(counts), month
        assert all(counts[c]["due"] > 0 for c in ("qualified", "nqsw", "agency"))


@pytest.mark.parametrize("when, mean", [(date(2019, 9, 30), 16.16), (date(2018, 9, 30), 23.80)])
def test_headline_caseload_is_exact(authority, when, mean):
    holders, cases = authority.headline(when)
    assert holders > 0 and cases * 100 == round(mean * 100) * holders


def test_newly_qualified_breakdown_on_2019_12_31(authority):
    bands = authority.nqsw_breakdown(date(2019, 12, 31))
    assert sum(len(loads) for loads in bands.values()) == 8
    assert len(bands["non_case_holding"]) == 2
    assert len(bands["months_0_6"]) == 2 and sum(bands["months_0_6"]) == 2 * 8
    assert len(bands["months_6_12"]) == 4 and sum(bands["months_6_12"]) == 4 * 14


def test_the_nqsws_in_months_6_to_12_finish_in_april_2020(authority):
    ends = authority.nqsw_status_ends(date(2019, 12, 31))
    in_april = [end for end in ends if (end.year, end.month) == (2020, 4)]
    assert len(in_april) == 4


def test_principals_hold_fewer_more_complex_cases(authority, sample):
    when = date(2019, 9, 30)
    principals = [n for n in authority.holders_on(when, {"principal_social_worker"}).values() if n]
    front_line = [n for n in authority.holders_on(when, {"social_worker", "senior_social_worker"}).values() if n]
    assert principals and max(principals) < sum(front_line) / len(front_line)
    one_role = sample["staff"].groupby("staff_id")["role"].agg(lambda r: r.iloc[0] if r.nunique() == 1 else "changed")
    kinds = sample["allocations"].assign(role=lambda f: f["staff_id"].map(one_role))
    complex_share = kinds["case_type"].isin(COMPLEX).groupby(kinds["role"]).mean()
    assert complex_share["principal_social_worker"] > 0.9 > complex_share["social_worker"]


def test_some_supervisions_fall_a_few_days_after_month_end(authority):
    late = 0
    for month in AUTUMN:
        for person in authority.posts:
            status = authority.month_status(person, month)
            if status and status["due"] and not status["supervised"]:
                following = [d for d in authority.formal[person] if d.strftime("%Y-%m") > month]
                late += any((d - date.fromisoformat(month + "-01")).days < 40 for d in following)
    assert late >= 4


def test_records_reach_past_the_report_month(sample):
    assert (sample["supervisions"]["supervision_date"].str[:7] == "2020-01").sum() > 50
    assert (sample["absences"]["start_date"].str[:7] == "2020-01").sum() > 5


# --- medium size ---------------------------------------------------------------------------------------


def test_medium_authority_has_national_proportions(medium):
    staff, absences, supervisions, allocations = (medium[n] for n in TABLES)
    assert staff["staff_id"].nunique() == 2000
    people = staff.drop_duplicates("staff_id")
    assert 0.10 < (people["employment"] == "agency").mean() < 0.30
    assert 0.03 < (people["role"] == "team_manager").mean() < 0.06
    assert staff["team"].nunique() > 50
    assert staff["fte"].astype(float).between(0.01, 1).all()
    formal = (supervisions["supervision_type"] == "formal").sum()
    assert 0.5 < formal / len(supervisions) < 0.75
    when = "2019-09-30"
    open_on = allocations.loc[
        (allocations["start_date"] <= when) & ((allocations["end_date"] == "") | (allocations["end_date"] >= when))
    ]
    front_line = staff.loc[staff["role"].isin(["social_worker", "senior_social_worker"]), "staff_id"]
    loads = open_on.loc[open_on["staff_id"].isin(front_line)].groupby("staff_id")["case_id"].nunique()
    assert 10 < loads.mean() < 25 and loads.max() <= 60
    assert absences.groupby("staff_id").size().median() > 10  # three years of leave and sickness


def test_no_calibration_critical_date_sits_on_a_boundary(sample):
    """No NQSW status or band ends within three days of a snapshot, so off-by-one slips show up."""
    qualified = pd.to_datetime(sample["staff"]["qualified_date"].replace("", None))
    for snapshot in ("2018-09-30", "2019-09-30", "2019-12-31"):
        status_ends = qualified + pd.DateOffset(months=12)
        assert not ((status_ends - pd.Timestamp(snapshot)).abs() <= pd.Timedelta(days=3)).any(), snapshot
    band_ends = qualified + pd.DateOffset(months=6)
    assert not ((band_ends - pd.Timestamp("2019-12-31")).abs() <= pd.Timedelta(days=3)).any()
    allocations = sample["allocations"]
    for snapshot in ("2018-09-30", "2019-09-30", "2019-12-31"):
        near = pd.date_range(pd.Timestamp(snapshot) - pd.Timedelta(days=1), periods=3).strftime("%Y-%m-%d")
        assert not allocations["start_date"].isin(near).any() and not allocations["end_date"].isin(near).any()
