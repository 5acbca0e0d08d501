"""The array helpers against pandas' own duplicated() and numpy's stable argsort."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.core.arrays import (
    codes_present,
    latest_on_or_before,
    occurs_again,
    repeats_of_earlier,
    sort_by,
    stable_argsort,
)


@pytest.mark.parametrize(
    "key",
    [
        np.array([3, 1, 3, 2, 1, 3], dtype=np.int64),
        np.array([5, 6, 7], dtype=np.int64),
        np.array(["b", "a", "b", "c", "a"], dtype=object),
        np.array([2.5, 1.0, 2.5]),
    ],
)
def test_occurs_again_and_repeats_of_earlier_agree_with_pandas(key):
    import pandas as pd

    assert occurs_again(key).tolist() == pd.Series(key).duplicated(keep=False).tolist()
    assert repeats_of_earlier(key).tolist() == pd.Series(key).duplicated().tolist()
    assert occurs_again(key).dtype == bool and repeats_of_earlier(key).dtype == bool


def test_no_repeat_gives_a_boolean_array_of_falses():
    assert occurs_again(np.array([1, 2, 3])).tolist() == [False, False, False]
    assert occurs_again(np.array([1, 2, 3])).dtype == bool


def test_stable_argsort_and_sort_by_match_numpy():
    key = np.array([3, 1, 3, 2, 1, 3, -4], dtype=np.int64)
    assert stable_argsort(key).tolist() == np.argsort(key, kind="stable").tolist()
    assert stable_argsort(np.array([], dtype=np.int64)).tolist() == []
    huge = np.array([2**61, -(2**61), 0, 2**61], dtype=np.int64)  # packing would overflow: numpy's argsort
    assert stable_argsort(huge).tolist() == np.argsort(huge, kind="stable").tolist()
    major, minor = np.array([1, 0, 1, 0]), np.array([5, 9, -2, 3])
    assert sort_by(major, minor).tolist() == np.lexsort((minor, major)).tolist() == [3, 1, 2, 0]
    assert sort_by(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []


def test_codes_present_and_the_latest_on_or_before():
    assert codes_present(np.array([0, 3]), 5).tolist() == [True, False, False, True, False]
    day = np.array(["2019-01-05", "2019-02-01", "2019-01-20"], dtype="datetime64[D]")
    person = np.array([0, 0, 1])
    when = np.array(["2019-01-31", "2019-02-01", "2019-01-19", "2019-01-20"], dtype="datetime64[D]")
    got = latest_on_or_before(person, day, np.array([0, 0, 1, 1]), when)
    assert [str(d) for d in got] == ["2019-01-05", "2019-02-01", "NaT", "2019-01-20"]


def test_keys_too_wide_to_pack_are_still_sorted_stably():
    """Keys spanning 2**61 cannot be packed with their positions in an int64: the fallback argsort
    must keep equal keys in their order, as the packed sort does (1,000 ties, where an unstable
    quicksort would reorder some)."""
    rng = np.random.default_rng(7)
    key = rng.choice(np.array([0, 2**61, -(2**60)], dtype=np.int64), size=1000)
    order = stable_argsort(key)
    np.testing.assert_array_equal(order, np.argsort(key, kind="stable"))
    for value in (0, 2**61, -(2**60)):
        ties = order[key[order] == value]
        assert (np.diff(ties) > 0).all()
