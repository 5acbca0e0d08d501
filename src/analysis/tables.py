"""Every table of a month, by name: ``TABLES = {name: producer}``, where the name is the producer's.

A table's name is the same word everywhere: its CSV (``tables/<name>.csv``), its sheet, the
function that computes it (``producer.__name__``) and the attribute a notebook reads
(``r.tables.<name>``). Grep the name and you land on the definition the reports use.

Producers take their inputs by parameter name. A parameter is the name of another table (its
producer runs first), of an intermediate in ``INTERMEDIATES`` (person-months, caseloads on the
snapshot dates, ...), or one of the four things a month starts from: ``data``, ``month``,
``window_start`` and ``config``. Each is computed once per month, on first use.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pandas as pd

from analysis import intermediates
from analysis.caseload import breakdowns, flags, snapshots
from analysis.config import Settings
from analysis.forecast import forecasts as forecast_tables
from analysis.inputs import against_data, findings
from analysis.inputs import coverage as coverage_module
from analysis.inputs.dataset import Dataset
from analysis.inputs.reading import release_freed_memory
from analysis.supervision import compliance, nqsw_standard, regular, repeat_misses, watch
from analysis.table_spec import SPECS, TableSpec
from analysis.trends import spc_tables

TABLES: dict[str, Callable[..., pd.DataFrame]] = {
    producer.__name__: producer
    for producer in (
        coverage_module.coverage,
        # supervision (docs/definitions.md: "Who is due supervision", "Compliance")
        compliance.supervision_monthly,
        compliance.supervision_near_misses,
        compliance.supervision_teams,
        compliance.supervision_posts,
        compliance.supervision_exclusions,
        compliance.supervision_data_gap,
        regular.regular_supervision,
        repeat_misses.supervision_staff,
        nqsw_standard.nqsw_supervision,
        nqsw_standard.nqsw_supervision_staff,
        watch.watch_next_month,
        watch.watch_next_month_teams,
        # caseload (docs/definitions.md: "Caseload")
        snapshots.caseload_snapshots,
        snapshots.nqsw_caseload,
        flags.caseload_flags,
        flags.caseload_flag_counts,
        breakdowns.caseload_by_role_category,
        breakdowns.caseload_change,
        breakdowns.caseload_distribution,
        breakdowns.nqsw_detail,
        breakdowns.nqsw_status_ends,
        breakdowns.principal_complexity,
        snapshots.caseload_outside_employment,
        snapshots.caseload_staff,
        # is it improving? (Making Data Count)
        spc_tables.spc,
        spc_tables.spc_summary,
        # next month's forecast (docs/definitions.md: "Next month's forecast")
        forecast_tables.forecast_next_month,
        forecast_tables.forecast_backtest,
        forecast_tables.forecast_calibration,
        # the data folder's findings
        findings.data_quality,
    )
}

# What two threads take first: the two longest pieces of work (person-months; the allocation
# index, on the other core), then the longest that waits on one of them.
FIRST = ("person_months", "case_index", "spc_mean_caseload")

# Those two each need working memory several times what they keep (about 300 bytes a
# person-month and 90 an allocation, measured at 100,000 staff). Above this many person-months
# (staff rows times months), they are worked out one after the other, and person-months get no
# head start while the allocations are read (``analysis.head_start``): a national history then
# stays within about 1.5 GiB, for a few seconds more.
APART = ("person_months", "case_index")
APART_PERSON_MONTHS = 2_000_000


def work_apart(data: Dataset, month: pd.Period, config: Settings) -> bool:
    """Whether the data set is large enough to work out ``APART`` one at a time."""
    return len(data.staff) * (len(spc_tables.spc_months(data, month, config)) + 1) > APART_PERSON_MONTHS


# What each table is (title, description, columns), declared above its producer (``@table``).
TABLE_SPECS: dict[str, TableSpec] = {name: SPECS[name] for name in TABLES}


def empty_table(name: str) -> pd.DataFrame:
    """Table ``name`` without rows: its spec's columns (where a run has not made it)."""
    return pd.DataFrame(columns=list(TABLE_SPECS[name].columns))


def default_window_start(month: pd.Period, config: Settings, data: Dataset | None = None) -> pd.Period:
    """The first month of the trend window: ``report.window_months`` (3) before the report month,
    or with ``data``, later where the extract does not cover those months (``first_covered_month``)."""
    if data is None:
        return month - config.report.window_months
    return coverage_module.first_covered_month(data, month, config.report.window_months)


INTERMEDIATES: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        intermediates.window,
        intermediates.window_labels,
        intermediates.person_months,
        intermediates.window_person_months,
        intermediates.month_person_months,
        intermediates.exclusion_reasons,
        intermediates.autumn_dates,
        intermediates.latest,
        intermediates.earlier,
        intermediates.month_end,
        intermediates.dates,
        intermediates.case_index,
        intermediates.loads,
        intermediates.month_end_loads,
        spc_tables.spc_mean_caseload,
        spc_tables.spc_charts,
        forecast_tables.forecasts,
    )
}
# The snapshot tables call the Autumn dates ``snapshots``.
INTERMEDIATES["snapshots"] = intermediates.autumn_dates
STARTING_POINTS = ("data", "month", "window_start", "config")
KNOWN_NAMES = frozenset({*TABLES, *INTERMEDIATES, *STARTING_POINTS})


def _inputs(name: str) -> list[str]:
    """The tables and intermediates a producer takes (not the starting points)."""
    producer = TABLES.get(name) or INTERMEDIATES[name]
    return [p for p in inspect.signature(producer).parameters if p in KNOWN_NAMES and p not in STARTING_POINTS]


