"""Compliance tables, hand-computed, and the design's properties under hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import load_config
from analysis.supervision.compliance import MONTHLY_COLUMNS, supervision_monthly
from analysis.supervision.eligibility import person_months

from builders import examples, make_dataset, supervision_tables

OCT, NOV, DEC = (pd.Period(m, "M") for m in ("2019-10", "2019-11", "2019-12"))
CONFIG = load_config()


def _october() -> pd.DataFrame:
    data = make_dataset(
        staff=[
            {"staff_id": s, "end_date": "2019-10-31", **extra}
            for s, extra in [
                ("S1", {}),
                ("S2", {}),
                ("S5", {}),
                ("N1", {"qualified_date": "2019-06-01"}),
                ("A1", {"employment": "agency"}),
            ]
        ],
        absences=[{"staff_id": "A1", "absence_type": "sickness", "start_date": "2019-10-01", "end_date": "2019-10-31"}],
        supervisions=[
            {"staff_id": "S1", "supervision_date": "2019-10-03"},
            {"staff_id": "N1", "supervision_date": "2019-10-30"},
            {"staff_id": "S5", "supervision_date": "2019-11-05"},
        ],
    )
    return person_months(data, [OCT], CONFIG)


def test_supervision_monthly_by_hand_with_an_empty_month():
    table = supervision_monthly(_october(), ["2019-10", "2019-11"])
    assert list(table.columns) == MONTHLY_COLUMNS
    assert list(zip(table["month"], table["category"])) == [
        (m, c) for m in ("2019-10", "2019-11") for c in ("all", "qualified", "nqsw", "agency")
    ]
    october = table[table["month"] == "2019-10"].set_index("category")
    assert october.loc["all", ["in_scope", "due", "supervised", "near_miss"]].tolist() == [5, 4, 2, 1]
    assert october.loc["qualified", ["in_scope", "due", "supervised", "near_miss"]].tolist() == [3, 3, 1, 1]
    assert october.loc["nqsw", ["in_scope", "due", "supervised", "near_miss"]].tolist() == [1, 1, 1, 0]
    assert october.loc["agency", ["in_scope", "due", "supervised", "near_miss"]].tolist() == [1, 0, 0, 0]
    assert october["compliance"].tolist()[:3] == [0.5, 0.3333, 1.0]
    assert np.isnan(october.loc["agency", "compliance"])
    november = table[table["month"] == "2019-11"]
    assert (november[["in_scope", "due", "supervised", "near_miss"]] == 0).all().all()
    assert november["compliance"].isna().all()


def test_supervision_monthly_uses_the_requested_months_by_default():
    pm = person_months(make_dataset(staff=[{"end_date": "2019-10-31"}]), [OCT, NOV], CONFIG)
    assert list(supervision_monthly(pm)["month"].unique()) == ["2019-10", "2019-11"]


def _many(prefix: str, team: str, n: int) -> list[dict]:
    return [{"staff_id": f"{prefix}{i:02d}", "team": team} for i in range(n)]


def test_teams_compared_fairly_flag_the_outliers():
    staff = _many("A", "Alpha", 20) + _many("B", "Beta", 20) + _many("C", "Gamma", 10)
    sup = [{"staff_id": f"A{i:02d}", "supervision_date": "2019-12-02"} for i in range(20)]
    sup += [{"staff_id": f"B{i:02d}", "supervision_date": "2019-12-02"} for i in range(2)]
    sup += [{"staff_id": f"C{i:02d}", "supervision_date": "2019-12-02"} for i in range(6)]
    tables = supervision_tables(make_dataset(staff=staff, supervisions=sup), DEC, None, CONFIG)
    teams = tables["supervision_teams"].set_index("team")
    # Overall 28 / 50 = 0.56. Alpha 20/20 and Beta 2/20 are far out; Gamma 6/10 is not.
    assert teams["overall"].unique().tolist() == [0.56]
    assert teams["outside"].to_dict() == {"Alpha": "above_99.8", "Beta": "below_99.8", "Gamma": "within"}
    assert teams.loc["Gamma", ["due", "supervised", "compliance"]].tolist() == [10, 6, 0.6]
    assert (teams.loc["Gamma", "wilson_low"], teams.loc["Gamma", "wilson_high"]) == (0.3127, 0.8318)
    assert (teams["lower_998"] < teams["lower_95"]).all() and (teams["upper_95"] < teams["upper_998"]).all()
    posts = tables["supervision_posts"]
    assert posts[["role", "due", "supervised"]].values.tolist() == [["social_worker", 50, 28]]


def _december_authority():
    staff = [
        {"staff_id": "S1"},
        {"staff_id": "S2"},
        {"staff_id": "S3"},
        {"staff_id": "S4"},
        {"staff_id": "A1", "employment": "agency"},
        {"staff_id": "P2"},
    ]
    absences = [
        {"staff_id": "S3", "absence_type": "sickness", "start_date": "2019-10-01", "end_date": "2019-10-31"},
        {"staff_id": "S4", "absence_type": "maternity", "start_date": "2019-12-02", "end_date": "2020-03-31"},
    ]
    supervisions = [
        {"staff_id": "S1", "supervision_date": "2019-05-20"},
        {"staff_id": "S2", "supervision_date": "2019-11-12"},
        {"staff_id": "P2", "supervision_date": "2019-12-05"},
        {"staff_id": "A1", "supervision_date": "2019-09-05"},
        {"staff_id": "A1", "supervision_date": "2019-10-05"},
        {"staff_id": "A1", "supervision_date": "2019-11-05"},
    ]
    return make_dataset(staff=staff, absences=absences, supervisions=supervisions)


def test_supervision_tables_window_defaults_to_three_months_before():
    tables = supervision_tables(_december_authority(), DEC, None, CONFIG)
    assert tables["supervision_monthly"]["month"].unique().tolist() == ["2019-09", "2019-10", "2019-11", "2019-12"]
    tables = supervision_tables(_december_authority(), DEC, NOV, CONFIG)
    assert tables["supervision_monthly"]["month"].unique().tolist() == ["2019-11", "2019-12"]
    with pytest.raises(ValueError):
        supervision_tables(_december_authority(), NOV, DEC, CONFIG)


def test_exclusions_data_gap_and_repeat_misses_by_hand():
    tables = supervision_tables(_december_authority(), DEC, None, CONFIG)
    exclusions = tables["supervision_exclusions"].set_index(["month", "category", "reason"])["staff"]
    assert exclusions[("2019-10", "all", "sickness")] == 1
    assert exclusions[("2019-12", "qualified", "maternity")] == 1
    assert exclusions.sum() == 4  # S3 in October and S4 in December, under all and under qualified
    # December: due S1, S2, S3, A1, P2; supervised P2; A1 (agency, no absences) is the gap.
    gap = tables["supervision_data_gap"].set_index("month").loc["2019-12"]
    assert gap[["due", "supervised", "due_unsupervised", "with_absence_gap"]].tolist() == [5, 1, 4, 1]
    assert (gap["compliance"], gap["compliance_upper_bound"]) == (0.2, 0.25)
    staff = tables["supervision_staff"].set_index("staff_id")
    # S1: supervised in May, missed June to December (the data start in May): 7 in a row.
    # S2: supervised in November: 1. S3: absent in October: November and December, 2. A1: 1.
    assert staff["consecutive_misses"].to_dict() == {"A1": 1, "P2": 0, "S1": 7, "S2": 1, "S3": 2, "S4": 0}
    assert staff.loc["S4", "exclusion_reason"] == "maternity"
    assert staff.loc["S2", "last_formal_supervision"] == pd.Timestamp("2019-11-12")


# --- properties -----------------------------------------------------------------------------

FIRST, LAST = date(2019, 7, 1), date(2020, 1, 31)
MONTHS = [pd.Period(m, "M") for m in ("2019-09", "2019-10", "2019-11", "2019-12")]
days = st.integers(0, (LAST - FIRST).days).map(lambda n: (FIRST + timedelta(days=n)).isoformat())


@st.composite
def absence(draw, people):
    start = draw(st.integers(0, (LAST - FIRST).days))
    return {
        "staff_id": draw(st.sampled_from(people)),
        "absence_type": draw(st.sampled_from(["annual_leave", "sickness", "maternity", "other"])),
        "start_date": (FIRST + timedelta(days=start)).isoformat(),
        "end_date": (FIRST + timedelta(days=start + draw(st.integers(0, 25)))).isoformat(),
    }


@st.composite
def authority(draw):
    people = [f"W{i}" for i in range(draw(st.integers(1, 6)))]
    staff = [
        {
            "staff_id": p,
            "team": draw(st.sampled_from(["A", "B"])),
            "employment": draw(st.sampled_from(["permanent", "permanent", "agency"])),
            "start_date": draw(days),
            "end_date": draw(st.none() | days),
            "qualified_date": draw(st.none() | st.just("2019-03-15")),
        }
        for p in people
    ]
    for row in staff:
        if row["end_date"] is not None and row["end_date"] < row["start_date"]:
            row["start_date"], row["end_date"] = row["end_date"], row["start_date"]
    absences = draw(st.lists(absence(people), max_size=6))
    supervisions = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "staff_id": st.sampled_from(people),
                    "supervision_date": days,
                    "supervision_type": st.sampled_from(["formal", "formal", "group", "peer", "informal"]),
                }
            ),
            max_size=10,
        )
    )
    return {"staff": staff, "absences": absences, "supervisions": supervisions, "people": people}


def _pm(parts: dict) -> pd.DataFrame:
    return person_months(make_dataset(parts["staff"], parts["absences"], parts["supervisions"]), MONTHS, CONFIG)


PROPERTY = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(authority())
def test_compliance_stays_between_zero_and_one(parts):
    compliance = supervision_monthly(_pm(parts))["compliance"].dropna()
    assert ((compliance >= 0) & (compliance <= 1)).all()


@PROPERTY
@given(authority(), st.data())
def test_adding_an_absence_never_makes_anyone_due(parts, data):
    before = _pm(parts)
    extra = data.draw(absence(parts["people"]))
    after = _pm({**parts, "absences": parts["absences"] + [extra]})
    due_before = set(zip(before.loc[before["due"], "month"], before.loc[before["due"], "staff_id"]))
    due_after = set(zip(after.loc[after["due"], "month"], after.loc[after["due"], "staff_id"]))
    assert due_after <= due_before


@PROPERTY
@given(authority(), st.data())
def test_adding_a_formal_supervision_never_lowers_compliance(parts, data):
    extra = {"staff_id": data.draw(st.sampled_from(parts["people"])), "supervision_date": data.draw(days)}
    before = supervision_monthly(_pm(parts))
    after = supervision_monthly(_pm({**parts, "supervisions": parts["supervisions"] + [extra]}))
    assert (after["due"] == before["due"]).all()
    both = before["compliance"].notna()
    assert (after.loc[both, "compliance"] >= before.loc[both, "compliance"]).all()


@PROPERTY
@given(authority(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(parts, rng):
    shuffled = {k: rng.sample(v, len(v)) for k, v in parts.items()}
    pd.testing.assert_frame_equal(_pm(shuffled), _pm(parts))


@pytest.mark.parametrize("staff", [[], [{"end_date": "2018-01-01"}]])
def test_supervision_tables_with_no_one_in_scope(staff):
    tables = supervision_tables(make_dataset(staff=staff), DEC, None, CONFIG)
    monthly = tables["supervision_monthly"]
    assert len(monthly) == 16 and (monthly["due"] == 0).all() and monthly["compliance"].isna().all()
    assert tables["supervision_teams"].empty and tables["supervision_staff"].empty
    assert tables["watch_next_month"].empty


@pytest.mark.parametrize("staff", [[], [{"end_date": "2018-01-01"}]])
def test_the_data_gap_of_a_window_with_no_one_in_scope_is_a_row_of_zeros_a_month(staff):
    gap = supervision_tables(make_dataset(staff=staff), DEC, None, CONFIG)["supervision_data_gap"]
    assert gap["month"].tolist() == ["2019-09", "2019-10", "2019-11", "2019-12"]
    counts = gap[["due", "supervised", "due_unsupervised", "with_absence_gap"]]
    assert (counts == 0).all().all() and gap["compliance"].isna().all() and gap["compliance_upper_bound"].isna().all()


def test_repeat_misses_follow_a_long_run_back_through_several_steps():
    # Supervised in June 2017, never again: July 2017 to December 2019 is 30 months in a row,
    # found by stepping back 12 months at a time from the September-December window.
    data = make_dataset(
        staff=[{"staff_id": "S1", "start_date": "2016-01-01"}, {"staff_id": "S2"}],
        supervisions=[
            {"staff_id": "S1", "supervision_date": "2017-06-15"},
            {"staff_id": "S2", "supervision_date": "2019-12-02"},
        ],
    )
    staff = supervision_tables(data, DEC, None, CONFIG)["supervision_staff"].set_index("staff_id")
    assert staff["consecutive_misses"].to_dict() == {"S1": 30, "S2": 0}


# --- teams compared fairly, at every boundary (issue: mutants over in_scope, labels, tails) ------------

# team: (in scope, due, supervised). Overall 65 of 95 due = 0.6842 (over in scope it would be 65 of 111).
TEAMS = {"A": (20, 20, 20), "B": (12, 10, 5), "C": (3, 0, 0), "D": (40, 40, 33), "E": (15, 15, 6), "F": (11, 10, 1)}


def _team_month() -> pd.DataFrame:
    rows = []
    for team, (in_scope, due, supervised) in TEAMS.items():
        rows += [
            {"month": "2019-12", "team": team, "due": i < due, "supervised": i < supervised} for i in range(in_scope)
        ]
    return pd.DataFrame(rows)


def test_each_team_is_compared_over_those_due_not_those_in_post():
    from statsmodels.stats.proportion import proportion_confint

    from analysis.supervision.compliance import compare_groups

    teams = compare_groups(_team_month(), "team").set_index("team")
    assert teams[["in_scope", "due", "supervised"]].values.tolist() == [list(v) for v in TEAMS.values()]
    assert teams.loc["B", "compliance"] == 0.5 and teams.loc["F", "compliance"] == 0.1
    assert np.isnan(teams.loc["C", "compliance"])
    assert teams["overall"].unique().tolist() == [round(65 / 95, 4)]
    for team in ("B", "E", "F"):
        _, due, supervised = TEAMS[team]
        low, high = proportion_confint(supervised, due, alpha=0.05, method="wilson")
        assert (teams.loc[team, "wilson_low"], teams.loc[team, "wilson_high"]) == (round(low, 4), round(high, 4))


def test_the_funnel_limits_follow_each_teams_due_count():
    from analysis.core.stats import funnel_limits
    from analysis.supervision.compliance import compare_groups

    teams = compare_groups(_team_month(), "team").set_index("team")
    for team in ("B", "F"):  # 10 due of 12 and 11 in post
        for name, level in (("95", 0.95), ("998", 0.998)):
            lower, upper = funnel_limits(65 / 95, np.array([10.0]), level)
            assert (teams.loc[team, f"lower_{name}"], teams.loc[team, f"upper_{name}"]) == (
                round(float(lower[0]), 4),
                round(float(upper[0]), 4),
            )
    dued = teams.drop(index="C")
    assert (dued["lower_998"] < dued["lower_95"]).all() and (dued["lower_95"] < dued["overall"]).all()
    assert (dued["overall"] < dued["upper_95"]).all() and (dued["upper_95"] < dued["upper_998"]).all()


def test_outliers_by_two_sided_exact_tails_between_and_beyond_the_limits():
    """Tails by hand (scipy): A P(R >= 20) = 0.00051; D P(R >= 33) = 0.0356 (within two-sided 95%,
    outside one-sided); E P(R <= 6) = 0.0216; F P(R <= 1) = 0.00022; nobody due in C."""
    from scipy.stats import binom

    from analysis.supervision.compliance import compare_groups

    p = 65 / 95
    assert 0.0005 < binom.sf(19, 20, p) < 0.001 and 0.025 < binom.sf(32, 40, p) < 0.05
    assert 0.001 < binom.cdf(6, 15, p) < 0.025 and binom.cdf(1, 10, p) < 0.001
    teams = compare_groups(_team_month(), "team").set_index("team")
    flags = teams["outside"].astype(object).where(teams["outside"].notna(), None).to_dict()
    assert flags == {"A": "above_99.8", "B": "within", "C": None, "D": "within", "E": "below_95", "F": "below_99.8"}


# --- the supervision tables at their boundaries -------------------------------------------------------


def test_the_data_gap_counts_only_the_due_and_unsupervised():
    """December: A1 agency, no absences, unsupervised (the gap); A2 agency, no absences, supervised (not
    counted); A3 agency with a June absence (no gap); S1 permanent, unsupervised."""
    data = make_dataset(
        staff=[
            {"staff_id": s, "employment": e}
            for s, e in [("A1", "agency"), ("A2", "agency"), ("A3", "agency"), ("S1", "permanent")]
        ],
        absences=[{"staff_id": "A3", "absence_type": "sickness", "start_date": "2019-06-03", "end_date": "2019-06-04"}],
        supervisions=[{"staff_id": "A2", "supervision_date": "2019-12-05"}],
    )
    gap = supervision_tables(data, DEC, DEC, CONFIG)["supervision_data_gap"].set_index("month").loc["2019-12"]
    assert gap[["due", "supervised", "due_unsupervised", "with_absence_gap"]].tolist() == [4, 1, 3, 1]
    assert (gap["compliance"], gap["compliance_upper_bound"]) == (0.25, 0.3333)


def test_the_month_after_the_window_never_enters_the_window_tables():
    """J1, an NQSW, starts in January 2020, the month after a report for December 2019."""
    data = make_dataset(
        staff=[{"staff_id": "S1"}, {"staff_id": "J1", "start_date": "2020-01-02", "qualified_date": "2019-12-01"}],
        supervisions=[{"staff_id": "J1", "supervision_date": "2020-01-06"}],
    )
    tables = supervision_tables(data, DEC, NOV, CONFIG)
    for name in (
        "supervision_monthly",
        "supervision_exclusions",
        "supervision_data_gap",
        "nqsw_supervision",
        "nqsw_supervision_staff",
    ):
        assert set(tables[name]["month"].astype(str)) <= {"2019-11", "2019-12"}, name
    assert "J1" not in set(tables["nqsw_supervision_staff"]["staff_id"])
    assert "J1" not in set(tables["supervision_staff"]["staff_id"])
    assert tables["supervision_monthly"]["in_scope"].max() == 1


def test_a_starter_not_in_post_is_an_exclusion_by_that_reason():
    data = make_dataset(staff=[{"staff_id": "S1"}, {"staff_id": "N1", "start_date": "2019-12-16"}])
    exclusions = supervision_tables(data, DEC, DEC, CONFIG)["supervision_exclusions"]
    rows = exclusions.set_index(["month", "category", "reason"])["staff"]
    assert rows[("2019-12", "all", "not_in_post")] == 1 and rows[("2019-12", "qualified", "not_in_post")] == 1
    assert exclusions["staff"].sum() == 2


def test_a_formal_supervision_on_the_months_last_day_is_the_last_formal_one():
    data = make_dataset(
        staff=[{"staff_id": "S1"}],
        supervisions=[
            {"staff_id": "S1", "supervision_date": "2019-11-29"},
            {"staff_id": "S1", "supervision_date": "2019-12-31"},
            {"staff_id": "S1", "supervision_date": "2020-01-02"},
        ],
    )
    staff = supervision_tables(data, DEC, DEC, CONFIG)["supervision_staff"].set_index("staff_id")
    assert staff.loc["S1", "last_formal_supervision"] == pd.Timestamp("2019-12-31")
    assert bool(staff.loc["S1", "supervised"])


def test_flags_above_95_and_for_a_team_of_one():
    """Overall 13 of 20 = 0.65: team X 10 of 10 has P(R >= 10) = 0.65^10 = 0.0135 (between the limits);
    team Y 1 of 1 is a team of one, still flagged within."""
    from analysis.supervision.compliance import compare_groups

    rows = [{"month": "2019-12", "team": "X", "due": True, "supervised": True}] * 10
    rows += [{"month": "2019-12", "team": "Y", "due": True, "supervised": True}]
    rows += [{"month": "2019-12", "team": "Z", "due": True, "supervised": i < 2} for i in range(9)]
    flags = compare_groups(pd.DataFrame(rows), "team").set_index("team")["outside"].to_dict()
    assert flags == {"X": "above_95", "Y": "within", "Z": "below_95"}


def test_exclusions_keep_every_month_category_and_reason_with_zeros():
    from analysis.supervision.compliance import supervision_exclusions

    pm = pd.DataFrame({"month": ["2019-12"], "category": ["agency"], "due": [False], "exclusion_reason": ["sickness"]})
    table = supervision_exclusions(pm, ["2019-11", "2019-12"], CONFIG.exclusion_reasons)
    assert len(table) == 2 * 4 * 5 and table["staff"].sum() == 2
    assert table.set_index(["month", "category", "reason"]).loc[("2019-12", "agency", "sickness"), "staff"] == 1


def test_monthly_figures_take_their_months_from_the_person_months_when_not_told():
    pm = _october().assign(month="2019-10")
    pm.attrs = {}
    assert supervision_monthly(pm)["month"].unique().tolist() == ["2019-10"]


def test_near_misses_and_the_compliance_counting_them_come_from_a_table():
    from analysis.supervision.compliance import supervision_near_misses

    monthly = pd.DataFrame(
        {
            "month": ["2019-11", "2019-11", "2019-12", "2019-12"],
            "category": ["all", "agency", "all", "agency"],
            "in_scope": [10, 2, 3, 1],
            "due": [8, 2, 0, 0],
            "supervised": [5, 1, 0, 0],
            "compliance": [0.625, 0.5, None, None],
            "near_miss": [2, 1, 0, 0],
        }
    )
    table = supervision_near_misses(monthly)
    assert table["month"].tolist() == ["2019-11", "2019-12"]
    assert table.iloc[0][["not_supervised", "near_miss", "compliance_with_near_misses"]].tolist() == [3, 2, 0.875]
    assert np.isnan(table.iloc[1]["compliance_with_near_misses"])


@pytest.mark.slow
def test_the_report_says_the_near_miss_compliance_of_its_table(tmp_path):
    from analysis.paths import SAMPLE_DATA
    from analysis.report.build import report_command

    assert report_command([DEC], None, SAMPLE_DATA, tmp_path, None, progress=False) == 0
    table = pd.read_csv(tmp_path / "2019-12" / "tables" / "supervision_near_misses.csv", dtype={"month": str})
    share = table.set_index("month").loc["2019-12", "compliance_with_near_misses"]
    page = (tmp_path / "2019-12" / "supervision.html").read_text(encoding="utf-8")
    assert f"Counting them, compliance would have been {share * 100:.1f}%." in page
