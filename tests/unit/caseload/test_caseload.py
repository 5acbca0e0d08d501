"""Caseload on a date, the Autumn snapshots and the newly qualified breakdown, hand-computed.

The small builders here (``post``, ``alloc``, ``make``) are shared by the other caseload test
modules.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.caseload.on_dates import caseloads_on, caseloads_outside_employment
from analysis.caseload.snapshots import SNAPSHOT_COLUMNS, autumn_snapshots
from analysis.config import load_config
from analysis.inputs.dataset import Dataset

from builders import alloc, caseload_snapshots_for, make, nqsw_caseload_on, post

CONFIG = load_config()
SEPT_2019 = pd.Timestamp("2019-09-30")
SEPT_2018 = pd.Timestamp("2018-09-30")
DEC_2019 = pd.Period("2019-12", "M")


def loads_on(data: Dataset, day, config=CONFIG) -> dict[str, int]:
    got = caseloads_on(data, [pd.Timestamp(day)], config)
    return dict(zip(got["staff_id"], got["caseload"].astype(int)))


def headline(table: pd.DataFrame, snapshot=SEPT_2019, group: str = "headline") -> pd.Series:
    rows = table[(table["snapshot"] == pd.Timestamp(snapshot)) & (table["group"] == group)]
    assert len(rows) == 1
    return rows.iloc[0]


# --- caseload on a date -----------------------------------------------------------------------


def test_the_design_worked_example_gives_two():
    data = make(
        [post("W1")],
        [
            alloc("C1", "W1", "2019-01-01", "2019-09-30"),
            alloc("C2", "W1", "2019-09-30"),
            alloc("C3", "W1", "2019-01-01", "2019-09-29"),
        ],
    )
    assert loads_on(data, SEPT_2019) == {"W1": 2}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2019-01-01", "2019-09-30", 1),  # ends on the day: counts
        ("2019-01-01", "2019-09-29", 0),  # ended the day before
        ("2019-09-30", None, 1),  # starts on the day
        ("2019-09-30", "2019-09-30", 1),  # one day long, that day
        ("2019-10-01", None, 0),  # starts the day after
    ],
)
def test_inclusive_ends(start, end, expected):
    data = make([post("W1")], [alloc("C1", "W1", start, end)])
    assert loads_on(data, SEPT_2019) == {"W1": expected}


def test_a_co_worked_case_counts_for_each_worker():
    data = make([post("W1"), post("W2")], [alloc("C1", "W1"), alloc("C1", "W2")])
    assert loads_on(data, SEPT_2019) == {"W1": 1, "W2": 1}


def test_a_case_reallocated_to_the_same_worker_counts_once():
    data = make(
        [post("W1")],
        [
            alloc("C1", "W1", "2019-01-01", "2019-10-31"),
            alloc("C1", "W1", "2019-06-01"),  # overlapping second allocation
            alloc("C1", "W1", "2019-09-30", "2019-09-30"),
            alloc("C2", "W1", "2019-01-01"),
        ],
    )
    assert loads_on(data, SEPT_2019) == {"W1": 2}
    assert loads_on(data, "2019-05-31") == {"W1": 2}
    assert loads_on(data, "2019-12-01") == {"W1": 2}


def test_a_case_holder_who_left_before_the_date_is_out():
    data = make([post("W1", end="2019-09-29"), post("W2")], [alloc("C1", "W1"), alloc("C2", "W2")])
    assert loads_on(data, SEPT_2019) == {"W2": 1}
    outside = caseloads_outside_employment(data, [SEPT_2019], CONFIG)
    assert outside.to_dict("records") == [{"date": SEPT_2019, "staff_id": "W1", "known_staff": True, "caseload": 1}]


def test_allocations_to_an_unknown_staff_id_count_nowhere_but_are_reported():
    data = make([post("W1")], [alloc("C1", "W1"), alloc("C2", "NOBODY"), alloc("C3", "NOBODY")])
    assert loads_on(data, SEPT_2019) == {"W1": 1}
    outside = caseloads_outside_employment(data, [SEPT_2019], CONFIG)
    assert outside[["staff_id", "known_staff", "caseload"]].to_dict("records") == [
        {"staff_id": "NOBODY", "known_staff": False, "caseload": 2}
    ]


def test_someone_employed_with_no_allocation_has_zero():
    data = make([post("W1"), post("W2")], [alloc("C1", "W1")])
    assert loads_on(data, SEPT_2019) == {"W1": 1, "W2": 0}


def test_many_dates_in_one_pass():
    data = make(
        [post("W1", start="2019-03-01")],
        [
            alloc("C1", "W1", "2019-01-01", "2019-06-30"),
            alloc("C2", "W1", "2019-06-01"),
        ],
    )
    got = caseloads_on(data, ["2019-02-01", "2019-06-15", "2019-07-01"], CONFIG)
    assert got["date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-06-15", "2019-07-01"]
    assert got["caseload"].tolist() == [2, 1]


def test_complex_cases_match_case_insensitively_and_trimmed():
    data = make(
        [post("W1")],
        [
            alloc("C1", "W1", case_type=" Child_Protection "),
            alloc("C2", "W1", case_type="COURT_PROCEEDINGS"),
            alloc("C3", "W1", case_type="child_in_need"),
            alloc("C4", "W1", case_type=None),
            alloc("C1", "W1", "2019-05-01", case_type="child_protection"),  # same case again: once
        ],
    )
    got = caseloads_on(data, SEPT_2019, CONFIG).iloc[0]
    assert (got["caseload"], got["complex_cases"]) == (4, 2)


def test_role_and_category_come_from_the_assignment_covering_the_date():
    data = make(
        [
            post("W1", role="social_worker", employment="agency", team="A", start="2018-01-01", end="2019-06-30"),
            post("W1", role="senior_social_worker", employment="permanent", team="B", start="2019-07-01", fte=0.5),
        ],
        [alloc("C1", "W1", "2018-01-01")],
    )
    got = caseloads_on(data, ["2019-06-30", "2019-07-01"], CONFIG)
    assert got[["role", "employment", "team", "category", "fte"]].to_dict("records") == [
        {"role": "social_worker", "employment": "agency", "team": "A", "category": "agency", "fte": 1.0},
        {"role": "senior_social_worker", "employment": "permanent", "team": "B", "category": "qualified", "fte": 0.5},
    ]


# --- NQSW status and bands -------------------------------------------------------------------


def _one(data: Dataset, day) -> pd.Series:
    return caseloads_on(data, [pd.Timestamp(day)], CONFIG).iloc[0]


def test_the_day_nqsw_status_ends():
    data = make([post("N1", qualified="2018-12-31")])
    assert _one(data, "2019-12-30")["category"] == "nqsw"
    assert _one(data, "2019-12-31")["category"] == "qualified"


def test_an_agency_worker_is_never_nqsw():
    data = make([post("A1", employment="agency", qualified="2019-06-01")])
    assert _one(data, "2019-09-30")["category"] == "agency"


# 30 June 2019 + 6 months is 30 December 2019 (the day is kept, as relativedelta does), so the
# boundary day itself is already in months 6-12.
@pytest.mark.parametrize(
    ("qualified", "day", "band", "months"),
    [
        ("2019-06-30", "2019-12-29", "months_0_6", 5),
        ("2019-06-30", "2019-12-30", "months_6_12", 6),
        ("2019-06-30", "2019-12-31", "months_6_12", 6),
        ("2019-08-31", "2020-02-28", "months_0_6", 5),  # 31 Aug + 6 months clips to 29 Feb 2020
        ("2019-08-31", "2020-02-29", "months_6_12", 6),
        ("2019-12-31", "2019-12-31", "months_0_6", 0),
    ],
)
def test_the_nqsw_band_boundary_six_months_after_qualifying(qualified, day, band, months):
    row = _one(make([post("N1", qualified=qualified)]), day)
    assert (row["category"], row["nqsw_band"], row["months_since_qualified"]) == ("nqsw", band, months)


def test_no_band_for_the_qualified():
    row = _one(make([post("Q1", qualified="2010-05-31")]), "2019-12-31")
    assert row["category"] == "qualified" and row["nqsw_band"] is None
    assert row["months_since_qualified"] == 115


# --- Autumn snapshots --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "latest", "earlier"),
    [
        ("2019-12", "2019-09-30", "2018-09-30"),
        ("2019-09", "2019-09-30", "2018-09-30"),
        ("2019-08", "2018-09-30", "2017-09-30"),
        ("2020-01", "2019-09-30", "2018-09-30"),
    ],
)
def test_autumn_snapshots(month, latest, earlier):
    assert autumn_snapshots(pd.Period(month, "M"), CONFIG) == (pd.Timestamp(latest), pd.Timestamp(earlier))


def test_a_snapshot_on_29_february_clips_in_other_years():
    config = CONFIG.with_changes(caseload_snapshot="02-29")
    assert autumn_snapshots(pd.Period("2021-03", "M"), config) == (
        pd.Timestamp("2021-02-28"),
        pd.Timestamp("2020-02-29"),
    )


# --- the headline --------------------------------------------------------------------------------


def _authority() -> Dataset:
    """Hand-built: who is in and out of the headline on 30 September 2019.

    In: Q1 (qualified SW, 3 cases), Q2 (senior, 0.5 fte, 2 cases), AG (agency SW, 4 cases),
    Z0 (qualified SW, no case: in staff, out of the mean). Out: P1 (principal, 2 cases),
    T1 (team manager, 0 cases), N1 (NQSW SW, 5 cases), L1 (left on 29 Sept, 9 cases).
    """
    posts = [
        post("Q1"),
        post("Q2", role="senior_social_worker", fte=0.5),
        post("AG", employment="agency", qualified=None),
        post("Z0"),
        post("P1", role="principal_social_worker"),
        post("T1", role="team_manager"),
        post("N1", qualified="2019-03-01"),
        post("L1", end="2019-09-29"),
    ]
    allocations = (
        [alloc(f"Q1-{n}", "Q1") for n in range(3)]
        + [alloc(f"Q2-{n}", "Q2") for n in range(2)]
        + [alloc(f"AG-{n}", "AG") for n in range(4)]
        + [alloc(f"P1-{n}", "P1") for n in range(2)]
        + [alloc(f"N1-{n}", "N1") for n in range(5)]
        + [alloc(f"L1-{n}", "L1") for n in range(9)]
    )
    return make(posts, allocations)


def test_the_headline_population_and_its_mean():
    table = caseload_snapshots_for(_authority(), DEC_2019, CONFIG)
    row = headline(table)
    assert (row["staff"], row["case_holders"], row["cases"]) == (4, 3, 9)
    assert row["mean_caseload"] == 3.0
    assert row["cases_per_fte"] == round(9 / 2.5, 2) == 3.6


def test_snapshot_table_shape_and_order():
    table = caseload_snapshots_for(_authority(), DEC_2019, CONFIG)
    assert list(table.columns) == SNAPSHOT_COLUMNS
    groups = ["headline", "social_worker", "senior_social_worker", "principal_social_worker", "team_manager"]
    assert table["group"].tolist() == groups * 2
    assert table["snapshot"].tolist() == [SEPT_2019] * 5 + [SEPT_2018] * 5  # latest first
    assert str(table["snapshot"].dtype) == "datetime64[ns]"


def test_role_groups_count_every_category():
    table = caseload_snapshots_for(_authority(), DEC_2019, CONFIG)
    sw = headline(table, group="social_worker")
    # Q1, AG, Z0, N1 (L1 has left): staff 4, holders Q1, AG, N1 with 3 + 4 + 5 cases
    assert (sw["staff"], sw["case_holders"], sw["cases"], sw["mean_caseload"], sw["cases_per_fte"]) == (
        4,
        3,
        12,
        4.0,
        4.0,
    )
    tm = headline(table, group="team_manager")
    assert (tm["staff"], tm["case_holders"], tm["cases"]) == (1, 0, 0)
    assert math.isnan(tm["mean_caseload"]) and math.isnan(tm["cases_per_fte"])
    pr = headline(table, group="principal_social_worker")
    assert (pr["staff"], pr["case_holders"], pr["cases"], pr["mean_caseload"]) == (1, 1, 2, 2.0)


def test_a_year_with_no_staff_has_zero_counts_and_blank_means():
    table = caseload_snapshots_for(_authority(), DEC_2019, CONFIG)
    # everyone started in 2015 and allocations start in 2019: staff on 30 Sept 2018, no cases
    row = headline(table, snapshot=SEPT_2018)
    assert (row["staff"], row["case_holders"], row["cases"]) == (5, 0, 0)
    assert math.isnan(row["mean_caseload"])
    empty = caseload_snapshots_for(make([post("X", start="2019-01-01")]), DEC_2019, CONFIG)
    row = headline(empty, snapshot=SEPT_2018)
    assert (row["staff"], row["case_holders"], row["cases"]) == (0, 0, 0)


def test_cases_per_fte_with_part_timers():
    data = make(
        [post("A", fte=0.5), post("B", fte=0.6), post("C", fte=0.8)],
        [alloc("A1", "A"), alloc("A2", "A"), alloc("B1", "B"), alloc("B2", "B"), alloc("B3", "B")],
    )
    row = headline(caseload_snapshots_for(data, DEC_2019, CONFIG))
    # C holds no case, so their 0.8 fte is not in the denominator: 5 / 1.1
    assert (row["staff"], row["case_holders"], row["cases"]) == (3, 2, 5)
    assert row["mean_caseload"] == 2.5
    assert row["cases_per_fte"] == 4.55


def test_the_mean_is_rounded_to_two_places():
    data = make(
        [post("A"), post("B"), post("C")],
        [
            alloc("1", "A"),
            alloc("2", "B"),
            alloc("3", "B"),
            alloc("4", "C"),
            alloc("5", "C"),
            alloc("6", "C"),
            alloc("7", "C"),
        ],
    )
    assert headline(caseload_snapshots_for(data, DEC_2019, CONFIG))["mean_caseload"] == 2.33


def test_the_headline_takes_role_and_category_on_the_snapshot_day():
    data = make(
        [
            # a principal until 29 Sept, a social worker from 30 Sept: in
            post("M1", role="principal_social_worker", end="2019-09-29"),
            post("M1", start="2019-09-30"),
            # a social worker until 30 Sept, then a team manager: in on 30 Sept
            post("M2", end="2019-09-30"),
            post("M2", role="team_manager", start="2019-10-01"),
            # qualified 30 Sept 2018: nqsw on 29 Sept 2019, qualified on 30 Sept 2019: in
            post("M3", qualified="2018-09-30"),
        ],
        [alloc("a", "M1"), alloc("b", "M2"), alloc("c", "M2"), alloc("d", "M3")],
    )
    row = headline(caseload_snapshots_for(data, DEC_2019, CONFIG))
    assert (row["staff"], row["case_holders"], row["cases"]) == (3, 3, 4)


# --- the newly qualified breakdown ------------------------------------------------------------


def test_nqsw_breakdown_by_band():
    as_at = pd.Timestamp("2019-12-31")
    posts = [
        post("E1", qualified="2019-07-01"),
        post("E2", qualified="2019-06-30"),  # 0-6 / 6-12 (boundary)
        post("E3", role="senior_social_worker", qualified="2019-11-01"),  # 0-6, any role
        post("L1", qualified="2019-01-01"),
        post("L2", qualified="2019-02-15"),  # 6-12
        post("Z1", qualified="2019-10-01"),
        post("Z2", qualified="2019-03-01"),  # no cases
        post("AG", employment="agency", qualified="2019-07-01"),  # agency: not nqsw
        post("Q1", qualified="2018-12-31"),  # qualified that day
        post("GO", qualified="2019-07-01", end="2019-12-30"),  # left
    ]
    counts = {"E1": 7, "E2": 13, "E3": 2, "L1": 14, "L2": 15, "AG": 3, "Q1": 20, "GO": 1}
    allocations = [alloc(f"{who}-{n}", who) for who, k in counts.items() for n in range(k)]
    table = nqsw_caseload_on(make(posts, allocations), as_at, CONFIG)
    assert list(table.columns) == ["as_at", "band", "staff", "mean_caseload"]
    assert table["as_at"].tolist() == [as_at] * 3
    assert table["band"].tolist() == ["non_case_holding", "months_0_6", "months_6_12"]
    assert table["staff"].tolist() == [2, 2, 3]
    assert table["mean_caseload"].tolist() == [0.0, 4.5, 14.0]


def test_every_band_present_with_blank_means_when_empty():
    table = nqsw_caseload_on(make([post("Q1")], [alloc("c", "Q1")]), "2019-12-31", CONFIG)
    assert table["staff"].tolist() == [0, 0, 0]
    assert table["mean_caseload"].isna().all()


# --- non-default settings -----------------------------------------------------------------------


def test_the_definitions_follow_the_config():
    config = CONFIG.with_changes(
        caseload_snapshot="03-31", headline_roles=["social_worker"], nqsw_months=24, nqsw_band_months=12
    )
    assert autumn_snapshots(DEC_2019, config) == (pd.Timestamp("2019-03-31"), pd.Timestamp("2018-03-31"))
    data = make(
        [
            post("Q1"),
            post("S1", role="senior_social_worker"),
            post("N1", qualified="2018-01-15"),  # nqsw until 15 Jan 2020 with 24 months; band 12-24 by then
            post("N2", qualified="2019-06-01"),  # band 0-12
        ],
        [
            alloc("a", "Q1", "2018-01-01"),
            alloc("b", "S1", "2018-01-01"),
            alloc("c", "N1", "2018-01-01"),
            alloc("d", "N2", "2019-06-01"),
            alloc("e", "N2", "2019-06-01"),
        ],
    )
    row = headline(caseload_snapshots_for(data, DEC_2019, config), snapshot="2019-03-31")
    # Q1 only: S1's role is not a headline role, N1 is nqsw on 31 March 2019
    assert (row["staff"], row["case_holders"], row["cases"]) == (1, 1, 1)
    nqsw = nqsw_caseload_on(data, "2019-12-31", config).set_index("band")
    assert nqsw["staff"].tolist() == [0, 1, 1]
    assert nqsw["mean_caseload"].tolist()[1:] == [2.0, 1.0]


# --- counting at the boundaries the definitions draw ----------------------------------------------


def test_two_separate_spells_on_one_case_count_on_each_day_of_each_and_not_between():
    data = make([post("W1")], [alloc("C1", "W1", "2019-01-01", "2019-03-31"), alloc("C1", "W1", "2019-06-01")])
    assert [loads_on(data, day).get("W1", 0) for day in ("2019-03-31", "2019-04-01", "2019-05-31", "2019-06-01")] == [
        1,
        0,
        0,
        1,
    ]


def test_a_case_ended_and_reallocated_to_the_same_worker_on_one_day_counts_once():
    data = make([post("W1")], [alloc("C1", "W1", "2019-01-01", "2019-09-30"), alloc("C1", "W1", "2019-09-30")])
    assert loads_on(data, "2019-09-30") == {"W1": 1}


def test_a_person_qualifies_once_for_caseload_categories_too():
    data = make(
        [
            post("Q1", start="2016-01-01", end="2018-12-31", qualified="2017-01-01"),
            post("Q1", start="2019-01-01", qualified="2019-06-01"),
        ],
        [alloc("C1", "Q1", "2019-06-01")],
    )
    got = caseloads_on(data, [SEPT_2019], CONFIG).set_index("staff_id")
    assert (got.loc["Q1", "qualified_date"], got.loc["Q1", "category"]) == (pd.Timestamp("2017-01-01"), "qualified")
