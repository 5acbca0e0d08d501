"""How far the extract reaches, and so which months it can answer for.

The extract's records run from its first supervision to its last *activity*: a supervision held,
or a case allocated. Those are recorded when they happen, unlike end dates and leave, which are often
booked ahead, so they say when the extract was taken. A report month that starts after the last
record, or ends before the first, is refused (its compliance would read 0%); a month that the
records cover in part, or a window month before them, is warned about in the run and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.inputs.dataset import Dataset

# The dates that are recorded as things happen: (table, column).
ACTIVITY_DATES = (("supervisions", "supervision_date"), ("allocations", "start_date"))
COVERAGE_COLUMNS = ["month", "records_from", "records_to", "coverage"]


class CoverageError(Exception):
    """A report month the extract holds no record for."""


@dataclass(frozen=True)
class Span:
    """The first and last activity date of an extract (None for an extract with no activity)."""

    first: pd.Timestamp | None
    last: pd.Timestamp | None


def records_span(data: Dataset) -> Span:
    """From the first supervision to the last supervision or allocation of ``data``.

    The first is the first supervision: an extract of allocations holds cases opened years
    before the extract's period, so their start dates say nothing of where it begins.
    """
    dates = [getattr(data, table)[column].dropna() for table, column in ACTIVITY_DATES]
    if not any(len(d) for d in dates):
        return Span(None, None)
    first = dates[0].min() if len(dates[0]) else dates[1].min()
    return Span(first, max(d.max() for d in dates if len(d)))


def require_covered(data: Dataset, month: pd.Period) -> None:
    """Refuse a report month that starts after the extract's last record, or ends before its first.

    Raises
    ------
    CoverageError
        Naming the month, the date of the record it misses and the months that can be reported.
    """
    span = records_span(data)
    if span.last is None:
        raise CoverageError(
            "the extract has no supervision or allocation records, so no month can be reported: "
            "expected supervisions and allocations files with records in them"
        )
    if month.start_time > span.last:
        raise CoverageError(
            f"the report month {month} starts after the extract's last record, dated "
            f"{span.last:%Y-%m-%d} (the latest supervision_date or allocation start_date): expected a month "
            f"up to {span.last.to_period('M')}, or a newer extract"
        )
    if month.end_time.normalize() < span.first:
        raise CoverageError(
            f"the report month {month} ends before the extract's first supervision record, dated "
            f"{span.first:%Y-%m-%d}: expected a month from {span.first.to_period('M')}, or an older extract"
        )


def coverage(data: Dataset, window: pd.PeriodIndex | list[pd.Period]) -> pd.DataFrame:
    """For each month of ``window``: the extract's first and last record and how well it covers the month.

    ``coverage`` is ``complete``, ``partial`` (the records start or stop inside the month),
    ``before_records`` or ``after_records``.
    """
    span = records_span(data)
    periods = pd.PeriodIndex(window, freq="M")
    starts, ends = periods.start_time, periods.end_time.normalize()
    first = span.first if span.first is not None else pd.Timestamp.max
    last = span.last if span.last is not None else pd.Timestamp.min
    state = pd.Series("complete", index=range(len(periods)), dtype=object)
    state[(starts < first) | (ends > last)] = "partial"
    state[ends < first] = "before_records"
    state[starts > last] = "after_records"
    return pd.DataFrame(
        {"month": periods, "records_from": span.first, "records_to": span.last, "coverage": state.to_numpy()},
        columns=COVERAGE_COLUMNS,
    )


def coverage_warnings(table: pd.DataFrame) -> list[str]:
    """One sentence for each month of ``coverage(...)`` the extract does not wholly cover."""
    said: list[str] = []
    if table.empty:
        return said
    for month, first, last, state in zip(*(table[c] for c in COVERAGE_COLUMNS)):  # a row a month
        name = pd.Period(month, "M").strftime("%B %Y")
        if state == "partial" and last is not None and pd.Period(month, "M").end_time.normalize() > last:
            said.append(
                f"The extract's last record is dated {last.day} {last:%B %Y}: figures for {name} cover "
                "only part of the month."
            )
        elif state == "partial":
            said.append(
                f"The extract's first record is dated {first.day} {first:%B %Y}: figures for {name} "
                "cover only part of the month."
            )
        elif state == "before_records":
            said.append(
                f"The extract holds no records for {name}, before its first record: its figures "
                "are not a measure of that month."
            )
    return said
