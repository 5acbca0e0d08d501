"""The month's caseload tables, hand-computed; properties; the calibrated sample authority."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.caseload.on_dates import caseloads_on
from analysis.tables import TABLE_SPECS

from builders import alloc, caseload_snapshots_for, caseload_tables, examples, make, nqsw_caseload_on, post
from reference_model import Model
from test_caseload import CONFIG, DEC_2019, SEPT_2018, SEPT_2019

MONTH_END = pd.Timestamp("2019-12-31")
TABLE_NAMES = {
    "caseload_snapshots",
    "nqsw_caseload",
    "caseload_flags",
    "caseload_flag_counts",
    "caseload_by_role_category",
    "caseload_change",
    "caseload_distribution",
    "nqsw_detail",
    "nqsw_status_ends",
    "principal_complexity",
    "caseload_outside_employment",
    "caseload_staff",
}


def _cases(
    who: str, n: int, start: str = "2018-01-01", end: str | None = None, case_type: str = "child_in_need"
) -> list[dict]:
    return [alloc(f"{who}-{start}-{k}", who, start, end, case_type) for k in range(n)]


def _year_on_year():
    """Autumn 2018: A1 (20 cases), B1 (24) in teams A, B. Autumn 2019: those cases closed on 30 June
    2019; A1 12, A2 10, B1 14, B2 16 new cases, plus an agency worker B3 with 0 and a principal P1 with
    4 cases (2 complex) and an NQSW N1 (qualified 1 Sept 2019) with 3."""
    posts = [
        post("A1", team="A"),
        post("A2", team="A", start="2019-01-01"),
        post("B1", team="B"),
        post("B2", team="B", start="2019-06-01", fte=0.5),
        post("B3", team="B", employment="agency"),
        post("P1", team="A", role="principal_social_worker"),
        post("N1", team="B", start="2019-09-01", qualified="2019-09-01"),
    ]
    allocations = (
        _cases("A1", 20, "2018-01-01", "2019-06-30")
        + _cases("B1", 24, "2018-01-01", "2019-06-30")
        + _cases("A1", 12, "2019-07-01")
        + _cases("A2", 10, "2019-07-01")
        + _cases("B1", 14, "2019-07-01")
        + _cases("B2", 16, "2019-07-01")
        + _cases("P1", 2, "2019-07-01")
        + _cases("P1", 2, "2019-07-02", case_type="court_proceedings")
        + _cases("N1", 3, "2019-09-02")
    )
    return make(posts, allocations)


@pytest.fixture  # computed in each test, so mutation testing sees every test that reads the tables
def tables():
    return caseload_tables(_year_on_year(), DEC_2019, CONFIG)


def test_every_table_is_there_with_the_fixed_columns(tables):
    assert TABLE_NAMES <= set(tables)
    for name in ("caseload_snapshots", "nqsw_caseload"):
        assert TABLE_SPECS[name].fixed and tuple(tables[name].columns) == TABLE_SPECS[name].columns


def test_staff_caseloads_at_month_end(tables):
    # Everyone in post on 31 December 2019, with the caseload hand-counted from _year_on_year.
    staff = tables["caseload_staff"].set_index("staff_id")
    assert (staff["as_at"] == MONTH_END).all()
    assert staff["caseload"].to_dict() == {"A1": 12, "A2": 10, "B1": 14, "B2": 16, "B3": 0, "N1": 3, "P1": 4}
    assert staff.loc["P1", "complex_cases"] == 2
    assert staff.loc["N1", "category"] == "nqsw" and staff.loc["B3", "category"] == "agency"


def test_headline_year_on_year(tables):
    snaps = tables["caseload_snapshots"].set_index(["snapshot", "group"])
    # 2019: A1 12, A2 10, B1 14, B2 16 and B3 with none: 52 cases over 4 holders; fte 3.5
    assert snaps.loc[(SEPT_2019, "headline"), ["staff", "case_holders", "cases"]].tolist() == [5, 4, 52]
    assert snaps.loc[(SEPT_2019, "headline"), "mean_caseload"] == 13.0
    assert snaps.loc[(SEPT_2019, "headline"), "cases_per_fte"] == round(52 / 3.5, 2) == 14.86
    # 2018: A1 20, B1 24, B3 none
    assert snaps.loc[(SEPT_2018, "headline"), ["staff", "case_holders", "cases"]].tolist() == [3, 2, 44]
    assert snaps.loc[(SEPT_2018, "headline"), "mean_caseload"] == 22.0


def test_change_shows_more_workers_not_fewer_cases(tables):
    change = tables["caseload_change"].set_index(["dimension", "group"])
    head = change.loc[("headline", "headline")]
    assert (head["case_holders_earlier"], head["case_holders_latest"], head["case_holders_change"]) == (2, 4, 2)
    assert (head["cases_earlier"], head["cases_latest"], head["cases_change"]) == (44, 52, 8)
    assert (head["mean_caseload_earlier"], head["mean_caseload_latest"], head["mean_caseload_change"]) == (
        22.0,
        13.0,
        -9.0,
    )
    team_b = change.loc[("team", "B")]
    assert (
        team_b["case_holders_earlier"],
        team_b["case_holders_latest"],
        team_b["cases_earlier"],
        team_b["cases_latest"],
        team_b["mean_caseload_latest"],
    ) == (1, 2, 24, 30, 15.0)
    principal = change.loc[("role", "principal_social_worker")]
    assert (principal["cases_earlier"], principal["cases_latest"]) == (0, 4)
    assert math.isnan(principal["mean_caseload_earlier"]) and math.isnan(principal["mean_caseload_change"])
    assert change.index.get_level_values("dimension").unique().tolist() == ["headline", "team", "role"]


def test_by_role_and_category(tables):
    table = tables["caseload_by_role_category"].set_index(["snapshot", "dimension", "group"])
    sw = table.loc[(SEPT_2019, "role", "social_worker")]
    # A1 12, A2 10, B1 14, B2 16, B3 0, N1 3
    assert (sw["staff"], sw["case_holders"], sw["cases"], sw["median_caseload"], sw["max_caseload"]) == (
        6,
        5,
        55,
        12.0,
        16,
    )
    assert sw["mean_caseload"] == 11.0
    agency = table.loc[(SEPT_2019, "category", "agency")]
    assert (agency["staff"], agency["case_holders"], agency["cases"]) == (1, 0, 0)
    assert pd.isna(agency["mean_caseload"]) and pd.isna(agency["max_caseload"])
    nqsw = table.loc[(SEPT_2019, "category", "nqsw")]
    assert (nqsw["staff"], nqsw["case_holders"], nqsw["cases"], nqsw["mean_caseload"]) == (1, 1, 3, 3.0)
    qualified = table.loc[(SEPT_2019, "category", "qualified")]
    assert (qualified["staff"], qualified["cases"], qualified["median_caseload"]) == (4, 52, 13.0)


def test_distribution_of_headline_case_holders(tables):
    dist = tables["caseload_distribution"]
    latest = dist[dist["snapshot"] == SEPT_2019]
    assert latest["caseload_band"].tolist() == ["1-5", "6-10", "11-15", "16-20", "21-25", "over 25"]
    assert latest["case_holders"].tolist() == [0, 1, 2, 1, 0, 0]
    assert latest["share"].tolist() == [0.0, 0.25, 0.5, 0.25, 0.0, 0.0]
    earlier = dist[dist["snapshot"] == SEPT_2018]
    assert earlier["case_holders"].tolist() == [0, 0, 0, 1, 1, 0]
    assert dist["upper"].isna().sum() == 2


def test_nqsw_detail_and_status_end(tables):
    detail = tables["nqsw_detail"]
    assert detail[["staff_id", "band", "months_band", "caseload", "band_limit", "months_since_qualified"]].to_dict(
        "records"
    ) == [
        {
            "staff_id": "N1",
            "band": "months_0_6",
            "months_band": "months_0_6",
            "caseload": 3,
            "band_limit": 10,
            "months_since_qualified": 3,
        }
    ]
    assert detail["nqsw_status_ends"].tolist() == [pd.Timestamp("2020-09-01")]
    ends = tables["nqsw_status_ends"].set_index("band")
    assert ends.loc["months_0_6", "status_ends_first"] == pd.Timestamp("2020-09-01")
    assert ends.loc["months_6_12", "staff"] == 0 and pd.isna(ends.loc["months_6_12", "status_ends_last"])


def test_principal_complexity(tables):
    table = tables["principal_complexity"]
    at_end = table[table["as_at"] == MONTH_END].set_index("role")
    assert (at_end.loc["principal_social_worker", ["cases", "complex_cases"]].tolist()) == [4, 2]
    assert at_end.loc["principal_social_worker", "complex_share"] == 0.5
    assert at_end.loc["social_worker", "complex_share"] == 0.0
    assert at_end.loc["social_worker", "mean_caseload"] == 11.0
    assert sorted(table["as_at"].unique()) == [SEPT_2019, MONTH_END]


def test_flags_and_outside_employment_in_the_tables():
    data = make(
        [post("T1", role="team_manager"), post("GONE", end="2019-11-30")],
        _cases("T1", 1) + _cases("GONE", 2) + _cases("NOBODY", 3),
    )
    tables = caseload_tables(data, DEC_2019, CONFIG)
    assert tables["caseload_flags"][["staff_id", "rule"]].to_dict("records") == [
        {"staff_id": "T1", "rule": "team_manager_holding_cases"}
    ]
    counts = tables["caseload_flag_counts"].set_index("rule")["count"]
    assert counts["team_manager_holding_cases"] == 1 and counts.sum() == 1
    outside = tables["caseload_outside_employment"].set_index("as_at")
    assert outside.loc[MONTH_END].tolist() == [2, 1, 5]  # GONE and NOBODY; NOBODY unknown; 2 + 3 cases
    assert outside.loc[SEPT_2019].tolist() == [1, 1, 3]  # GONE still employed then


# --- properties -------------------------------------------------------------------------------

FIRST = date(2019, 1, 1)
# Around the NQSW and band boundaries of 30 Sept 2019 and 31 Dec 2019.
QUALIFIED_DATES = [
    "2010-01-01",
    "2018-09-30",
    "2018-10-01",
    "2018-12-31",
    "2019-01-31",
    "2019-06-30",
    "2019-07-01",
    "2019-08-31",
    "2019-12-31",
]
day_offsets = st.integers(0, 500)


@st.composite
def authorities(draw):
    people = [f"W{n}" for n in range(draw(st.integers(1, 5)))]
    posts = []
    for person in people:
        start = FIRST + timedelta(days=draw(st.integers(0, 200)))
        end = draw(st.none() | st.integers(0, 300).map(lambda k, s=start: s + timedelta(days=k)))
        posts.append(
            post(
                person,
                role=draw(
                    st.sampled_from(
                        ["social_worker", "senior_social_worker", "principal_social_worker", "team_manager"]
                    )
                ),
                employment=draw(st.sampled_from(["permanent", "agency"])),
                start=start.isoformat(),
                end=end and end.isoformat(),
                qualified=draw(st.none() | st.sampled_from(QUALIFIED_DATES)),
                fte=draw(st.sampled_from([0.5, 1.0])),
            )
        )
    allocations = []
    for _ in range(draw(st.integers(0, 12))):
        start = FIRST + timedelta(days=draw(day_offsets))
        end = draw(st.none() | st.integers(-2, 120).map(lambda k, s=start: s + timedelta(days=k)))
        allocations.append(
            alloc(
                f"C{draw(st.integers(0, 4))}",
                draw(st.sampled_from([*people, "X"])),
                start.isoformat(),
                end and end.isoformat(),
                draw(st.sampled_from(["child_protection", "child_in_need"])),
            )
        )
    return posts, allocations


def _naive(posts, allocations, day: date) -> dict[str, int]:
    """Caseload per employed person by the definition, one person at a time."""
    out = {}
    for p in posts:
        if date.fromisoformat(p["start_date"]) <= day and (
            p["end_date"] is None or date.fromisoformat(p["end_date"]) >= day
        ):
            out[p["staff_id"]] = len(
                {
                    a["case_id"]
                    for a in allocations
                    if a["staff_id"] == p["staff_id"]
                    and date.fromisoformat(a["start_date"]) <= day
                    and (a["end_date"] is None or date.fromisoformat(a["end_date"]) >= day)
                }
            )
    return out


DAYS = [pd.Timestamp("2019-03-31"), pd.Timestamp("2019-09-30"), pd.Timestamp("2020-01-31")]
_settings = settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(authorities())
def test_caseloads_match_the_definition_on_many_dates(drawn):
    posts, allocations = drawn
    got = caseloads_on(make(posts, allocations), DAYS, CONFIG)
    assert (got["caseload"] >= 0).all() and (got["complex_cases"] <= got["caseload"]).all()
    for day in DAYS:
        on_day = got[got["date"] == day]
        assert dict(zip(on_day["staff_id"], on_day["caseload"])) == _naive(posts, allocations, day.date())


@_settings
@given(authorities())
def test_headline_and_nqsw_match_the_reference_model(drawn):
    posts, allocations = drawn
    data = make(posts, allocations)
    model = Model(data)
    tables = caseload_tables(data, DEC_2019, CONFIG)
    snaps = tables["caseload_snapshots"].set_index(["snapshot", "group"])
    for day in (SEPT_2019, SEPT_2018):
        staff, holders, cases, mean = model.headline(day.date())
        row = snaps.loc[(day, "headline")]
        assert (row["staff"], row["case_holders"], row["cases"]) == (staff, holders, cases)
        assert (mean is None and math.isnan(row["mean_caseload"])) or row["mean_caseload"] == mean
    nqsw = tables["nqsw_caseload"].set_index("band")
    for band, loads in model.nqsw_breakdown(MONTH_END.date()).items():
        assert nqsw.loc[band, "staff"] == len(loads)
        if loads:
            assert nqsw.loc[band, "mean_caseload"] == round(sum(loads) / len(loads), 2)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(authorities(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(drawn, rng: random.Random):
    posts, allocations = drawn
    before = caseload_tables(make(posts, allocations), DEC_2019, CONFIG)
    rng.shuffle(posts)
    rng.shuffle(allocations)
    after = caseload_tables(make(posts, allocations), DEC_2019, CONFIG)
    for name in before:
        pd.testing.assert_frame_equal(before[name].reset_index(drop=True), after[name].reset_index(drop=True))


@_settings
@given(authorities(), st.data())
def test_adding_an_allocation_never_lowers_a_caseload(drawn, data):
    posts, allocations = drawn
    extra = alloc(
        f"C{data.draw(st.integers(0, 6))}",
        data.draw(st.sampled_from([p["staff_id"] for p in posts])),
        (FIRST + timedelta(days=data.draw(day_offsets))).isoformat(),
    )
    before = caseloads_on(make(posts, allocations), DAYS, CONFIG)
    after = caseloads_on(make(posts, [*allocations, extra]), DAYS, CONFIG)
    assert before[["date", "staff_id"]].equals(after[["date", "staff_id"]])
    assert (after["caseload"].to_numpy() >= before["caseload"].to_numpy()).all()
    assert (after["caseload"].to_numpy() - before["caseload"].to_numpy() <= 1).all()


# --- the sample authority -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA

    if not (SAMPLE_DATA / "staff.csv").exists() and not (SAMPLE_DATA / "staff.xlsx").exists():
        pytest.fail("data/sample is missing: the calibrated sample authority has not landed")
    return load_valid_dataset(SAMPLE_DATA, CONFIG)


def test_sample_reproduces_the_council_headline(sample):
    table = caseload_snapshots_for(sample, DEC_2019, CONFIG).set_index(["snapshot", "group"])
    assert table.loc[(SEPT_2019, "headline"), "mean_caseload"] == 16.16
    assert table.loc[(SEPT_2018, "headline"), "mean_caseload"] == 23.80
    assert (table.xs("team_manager", level="group")["cases"] == 0).all()


def test_sample_reproduces_the_council_nqsw_breakdown(sample):
    table = nqsw_caseload_on(sample, MONTH_END, CONFIG).set_index("band")
    assert table["staff"].to_dict() == {"non_case_holding": 2, "months_0_6": 2, "months_6_12": 4}
    assert table.loc["months_0_6", "mean_caseload"] == 8.0
    assert table.loc["months_6_12", "mean_caseload"] == 14.0


def test_sample_team_managers_hold_no_cases(sample):
    loads = caseloads_on(sample, pd.date_range("2018-09-30", "2019-12-31", freq="ME"), CONFIG)
    assert loads.loc[loads["role"] == "team_manager", "caseload"].sum() == 0
    flags = caseload_tables(sample, DEC_2019, CONFIG)["caseload_flag_counts"].set_index("rule")["count"]
    assert flags["team_manager_holding_cases"] == 0


def test_sample_nqsw_status_ends_in_april_2020(sample):
    ends = caseload_tables(sample, DEC_2019, CONFIG)["nqsw_status_ends"].set_index("band")
    assert ends.loc["months_6_12", "status_ends_first"].strftime("%Y-%m") == "2020-04"
    assert ends.loc["months_6_12", "status_ends_last"].strftime("%Y-%m") == "2020-04"


def test_sample_principals_hold_fewer_more_complex_cases(sample):
    table = caseload_tables(sample, DEC_2019, CONFIG)["principal_complexity"]
    latest = table[table["as_at"] == SEPT_2019].set_index("role")
    assert latest.loc["principal_social_worker", "mean_caseload"] < latest.loc["social_worker", "mean_caseload"]
    assert latest.loc["principal_social_worker", "complex_share"] > latest.loc["social_worker", "complex_share"]


def test_an_empty_authority_gives_every_table_with_zeros():
    tables = caseload_tables(make([]), DEC_2019, CONFIG)
    assert TABLE_NAMES <= set(tables)
    assert tables["caseload_snapshots"]["staff"].tolist() == [0] * 10
    assert tables["nqsw_caseload"]["staff"].tolist() == [0, 0, 0]
    assert tables["caseload_flag_counts"]["count"].tolist() == [0, 0, 0, 0]
    assert tables["caseload_flags"].empty and tables["nqsw_detail"].empty


# --- breakdowns at their boundaries ------------------------------------------------------------------


def test_a_caseload_of_exactly_the_maximum_is_in_the_top_band_not_over_it():
    data = make(
        [post("AT", team="A"), post("OVER", team="A")],
        _cases("AT", 25, "2019-01-01") + _cases("OVER", 26, "2019-01-01"),
    )
    dist = caseload_tables(data, DEC_2019, CONFIG)["caseload_distribution"]
    latest = dist[dist["snapshot"] == SEPT_2019].set_index("caseload_band")["case_holders"]
    assert (latest["21-25"], latest["over 25"]) == (1, 1)
    flags = caseload_tables(data, DEC_2019, CONFIG)["caseload_flags"]
    assert flags.loc[flags["rule"] == "over_max_caseload", "staff_id"].tolist() == ["OVER"]


def test_nqsw_bands_status_ends_and_means_to_their_places():
    """On 31 Dec 2019: N0 holds nothing; E1, E2, E3 (qualified Sept 2019) hold 5, 5, 4 (mean 4.67);
    L1, L2 (qualified 15 Feb and 1 April 2019) hold 1 and 2; their status ends 15 Feb and 1 April 2020."""
    posts = [
        post("N0", qualified="2019-09-01"),
        post("E1", qualified="2019-09-01"),
        post("E2", qualified="2019-09-02"),
        post("E3", qualified="2019-09-03"),
        post("L1", qualified="2019-02-15"),
        post("L2", qualified="2019-04-01"),
    ]
    allocations = (
        _cases("E1", 5, "2019-10-01")
        + _cases("E2", 5, "2019-10-01")
        + _cases("E3", 4, "2019-10-01")
        + _cases("L1", 1, "2019-10-01")
        + _cases("L2", 2, "2019-10-01")
    )
    tables = caseload_tables(make(posts, allocations), DEC_2019, CONFIG)
    bands = tables["nqsw_caseload"].set_index("band")
    assert bands["staff"].to_dict() == {"non_case_holding": 1, "months_0_6": 3, "months_6_12": 2}
    assert bands.loc["months_0_6", "mean_caseload"] == 4.67 and bands.loc["months_6_12", "mean_caseload"] == 1.5
    detail = tables["nqsw_detail"].set_index("staff_id")
    assert detail.loc["N0", "band"] == "non_case_holding" and detail.loc["N0", "months_band"] == "months_0_6"
    ends = tables["nqsw_status_ends"].set_index("band")
    assert (ends.loc["months_6_12", "status_ends_first"], ends.loc["months_6_12", "status_ends_last"]) == (
        pd.Timestamp("2020-02-15"),
        pd.Timestamp("2020-04-01"),
    )


def test_principal_complex_cases_are_summed_over_the_principals():
    posts = [post("P1", role="principal_social_worker"), post("P2", role="principal_social_worker")]
    allocations = (
        _cases("P1", 2, "2019-07-01", case_type="court_proceedings")
        + _cases("P1", 1, "2019-07-03")
        + _cases("P2", 1, "2019-07-02", case_type="child_protection")
        + _cases("P2", 2, "2019-07-04")
    )
    table = caseload_tables(make(posts, allocations), DEC_2019, CONFIG)["principal_complexity"]
    principal = table[(table["as_at"] == SEPT_2019) & (table["role"] == "principal_social_worker")].iloc[0]
    assert (principal["cases"], principal["complex_cases"], principal["complex_share"]) == (6, 3, 0.5)


def test_shares_keep_four_places():
    data = make(
        [post("A"), post("B"), post("C")],
        _cases("A", 3, "2019-01-01") + _cases("B", 8, "2019-01-01") + _cases("C", 9, "2019-01-01"),
    )
    dist = caseload_tables(data, DEC_2019, CONFIG)["caseload_distribution"]
    latest = dist[dist["snapshot"] == SEPT_2019].set_index("caseload_band")["share"]
    assert (latest["1-5"], latest["6-10"]) == (0.3333, 0.6667)


def test_every_role_and_category_has_a_row_with_zeros_for_no_one(tables):
    table = tables["caseload_by_role_category"]
    assert len(table) == 2 * (4 + 3)  # two snapshots; four roles and three categories each
    tm = table.set_index(["snapshot", "dimension", "group"]).loc[(SEPT_2019, "role", "team_manager")]
    assert (tm["staff"], tm["case_holders"], tm["cases"]) == (0, 0, 0)
    assert pd.isna(tm["median_caseload"]) and pd.isna(tm["max_caseload"]) and pd.isna(tm["mean_caseload"])
    assert set(table["snapshot"]) == {SEPT_2019, SEPT_2018}


def test_the_change_table_names_both_snapshots_and_counts_a_missing_year_as_zero(tables):
    change = tables["caseload_change"]
    assert set(change["snapshot_earlier"]) == {SEPT_2018} and set(change["snapshot_latest"]) == {SEPT_2019}
    principal = change.set_index(["dimension", "group"]).loc[("role", "principal_social_worker")]
    # P1 held no case in Autumn 2018 and 4 in Autumn 2019.
    assert (principal["case_holders_earlier"], principal["cases_earlier"]) == (0, 0)
    assert (principal["case_holders_latest"], principal["cases_latest"], principal["cases_change"]) == (1, 4, 4)


def test_a_change_of_means_is_written_to_two_places_without_float_noise():
    """Ten workers hold 163 cases in Autumn 2018 (mean 16.3) and 161 in Autumn 2019 (16.1); 16.1 - 16.3 is
    -0.20000000000000284 in binary floats, written as -0.2."""
    posts = [post(f"W{k}", team="A") for k in range(10)]
    allocations = []
    for k in range(10):
        allocations += _cases(f"W{k}", 16 + (k < 3), "2018-01-01", "2019-06-30")  # 163 cases in 2018
        allocations += _cases(f"W{k}", 16 + (k < 1), "2019-07-01")  # 161 cases in 2019
    change = caseload_tables(make(posts, allocations), DEC_2019, CONFIG)["caseload_change"]
    head = change.set_index(["dimension", "group"]).loc[("headline", "headline")]
    assert (head["mean_caseload_earlier"], head["mean_caseload_latest"]) == (16.3, 16.1)
    assert float(head["mean_caseload_change"]) == -0.2


def test_change_rows_run_headline_then_teams_by_name_then_roles_in_their_order():
    posts = [
        post("A1", team="zebra team"),
        post("B1", team="Abbey", role="senior_social_worker"),
        post("P1", team="Abbey", role="principal_social_worker"),
    ]
    allocations = _cases("A1", 3, "2018-01-01") + _cases("B1", 2, "2018-01-01") + _cases("P1", 1, "2018-01-01")
    change = caseload_tables(make(posts, allocations), DEC_2019, CONFIG)["caseload_change"]
    assert list(zip(change["dimension"], change["group"])) == [
        ("headline", "headline"),
        ("team", "Abbey"),
        ("team", "zebra team"),
        ("role", "social_worker"),
        ("role", "senior_social_worker"),
        ("role", "principal_social_worker"),
    ]


def test_distribution_bands_end_at_a_maximum_that_is_not_a_multiple_of_the_width():
    """max_caseload 21, width 5: bands 1-5 ... 16-20, then 21 alone (a one-value band is named by its
    value), then over 21."""
    data = make([post("A"), post("B")], _cases("A", 21, "2019-01-01") + _cases("B", 22, "2019-01-01"))
    dist = caseload_tables(data, DEC_2019, CONFIG.with_changes(max_caseload=21))["caseload_distribution"]
    latest = dist[dist["snapshot"] == SEPT_2019]
    assert latest["caseload_band"].tolist() == ["1-5", "6-10", "11-15", "16-20", "21", "over 21"]
    assert latest["lower"].tolist() == [1, 6, 11, 16, 21, 22]
    assert latest["upper"].tolist()[:5] == [5, 10, 15, 20, 21] and pd.isna(latest["upper"].iloc[5])
    assert latest["case_holders"].tolist() == [0, 0, 0, 0, 1, 1]
