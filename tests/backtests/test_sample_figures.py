"""The sample authority's key figures, pinned as literal values (the council's report, reproduced).

Every other test of the figures compares a table with something the same run computed; these
compare with numbers written down once, by hand, from the calibrated sample: a change in a
definition or a default that moves any of them fails here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.config import load_config
from analysis.inputs.loading import load_valid_dataset
from analysis.paths import SAMPLE_DATA
from analysis.tables import compute_tables

# month, category: in scope, due, supervised, compliance, near misses
SUPERVISION = {
    ("2019-09", "all"): (97, 91, 74, 0.8132, 7),
    ("2019-09", "qualified"): (85, 80, 65, 0.8125, 7),
    ("2019-09", "nqsw"): (5, 4, 3, 0.75, 0),
    ("2019-09", "agency"): (7, 7, 6, 0.8571, 0),
    ("2019-10", "all"): (101, 95, 78, 0.8211, 4),
    ("2019-10", "qualified"): (86, 82, 66, 0.8049, 4),
    ("2019-10", "nqsw"): (7, 5, 4, 0.8, 0),
    ("2019-10", "agency"): (8, 8, 8, 1.0, 0),
    ("2019-11", "all"): (104, 96, 80, 0.8333, 9),
    ("2019-11", "qualified"): (86, 83, 69, 0.8313, 8),
    ("2019-11", "nqsw"): (8, 6, 4, 0.6667, 1),
    ("2019-11", "agency"): (10, 7, 7, 1.0, 0),
    ("2019-12", "all"): (105, 98, 82, 0.8367, 6),
    ("2019-12", "qualified"): (88, 82, 67, 0.8171, 6),
    ("2019-12", "nqsw"): (8, 8, 8, 1.0, 0),
    ("2019-12", "agency"): (9, 8, 7, 0.875, 0),
}
# snapshot: staff, case holders, cases, mean caseload, cases per FTE
HEADLINE = {"2019-09-30": (77, 75, 1212, 16.16, 17.19), "2018-09-30": (68, 65, 1547, 23.8, 25.61)}
NQSW = {"non_case_holding": (2, 0.0), "months_0_6": (2, 8.0), "months_6_12": (4, 14.0)}


@pytest.fixture  # computed in each test, so mutation testing sees every test that reads the tables
def december():
    config = load_config()
    return compute_tables(load_valid_dataset(SAMPLE_DATA, config), pd.Period("2019-12", "M"), None, config)


def test_each_months_supervision_figures(december):
    table = december["supervision_monthly"]
    got = {
        (m, c): (i, d, s, float(r), n)
        for m, c, i, d, s, r, n in zip(
            table["month"].astype(str),
            table["category"],
            table["in_scope"],
            table["due"],
            table["supervised"],
            table["compliance"],
            table["near_miss"],
        )
    }
    assert got == SUPERVISION


def test_both_autumn_headlines(december):
    head = december["caseload_snapshots"]
    head = head[head["group"] == "headline"]
    got = {
        f"{d:%Y-%m-%d}": (s, h, c, m, f)
        for d, s, h, c, m, f in zip(
            pd.to_datetime(head["snapshot"]),
            head["staff"],
            head["case_holders"],
            head["cases"],
            head["mean_caseload"],
            head["cases_per_fte"],
        )
    }
    assert got == HEADLINE


def test_the_newly_qualified_bands(december):
    bands = december["nqsw_caseload"].set_index("band")
    assert {b: (int(bands.loc[b, "staff"]), float(bands.loc[b, "mean_caseload"])) for b in NQSW} == NQSW
    ends = december["nqsw_status_ends"].set_index("band")
    assert (
        ends.loc["months_6_12", "status_ends_first"].strftime("%Y-%m-%d"),
        ends.loc["months_6_12", "status_ends_last"].strftime("%Y-%m-%d"),
    ) == ("2020-04-05", "2020-04-26")
