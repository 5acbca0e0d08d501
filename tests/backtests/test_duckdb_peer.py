"""The SQL peer of the benchmarks (benchmarks/duckdb_peer.py) and the package agree on the sample.

Two implementations of the supervision definitions, written apart (one pandas on integer day
numbers, one DuckDB SQL on dates), give the same ``supervision_monthly`` over 30 months.
"""

from __future__ import annotations

import sys

import pandas as pd

from analysis.config import load_config
from analysis.inputs.loading import load_valid_dataset
from analysis.paths import PROJECT_ROOT, SAMPLE_DATA
from analysis.tables import MonthTables

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
from duckdb_peer import supervision_monthly as peer_monthly  # noqa: E402


def test_the_sql_peer_gives_the_packages_supervision_monthly_on_the_sample():
    config = load_config()
    ours = MonthTables(load_valid_dataset(SAMPLE_DATA, config), "2019-12", config, "2017-07").supervision_monthly
    theirs = peer_monthly(SAMPLE_DATA, "2017-07", "2019-12")
    ours = ours.assign(month=ours["month"].astype(str)).reset_index(drop=True)
    assert len(ours) == 30 * 4
    columns = ["month", "category", "in_scope", "due", "supervised", "near_miss"]
    pd.testing.assert_frame_equal(ours[columns], theirs[columns], check_dtype=False)
    pd.testing.assert_series_equal(ours["compliance"], theirs["compliance"], check_dtype=False, atol=5e-5)