def _upstream(name: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """Every table and intermediate that ``name`` is worked out from, however far back."""
    direct = [p for p in _inputs(name) if p not in seen]
    return frozenset(direct).union(*(_upstream(p, seen | {name}) for p in direct))


UPSTREAM = {name: _upstream(name) for name in [*TABLES, *INTERMEDIATES]}


class MonthTables(Mapping):
    """The tables of one month, each computed on first use (``m.caseload_snapshots`` or ``m["spc"]``).

    Raises
    ------
    ValueError
        If ``window_start`` is after ``month``.
    """

    def __init__(
        self,
        data: Dataset,
        month: Any,
        config: Settings,
        window_start: Any = None,
        offered: dict[str, Callable[[], Any]] | None = None,
    ):
        month = pd.Period(month, "M")
        start = pd.Period(window_start, "M") if window_start is not None else default_window_start(month, config, data)
        if start > month:
            raise ValueError(f"the window starts ({start}) after the report month ({month})")
        self._values: dict[str, Any] = {"data": data, "month": month, "window_start": start, "config": config}
        # An intermediate worked out elsewhere: a function giving it when asked (None: work it out here).
        self._offered = {name: give for name, give in (offered or {}).items() if name in INTERMEDIATES}
        # One lock a name: two threads asking for one value compute it once (the names form a
        # graph without cycles, and locks are taken along it, so no two threads wait on each other).
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._running: set[str] = set()  # the names some thread is working out now
        self.apart = threading.Lock() if work_apart(data, month, config) else None

    def value(self, name: str) -> Any:
        """A table, an intermediate or a starting point, by name, computed once (from any thread)."""
        if name in self._values:
            return self._values[name]
        producer = TABLES.get(name) or INTERMEDIATES.get(name)
        if producer is None:
            raise KeyError(f"no table or intermediate named {name!r}")
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._values:
                with self._guard:
                    self._running.add(name)
                try:
                    self._values[name] = self._work_out(name, producer)
                finally:
                    with self._guard:
                        self._running.discard(name)
        return self._values[name]

    def busy(self) -> set[str]:
        """The names some thread is working out now."""
        with self._guard:
            return set(self._running)

    def _work_out(self, name: str, producer: Callable[..., Any]) -> Any:
        apart = self.apart if self.apart is not None and name in APART else None
        large = apart is not None
        with apart if apart is not None else contextlib.nullcontext():
            result = self._offered.pop(name, lambda: None)()
            if result is None:
                arguments = {p: self.value(p) for p in inspect.signature(producer).parameters if p in KNOWN_NAMES}
                result = producer(**arguments)
            if large:
                release_freed_memory()  # its working memory, before the next large piece
        # A table shows ids as text; intermediates keep the integer codes.
        return self._values["data"].decode(result) if name in TABLES else result

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        return self.value(name)

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in TABLES:
            raise AttributeError(name)
        return self.value(name)

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


class Plan:
    """Names to work out, in order of priority, shared by the threads that work them out."""

    def __init__(self, names: list[str], tables: MonthTables):
        self.waiting = list(dict.fromkeys(names))
        self.tables = tables
        self.guard = threading.Lock()

    def take(self) -> str | None:
        """The first waiting name none of whose inputs another thread is working out (else the
        first waiting name: its inputs will be ready when they are); None when all are taken.

        Where ``APART`` are worked out one at a time (``work_apart``), each runs alone: a thread
        asking meanwhile waits for it to finish.
        """
        while True:
            with self.guard:
                if not self.waiting:
                    return None
                busy = self.tables.busy()
                apart = self.tables.apart
                if apart is None or not (busy.intersection(APART) or apart.locked()):
                    free = [n for n in self.waiting if n not in busy and not (UPSTREAM[n] & busy)]
                    name = (free or self.waiting)[0]
                    self.waiting.remove(name)
                    return name
            if apart is not None:
                with apart:  # held while a large piece is worked out: wait for it
                    pass

    def work(self) -> None:
        while (name := self.take()) is not None:
            self.tables.value(name)

    def stop(self) -> None:
        """Take nothing more (a thread has failed: its error is raised once the other stops)."""
        with self.guard:
            self.waiting.clear()


def compute_tables(
    data: Dataset,
    month: pd.Period,
    window_start: pd.Period | None,
    config: Settings,
    offered: dict[str, Callable[[], Any]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of the month's reports, by name, in ``TABLES`` order; ``offered`` holds
    intermediates worked out elsewhere (``analysis.head_start``), as ``MonthTables`` takes them.

    Raises
    ------
    ValueError
        If ``window_start`` is after ``month``, or a table's columns are not its spec's.
    analysis.inputs.coverage.CoverageError
        If ``month`` starts after the extract's last record.
    """
    month_tables = MonthTables(data, month, config, window_start, offered)
    coverage_module.require_covered(data, month_tables.value("month"), month_tables.value("window_start"))
    against_data.require_settings_select(data, config, month_tables.value("month"))
    # Two threads (numpy's sorts and searches let go of the interpreter lock) each take the next
    # piece of work that waits on nothing the other is working out.
    plan = Plan([*FIRST, *TABLES], month_tables)
    with ThreadPoolExecutor(1) as pool:
        other = pool.submit(plan.work)
        try:
            plan.work()
        finally:
            plan.stop()
            other.result()
    tables = {name: month_tables[name] for name in TABLES}
    for name, spec in TABLE_SPECS.items():
        if tuple(tables[name].columns) != spec.columns:
            raise ValueError(f"table {name} has columns {list(tables[name].columns)}, not {list(spec.columns)}")
    return tables
