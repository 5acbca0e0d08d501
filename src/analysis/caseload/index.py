"""Counting distinct open cases per person on any dates, by integer interval arithmetic.

Allocations of the same case to the same person are first merged into disjoint day intervals,
so that "distinct case_id covering d" becomes "merged intervals covering d". That count is
(intervals starting on or before d) - (intervals ending before d), which two binary searches over
sorted ``person << 32 | day`` keys answer for any number of (person, date) pairs at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

_DAY_OFFSET = np.int64(2**31)  # shifts day numbers (days since 1970, may be negative) to >= 0
_OPEN_END = np.int64(2**32 - 1)  # a blank end date: later than any real day
_SHIFT = np.int64(32)


def day_numbers(dates: Any) -> np.ndarray:
    """Dates as shifted int64 day numbers; NaT becomes the open end."""
    days = pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")  # a copy of its own
    missing = np.isnat(days)
    out = days.view(np.int64)
    out += _DAY_OFFSET  # in place: a national extract has millions of dates
    out[missing] = _OPEN_END
    return out


def _narrow(values: np.ndarray, dtype: type) -> np.ndarray:
    """``values`` in the narrower integer ``dtype`` when every one fits (half the working memory)."""
    limits = np.iinfo(dtype)
    fits = len(values) == 0 or (int(values.min()) >= limits.min and int(values.max()) <= limits.max)
    return values.astype(dtype) if fits else values


def complex_mask(case_types: pd.Series, complex_case_types: list[str]) -> np.ndarray:
    """True where ``case_type``, trimmed and case-folded, is one of ``complex_case_types``."""
    wanted = {str(t).strip().casefold() for t in complex_case_types}
    # Fold the few distinct values, not the millions of rows.
    codes, values = pd.factorize(case_types)
    hit = np.array([str(v).strip().casefold() in wanted for v in values] + [False])
    return hit[codes]  # code -1 (missing) takes the trailing False


# Allocations are sorted by one packed (person, case, start) key while it fits in this many bits;
# past it (a national extract over decades), by a sort on the three columns. Both give one order.
PACKED_BITS = 62


def sort_order(person: np.ndarray, case: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Indices sorting allocations by (person, case, start), with one packed key when it fits."""
    if len(person) == 0:
        return np.array([], dtype=np.int64)
    n_case = int(case.max()) + 1
    first_day = int(start.min())
    day_bits = max(int(start.max()) - first_day, 1).bit_length()
    pair_bits = max(int(person.max()) * n_case + n_case, 1).bit_length()
    if pair_bits + day_bits <= PACKED_BITS:
        key = person.astype(np.int64)  # built in place: one array of millions, not three
        key *= n_case
        key += case
        key <<= np.int64(day_bits)
        key |= start - first_day
        return np.argsort(key)
    return np.lexsort((start, case, person))


