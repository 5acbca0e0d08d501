"""What to watch next month, and the newly qualified supervision standard, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.config import load_config
from analysis.supervision.eligibility import person_months
from analysis.supervision.nqsw_standard import expected_supervisions, nqsw_supervision, nqsw_supervision_staff
from analysis.supervision.watch import COLUMNS, watch_next_month

from builders import make_dataset, supervision_tables

CONFIG = load_config()
NOV, DEC, JAN = (pd.Period(m, "M") for m in ("2019-11", "2019-12", "2020-01"))


def _watch(data) -> pd.DataFrame:
    return watch_next_month(data, person_months(data, [DEC, JAN], CONFIG), DEC, CONFIG).set_index("staff_id")


def test_watch_list_by_hand():
    data = make_dataset(
        staff=[{"staff_id": s} for s in ("MISSED", "STALE", "FRESH", "AWAY", "GONE")]
        + [{"staff_id": "LEAVE"}, {"staff_id": "ABSENT_NOW"}],
        absences=[
            {"staff_id": "AWAY", "absence_type": "maternity", "start_date": "2020-01-06", "end_date": "2020-06-30"},
            {"staff_id": "LEAVE", "absence_type": "annual_leave", "start_date": "2020-01-13", "end_date": "2020-01-14"},
            {
                "staff_id": "ABSENT_NOW",
                "absence_type": "sickness",
                "start_date": "2019-12-01",
                "end_date": "2019-12-31",
            },
        ],
        supervisions=[
            {"staff_id": "MISSED", "supervision_date": "2019-11-29"},
            {"staff_id": "FRESH", "supervision_date": "2019-12-10"},
            {"staff_id": "LEAVE", "supervision_date": "2019-12-10"},
            {"staff_id": "AWAY", "supervision_date": "2019-12-10"},
            {"staff_id": "GONE", "supervision_date": "2019-12-10"},
            {"staff_id": "ABSENT_NOW", "supervision_date": "2019-10-10"},
        ],
    )
    data.staff.loc[data.staff["staff_id"] == "GONE", "end_date"] = pd.Timestamp("2019-12-31")
    data.staff.loc[data.staff["staff_id"] == "STALE", "start_date"] = pd.Timestamp("2019-12-16")
    watch = _watch(data)
    assert list(watch.columns) == [c for c in COLUMNS if c != "staff_id"]
    assert sorted(watch.index) == ["ABSENT_NOW", "AWAY", "LEAVE", "MISSED", "STALE"]
    assert (watch["month"] == "2020-01").all()
    # MISSED: due in December, no formal supervision in it (the last was 29 November).
    assert watch.loc["MISSED", ["due_next_month", "missed_this_month", "supervision_overdue"]].tolist() == [
        True,
        True,
        True,
    ]
    # STALE started on 16 December: due, never supervised, so overdue (not due in December itself).
    assert watch.loc["STALE", ["missed_this_month", "supervision_overdue"]].tolist() == [False, True]
    # ABSENT_NOW was off all December: not missed, but the last supervision (October) is over a month old.
    assert watch.loc["ABSENT_NOW", ["missed_this_month", "supervision_overdue"]].tolist() == [False, True]
    assert watch.loc["ABSENT_NOW", "last_formal_supervision"] == pd.Timestamp("2019-10-10")
    # AWAY: maternity from 6 January (20 of January's 22 working days: 1 January is a holiday): listed,
    # not due next month.
    assert watch.loc["AWAY", ["absence_type", "due_next_month", "absence_working_days_next_month"]].tolist() == [
        "maternity",
        False,
        20,
    ]
    assert watch.loc["AWAY", "absence_start"] == pd.Timestamp("2020-01-06")
    assert watch.loc["LEAVE", ["absence_type", "due_next_month", "supervision_overdue"]].tolist() == [
        "annual_leave",
        True,
        False,
    ]


def test_watch_list_in_the_tables():
    data = make_dataset(staff=[{}])
    watch = supervision_tables(data, DEC, None, CONFIG)["watch_next_month"]
    assert watch["staff_id"].tolist() == ["S1"] and watch["month"].tolist() == ["2020-01"]


@pytest.mark.parametrize(
    "start, month, expected",
    [
        # Weekly from 1 October 2019 to 11 November (42 days): all of October weekly, 31 / 7 -> 4.
        ("2019-10-01", "2019-10", 4),
        # November: 11 weekly days and 19 fortnightly: 11/7 + 19/14 = 2.93 -> 2.
        ("2019-10-01", "2019-11", 2),
        # March 2020: fortnightly all month (six months end on 1 April): 31/14 -> 2.
        ("2019-10-01", "2020-03", 2),
        # April 2020: monthly from 1 April: 1.
        ("2019-10-01", "2020-04", 1),
        # From 15 October 2019 monthly starts 15 April 2020: April is 14 fortnightly days + 1 = 2.
        ("2019-10-15", "2020-04", 2),
        # Started on 29 October: three weekly days, 3/7 -> 0, but at least 1.
        ("2019-10-29", "2019-10", 1),
        # Phase not started (qualified later than the month): at least 1.
        ("2019-12-01", "2019-10", 1),
    ],
)
def test_expected_supervisions_by_hand(start, month, expected):
    period = pd.Period(month, "M")
    got = expected_supervisions([pd.Timestamp(start)], [period.start_time], [period.end_time.normalize()])
    assert got.tolist() == [expected]


def test_nqsw_standard_measured_from_the_later_of_qualifying_and_starting():
    data = make_dataset(
        staff=[
            {"staff_id": "EARLY", "qualified_date": "2019-10-01", "start_date": "2019-01-01"},
            {"staff_id": "LATE", "qualified_date": "2019-06-01", "start_date": "2019-11-01"},
            {"staff_id": "QUAL", "qualified_date": "2015-01-01"},
        ],
        supervisions=[{"staff_id": "EARLY", "supervision_date": d} for d in ("2019-11-01", "2019-11-15")]
        + [{"staff_id": "LATE", "supervision_date": d} for d in ("2019-11-04", "2019-11-11", "2019-11-18")],
    )
    pm = person_months(data, [NOV], CONFIG)
    staff = nqsw_supervision_staff(data, pm)
    summary = nqsw_supervision(staff, ["2019-11"])
    staff = staff.set_index("staff_id")
    # EARLY: from 1 October, November expects 2 and had 2. LATE: from 1 November (start in post),
    # November is all weekly: 30 / 7 -> 4, had 3.
    assert staff.loc["EARLY", ["expected", "formal_supervisions", "met_standard"]].tolist() == [2, 2, True]
    assert staff.loc["LATE", ["expected", "formal_supervisions", "met_standard"]].tolist() == [4, 3, False]
    assert staff.loc["LATE", "phase_start"] == pd.Timestamp("2019-11-01")
    assert "QUAL" not in staff.index
    assert summary.iloc[0][["month", "nqsw_due", "met_standard"]].tolist() == ["2019-11", 2, 1]
    assert summary.iloc[0]["proportion_met"] == 0.5


def test_nqsw_standard_month_with_no_nqsw_is_blank():
    data = make_dataset(staff=[{}])
    staff = nqsw_supervision_staff(data, person_months(data, [NOV], CONFIG))
    summary = nqsw_supervision(staff, ["2019-11"])
    assert staff.empty and summary.iloc[0]["nqsw_due"] == 0 and np.isnan(summary.iloc[0]["proportion_met"])


def test_the_watch_list_is_counted_per_team_then_all_teams():
    from analysis.supervision.watch import watch_next_month_teams

    watch = pd.DataFrame(
        {
            "month": ["2020-01"] * 4,
            "team": ["B", "A", "B", "B"],
            "missed_this_month": [True, False, True, False],
            "supervision_overdue": [True, True, False, False],
            "absence_type": [None, None, "sickness", "annual_leave"],
        }
    )
    table = watch_next_month_teams(watch)
    assert table.to_dict("records") == [
        {"month": "2020-01", "team": "A", "on_list": 1, "missed": 0, "overdue": 1, "absence": 0},
        {"month": "2020-01", "team": "B", "on_list": 3, "missed": 2, "overdue": 1, "absence": 2},
        {"month": "2020-01", "team": "All teams", "on_list": 4, "missed": 2, "overdue": 2, "absence": 2},
    ]
    empty = watch_next_month_teams(watch.iloc[:0])
    assert empty[["team", "on_list"]].to_dict("records") == [{"team": "All teams", "on_list": 0}]
