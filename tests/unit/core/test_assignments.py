"""The post covering each (person, date): one binary search against a naive scan of the posts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.assignments import assignments_on

DAY0 = pd.Timestamp("2019-01-01")


@st.composite
def posts_and_keys(draw):
    """Up to four people with non-overlapping posts (some open-ended), and dates to ask about."""
    rows = []
    for person in draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True, max_size=4)):
        day = draw(st.integers(0, 30))
        for _ in range(draw(st.integers(1, 3))):
            length = draw(st.integers(0, 40))
            open_ended = draw(st.booleans())
            rows.append((person, day, None if open_ended else day + length, draw(st.sampled_from(["N", "S"]))))
            if open_ended:
                break
            day += length + draw(st.integers(1, 20))
    staff = pd.DataFrame(
        {
            "staff_id": [r[0] for r in rows],
            "team": [r[3] for r in rows],
            "role": "social_worker",
            "employment": "permanent",
            "start_date": [DAY0 + pd.Timedelta(days=r[1]) for r in rows],
            "end_date": [pd.NaT if r[2] is None else DAY0 + pd.Timedelta(days=r[2]) for r in rows],
            "qualified_date": pd.NaT,
            "fte": 1.0,
        }
    )
    who = draw(st.lists(st.sampled_from(["A", "B", "C", "D", "Z"]), min_size=1, max_size=12))
    days = draw(st.lists(st.one_of(st.integers(-5, 150), st.none()), min_size=len(who), max_size=len(who)))
    dates = [pd.NaT if d is None else DAY0 + pd.Timedelta(days=d) for d in days]
    keys = pd.DataFrame({"staff_id": who, "date": pd.to_datetime(pd.Series(dates, dtype="datetime64[ns]"))})
    return staff.sample(frac=1, random_state=0), keys


def naive_team(staff: pd.DataFrame, person: str, date: pd.Timestamp):
    for row in staff.itertuples():
        covers = row.start_date <= date and (pd.isna(row.end_date) or date <= row.end_date)
        if row.staff_id == person and not pd.isna(date) and covers:
            return row.team
    return None


@settings(max_examples=200, deadline=None)
@given(posts_and_keys())
def test_the_covering_post_is_the_one_a_scan_finds(case):
    staff, keys = case
    got = assignments_on(staff, keys)
    expected = [naive_team(staff, p, d) for p, d in zip(keys["staff_id"], keys["date"])]
    assert got["employed"].tolist() == [t is not None for t in expected]
    assert [None if pd.isna(t) else t for t in got["team"]] == expected
    assert got[["staff_id", "date"]].equals(keys.reset_index(drop=True))


def test_dates_before_between_and_after_posts_and_unknown_people():
    staff = pd.DataFrame(
        {
            "staff_id": ["A", "A", "B"],
            "team": ["N", "S", "N"],
            "role": "social_worker",
            "employment": "permanent",
            "start_date": pd.to_datetime(["2019-01-10", "2019-03-01", "2019-01-01"]),
            "end_date": pd.to_datetime(["2019-01-31", None, "2019-01-09"]),
            "qualified_date": pd.NaT,
            "fte": [1.0, 0.5, 1.0],
        }
    )
    dates = ["2019-01-09", "2019-01-10", "2019-01-31", "2019-02-01", "2019-03-01", "2030-01-01", "2019-01-09", None]
    keys = pd.DataFrame({"staff_id": ["A", "A", "A", "A", "A", "A", "Z", "B"], "date": pd.to_datetime(dates)})
    got = assignments_on(staff, keys)
    assert got["employed"].tolist() == [False, True, True, False, True, True, False, False]
    assert got["team"].where(got["employed"], "-").tolist() == ["-", "N", "N", "-", "S", "S", "-", "-"]
    assert np.isnan(got.loc[0, "fte"]) and got.loc[5, "fte"] == 0.5


def test_posts_keep_their_columns_types_and_dates_before_1970_are_found():
    staff = pd.DataFrame(
        {
            "staff_id": ["A", "B"],
            "team": pd.array(["N", "S"], dtype="str"),
            "role": pd.array(["social_worker", "team_manager"], dtype="str"),
            "employment": pd.array(["permanent", "agency"], dtype="str"),
            "start_date": pd.to_datetime(["1960-01-01", "1965-06-01"]),
            "end_date": pd.to_datetime(["1969-12-31", None]),
            "qualified_date": pd.NaT,
            "fte": [1.0, 0.5],
        }
    )
    keys = pd.DataFrame(
        {
            "staff_id": ["A", "A", "B", "B"],
            "date": pd.to_datetime(["1960-06-30", "1970-01-01", "1965-05-31", "1999-01-01"]),
        }
    )
    got = assignments_on(staff, keys)
    assert got["employed"].tolist() == [True, False, False, True]
    assert got["team"].tolist()[0] == "N" and got.loc[3, "fte"] == 0.5
    for column in ("team", "role", "employment", "fte"):
        assert got[column].dtype == staff[column].dtype, column


def test_with_no_posts_nobody_is_employed_and_the_columns_keep_their_types():
    staff = pd.DataFrame(
        {
            "staff_id": pd.array([], dtype="str"),
            "team": pd.array([], dtype="str"),
            "role": pd.array([], dtype="str"),
            "employment": pd.array([], dtype="str"),
            "start_date": pd.to_datetime([]),
            "end_date": pd.to_datetime([]),
            "qualified_date": pd.to_datetime([]),
            "fte": pd.array([], dtype="float64"),
        }
    )
    got = assignments_on(staff, pd.DataFrame({"staff_id": ["A"], "date": pd.to_datetime(["2019-01-31"])}))
    assert got["employed"].tolist() == [False]
    for column in ("team", "role", "employment", "fte"):
        assert got[column].dtype == staff[column].dtype, column
