"""Working days, months and categories, against the design's worked examples and a naive count."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.assignments import assignments_on, categorise, nqsw_status_end_dates
from analysis.core.calendar import (
    add_months,
    as_days,
    is_working_day,
    month_end,
    month_range,
    month_start,
    parse_month,
    working_day_ordinal,
    working_days,
)

from builders import examples

BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="WLS", years=range(2015, 2026))


def naive_working_days(start: date, end: date) -> int:
    days = (start + timedelta(n) for n in range((end - start).days + 1))
    return sum(d.weekday() < 5 and d not in BANK_HOLIDAYS for d in days)


def wd(start: str, end: str, config=None) -> int:
    return int(working_days([pd.Timestamp(start)], [pd.Timestamp(end)], config)[0])


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("2019-09-01", "2019-09-30", 21),  # September 2019
        ("2019-12-01", "2019-12-31", 20),  # December 2019: 25 and 26 December are bank holidays
        ("2019-09-09", "2019-09-20", 10),  # annual leave Monday 9 to Friday 20 September: not due
        ("2019-09-09", "2019-09-19", 9),  # leave to the 19th: due
        ("2019-12-18", "2019-12-31", 8),  # leave 18 Dec 2019 - 3 Jan 2020, December's share
        ("2019-10-01", "2019-10-13", 9),  # a starter on Monday 14 October 2019 misses 9 days
        ("2019-10-21", "2019-10-31", 9),  # a leaver whose last day is Friday 18 October
        ("2021-12-01", "2021-12-31", 21),  # Christmas 2021 at a weekend: observed 27 and 28 Dec
        ("2022-12-01", "2022-12-31", 20),  # Christmas Day 2022 a Sunday: observed 27 Dec
        ("2020-05-01", "2020-05-31", 19),  # the early May bank holiday moved to Friday 8 May 2020
    ],
)
def test_worked_examples(start, end, expected):
    assert wd(start, end) == expected
    assert naive_working_days(date.fromisoformat(start), date.fromisoformat(end)) == expected


def test_an_observed_bank_holiday_counts_once():
    # 25 Dec 2021 is a Saturday; its substitute Monday 27 Dec is not a working day, the Saturday never was.
    assert not is_working_day([pd.Timestamp("2021-12-27")])[0]
    assert wd("2021-12-24", "2021-12-29") == 2  # Fri 24 and Wed 29


def test_working_days_is_vectorised_and_zero_when_end_is_before_start():
    starts = pd.to_datetime(["2019-09-01", "2019-12-01", "2019-10-10"])
    ends = pd.to_datetime(["2019-09-30", "2019-12-31", "2019-10-01"])
    assert working_days(starts, ends).tolist() == [21, 20, 0]


def test_working_days_refuses_open_ends():
    with pytest.raises(ValueError, match=r"^working_days needs real dates; clip open ends first$"):
        working_days([pd.Timestamp("2019-01-01")], [pd.NaT])


def test_other_calendar_from_config():
    from analysis.config import load_config

    scotland = load_config().with_changes(calendar={"country": "GB", "subdivision": "SCT"})
    assert wd("2019-01-01", "2019-01-02") == 0 + 0 + 1  # England and Wales: only 2 January works
    assert wd("2019-01-01", "2019-01-02", scotland) == 0  # Scotland also has 2 January off


@settings(max_examples=examples(150), deadline=None)
@given(start=st.dates(date(2016, 1, 1), date(2024, 12, 31)), length=st.integers(-5, 400))
def test_working_days_match_a_naive_count(start, length):
    end = start + timedelta(length)
    expected = naive_working_days(start, end) if length >= 0 else 0
    assert wd(start.isoformat(), end.isoformat()) == expected
    ordinal = working_day_ordinal(pd.to_datetime([start, end + timedelta(1)]))
    assert max(int(ordinal[1] - ordinal[0]), 0) == expected


def test_months():
    month = parse_month(" 2019-12 ")
    assert month == pd.Period("2019-12", "M")
    assert month_start(month) == pd.Timestamp("2019-12-01")
    assert month_end(pd.Period("2020-02", "M")) == pd.Timestamp("2020-02-29")
    assert [str(m) for m in month_range("2019-09", "2019-12")] == ["2019-09", "2019-10", "2019-11", "2019-12"]


@pytest.mark.parametrize("text", ["2019-13", "2019-00", "19-12", "2019/12", "December 2019", ""])
def test_parse_month_refuses(text):
    with pytest.raises(ValueError):
        parse_month(text)


def test_month_range_refuses_a_backwards_window():
    with pytest.raises(ValueError, match="before it starts"):
        month_range("2019-12", "2019-09")


def test_add_months_clips_to_the_month_end():
    got = add_months(pd.to_datetime(["2019-08-31", "2019-01-31", "2018-11-30", None]), 6)
    assert [str(d) for d in got] == ["2020-02-29", "2019-07-31", "2019-05-30", "NaT"]


@settings(max_examples=examples(200), deadline=None)
@given(day=st.dates(date(1995, 1, 1), date(2040, 12, 31)), months=st.integers(-30, 30))
def test_add_months_agrees_with_relativedelta(day, months):
    assert add_months([pd.Timestamp(day)], months)[0] == np.datetime64(day + relativedelta(months=months), "D")


# --- categories ------------------------------------------------------------------------------------


def category(employment, qualified, on):
    q = pd.to_datetime([qualified])
    return categorise([employment], q, pd.to_datetime([on]), 12)[0]


def test_agency_is_agency_even_when_newly_qualified():
    assert category("agency", "2019-06-01", "2019-10-31") == "agency"


def test_nqsw_until_twelve_months_after_qualifying():
    assert category("permanent", "2018-11-30", "2019-10-31") == "nqsw"
    assert category("permanent", "2018-11-30", "2019-11-30") == "qualified"
    assert category("permanent", "2018-11-30", "2019-11-29") == "nqsw"


def test_no_qualified_date_is_qualified_and_no_employment_is_missing():
    assert category("permanent", None, "2019-10-31") == "qualified"
    assert category(None, "2019-01-01", "2019-10-31") is None


def test_nqsw_status_ends_on_the_clipped_anniversary():
    assert str(nqsw_status_end_dates(pd.to_datetime(["2019-02-28", "2019-04-30"]), 12)[1]) == "2020-04-30"
    assert str(add_months(pd.to_datetime(["2019-08-31"]), 6)[0]) == "2020-02-29"


def test_leaver_takes_team_and_category_from_their_last_assignment():
    staff = pd.DataFrame(
        {
            "staff_id": ["A", "A"],
            "team": ["North", "South"],
            "role": ["social_worker", "senior_social_worker"],
            "employment": ["permanent", "agency"],
            "start_date": pd.to_datetime(["2018-01-01", "2019-06-01"]),
            "end_date": pd.to_datetime(["2019-05-31", "2019-10-18"]),
            "qualified_date": pd.to_datetime(["2018-11-30", None]),
            "fte": [1.0, 0.5],
        }
    )
    keys = pd.DataFrame(
        {"staff_id": ["A", "A", "B"], "date": pd.to_datetime(["2019-10-18", "2019-10-31", "2019-10-18"])}
    )
    got = assignments_on(staff, keys)
    assert got["employed"].tolist() == [True, False, False]
    assert got.loc[0, ["team", "employment", "fte"]].tolist() == ["South", "agency", 0.5]
    assert got.loc[0, "qualified_date"] == pd.Timestamp("2018-11-30")  # from the other assignment
    cats = categorise(got["employment"], got["qualified_date"], got["date"], 12)
    assert cats.tolist() == ["agency", None, None]


@pytest.mark.parametrize("text", ["2019-13", "2019-00", "19-12", "2019-1a", "2019-12-01", "201912", "2019-"])
def test_parse_month_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError, match=r"is not a month in the form YYYY-MM"):
        parse_month(text)


@pytest.mark.parametrize("text, month", [("2019-01", "2019-01"), ("2019-12", "2019-12"), (" 2020-02 ", "2020-02")])
def test_parse_month_takes_every_month_of_the_year(text, month):
    got = parse_month(text)
    assert got == pd.Period(month, "M") and got.freqstr == "M"


def test_month_range_of_one_month_of_periods_and_backwards():
    assert [str(m) for m in month_range("2019-12", "2019-12")] == ["2019-12"]
    periods = month_range(pd.Period("2019-11", "M"), pd.Period("2020-01", "M"))
    assert [str(m) for m in periods] == ["2019-11", "2019-12", "2020-01"] and periods.freqstr == "M"
    with pytest.raises(ValueError, match=r"the window ends \(2019-11\) before it starts \(2019-12\)"):
        month_range("2019-12", "2019-11")


def test_working_days_follow_the_configured_nation():
    from analysis.config import load_config

    scotland = load_config().with_changes(calendar={"country": "GB", "subdivision": "SCT"})
    summer = [pd.Timestamp("2019-08-05"), pd.Timestamp("2019-08-26")]  # Scotland's, then England and Wales'
    assert is_working_day(summer).tolist() == [True, False]
    assert is_working_day(summer, scotland).tolist() == [False, True]


def test_adding_months_to_many_dates_at_once_matches_adding_them_one_by_one():
    """Past 4,096 dates the distinct dates are worked out once each: the same answers, blanks kept."""
    rng = np.random.default_rng(3)
    days = np.datetime64("2016-01-01") + rng.integers(0, 1500, size=5000).astype("timedelta64[D]")
    days = days.astype(object)
    days[::97] = None
    for months in (1, 6, 12, -1):
        got = add_months(list(days), months)
        want = [
            np.datetime64("NaT") if d is None else np.datetime64(pd.Timestamp(d) + relativedelta(months=months), "D")
            for d in days
        ]
        np.testing.assert_array_equal(got, np.array(want, dtype="datetime64[D]"))
        assert got.dtype == np.dtype("datetime64[D]")


def test_a_blank_date_stays_blank_when_months_are_added():
    got = add_months(["2019-08-31", None, "2020-01-31"], 6)
    assert str(got[0]) == "2020-02-29" and np.isnat(got[1]) and str(got[2]) == "2020-07-31"


def test_dates_from_a_list_holding_pandas_blanks():
    """numpy cannot read pandas.NaT in a list: pandas reads it instead, to the same days."""
    got = as_days([pd.Timestamp("2019-09-30 13:45"), pd.NaT, "2019-10-01"])
    assert got.dtype == np.dtype("datetime64[D]")
    assert str(got[0]) == "2019-09-30" and np.isnat(got[1]) and str(got[2]) == "2019-10-01"
