"""Hand-worked boundaries of the caseload tables: a caseload of exactly one, one case holder alone,
a date with no open case, each rule's words, and counts over several dates."""

from __future__ import annotations

import pandas as pd

from analysis.caseload.breakdowns import caseload_by_role_category
from analysis.caseload.flags import caseload_flag_counts
from analysis.caseload.on_dates import case_index, caseloads_on
from analysis.caseload.snapshots import caseload_outside_employment
from analysis.caseload.summary import summarise

from builders import alloc, caseload_flags_on, make, post
from test_caseload import CONFIG, SEPT_2019

DAY = pd.Timestamp("2019-09-30")


def test_a_holder_of_exactly_one_case_counts_in_the_median_the_maximum_and_cases_per_fte():
    data = make(
        [post("A", fte=0.5), post("B", fte=1.0), post("C")],
        [alloc("c1", "A"), alloc("c2", "B"), alloc("c3", "B"), alloc("c4", "B")],
    )
    loads = caseloads_on(data, [DAY], CONFIG)
    row = (
        caseload_by_role_category(loads, [DAY], CONFIG).set_index(["dimension", "group"]).loc[("role", "social_worker")]
    )
    # holders A (1 case) and B (3 cases); C holds none and is in no holder figure
    assert (row["staff"], row["case_holders"], row["cases"]) == (3, 2, 4)
    assert (row["mean_caseload"], row["median_caseload"], row["max_caseload"]) == (2.0, 2.0, 3)
    assert row["cases_per_fte"] == 2.67  # 4 cases over 1.5 FTE of holders


def test_a_group_of_one_holder_has_a_mean_and_cases_per_fte():
    people = pd.DataFrame({"group": ["x", "x"], "staff_id": ["A", "B"], "caseload": [1, 0], "fte": [0.8, 1.0]})
    row = summarise(people, ["group"]).iloc[0]
    assert (row["staff"], row["case_holders"], row["cases"]) == (2, 1, 1)
    assert (row["mean_caseload"], row["cases_per_fte"]) == (1.0, 1.25)
    nobody = summarise(people.assign(caseload=0), ["group"]).iloc[0]
    assert nobody["case_holders"] == 0 and pd.isna(nobody["mean_caseload"]) and pd.isna(nobody["cases_per_fte"])


def test_a_leaver_counts_outside_employment_only_on_a_date_their_case_is_open():
    later = pd.Timestamp("2019-12-31")
    data = make([post("L", end="2019-10-31")], [alloc("c1", "L", start="2019-01-01", end="2019-11-15")])
    dates = pd.DatetimeIndex([DAY, later])
    index = case_index(data, CONFIG, dates)
    loads = caseloads_on(data, dates, CONFIG)
    table = caseload_outside_employment(data, dates, CONFIG, index, loads).set_index("as_at")
    # employed on 30 September, gone (and the case closed) by 31 December: nobody outside either day
    assert table["staff"].tolist() == [0, 0] and table["cases"].tolist() == [0, 0]
    open_after = make([post("L", end="2019-10-31")], [alloc("c1", "L", start="2019-01-01")])
    index = case_index(open_after, CONFIG, dates)
    table = caseload_outside_employment(open_after, dates, CONFIG, index, caseloads_on(open_after, dates, CONFIG))
    assert table.set_index("as_at")[["staff", "unknown_staff", "cases"]].loc[later].tolist() == [1, 0, 1]


def test_each_rule_says_what_was_broken_in_words():
    data = make(
        [
            post("TM", role="team_manager"),
            post("N", qualified="2019-08-01"),
            post("N2", qualified="2019-01-15"),
            post("S"),
        ],
        [alloc("t1", "TM")]
        + [alloc(f"n{i}", "N", case_type="child_protection" if i == 0 else "child_in_need") for i in range(11)]
        + [alloc(f"m{i}", "N2") for i in range(17)]
        + [alloc(f"s{i}", "S") for i in range(26)],
    )
    flags = caseload_flags_on(data, SEPT_2019, CONFIG)
    said = dict(zip(zip(flags["staff_id"], flags["rule"]), flags["detail"]))
    assert said[("TM", "team_manager_holding_cases")] == "holds 1 case; the role should hold none"
    assert said[("N", "nqsw_over_band_limit")] == (
        "holds 11 cases; the limit for an NQSW in months 0-6 after qualifying is 10"
    )
    assert said[("N", "nqsw_early_complex_case")] == "holds 1 complex case in the first 6 months after qualifying"
    assert said[("N2", "nqsw_over_band_limit")] == (
        "holds 17 cases; the limit for an NQSW in months 6-12 after qualifying is 16"
    )
    assert said[("S", "over_max_caseload")] == "holds 26 cases; the limit is 25"


def test_flag_counts_over_several_dates_give_every_rule_on_every_date():
    flags = caseload_flags_on(make([post("S")], [alloc(f"s{i}", "S") for i in range(26)]), SEPT_2019, CONFIG)
    counts = caseload_flag_counts(flags, [SEPT_2019, pd.Timestamp("2019-12-31")])
    assert len(counts) == 8 and counts["count"].tolist() == [0, 0, 0, 1, 0, 0, 0, 0]
    assert counts["as_at"].dtype == "datetime64[ns]"
