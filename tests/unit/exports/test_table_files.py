"""The table writer: formats, all-or-nothing writing, the workbook."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.config import load_config
from analysis.exports.table_files import tidy_for_file, write_tables
from analysis.tables import default_window_start


def _monthly() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": ["2019-12", "2019-12"],
            "category": ["all", "nqsw"],
            "in_scope": [10, 0],
            "due": [8.0, 0.0],
            "supervised": [7, 0],
            "compliance": [0.875, np.nan],
            "near_miss": [1, 0],
        }
    )


def test_default_window_is_three_months_before():
    assert str(default_window_start(pd.Period("2019-12", "M"), load_config())) == "2019-09"
    assert str(default_window_start(pd.Period("2020-02", "M"), load_config())) == "2019-11"


def test_csv_has_blank_where_undefined_and_whole_counts(tmp_path):
    write_tables({"supervision_monthly": _monthly()}, tmp_path / "t")
    text = (tmp_path / "t" / "supervision_monthly.csv").read_text(encoding="utf-8")
    assert text.splitlines() == [
        "month,category,in_scope,due,supervised,compliance,near_miss",
        "2019-12,all,10,8,7,0.8750,1",
        "2019-12,nqsw,0,0,0,,0",
    ]


def test_fixed_decimals_in_csv(tmp_path):
    frame = pd.DataFrame(
        {"group": ["headline", "team_manager"], "mean_caseload": [23.8, np.nan], "cases_per_fte": [25.61, np.nan]}
    )
    write_tables({"caseload_snapshots": frame}, tmp_path)
    assert (tmp_path / "caseload_snapshots.csv").read_text().splitlines()[1:] == [
        "headline,23.80,25.61",
        "team_manager,,",
    ]


def test_dates_and_periods_are_iso_text():
    frame = pd.DataFrame(
        {
            "snapshot": pd.to_datetime(["2019-09-30", None]),
            "month": pd.PeriodIndex(["2019-09", "2019-10"], freq="M"),
        }
    )
    tidy = tidy_for_file(frame)
    assert tidy["snapshot"].iloc[0] == "2019-09-30"
    assert pd.isna(tidy["snapshot"].iloc[1])
    assert tidy["month"].tolist() == ["2019-09", "2019-10"]


def test_failed_write_leaves_nothing(tmp_path):
    class Exploding(pd.DataFrame):
        def copy(self, *args, **kwargs):
            raise RuntimeError("disk full")

    out = tmp_path / "tables"
    with pytest.raises(RuntimeError):
        write_tables({"a": _monthly(), "b": Exploding({"x": [1]})}, out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
