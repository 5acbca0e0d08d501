"""Which months an extract can answer for: past its last record refused, part-covered months said."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.cli import main
from analysis.inputs.coverage import (
    CoverageError,
    coverage,
    coverage_warnings,
    first_covered_month,
    lone_records,
    records_span,
    require_covered,
)
from analysis.paths import SAMPLE_DATA

from builders import make_dataset


def _monthly(first: str, last: str) -> list[dict]:
    """A supervision on the first date, on the 2nd of every month between, and on the last date."""
    between = pd.date_range(pd.Timestamp(first) + pd.offsets.MonthBegin(1), last, freq="MS") + pd.Timedelta(days=1)
    days = [first, *between.strftime("%Y-%m-%d"), last]
    return [{"staff_id": "P1", "supervision_date": d} for d in sorted(set(days))]


def _data(last_supervision: str, last_allocation: str = "2019-01-01", extra: list[str] = ()):
    return make_dataset(
        staff=[{}],
        supervisions=_monthly("2019-04-02", last_supervision) + [{"supervision_date": d} for d in extra],
        allocations=[{"start_date": "2018-01-01"}, {"start_date": last_allocation}],
    )


def test_the_span_runs_from_the_first_supervision_to_the_last_activity():
    span = records_span(_data("2020-03-20", last_allocation="2020-03-27"))
    assert (span.first, span.last, span.gaps) == (pd.Timestamp("2019-04-02"), pd.Timestamp("2020-03-27"), ())


def test_a_lone_record_far_from_the_rest_does_not_stretch_the_span_and_is_a_query():
    data = _data("2020-03-20", extra=["2029-11-05"])
    span = records_span(data)
    assert (span.first, span.last) == (pd.Timestamp("2019-04-02"), pd.Timestamp("2020-03-20"))
    [finding] = lone_records(data)
    assert (finding.code, finding.severity, finding.column, finding.value) == (
        "isolated_date",
        "query",
        "supervision_date",
        "2029-11-05",
    )
    assert "run from 2019-04-02 to 2020-03-20" in finding.message
    with pytest.raises(
        CoverageError, match="the report month 2020-06 starts after the extract's last record, dated 2020-03-20"
    ):
        require_covered(data, pd.Period("2020-06", "M"))


def test_an_early_slip_does_not_move_the_start():
    data = _data("2020-03-20", extra=["2009-04-03"])
    assert records_span(data).first == pd.Timestamp("2019-04-02")
    with pytest.raises(CoverageError, match="ends before the extract's first supervision record, dated 2019-04-02"):
        require_covered(data, pd.Period("2019-12", "M"), pd.Period("2009-04", "M"))


def test_a_month_inside_the_span_without_a_supervision_is_a_gap_and_refused():
    records = [r for r in _monthly("2019-04-02", "2020-03-20") if not r["supervision_date"].startswith("2019-08")]
    data = make_dataset(staff=[{}], supervisions=records, allocations=[{"start_date": "2018-01-01"}])
    assert records_span(data).gaps == (pd.Period("2019-08", "M"),)
    with pytest.raises(CoverageError, match="includes 2019-08, which has no supervision record.*--from 2019-09"):
        require_covered(data, pd.Period("2019-10", "M"), pd.Period("2019-07", "M"))
    with pytest.raises(CoverageError, match="the report month 2019-08 has no supervision record"):
        require_covered(data, pd.Period("2019-08", "M"), pd.Period("2019-08", "M"))
    require_covered(data, pd.Period("2019-10", "M"), pd.Period("2019-09", "M"))
    assert first_covered_month(data, pd.Period("2019-10", "M"), 3) == pd.Period("2019-09", "M")
    assert coverage(data, [pd.Period("2019-08", "M")])["coverage"].tolist() == ["gap"]


def test_allocations_running_past_the_supervisions_leave_gaps_not_zeros():
    data = _data("2019-12-20", last_allocation="2020-02-27")
    assert records_span(data).gaps == (pd.Period("2020-01", "M"), pd.Period("2020-02", "M"))
    with pytest.raises(CoverageError, match="2020-01.*no supervision record"):
        require_covered(data, pd.Period("2020-01", "M"))


def test_the_default_window_starts_where_the_records_do():
    data = _data("2020-03-20")
    assert first_covered_month(data, pd.Period("2019-05", "M"), 3) == pd.Period("2019-04", "M")
    assert first_covered_month(data, pd.Period("2019-12", "M"), 3) == pd.Period("2019-09", "M")


@pytest.mark.parametrize("month, refused", [("2020-03", False), ("2020-04", True), ("2020-06", True)])
def test_a_month_starting_after_the_last_record_is_refused(month, refused):
    data = _data("2020-03-31")
    if refused:
        with pytest.raises(
            CoverageError,
            match=f"the report month {month} starts after the extract's last "
            "record, dated 2020-03-31.*expected a month up to 2020-03",
        ):
            require_covered(data, pd.Period(month, "M"))
    else:
        require_covered(data, pd.Period(month, "M"))


def test_a_month_ending_before_the_first_supervision_is_refused():
    data = _data("2020-03-31")
    require_covered(data, pd.Period("2019-04", "M"))  # first record on 2 April: partly covered, allowed
    with pytest.raises(
        CoverageError,
        match="the report month 2019-03 ends before the extract's first supervision "
        "record, dated 2019-04-02: expected a month from 2019-04",
    ):
        require_covered(data, pd.Period("2019-03", "M"))


def test_each_month_is_complete_partial_or_outside_the_records():
    table = coverage(_data("2020-03-20"), pd.period_range("2019-03", "2020-03", freq="M"))
    state = dict(zip(table["month"].astype(str), table["coverage"]))
    assert (state["2019-03"], state["2019-04"], state["2019-05"], state["2020-02"], state["2020-03"]) == (
        "before_records",
        "partial",
        "complete",
        "complete",
        "partial",
    )
    assert coverage_warnings(table[table["month"].astype(str) == "2020-03"]) == [
        "The extract's last record is dated 20 March 2020: figures for March 2020 cover only part of the month."
    ]
    assert coverage_warnings(table[table["month"].astype(str) == "2019-03"]) == [
        "The extract holds no supervision records for March 2019: its figures are not a measure of that month."
    ]


def test_a_record_on_the_last_day_covers_the_whole_month():
    table = coverage(_data("2020-03-31"), [pd.Period("2020-03", "M")])
    assert table["coverage"].tolist() == ["complete"] and coverage_warnings(table) == []


def test_tables_past_the_extract_exit_2_and_write_nothing(tmp_path, capsys):
    assert main(["tables", "--data", str(SAMPLE_DATA), "--month", "2020-06", "--out", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert "the report month 2020-06 starts after the extract's last record, dated 2020-03-31" in err
    assert "Traceback" not in err and not (tmp_path / "t").exists()


def test_report_past_the_extract_exits_2_and_writes_nothing(tmp_path, capsys):
    assert main(["report", "--data", str(SAMPLE_DATA), "--month", "2020-02:2020-04", "--out", str(tmp_path / "r")]) == 2
    assert "the report month 2020-04 starts after" in capsys.readouterr().err
    assert not (tmp_path / "r").exists() or list((tmp_path / "r").iterdir()) == []


def test_a_qualified_date_after_the_extract_is_an_error_naming_its_row(tmp_path):
    import shutil

    from analysis.config import load_config
    from analysis.inputs.loading import load_dataset

    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    staff = (folder / "staff.csv").read_text(encoding="utf-8").splitlines()
    staff[1] = staff[1].replace("2015-01-17", "2091-01-17")  # W0001, first data row
    (folder / "staff.csv").write_text("\n".join(staff) + "\n", encoding="utf-8")
    errors = load_dataset(folder, load_config(None)).errors
    assert [(f.code, f.row, f.column, f.value) for f in errors] == [
        ("qualified_after_extract", 2, "qualified_date", "2091-01-17")
    ]
    assert "after the extract's last record, dated 2020-03-31" in errors[0].message
    assert main(["tables", "--data", str(folder), "--month", "2019-12", "--out", str(tmp_path / "t")]) == 2
    assert not (tmp_path / "t").exists()
