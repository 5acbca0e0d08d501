"""The case index's parts by hand: the sort of allocations (packed or by columns) and which intervals hold a day."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.caseload import index
from analysis.caseload.index import covers_any, sort_order


@pytest.fixture(params=["packed", "by columns"])
def path(request, monkeypatch):
    if request.param == "by columns":
        monkeypatch.setattr(index, "PACKED_BITS", 0)
    return request.param


def test_allocations_sort_by_person_then_case_then_start(path):
    person = np.array([1, 0, 0, 0, 1, 0])
    case = np.array([0, 2, 1, 2, 0, 1])
    start = np.array([6, 7, 9, 5, 3, 8])
    assert sort_order(person, case, start).tolist() == [5, 2, 3, 1, 4, 0]


def test_one_persons_spells_of_a_case_stay_together_whatever_the_others(path):
    """Person 0's case 2 and person 1's case 0 must not share a key: were the room for cases one
    too small, their spells (starting days 5, 6, 7) would interleave."""
    person, case, start = np.array([0, 1, 0]), np.array([2, 0, 2]), np.array([5, 6, 7])
    assert sort_order(person, case, start).tolist() == [0, 2, 1]


def test_no_allocations_sort_to_nothing(path):
    assert sort_order(np.array([], int), np.array([], int), np.array([], int)).tolist() == []


def test_an_interval_holds_a_day_when_the_first_day_on_or_after_its_start_is_within_it():
    days = np.array([10, 5, 5])
    start = np.array([8, 1, 11, 5, 10, 6])
    end = np.array([9, 4, 20, 5, 12, 10])
    # [8, 9] sits between 5 and 10; [1, 4] before both; [11, 20] after both; the rest hold one.
    assert covers_any(start, end, days).tolist() == [False, False, False, True, True, True]


def test_no_days_are_held_by_no_interval():
    held = covers_any(np.array([1, 2]), np.array([3, 4]), np.array([], dtype=np.int64))
    assert held.dtype == bool and held.tolist() == [False, False]


def test_an_index_built_for_some_dates_answers_for_them_alone_and_one_for_all_for_any():
    from analysis.caseload.on_dates import case_index
    from analysis.config import load_config

    from builders import alloc, make, post

    config = load_config()
    data = make([post("A"), post("B")], [alloc("c1", "A", "2019-01-01"), alloc("c2", "B", "2019-06-01")])
    some = case_index(data, config, ["2019-09-30"])
    assert some.counts(["A", "B", "NOBODY"], ["2019-09-30"] * 3)[0].tolist() == [1, 1, 0]
    with pytest.raises(ValueError, match="^this case index was built for other dates$"):
        some.counts(["A"], ["2019-10-31"])
    every = case_index(data, config, None)
    assert every.counts(["A", "B", "NOBODY"], ["2019-10-31", "2019-05-31", "2019-10-31"])[0].tolist() == [1, 0, 0]


def test_an_interval_ending_before_it_starts_holds_no_day_and_hides_no_other():
    from analysis.caseload.index import IntervalCounts

    person, case = np.array([0, 0]), np.array([0, 1])
    start, end = np.array([5, 1]), np.array([3, 9])  # case 0 ends (3) before it starts (5)
    counts = IntervalCounts.build(person, case, start, end)
    assert counts.count(np.zeros(5, int), np.array([1, 3, 4, 5, 9])).tolist() == [1, 1, 1, 1, 1]


def test_a_spell_inside_a_longer_one_of_the_same_case_counts_once():
    """[1, 10] holds [2, 3] and [5, 6]: the running end, not the last end, decides where a block ends."""
    from analysis.caseload.index import IntervalCounts

    person, case = np.zeros(3, int), np.zeros(3, int)
    counts = IntervalCounts.build(person, case, np.array([1, 2, 5]), np.array([10, 3, 6]))
    assert counts.count(np.zeros(5, int), np.array([1, 4, 5, 10, 11])).tolist() == [1, 1, 1, 1, 0]


def test_loaded_codes_of_blank_ids_count_nowhere():
    """Code -1 is a blank id (in a data folder with errors): its allocation is no one's case."""
    import pandas as pd

    from analysis.caseload.index import CaseIndex

    allocations = pd.DataFrame(
        {
            "case_id": np.array([0, -1, 1, 2]),
            "staff_id": np.array([0, 0, -1, 0]),
            "start_date": pd.to_datetime(["2019-01-01", "2019-01-01", "2019-01-01", None]),
            "end_date": pd.NaT,
            "case_type": "child_protection",
        }
    )
    index_ = CaseIndex.from_allocations(allocations, ["child_protection"])
    assert list(index_.staff_ids) == [0]
    assert index_.counts(np.array([0]), ["2019-06-30"])[0].tolist() == [1]


def test_complex_cases_left_uncounted_read_blank():
    import pandas as pd

    from analysis.caseload.index import CaseIndex

    allocations = pd.DataFrame(
        {"case_id": ["C1"], "staff_id": ["A"], "start_date": pd.to_datetime(["2019-01-01"]), "end_date": pd.NaT}
    )
    loads, hard = CaseIndex.from_allocations(allocations, []).counts(["A"], ["2019-02-01"], complex_cases=False)
    assert loads.tolist() == [1] and hard.dtype == float and np.isnan(hard).all()


def test_role_caseloads_hold_only_the_roles_asked_for_on_each_date():
    from analysis.caseload.on_dates import case_index, role_caseloads
    from analysis.config import load_config

    from builders import alloc, make, post

    config = load_config()
    posts = [
        post("A", role="social_worker", end="2019-06-30"),
        post("A", role="team_manager", start="2019-07-01"),
        post("B", role="team_manager"),
        post("C", role="senior_social_worker", start="2019-08-01"),
    ]
    data = make(posts, [alloc("c1", "A"), alloc("c2", "B"), alloc("c3", "C", start="2019-08-01")])
    dates = ["2019-05-31", "2019-07-31", "2019-08-31"]
    got = role_caseloads(data, dates, config, case_index(data, config), ["social_worker", "senior_social_worker"])
    assert list(zip(got["date"].dt.strftime("%Y-%m-%d"), got["staff_id"], got["role"], got["caseload"])) == [
        ("2019-05-31", "A", "social_worker", 1),
        ("2019-08-31", "C", "senior_social_worker", 1),
    ]


@pytest.mark.parametrize(
    "values, dtype, narrowed",
    [
        ([0, 2**31 - 1], np.int32, True),  # the largest code that fits
        ([-(2**31), 5], np.int32, True),  # and the smallest
        ([0, 2**31], np.int32, False),  # one past: kept as int64
        ([-(2**31) - 1, 0], np.int32, False),
        ([0, 2**32 - 1], np.uint32, True),  # the open end of shifted day numbers fits
        ([0, 2**32], np.uint32, False),
        ([-1, 3], np.uint32, False),  # below zero: kept
        ([], np.int32, True),
    ],
)
def test_codes_and_days_are_narrowed_only_where_every_one_fits(values, dtype, narrowed):
    wide = np.array(values, dtype=np.int64)
    out = index._narrow(wide, dtype)
    assert out.dtype == (np.dtype(dtype) if narrowed else np.int64)
    assert out.astype(np.int64).tolist() == values


def test_day_numbers_shift_dates_and_open_the_blank_ones():
    import pandas as pd

    days = index.day_numbers(pd.Series(pd.to_datetime(["1970-01-01", None, "1969-12-31", "2019-12-31"])))
    assert days.dtype == np.int64
    assert days.tolist() == [2**31, 2**32 - 1, 2**31 - 1, 2**31 + 18261]
