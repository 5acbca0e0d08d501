"""Hand-computed tests of every eligibility boundary in docs/definitions.md (its definitions and worked examples).

Calendar facts used (England and Wales): September 2019 has 21 working days, October 23,
November 21, December 20 (25 and 26 December are bank holidays), August 21 (26 August is the
summer bank holiday); 1 January 2020 is a bank holiday. 14 October 2019 is a Monday.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.supervision.eligibility import COLUMNS, person_months

from builders import make_dataset

SEP, OCT, NOV, DEC = (pd.Period(m, "M") for m in ("2019-09", "2019-10", "2019-11", "2019-12"))


def one(data, month, config, staff_id="S1") -> pd.Series:
    """The single person-month of ``staff_id`` in ``month``."""
    pm = person_months(data, [month], config)
    rows = pm[pm["staff_id"] == staff_id]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def leave(start, end, kind="annual_leave", staff_id="S1") -> dict:
    return {"staff_id": staff_id, "absence_type": kind, "start_date": start, "end_date": end}


def test_columns_and_working_days_of_the_worked_example_months(config):
    data = make_dataset(staff=[{}])
    pm = person_months(data, [DEC, SEP], config)
    assert list(pm.columns) == COLUMNS
    assert list(pm["month"]) == ["2019-09", "2019-12"]
    assert list(pm["working_days"]) == [21, 20]
    assert pm.attrs["months"] == ["2019-09", "2019-12"]


def test_ten_working_days_absent_is_not_due(config):
    row = one(make_dataset(staff=[{}], absences=[leave("2019-09-09", "2019-09-20")]), SEP, config)
    assert (row["unavailable_days"], row["days_annual_leave"], row["due"]) == (10, 10, False)
    assert row["exclusion_reason"] == "annual_leave"


def test_nine_working_days_absent_is_due(config):
    row = one(make_dataset(staff=[{}], absences=[leave("2019-09-09", "2019-09-19")]), SEP, config)
    assert (row["unavailable_days"], row["due"]) == (9, True)
    assert row["exclusion_reason"] is None


def test_absence_across_a_month_end_counts_in_each_month(config):
    data = make_dataset(staff=[{}], absences=[leave("2019-12-18", "2020-01-03")])
    pm = person_months(data, [DEC, pd.Period("2020-01", "M")], config).set_index("month")
    # December: 18, 19, 20, 23, 24, 27, 30, 31; January: 2, 3 (1 January is a bank holiday).
    assert pm.loc["2019-12", "unavailable_days"] == 8
    assert pm.loc["2019-12", "due"]
    assert pm.loc["2020-01", "unavailable_days"] == 2


def test_bank_holidays_inside_an_absence_are_not_counted(config):
    # 19-30 August 2019 is ten weekdays, but 26 August is a bank holiday: 9 working days, due.
    row = one(
        make_dataset(staff=[{}], absences=[leave("2019-08-19", "2019-08-30", "sickness")]),
        pd.Period("2019-08", "M"),
        config,
    )
    assert (row["working_days"], row["unavailable_days"], row["due"]) == (21, 9, True)


def test_overlapping_absences_count_each_day_once(config):
    # Leave 2-9 September (6 days) and other 5-12 September (6 days) cover 2-12 September: 9 days.
    data = make_dataset(
        staff=[{}], absences=[leave("2019-09-02", "2019-09-09"), leave("2019-09-05", "2019-09-12", "other")]
    )
    row = one(data, SEP, config)
    assert (row["unavailable_days"], row["due"]) == (9, True)
    # Each day once, under the first reason that applies: annual_leave comes before other.
    assert (row["days_annual_leave"], row["days_other"]) == (6, 3)


def test_weekend_only_absence_costs_no_working_days(config):
    row = one(make_dataset(staff=[{}], absences=[leave("2019-09-07", "2019-09-08", "sickness")]), SEP, config)
    assert (row["unavailable_days"], row["days_sickness"], row["due"]) == (0, 0, True)


@pytest.mark.parametrize("start, not_in_post, due", [("2019-10-14", 9, True), ("2019-10-15", 10, False)])
def test_starter_either_side_of_the_threshold(config, start, not_in_post, due):
    row = one(make_dataset(staff=[{"start_date": start}]), OCT, config)
    assert (row["days_not_in_post"], row["unavailable_days"], row["due"]) == (not_in_post, not_in_post, due)
    assert row["ref_date"] == pd.Timestamp("2019-10-31")
    assert row["exclusion_reason"] == (None if due else "not_in_post")


@pytest.mark.parametrize("end, not_in_post, due", [("2019-10-18", 9, True), ("2019-10-17", 10, False)])
def test_leaver_either_side_of_the_threshold(config, end, not_in_post, due):
    data = make_dataset(staff=[{"team": "East", "end_date": end, "qualified_date": "2018-10-19"}])
    row = one(data, OCT, config)
    assert (row["days_not_in_post"], row["due"]) == (not_in_post, due)
    # Team and category come from the assignment on the last day in post: on 18 (or 17) October
    # 2019 they are still within 12 months of qualifying on 19 October 2018.
    assert row["ref_date"] == pd.Timestamp(end)
    assert (row["team"], row["category"]) == ("East", "nqsw")


def test_change_of_assignment_in_the_month_takes_the_post_covering_the_month_end(config):
    data = make_dataset(
        staff=[
            {"team": "North", "role": "social_worker", "end_date": "2019-10-15", "fte": 1.0},
            {"team": "South", "role": "senior_social_worker", "start_date": "2019-10-16", "fte": 0.5},
        ]
    )
    row = one(data, OCT, config)
    assert (row["team"], row["role"], row["fte"], row["unavailable_days"]) == ("South", "senior_social_worker", 0.5, 0)


def test_gap_between_assignments_is_not_in_post(config):
    # Out of post 11 to 18 October 2019: 11, 14, 15, 16, 17, 18 = 6 working days.
    data = make_dataset(
        staff=[{"team": "North", "end_date": "2019-10-10"}, {"team": "South", "start_date": "2019-10-21"}]
    )
    row = one(data, OCT, config)
    assert (row["days_not_in_post"], row["due"], row["team"]) == (6, True, "South")


def test_reference_date_is_the_last_day_in_post_when_gone_by_month_end(config):
    data = make_dataset(
        staff=[
            {"team": "North", "end_date": "2019-10-04"},
            {"team": "South", "start_date": "2019-10-07", "end_date": "2019-10-25"},
        ]
    )
    row = one(data, OCT, config)
    assert (row["ref_date"], row["team"], row["days_not_in_post"]) == (pd.Timestamp("2019-10-25"), "South", 4)


def test_nqsw_boundary_day(config):
    data = make_dataset(staff=[{"qualified_date": "2018-11-30"}])
    pm = person_months(data, [OCT, NOV], config).set_index("month")
    assert pm.loc["2019-10", "category"] == "nqsw"
    assert pm.loc["2019-11", "category"] == "qualified"


def test_agency_comes_before_nqsw(config):
    row = one(make_dataset(staff=[{"employment": "agency", "qualified_date": "2019-06-01"}]), OCT, config)
    assert row["category"] == "agency"


def test_qualified_date_falls_back_to_another_assignment(config):
    data = make_dataset(
        staff=[
            {"end_date": "2019-09-30", "qualified_date": "2019-03-01"},
            {"start_date": "2019-10-01", "qualified_date": None},
        ]
    )
    assert one(data, OCT, config)["category"] == "nqsw"


@pytest.mark.parametrize("kind", ["group", "peer", "informal"])
def test_group_peer_and_informal_supervisions_do_not_count(config, kind):
    data = make_dataset(staff=[{}], supervisions=[{"supervision_date": "2019-10-10", "supervision_type": kind}])
    row = one(data, OCT, config)
    assert (row["due"], row["formal_supervisions"], row["supervised"]) == (True, 0, False)
    assert pd.isna(row["last_formal_supervision"])


def test_supervision_on_the_last_day_of_the_month_counts(config):
    data = make_dataset(staff=[{}], supervisions=[{"supervision_date": "2019-10-31"}])
    pm = person_months(data, [OCT, NOV], config).set_index("month")
    assert pm.loc["2019-10", "supervised"] and not pm.loc["2019-11", "supervised"]
    assert pm.loc["2019-11", "last_formal_supervision"] == pd.Timestamp("2019-10-31")


@pytest.mark.parametrize("day, near_miss", [("2019-11-07", True), ("2019-11-08", False)])
def test_near_miss_on_day_seven_not_day_eight(config, day, near_miss):
    data = make_dataset(staff=[{}], supervisions=[{"supervision_date": day}])
    row = one(data, OCT, config)
    assert (row["supervised"], row["near_miss"]) == (False, near_miss)


def test_near_miss_needs_due_and_unsupervised(config):
    data = make_dataset(
        staff=[{}, {"staff_id": "S2"}],
        absences=[leave("2019-10-01", "2019-10-31", "sickness", "S2")],
        supervisions=[
            {"supervision_date": "2019-10-02"},
            {"supervision_date": "2019-11-01"},
            {"staff_id": "S2", "supervision_date": "2019-11-01"},
        ],
    )
    pm = person_months(data, [OCT], config).set_index("staff_id")
    assert not pm.loc["S1", "near_miss"] and pm.loc["S1", "supervised"]
    assert not pm.loc["S2", "near_miss"] and not pm.loc["S2", "due"]


def test_duplicate_rows_count_once(config):
    data = make_dataset(
        staff=[{}],
        supervisions=[{"supervision_date": "2019-09-10"}] * 2 + [{"supervision_date": "2019-09-20"}],
        absences=[leave("2019-09-02", "2019-09-06")] * 2,
    )
    row = one(data, SEP, config)
    assert (row["formal_supervisions"], row["unavailable_days"]) == (2, 5)


def test_reason_tie_goes_to_the_earlier_reason(config):
    # Sickness 2-6 September and maternity 9-13 September: 5 days each, not due, maternity first.
    data = make_dataset(
        staff=[{}],
        absences=[leave("2019-09-02", "2019-09-06", "sickness"), leave("2019-09-09", "2019-09-13", "maternity")],
    )
    row = one(data, SEP, config)
    assert (row["days_sickness"], row["days_maternity"], row["due"]) == (5, 5, False)
    assert row["exclusion_reason"] == "maternity"


def test_reason_with_most_days_wins(config):
    data = make_dataset(
        staff=[{}],
        absences=[leave("2019-09-02", "2019-09-04", "maternity"), leave("2019-09-05", "2019-09-13", "other")],
    )
    row = one(data, SEP, config)
    assert (row["days_maternity"], row["days_other"], row["exclusion_reason"]) == (3, 7, "other")


def test_maternity_beats_sickness_on_the_same_day(config):
    data = make_dataset(
        staff=[{}],
        absences=[leave("2019-09-02", "2019-09-13", "sickness"), leave("2019-09-02", "2019-09-13", "maternity")],
    )
    row = one(data, SEP, config)
    assert (row["days_maternity"], row["days_sickness"], row["exclusion_reason"]) == (10, 0, "maternity")


def test_not_in_post_beats_an_absence(config):
    # Starts Monday 16 September: out of post 2-13 September (10 days); leave 2-20 September adds
    # only 16-20 September (5 days) to the unavailable days.
    data = make_dataset(staff=[{"start_date": "2019-09-16"}], absences=[leave("2019-09-02", "2019-09-20")])
    row = one(data, SEP, config)
    assert (row["days_not_in_post"], row["days_annual_leave"], row["unavailable_days"]) == (10, 5, 15)
    assert row["exclusion_reason"] == "not_in_post"


def test_reason_order_comes_from_config(config):
    custom = config.with_changes(exclusion_reasons=["not_in_post", "sickness", "maternity", "annual_leave", "other"])
    data = make_dataset(
        staff=[{}],
        absences=[leave("2019-09-02", "2019-09-13", "sickness"), leave("2019-09-02", "2019-09-13", "maternity")],
    )
    row = one(data, SEP, custom)
    assert (row["days_sickness"], row["days_maternity"], row["exclusion_reason"]) == (10, 0, "sickness")


def test_in_scope_needs_a_supervision_role_overlapping_the_month(config):
    custom = config.with_changes(supervision_roles=["social_worker"])
    data = make_dataset(
        staff=[
            {"staff_id": "S1", "role": "team_manager"},
            {"staff_id": "S2", "end_date": "2019-09-30"},
            {"staff_id": "S3", "start_date": "2019-11-01"},
            {"staff_id": "S4"},
        ]
    )
    assert list(person_months(data, [OCT], custom)["staff_id"]) == ["S4"]


def test_supervision_outside_employment_counts_and_unknown_staff_count_nowhere(config):
    data = make_dataset(
        staff=[{"end_date": "2019-10-18"}],
        supervisions=[{"supervision_date": "2019-10-25"}, {"staff_id": "X9", "supervision_date": "2019-10-10"}],
    )
    pm = person_months(data, [OCT], config)
    assert list(pm["staff_id"]) == ["S1"]
    assert pm.iloc[0]["supervised"]


def test_absence_data_gap_is_agency_with_no_absence_record_anywhere(config):
    data = make_dataset(
        staff=[
            {"staff_id": "A1", "employment": "agency"},
            {"staff_id": "A2", "employment": "agency"},
            {"staff_id": "P1"},
        ],
        absences=[leave("2017-03-01", "2017-03-01", "sickness", "A2")],
    )
    pm = person_months(data, [OCT], config).set_index("staff_id")
    assert pm["absence_data_gap"].to_dict() == {"A1": True, "A2": False, "P1": False}


def test_last_formal_supervision_is_the_latest_by_month_end(config):
    data = make_dataset(
        staff=[{}, {"staff_id": "S2"}],
        supervisions=[
            {"supervision_date": "2019-08-05"},
            {"supervision_date": "2019-09-12"},
            {"supervision_date": "2019-11-01"},
            {"staff_id": "S2", "supervision_date": "2019-10-01", "supervision_type": "group"},
        ],
    )
    pm = person_months(data, [OCT], config).set_index("staff_id")
    assert pm.loc["S1", "last_formal_supervision"] == pd.Timestamp("2019-09-12")
    assert pd.isna(pm.loc["S2", "last_formal_supervision"])


def test_no_one_in_scope_gives_an_empty_frame(config):
    pm = person_months(make_dataset(staff=[{"end_date": "2018-01-01"}]), [OCT], config)
    assert pm.empty and list(pm.columns) == COLUMNS and pm.attrs["months"] == ["2019-10"]


def test_a_person_qualifies_once_on_the_earliest_of_their_dates(config):
    """The current post says 1 June 2019; an earlier row says 1 January 2017: qualified in October 2019,
    not NQSW (the covering row's date, or the latest, would make them NQSW)."""
    data = make_dataset(
        staff=[
            {"staff_id": "S1", "start_date": "2016-01-01", "end_date": "2018-12-31", "qualified_date": "2017-01-01"},
            {"staff_id": "S1", "start_date": "2019-01-01", "team": "South", "qualified_date": "2019-06-01"},
        ]
    )
    row = one(data, OCT, config)
    assert (row["team"], row["qualified_date"], row["category"]) == ("South", pd.Timestamp("2017-01-01"), "qualified")


def test_working_and_absent_days_follow_the_configured_nation(config):
    """Scotland's summer bank holiday is 5 August 2019; England and Wales' is 26 August."""
    scotland = config.with_changes(calendar={"country": "GB", "subdivision": "SCT"})
    aug = pd.Period("2019-08", "M")
    data = make_dataset(
        staff=[{"start_date": "2019-08-06"}],  # starts the day after Scotland's holiday
        absences=[leave("2019-08-26", "2019-08-30")],
    )
    england, scottish = one(data, aug, config), one(data, aug, scotland)
    assert (england["working_days"], scottish["working_days"]) == (21, 21)
    # England: 1-5 August not in post (4 working days), 26 August a holiday, 27-30 absent (4).
    assert (england["days_not_in_post"], england["days_annual_leave"]) == (3, 4)
    # Scotland: 1-2 August not in post (5 August is its holiday), 26-30 August absent (5).
    assert (scottish["days_not_in_post"], scottish["days_annual_leave"]) == (2, 5)


def test_an_exact_duplicate_supervision_counts_once_and_two_on_one_day_count_twice(config):
    both = config.with_changes(counting_supervision_types=["formal", "group"])
    sup = [
        {"supervision_date": "2019-09-10", "supervision_type": "formal"},
        {"supervision_date": "2019-09-10", "supervision_type": "formal"},  # an exact duplicate
        {"supervision_date": "2019-09-10", "supervision_type": "group"},
        {"supervision_date": "2019-09-11", "supervision_type": "formal"},
    ]
    data = make_dataset(staff=[{}], supervisions=sup)
    assert one(data, SEP, config)["formal_supervisions"] == 2
    assert one(data, SEP, both)["formal_supervisions"] == 3


def test_absences_of_no_known_person_or_with_no_dates_count_for_nobody(config):
    absences = [
        leave("2019-09-02", "2019-09-30", staff_id="NOBODY"),  # a staff_id the staff table lacks
        leave(None, "2019-09-30"),  # no start
        leave("2019-09-02", None),  # no end
        leave("2019-09-20", "2019-09-02"),  # ends before it starts
        leave("2019-09-02", "2019-09-03", kind="maternity"),  # the one real absence: 2 days
    ]
    row = one(make_dataset(staff=[{}], absences=absences), SEP, config)
    assert (row["unavailable_days"], row["days_maternity"], row["days_annual_leave"], row["due"]) == (2, 2, 0, True)


def test_supervisions_of_different_people_days_and_types_never_merge(config):
    """Exact duplicates go by (person, day, type); keys of different records must never coincide.
    S1 is seen on the first and last days with a supervision, S2 on the second: a key that gave
    the days too little room would merge S1's last with S2's second. With formal and group both
    counting, S3 has a formal two days after a group: a key that divided the type's room would
    merge them."""
    data = make_dataset(
        staff=[{"staff_id": s} for s in ("S1", "S2", "S3", "S4", "S5")],
        supervisions=[
            {"staff_id": "S1", "supervision_date": "2019-09-02"},
            {"staff_id": "S1", "supervision_date": "2019-09-27"},
            {"staff_id": "S2", "supervision_date": "2019-09-03"},
            {"staff_id": "S3", "supervision_date": "2019-09-06", "supervision_type": "formal"},
            {"staff_id": "S3", "supervision_date": "2019-09-04", "supervision_type": "group"},
            {"staff_id": "S4", "supervision_date": "2019-09-05"},
            {"staff_id": "S5", "supervision_date": "2019-09-04"},
        ],
    )
    both = config.with_changes(counting_supervision_types=["formal", "group"])
    counts = person_months(data, [SEP], both).set_index("staff_id")["formal_supervisions"]
    assert counts.to_dict() == {"S1": 2, "S2": 1, "S3": 2, "S4": 1, "S5": 1}
    counts = person_months(data, [SEP], config).set_index("staff_id")["formal_supervisions"]
    assert counts.to_dict() == {"S1": 2, "S2": 1, "S3": 1, "S4": 1, "S5": 1}


def test_a_grace_period_longer_than_february_reaches_back_two_months(config):
    """Grace 31 days: a formal supervision on 2 March 2019 is within 31 days of the ends of both
    January (31st) and February (28th): a near miss in each, not in December."""
    data = make_dataset(staff=[{"start_date": "2018-01-01"}], supervisions=[{"supervision_date": "2019-03-02"}])
    months = [pd.Period(m, "M") for m in ("2018-12", "2019-01", "2019-02", "2019-03")]
    pm = person_months(data, months, config.with_changes(grace_days=31)).set_index("month")
    assert pm["near_miss"].to_dict() == {"2018-12": False, "2019-01": True, "2019-02": True, "2019-03": False}
    assert pm["supervised"].to_dict() == {"2018-12": False, "2019-01": False, "2019-02": False, "2019-03": True}


def test_the_column_sort_past_the_packed_key_limit_gives_the_same_days(config, monkeypatch):
    """Events are sorted as one packed integer while they fit, by columns beyond: the same days either way."""
    from analysis.supervision import unavailable_days

    data = make_dataset(
        staff=[
            {"staff_id": "S1", "start_date": "2019-09-16"},
            {"staff_id": "S2", "end_date": "2019-10-18"},
            {"staff_id": "S3"},
        ],
        absences=[
            leave("2019-09-02", "2019-09-13", "sickness", "S1"),
            leave("2019-09-09", "2019-09-20", "maternity", "S2"),
            leave("2019-09-16", "2019-10-04", "annual_leave", "S2"),
            leave("2019-09-30", "2019-10-01", "other", "S3"),
            leave("2019-10-14", "2019-10-25", "sickness", "S3"),
        ],
    )
    packed = person_months(data, [SEP, OCT], config)
    monkeypatch.setattr(unavailable_days, "PACKED_KEY_LIMIT", 0)
    by_columns = person_months(data, [SEP, OCT], config)
    pd.testing.assert_frame_equal(packed, by_columns)
    days = packed.set_index(["staff_id", "month"])[
        ["days_not_in_post", "days_maternity", "days_sickness", "days_annual_leave", "days_other"]
    ]
    assert days.loc[("S1", "2019-09")].tolist() == [10, 0, 0, 0, 0]
    assert days.loc[("S2", "2019-09")].tolist() == [0, 10, 0, 6, 0]
    assert days.loc[("S2", "2019-10")].tolist() == [9, 0, 0, 4, 0]
    assert days.loc[("S3", "2019-10")].tolist() == [0, 0, 10, 0, 1]


def test_supervisions_on_two_days_of_three_people_never_merge(config):
    """All supervisions within two days: the first person's on the second day and the third person's
    on the first must keep apart (a key that divided the person's part would make them one)."""
    data = make_dataset(
        staff=[{"staff_id": s} for s in ("S1", "S2", "S3")],
        supervisions=[
            {"staff_id": "S1", "supervision_date": "2019-09-03"},
            {"staff_id": "S3", "supervision_date": "2019-09-02"},
        ],
    )
    counts = person_months(data, [SEP], config).set_index("staff_id")["formal_supervisions"]
    assert counts.to_dict() == {"S1": 1, "S2": 0, "S3": 1}


def test_a_reason_the_settings_leave_out_has_no_days():
    import numpy as np

    from analysis.supervision.eligibility import _days_of

    days = np.array([[1, 2], [3, 4], [5, 6]], dtype=np.int64)
    assert _days_of("sickness", ["maternity", "sickness"], days).tolist() == [2, 4, 6]
    assert _days_of("maternity", ["maternity", "sickness"], days).tolist() == [1, 3, 5]
    left_out = _days_of("other", ["maternity", "sickness"], days)
    assert left_out.tolist() == [0, 0, 0] and left_out.dtype == np.int64
