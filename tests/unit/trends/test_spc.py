"""Making Data Count: hand-worked series for every rule, the icons, and agreement with a second implementation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.trends.spc import assurance, current_phase_start, phase_starts, variation, xmr

from builders import with_tables
from spc_reference import chart

IMPROVEMENT = {"increase": 1, "decrease": -1, "neutral": 0}


def run(values, improvement="increase", rebase=()):
    months = [str(p) for p in pd.period_range("2018-01", periods=len(values), freq="M")]
    return xmr(pd.Series(values, index=months, dtype=float), improvement, list(rebase))


def types(frame):
    return [t.removeprefix("special_cause_") for t in frame["point_type"]]


C = "common_cause"


def test_limits_by_hand():
    # mean 11; moving ranges 2 x 7, 18, 38: mean 7.78, so 38 (>= 3.267 x 7.78 = 25.4) is dropped; mr_bar 4.
    chart_ = run([10, 12, 10, 12, 10, 12, 10, 12, 30, -8])
    assert chart_["mean"].unique().tolist() == [11.0]
    assert chart_["lower_limit"].round(6).unique().tolist() == [0.36]  # 11 - 2.66 x 4
    assert chart_["upper_limit"].round(6).unique().tolist() == [21.64]


def test_a_point_beyond_each_limit():
    assert types(run([10, 12, 10, 12, 10, 12, 10, 12, 30, -8])) == [C] * 8 + ["improvement", "concern"]
    assert types(run([10, 12, 10, 12, 10, 12, 10, 12, 30, -8], "decrease")) == [C] * 8 + ["concern", "improvement"]
    assert types(run([10, 12, 10, 12, 10, 12, 10, 12, 30, -8], "neutral")) == [C] * 8 + ["neutral_high", "neutral_low"]


def test_seven_points_rising_and_falling():
    up = run([10, 12, 10, 12, 9, 9.5, 10, 10.5, 11, 11.5, 12, 10, 12])
    assert types(up) == [C] * 4 + ["improvement"] * 7 + [C] * 2
    assert set(up["rule"][4:11]) == {"trend"}
    down = run([12, 10, 12, 10, 12, 11.5, 11, 10.5, 10, 9.5, 9, 12, 10])
    assert types(down) == [C] * 4 + ["concern"] * 7 + [C] * 2
    six_rises = run([10, 12, 10, 12, 9, 9.5, 10, 10.5, 11, 11.5, 10, 12])  # 6 points, 5 rises: not a trend
    assert "trend" not in set(six_rises["rule"])


def test_a_run_of_seven_on_one_side_and_a_point_on_the_mean_breaking_it():
    # mean exactly 11 in both; the eighth point is 11.2 (above) or 11 (on the mean).
    unbroken = run([10, 12, 10, 12, 11.5, 11.5, 11.5, 11.2, 11.5, 11.5, 11.5, 7.8, 10, 12])
    assert unbroken["mean"].iloc[0] == pytest.approx(11.0)
    assert types(unbroken)[4:11] == ["improvement"] * 7 and set(unbroken["rule"][4:11]) == {"run"}
    broken = run([10, 12, 10, 12, 11.5, 11.5, 11.5, 11, 11.5, 11.5, 11.5, 8, 10, 12])
    assert broken["mean"].iloc[0] == 11.0 and types(broken) == [C] * 14


def test_a_run_of_seven_below_the_mean():
    below = run([12, 10, 12, 10, 10.5, 10.5, 10.5, 10.8, 10.5, 10.5, 10.5, 14.2, 12, 10])
    assert below["mean"].iloc[0] == pytest.approx(11.0)
    assert types(below)[4:11] == ["concern"] * 7 and set(below["rule"][4:11]) == {"run"}
    assert (
        types(run([12, 10, 12, 10, 10.5, 10.5, 10.5, 10.8, 10.5, 10.5, 10.5, 14.2, 12, 10], "decrease"))[4:11]
        == ["improvement"] * 7
    )


def test_two_of_three_near_a_limit():
    values = [10, 12] * 6 + [12, 15, 15.25] + [12, 10] * 3
    chart_ = run(values)
    near = chart_["mean"].iloc[0] + 2 / 3 * (chart_["upper_limit"].iloc[0] - chart_["mean"].iloc[0])
    assert 15 > near and 15.25 < chart_["upper_limit"].iloc[0]  # both between the near limit and the limit
    assert types(chart_) == [C] * 13 + ["improvement", "improvement"] + [C] * 6
    assert list(chart_["rule"][12:15]) == ["", "two_in_three", "two_in_three"]


def test_a_large_moving_range_is_screened_and_priority_is_kept():
    chart_ = run([10, 12, 10, 12, 10, 12, 40, 12, 10, 12])
    assert chart_["mean"].iloc[0] == 14.0 and chart_["upper_limit"].round(4).iloc[0] == 19.32
    assert list(chart_["rule"]) == [
        "two_in_three",
        "",
        "two_in_three",
        "",
        "two_in_three",
        "",
        "beyond_limit",
        "",
        "",
        "",
    ]


def test_a_rebase_gives_each_phase_its_own_limits():
    values = [10, 12] * 4 + [20, 22] * 4
    whole = run(values)
    assert whole["mean"].unique().tolist() == [16.0] and "common_cause" not in set(whole["point_type"][:2])
    phased = run(values, rebase=["2018-09"])
    assert phased["phase"].tolist() == [0] * 8 + [1] * 8
    assert phased["mean"].tolist() == [11.0] * 8 + [21.0] * 8
    assert types(phased) == [C] * 16


def test_fewer_than_two_points_have_no_limits():
    one = run([0.5])
    assert math.isnan(one["lower_limit"].iloc[0]) and types(one) == [C]
    assert run([]).empty


@pytest.mark.parametrize(
    "point_type, direction, icon",
    [
        ("common_cause", 0, "common_cause"),
        ("special_cause_improvement", 1, "improvement_high"),
        ("special_cause_improvement", -1, "improvement_low"),
        ("special_cause_concern", -1, "concern_low"),
        ("special_cause_concern", 1, "concern_high"),
        ("special_cause_neutral_high", 1, "neutral_high"),
    ],
)
def test_the_variation_icon(point_type, direction, icon):
    assert variation(point_type, direction) == icon


@pytest.mark.parametrize(
    "target, lower, upper, improvement, verdict",
    [
        (0.9, 0.92, 0.99, "increase", "pass"),
        (0.9, 0.70, 0.88, "increase", "fail"),
        (0.9, 0.75, 0.95, "increase", "hit_and_miss"),
        (0.9, 0.90, 0.95, "increase", "hit_and_miss"),
        (20, 10, 18, "decrease", "pass"),
        (20, 22, 30, "decrease", "fail"),
        (None, 0.7, 0.9, "increase", None),
        (0.9, 0.7, 0.95, "neutral", None),
        (0.9, math.nan, math.nan, "increase", None),
    ],
)
def test_the_assurance_icon(target, lower, upper, improvement, verdict):
    assert assurance(target, lower, upper, improvement) == verdict


@pytest.mark.parametrize("seed", range(40))
def test_random_series_agree_with_the_second_implementation(seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    values = list(np.round(rng.normal(0.8, 0.05, rng.integers(1, 40)) + rng.choice([0, 0, 0.2], 1), 3))
    improvement = ["increase", "decrease", "neutral"][seed % 3]
    months = [str(p) for p in pd.period_range("2018-01", periods=len(values), freq="M")]
    rebase = [months[len(months) // 2]] if seed % 4 == 0 and len(months) > 2 else []
    got = xmr(pd.Series(values, index=months), improvement, rebase)
    want = chart(values, months, IMPROVEMENT[improvement], rebase)
    assert list(got["point_type"]) == [w[5] for w in want]
    for column, k in (("mean", 2), ("lower_limit", 3), ("upper_limit", 4)):
        assert got[column].tolist() == pytest.approx([w[k] for w in want], nan_ok=True)


@pytest.mark.parametrize("rebase", [[], ["2019-09"]])
def test_the_samples_spc_table_agrees_with_the_second_implementation(rebase):
    from analysis.config import load_config
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA
    from analysis.tables import MonthTables
    from analysis.trends.spc_tables import SPC_COLUMNS, SUMMARY_COLUMNS

    config = load_config().with_changes(spc_rebase_months=rebase)
    tables = MonthTables(load_valid_dataset(SAMPLE_DATA, config), "2019-12", config)
    spc, summary = tables["spc"], tables["spc_summary"]
    assert list(spc.columns) == SPC_COLUMNS and list(summary.columns) == SUMMARY_COLUMNS
    for measure, rows in spc.groupby("measure", sort=False):
        better = IMPROVEMENT[config.spc_improvement[measure]]
        want = chart(rows["value"].tolist(), rows["month"].tolist(), better, rebase)
        assert list(rows["point_type"]) == [w[5] for w in want], measure
        assert rows["mean"].tolist() == pytest.approx([w[2] for w in want])
        assert rows["month"].iloc[0] >= "2017-04" and rows["month"].iloc[-1] == "2019-12"
    firsts = spc.groupby("measure")["month"].min()
    assert (firsts["compliance_all"], firsts["mean_caseload"]) == ("2017-04", "2017-04")  # the first supervision
    assert firsts["regular_supervision"] == "2017-06"  # three months of supervision records first
    assert summary["measure"].tolist() == [
        "compliance_all",
        "compliance_qualified",
        "compliance_nqsw",
        "compliance_agency",
        "mean_caseload",
        "regular_supervision",
    ]
    all_row = summary.iloc[0]
    assert (all_row["month"], round(all_row["value"], 4), all_row["target"]) == ("2019-12", 0.8367, 0.9)
    assert pd.isna(summary.iloc[4]["target"]) and pd.isna(summary.iloc[4]["assurance"])


# --- in the reports ------------------------------------------------------------------------------------------


def _inputs(summary_rows, spc_rows=None, rebase=()):
    from pathlib import Path

    from analysis.config import load_config
    from analysis.report.month_inputs import ReportInputs

    spc = pd.DataFrame(
        spc_rows
        or [("compliance_all", m, 0.8, 0.8, 0.7, 0.9, "common_cause") for m in ("2019-10", "2019-11", "2019-12")],
        columns=["measure", "month", "value", "mean", "lower_limit", "upper_limit", "point_type"],
    )
    summary = pd.DataFrame(summary_rows, columns=["measure", "month", "value", "target", "variation", "assurance"])
    config = load_config().with_changes(spc_rebase_months=list(rebase))
    return ReportInputs(
        month=pd.Period("2019-12", "M"),
        window_start=pd.Period("2019-09", "M"),
        data_dir=Path("."),
        config_path=None,
        config=config,
        tables={"spc": spc, "spc_summary": summary},
        extract_date=None,
        generated_at=pd.Timestamp("2026-01-01").to_pydatetime(),
        version="0",
        git_commit=None,
    )


@pytest.mark.parametrize(
    "variation_, assurance_, said",
    [
        (
            "common_cause",
            "hit_and_miss",
            "Common cause variation, with no evidence of improvement or concern since October "
            "2019. The 90% target will be hit and missed at random.",
        ),
        (
            "improvement_high",
            "pass",
            "Special cause improvement, as December 2019 is higher than the variation since "
            "October 2019 would explain. The 90% target will be met consistently if nothing "
            "changes.",
        ),
        (
            "concern_low",
            "fail",
            "Special cause concern, as December 2019 is lower than the variation since October 2019 "
            "would explain. The 90% target will not be met unless something changes.",
        ),
    ],
)
def test_the_sentence_a_director_can_quote(variation_, assurance_, said):
    from analysis.presentation.sections.spc import spc_sentence

    inputs = _inputs([("compliance_all", "2019-12", 0.8, 0.9, variation_, assurance_)])
    assert with_tables(spc_sentence, inputs) == said


def test_the_sentence_counts_from_the_current_phase():
    from analysis.presentation.sections.spc import spc_sentence

    inputs = _inputs([("compliance_all", "2019-12", 0.8, 0.9, "common_cause", "hit_and_miss")], rebase=["2019-11"])
    assert "since November 2019" in with_tables(spc_sentence, inputs)


def test_the_summary_table_has_an_icon_and_its_words_for_every_measure():
    from analysis.presentation.sections.spc import spc_summary_table

    inputs = _inputs(
        [
            ("compliance_all", "2019-12", 0.8367, 0.9, "common_cause", "hit_and_miss"),
            ("mean_caseload", "2019-12", 16.59, None, "improvement_low", None),
        ]
    )
    html = with_tables(spc_summary_table, inputs)
    assert html.count("<svg") == 3 and html.count('role="img"') == 3
    assert 'aria-label="Common cause variation"' in html and ">83.7%<" in html
    assert 'aria-label="Special cause improvement (lower)"' in html and "No target" in html


@pytest.mark.parametrize("posts_at_once", [1, 400, 10**9])
def test_the_mean_caseload_series_is_the_same_whatever_the_month_ends_taken_at_once(monkeypatch, config, posts_at_once):
    """One month end at a time, a few, or all at once: the same means."""
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA
    from analysis.trends import spc_tables

    data = load_valid_dataset(SAMPLE_DATA, config)
    month = pd.Period("2019-12", "M")
    whole = spc_tables.spc_mean_caseload(data, month, config)
    monkeypatch.setattr(spc_tables, "POSTS_AT_ONCE", posts_at_once)
    assert len(data.staff) > 1 and len(spc_tables.spc_months(data, month, config)) > 3
    pd.testing.assert_series_equal(spc_tables.spc_mean_caseload(data, month, config), whole)
    assert whole.index.is_monotonic_increasing and whole.notna().all() and len(whole) > 3


def test_a_phase_begins_at_the_first_month_and_each_rebase_month_after_it():
    months = ["2019-01", "2019-02", "2019-03", "2019-04"]
    # The first month is a phase start already; a rebase month outside the series is ignored.
    assert phase_starts(months, ["2019-01", "2019-03", "2020-01"]) == [0, 2]
    assert phase_starts(months, []) == [0]
    assert phase_starts([], ["2019-01"]) == [0]
    spc = pd.DataFrame({"measure": ["a"] * 4 + ["b"] * 2, "month": months + ["2019-01", "2019-02"]})
    assert current_phase_start(spc, "a", ["2019-02", "2019-04"]) == "2019-04"
    assert current_phase_start(spc, "b", ["2019-03"]) == "2019-01"
    assert current_phase_start(spc, "c", ["2019-03"]) is None
    assert xmr(pd.Series([1.0, 2.0, 3.0, 4.0], index=months), "increase", ["2019-03"])["phase"].tolist() == [0, 0, 1, 1]