@dataclass(frozen=True)
class IntervalCounts:
    """Sorted keys of merged per-(person, case) intervals; see the module docstring."""

    start_keys: np.ndarray
    end_keys: np.ndarray

    @classmethod
    def build(cls, person: np.ndarray, case: np.ndarray, start: np.ndarray, end: np.ndarray) -> IntervalCounts:
        """Merge each (person, case) pair's overlapping intervals and index them.

        Parameters
        ----------
        person, case
            Non-negative integer codes, one per allocation, sorted (with ``start``) by
            ``sort_order``.
        start, end
            Shifted day numbers (``day_numbers``), inclusive; an interval ending before it starts
            covers no day and is dropped.
        """
        keep = end >= start
        if not keep.all():
            person, case, start, end = person[keep], case[keep], start[keep], end[keep]
        if len(person) == 0:
            empty = np.array([], dtype=np.int64)
            return cls(empty, empty)
        first_of_pair = np.r_[True, (person[1:] != person[:-1]) | (case[1:] != case[:-1])]
        # Running maximum of the end within each pair: prefixing the pair's rank keeps every
        # pair's values above all earlier pairs', so one global accumulate stays within pairs.
        # In place: a national extract has millions of allocations.
        running_end = np.cumsum(first_of_pair, dtype=np.int64)
        running_end <<= np.int64(33)
        running_end |= end
        np.maximum.accumulate(running_end, out=running_end)
        running_end &= np.int64(2**33 - 1)
        new_block = first_of_pair
        new_block[1:] |= start[1:] > running_end[:-1]
        del running_end
        firsts = np.flatnonzero(new_block)
        block_end = np.maximum.reduceat(end, firsts)
        start_keys = person[firsts].astype(np.int64)
        start_keys <<= _SHIFT
        end_keys = start_keys | block_end
        start_keys |= start[firsts]
        del firsts, block_end
        start_keys.sort()  # in place: each is one array of millions
        end_keys.sort()
        return cls(start_keys, end_keys)

    def count(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Merged intervals of ``person`` covering ``day``, element-wise (int64)."""
        base = person.astype(np.int64) << _SHIFT
        query = base | day
        # Sorted needles make the binary searches cache-friendly on millions of keys.
        order = np.argsort(query)  # any order of equal needles gives the same counts
        base, query = base[order], query[order]
        first = np.searchsorted(self.start_keys, base, side="left")
        started = np.searchsorted(self.start_keys, query, side="right") - first
        first_end = np.searchsorted(self.end_keys, base, side="left")
        ended = np.searchsorted(self.end_keys, query, side="left") - first_end
        out = np.empty(len(order), dtype=np.int64)
        out[order] = started - ended
        return out


def covers_any(start: np.ndarray, end: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Whether each interval [start, end] (shifted day numbers) holds at least one of ``days``.

    It does exactly when the first of the sorted ``days`` on or after ``start`` is on or before ``end``.
    """
    days = np.unique(days)
    if not len(days):
        return np.zeros(len(start), dtype=bool)
    at = np.searchsorted(days, start, side="left")
    first_after = days[np.minimum(at, len(days) - 1)]
    return (at < len(days)) & (first_after <= end)


def _given(ids: pd.Series) -> np.ndarray:
    """Where an id is given: not missing, and not code -1 (a blank id, loaded as a code)."""
    values = ids.to_numpy()
    return values >= 0 if np.issubdtype(values.dtype, np.integer) else ids.notna().to_numpy()


@dataclass(frozen=True)
class CaseIndex:
    """Caseloads and complex caseloads of any staff_id on any dates, from one allocations table.

    Built for given ``dates`` (``only_days``, shifted day numbers), it indexes only the
    allocations covering one of them, which answer every question about those dates exactly,
    and refuses questions about any other date.
    """

    staff_ids: pd.Index
    all_cases: IntervalCounts
    complex_cases: IntervalCounts
    only_days: np.ndarray | None = None

    @classmethod
    def from_allocations(cls, allocations: pd.DataFrame, complex_case_types: list[str], dates: Any = None) -> CaseIndex:
        """Index ``allocations``; with ``dates``, only for caseloads on those dates (a smaller index)."""
        valid = allocations["start_date"].notna().to_numpy() & _given(allocations["case_id"])
        valid &= _given(allocations["staff_id"])
        start = day_numbers(allocations["start_date"])
        end = day_numbers(allocations["end_date"])
        only_days = None
        if dates is not None:
            only_days = np.unique(day_numbers(pd.Series(pd.to_datetime(list(dates)))))
            valid &= covers_any(start, end, only_days)
        if valid.all():
            rows = allocations
        else:
            rows = allocations.loc[valid]
            start, end = start[valid], end[valid]
        person, staff_ids = pd.factorize(rows["staff_id"])
        staff_ids = pd.Index(np.asarray(staff_ids))
        case = rows["case_id"].to_numpy()
        # Loaded ids are already integer codes; any other ids (text) are numbered here.
        case = case if np.issubdtype(case.dtype, np.integer) else pd.factorize(case)[0]
        # Codes and shifted day numbers fit 32 bits: the arrays sorted below take half the memory.
        person, case = _narrow(person, np.int32), _narrow(case, np.int32)
        start, end = _narrow(start, np.uint32), _narrow(end, np.uint32)
        hard = (
            complex_mask(rows["case_type"], complex_case_types)
            if "case_type" in rows
            else np.zeros(len(rows), dtype=bool)
        )
        order = sort_order(person, case, start)
        # One at a time, so that each column's unsorted copy is freed before the next is sorted.
        person = person[order]
        case = case[order]
        start = start[order]
        end = end[order]
        hard = hard[order]
        del order
        return cls(
            staff_ids,
            IntervalCounts.build(person, case, start, end),
            IntervalCounts.build(person[hard], case[hard], start[hard], end[hard]),
            only_days,
        )

    def counts(self, staff_id: Any, dates: Any, complex_cases: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """(caseload, complex caseload) for each (staff_id, date) pair; 0 for anyone with no allocation.

        Without ``complex_cases`` the complex caseloads are not counted and read NaN."""
        day = day_numbers(dates)
        if self.only_days is not None and not np.isin(day, self.only_days).all():
            raise ValueError("this case index was built for other dates")
        person = self.staff_ids.get_indexer(np.asarray(staff_id))
        known = person >= 0
        person = np.where(known, person, 0)
        loads = np.where(known, self.all_cases.count(person, day), 0)
        if not complex_cases:
            return loads, np.full(len(loads), np.nan)
        hard = np.where(known, self.complex_cases.count(person, day), 0)
        return loads, hard
