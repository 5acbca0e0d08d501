"""Which months the extract covers, judged by where its records are.

The records that say when an extract was taken are those made as things happen: supervisions
held and cases allocated (end dates and leave are often booked ahead). Each kind is grouped into
runs of months no more than ``MAX_GAP_MONTHS`` apart. A run holding few records
(``lone_run``), away from the rest, is a typing slip (2029 for 2019): it does not stretch the span,
and each of its records is a query. The span runs from the first supervision to the last activity
of the other runs; a month inside it with no supervision record is a gap.

No output shows a month the span does not cover: a window month before the first record, after
the last or in a gap is refused (``require_covered``); the SPC series leave gaps out. A month the
records cover in part is warned about in the run and on the reports (``coverage_warnings``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.inputs.dataset import Dataset
from analysis.inputs.findings import Finding
from analysis.inputs.same_facts import continues_earlier
from analysis.table_spec import N_, table

# The dates that are recorded as things happen: (table, column).
ACTIVITY_DATES = (("supervisions", "supervision_date"), ("allocations", "start_date"))
COVERAGE_COLUMNS = ["month", "records_from", "records_to", "coverage"]
# Months with records at most this far apart are one run (two empty months between them, at most).
MAX_GAP_MONTHS = 3
# A run is lone when it holds fewer than this many records, or than this share of the records.
LONE_RECORDS, LONE_SHARE = 5, 0.02
ISOLATED_MESSAGE = (
    "{column} is far from the extract's other records, which run from {first} to {last}: expected a date "
    "inside the extract's period (a typing slip?); it does not stretch the months the extract covers"
)


class CoverageError(Exception):
    """A month an output would show that the extract holds no record for."""


@dataclass(frozen=True)
class Span:
    """The first and last activity date of an extract (None for an extract with no activity), the
    months between them without a supervision record, and the positions of lone records by table."""

    first: pd.Timestamp | None
    last: pd.Timestamp | None
    gaps: tuple[pd.Period, ...] = ()
    lone: tuple[tuple[str, np.ndarray], ...] = ()

    def state(self, month: pd.Period) -> str:
        """``complete``, ``partial``, ``gap``, ``before_records`` or ``after_records``."""
        if self.first is None or self.last is None:
            return "after_records"
        start, end = month.start_time, month.end_time.normalize()
        if end < self.first:
            return "before_records"
        if start > self.last:
            return "after_records"
        if month in self.gaps:
            return "gap"
        return "partial" if start < self.first or end > self.last else "complete"

    def describe(self) -> str:
        if self.first is None or self.last is None:
            return "the extract has no supervision or allocation records"
        said = f"the extract's records run from {self.first:%Y-%m-%d} to {self.last:%Y-%m-%d}"
        if self.gaps:
            said += " with no supervision record in " + ", ".join(str(g) for g in self.gaps)
        return said


def _lone(dates: np.ndarray) -> np.ndarray:
    """Which of ``dates`` (none missing) lie in a lone run of months: a run of months with records,
    each no more than ``MAX_GAP_MONTHS`` from the next, holding few records, that is not the largest."""
    month = dates.astype("datetime64[M]").astype(np.int64)
    months, which, counts = np.unique(month, return_inverse=True, return_counts=True)
    if not len(months):
        return np.zeros(len(dates), dtype=bool)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(months) > MAX_GAP_MONTHS) + 1])
    records = np.add.reduceat(counts, starts)
    lone = (records < LONE_RECORDS) | (records < LONE_SHARE * counts.sum())
    lone[np.argmax(records)] = False  # the largest run is never lone
    run_of_month = np.repeat(np.arange(len(starts)), np.diff(np.concatenate([starts, [len(months)]])))
    return lone[run_of_month[which]]


def _activity(data: Dataset, table: str, column: str) -> np.ndarray:
    return getattr(data, table)[column].to_numpy(dtype="datetime64[ns]")


def _continuing_allocations(allocations: pd.DataFrame, starts: np.ndarray, supervised: np.ndarray) -> np.ndarray:
    """Allocations starting after the last supervision that continue an earlier allocation of the same
    case to the same worker (one allocation held as two records): no new activity. Only those can
    move the span, so only their cases are looked at."""
    out = np.zeros(len(starts), dtype=bool)
    if not len(supervised):
        return out
    late = np.flatnonzero(~np.isnat(starts) & (starts > supervised.max()))
    if not len(late):
        return out
    cases = allocations["case_id"].to_numpy()
    mine = np.flatnonzero(np.isin(cases, cases[late]))
    continuing = continues_earlier(allocations.iloc[mine], ["case_id", "staff_id"])
    out[mine[continuing]] = True
    return out


def records_span(data: Dataset) -> Span:
    """From the first supervision to the last supervision or allocation of ``data``, lone runs apart.

    The first is the first supervision: an extract of allocations holds cases opened years
    before the extract's period, so their start dates say nothing of where it begins. Worked out
    once for a data set's frames.
    """
    key = tuple((id(getattr(data, t)), len(getattr(data, t))) for t, _ in ACTIVITY_DATES)
    cached = data.__dict__.get("_span")
    if cached is None or cached[0] != key:
        data.__dict__["_span"] = cached = (key, _records_span(data))
    return cached[1]


def _records_span(data: Dataset) -> Span:
    """``records_span``, worked out.

    Supervisions: a lone run anywhere is left out. Allocations: cases are opened years before an
    extract's period, so only their start dates more than ``MAX_GAP_MONTHS`` after the last
    supervision are looked at, and a lone run of them left out; the others may reach past the last
    supervision (a case extract taken later), leaving months without supervisions as gaps.
    """
    sup = _activity(data, "supervisions", "supervision_date")
    alloc = _activity(data, "allocations", "start_date")
    sup_valid, alloc_valid = ~np.isnat(sup), ~np.isnat(alloc)
    sup_lone = np.zeros(len(sup), dtype=bool)
    sup_lone[sup_valid] = _lone(sup[sup_valid])
    kept_sup = sup[sup_valid & ~sup_lone]
    alloc_valid &= ~_continuing_allocations(data.allocations, alloc, kept_sup)
    alloc_lone = np.zeros(len(alloc), dtype=bool)
    if len(kept_sup):
        limit = (kept_sup.max().astype("datetime64[M]") + MAX_GAP_MONTHS + 1).astype("datetime64[ns]")
        late = alloc_valid & (alloc >= limit)
        alloc_lone[late] = _lone(alloc[late])
    kept_alloc = alloc[alloc_valid & ~alloc_lone]
    lone = (("supervisions", np.flatnonzero(sup_lone)), ("allocations", np.flatnonzero(alloc_lone)))
    if not len(kept_sup) and not len(kept_alloc):
        return Span(None, None, lone=lone)
    first = pd.Timestamp(kept_sup.min() if len(kept_sup) else kept_alloc.min())
    last = pd.Timestamp(max(d.max() for d in (kept_sup, kept_alloc) if len(d)))
    every = np.arange(np.datetime64(first, "M").astype(np.int64), np.datetime64(last, "M").astype(np.int64) + 1)
    supervised = np.unique(kept_sup.astype("datetime64[M]").astype(np.int64))
    missing = every[~np.isin(every, supervised)] if len(kept_sup) else np.zeros(0, dtype=np.int64)
    gaps = tuple(pd.Period(str(np.datetime64(int(m), "M")), "M") for m in missing)
    return Span(first, last, gaps, lone)


def lone_records(data: Dataset, span: Span | None = None) -> list[Finding]:
    """A query for each record of a lone run (``records_span``), naming its file, row and date."""
    span = span or records_span(data)
    found: list[Finding] = []
    for name, positions in span.lone:
        if not len(positions):
            continue
        column = dict(ACTIVITY_DATES)[name]
        file = data.files[name].name if name in data.files else f"{name}.csv"
        frame = getattr(data, name)
        rows = frame["row"].to_numpy()[positions] if "row" in frame else positions + 2
        days = pd.DatetimeIndex(frame[column].to_numpy()[positions]).strftime("%Y-%m-%d")
        where = (
            {"first": f"{span.first:%Y-%m-%d}", "last": f"{span.last:%Y-%m-%d}"}
            if span.first is not None
            else {"first": "-", "last": "-"}
        )
        message = ISOLATED_MESSAGE.format(column=column, **where)
        found += [Finding("isolated_date", "query", file, int(r), column, d, message) for r, d in zip(rows, days)]
    return found


def first_covered_month(data: Dataset, month: pd.Period, months_before: int) -> pd.Period:
    """The first month of a window ``months_before`` long ending at ``month``, shortened to the
    months the extract covers without a gap (the default window: it never asks for a month the
    extract does not hold)."""
    start = month - months_before
    span = records_span(data)
    if span.first is not None:
        start = max(start, min(span.first.to_period("M"), month))
    after_gaps = [gap + 1 for gap in span.gaps if start <= gap < month]
    return max([start, *after_gaps])


QUALIFIED_AFTER_MESSAGE = (
    "qualified_date is after the extract's last record, dated {last}: expected the date the person "
    "qualified, which an extract can only know once it has passed (a typing slip?)"
)


def qualified_after_extract(data: Dataset, span: Span | None = None) -> list[Finding]:
    """An error for each ``qualified_date`` after the extract's last record.

    A date the extract cannot yet know would make a long-qualified worker newly qualified (2091
    for 2019) and change the NQSW counts and the headline; it is refused, never used.
    """
    span = span or records_span(data)
    staff = data.staff
    if span.last is None or staff.empty:
        return []
    late = np.flatnonzero((staff["qualified_date"] > span.last).to_numpy())
    file = data.files["staff"].name if "staff" in data.files else "staff.csv"
    message = QUALIFIED_AFTER_MESSAGE.format(last=f"{span.last:%Y-%m-%d}")
    days = pd.DatetimeIndex(staff["qualified_date"].to_numpy()[late]).strftime("%Y-%m-%d")
    rows = staff["row"].to_numpy()[late]
    return [
        Finding("qualified_after_extract", "error", file, int(r), "qualified_date", d, message)
        for r, d in zip(rows, days)
    ]


def require_covered(data: Dataset, month: pd.Period, window_start: pd.Period | None = None) -> None:
    """Refuse a report whose month, or any month of whose window, the extract does not cover.

    Raises
    ------
    CoverageError
        Naming the month, why it is not covered and the months that can be reported.
    """
    span = records_span(data)
    if span.last is None or span.first is None:
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
    for shown in pd.period_range(window_start or month, month, freq="M"):
        state = span.state(shown)
        what = (
            f"the report month {month}"
            if shown == month
            else f"the window ({window_start} to {month}) includes {shown}, which"
        )
        if state == "before_records":
            raise CoverageError(
                f"{what} ends before the extract's first supervision record, dated {span.first:%Y-%m-%d}, so "
                f"its compliance would read 0%: expected a window from {span.first.to_period('M')} "
                f"(--from {span.first.to_period('M')}), or an older extract"
            )
        if state == "gap":
            instead = (
                "a month with supervision records"
                if shown == month
                else f"a window from {shown + 1} (--from {shown + 1})"
            )
            raise CoverageError(
                f"{what} has no supervision record in the extract ({span.describe()}), so its compliance would "
                f"read 0%: expected {instead}, or an extract that holds it"
            )


@table(
    N_("How well the extract covers each month"),
    N_("One row per month: first and last record, and coverage."),
    COVERAGE_COLUMNS,
)
def coverage(data: Dataset, window: pd.PeriodIndex | list[pd.Period]) -> pd.DataFrame:
    """For each month of ``window``: the extract's first and last record and how well it covers the month.

    ``coverage`` is ``complete``, ``partial`` (the records start or stop inside the month),
    ``gap`` (no supervision record inside the span), ``before_records`` or ``after_records``.
    """
    span = records_span(data)
    periods = pd.PeriodIndex(window, freq="M")
    return pd.DataFrame(
        {
            "month": periods,
            "records_from": span.first,
            "records_to": span.last,
            "coverage": np.array([span.state(m) for m in periods], dtype=object),
        },
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
        elif state in ("before_records", "gap"):
            said.append(
                f"The extract holds no supervision records for {name}: its figures are not a measure of that month."
            )
    return said
