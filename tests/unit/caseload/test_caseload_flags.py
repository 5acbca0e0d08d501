"""Appropriate-work flags, each rule at its boundary, and the by-rule counts."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.caseload.flags import FLAG_COLUMNS, FLAG_RULES, caseload_flag_counts

from builders import alloc, caseload_flags_on, make, post
from test_caseload import CONFIG

AS_AT = pd.Timestamp("2019-12-31")


def _cases(who: str, n: int, case_type: str = "child_in_need") -> list[dict]:
    return [alloc(f"{who}-{k}", who, case_type=case_type) for k in range(n)]


def _rules(data, as_at=AS_AT) -> dict[str, list[str]]:
    flags = caseload_flags_on(data, as_at, CONFIG)
    return {who: sorted(group["rule"]) for who, group in flags.groupby("staff_id")}


@pytest.mark.parametrize(("n", "flagged"), [(25, False), (26, True)])
def test_over_max_caseload_boundary(n, flagged):
    got = _rules(make([post("W1")], _cases("W1", n)))
    assert got == ({"W1": ["over_max_caseload"]} if flagged else {})


@pytest.mark.parametrize(
    ("role", "n", "flagged"),
    [
        ("team_manager", 0, False),
        ("team_manager", 1, True),
        ("principal_social_worker", 3, False),
    ],
)
def test_team_manager_holding_cases(role, n, flagged):
    got = _rules(make([post("T1", role=role)], _cases("T1", n)))
    assert got == ({"T1": ["team_manager_holding_cases"]} if flagged else {})


@pytest.mark.parametrize(
    ("qualified", "n", "flagged"),
    [
        ("2019-09-01", 10, False),
        ("2019-09-01", 11, True),  # months 0-6: limit 10
        ("2019-03-01", 16, False),
        ("2019-03-01", 17, True),  # months 6-12: limit 16
        ("2019-06-30", 11, False),  # 30 Dec was the boundary: months 6-12 on 31 Dec
        ("2019-07-01", 11, True),  # boundary 1 Jan 2020: still months 0-6
    ],
)
def test_nqsw_over_band_limit(qualified, n, flagged):
    got = _rules(make([post("N1", qualified=qualified)], _cases("N1", n)))
    assert got == ({"N1": ["nqsw_over_band_limit"]} if flagged else {})


def test_the_band_limit_is_not_applied_to_the_qualified_or_agency():
    data = make(
        [post("Q1", qualified="2018-12-31"), post("A1", employment="agency", qualified="2019-09-01")],
        _cases("Q1", 17) + _cases("A1", 17),
    )
    assert _rules(data) == {}


@pytest.mark.parametrize(
    ("qualified", "case_type", "flagged"),
    [
        ("2019-09-01", "child_protection", True),
        ("2019-09-01", "Court_Proceedings ", True),
        ("2019-09-01", "child_in_need", False),
        ("2019-03-01", "child_protection", False),  # months 6-12: complex work allowed
    ],
)
def test_nqsw_early_complex_case(qualified, case_type, flagged):
    got = _rules(make([post("N1", qualified=qualified)], _cases("N1", 1, case_type)))
    assert got == ({"N1": ["nqsw_early_complex_case"]} if flagged else {})


def test_a_person_can_break_several_rules():
    data = make(
        [post("N1", qualified="2019-09-01", team="B")],
        _cases("N1", 25) + [alloc("CP", "N1", case_type="child_protection")],
    )
    flags = caseload_flags_on(data, AS_AT, CONFIG)
    assert list(flags.columns) == FLAG_COLUMNS
    assert flags["rule"].tolist() == ["nqsw_over_band_limit", "nqsw_early_complex_case", "over_max_caseload"]
    row = flags.iloc[0]
    assert (
        row["as_at"],
        row["staff_id"],
        row["team"],
        row["role"],
        row["category"],
        row["caseload"],
        row["complex_cases"],
    ) == (AS_AT, "N1", "B", "social_worker", "nqsw", 26, 1)
    assert flags["detail"].tolist() == [
        "holds 26 cases; the limit for an NQSW in months 0-6 after qualifying is 10",
        "holds 1 complex case in the first 6 months after qualifying",
        "holds 26 cases; the limit is 25",
    ]


def test_counts_have_every_rule_with_zeros():
    data = make(
        [post("T1", role="team_manager"), post("T2", role="team_manager"), post("W1")],
        _cases("T1", 1) + _cases("T2", 2) + _cases("W1", 26),
    )
    flags = caseload_flags_on(data, AS_AT, CONFIG)
    counts = caseload_flag_counts(flags, AS_AT)
    assert counts.columns.tolist() == ["as_at", "rule", "count"]
    assert dict(zip(counts["rule"], counts["count"])) == {
        "team_manager_holding_cases": 2,
        "nqsw_over_band_limit": 0,
        "nqsw_early_complex_case": 0,
        "over_max_caseload": 1,
    }
    empty = caseload_flag_counts(caseload_flags_on(make([post("W1")]), AS_AT, CONFIG), AS_AT)
    assert empty["rule"].tolist() == list(FLAG_RULES) and empty["count"].tolist() == [0, 0, 0, 0]


def test_flags_use_the_configured_limits():
    config = CONFIG.with_changes(max_caseload=3, nqsw_max_caseload=[1, 2], non_case_holding_roles=[])
    data = make(
        [post("W1"), post("N1", qualified="2019-09-01"), post("T1", role="team_manager")],
        _cases("W1", 4) + _cases("N1", 2) + _cases("T1", 1),
    )
    flags = caseload_flags_on(data, AS_AT, config)
    assert sorted(zip(flags["staff_id"], flags["rule"])) == [
        ("N1", "nqsw_over_band_limit"),
        ("W1", "over_max_caseload"),
    ]
