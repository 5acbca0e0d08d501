"""Build a small canonical ``Dataset`` from short lists of dicts, for hand-computed tests.

Each record is a dict of canonical column names; dates may be ISO strings (``"2019-10-14"``),
and any column left out takes the default below. Shared by the supervision and caseload tests.

>>> data = make_dataset(staff=[{"staff_id": "S1", "start_date": "2019-10-14"}],
...                     supervisions=[{"staff_id": "S1", "supervision_date": "2019-10-31"}])
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from analysis.caseload.flags import caseload_flags
from analysis.caseload.on_dates import caseloads_on
from analysis.caseload.snapshots import nqsw_caseload
from analysis.inputs.dataset import COLUMNS, DATE_COLUMNS, Dataset, empty_table
from analysis.tables import MonthTables

DEFAULTS: dict[str, dict[str, Any]] = {
    "staff": {
        "staff_id": "S1",
        "team": "North",
        "role": "social_worker",
        "employment": "permanent",
        "start_date": "2015-01-01",
        "end_date": None,
        "qualified_date": None,
        "fte": 1.0,
    },
    "absences": {"staff_id": "S1", "absence_type": "annual_leave"},
    "supervisions": {"staff_id": "S1", "supervision_type": "formal"},
    "allocations": {"staff_id": "S1", "end_date": None, "case_type": "child_in_need"},
}


def make_table(name: str, records: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """One canonical table from ``records``, defaults filled, dates parsed, ``row`` numbered from 2.

    Raises
    ------
    KeyError
        If a record names a column the table does not have, or leaves out one without a default.
    """
    records = records or []
    if not records:
        return empty_table(name)
    rows = []
    for number, record in enumerate(records):
        unknown = set(record) - set(COLUMNS[name]) - {"row"}
        if unknown:
            raise KeyError(f"{name} has no column(s) {sorted(unknown)}")
        row = {**DEFAULTS[name], **record}
        if name == "allocations":
            row.setdefault("case_id", f"C{number + 1}")
        missing = [c for c in COLUMNS[name] if c not in row]
        if missing:
            raise KeyError(f"{name} record {record} needs {missing}")
        row.setdefault("row", number + 2)
        rows.append(row)
    frame = pd.DataFrame(rows)[[*COLUMNS[name], "row"]]
    for column in DATE_COLUMNS[name]:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    if name == "staff":
        frame["fte"] = frame["fte"].astype("float64")
    frame["row"] = frame["row"].astype("int64")
    return frame


def make_dataset(
    staff: list[dict[str, Any]] | None = None,
    absences: list[dict[str, Any]] | None = None,
    supervisions: list[dict[str, Any]] | None = None,
    allocations: list[dict[str, Any]] | None = None,
) -> Dataset:
    """A ``Dataset`` from short lists of records (see ``make_table``)."""
    return Dataset(
        make_table("staff", staff),
        make_table("absences", absences),
        make_table("supervisions", supervisions),
        make_table("allocations", allocations),
    )


# --- people and cases, one at a time --------------------------------------------------------------


def post(
    staff_id: str,
    role: str = "social_worker",
    start: str = "2015-01-01",
    end: str | None = None,
    employment: str = "permanent",
    team: str = "A",
    fte: float = 1.0,
    qualified: str | None = "2010-01-01",
) -> dict:
    """One staff assignment; by default a permanent, long-qualified social worker since 2015."""
    return {
        "staff_id": staff_id,
        "team": team,
        "role": role,
        "employment": employment,
        "start_date": start,
        "end_date": end,
        "qualified_date": qualified,
        "fte": fte,
    }


def alloc(
    case_id: str,
    staff_id: str,
    start: str = "2019-01-01",
    end: str | None = None,
    case_type: str | None = "child_in_need",
) -> dict:
    """One allocation of a case to a worker; open-ended unless ``end`` is given."""
    return {"case_id": case_id, "staff_id": staff_id, "start_date": start, "end_date": end, "case_type": case_type}


def make(posts: list[dict], allocations: list[dict] = ()) -> Dataset:
    """A Dataset holding ``posts`` and ``allocations`` and no absences or supervisions."""
    return make_dataset(staff=posts, allocations=list(allocations))


# --- the month's tables through the registry (the path the reports use) ------------------------


def supervision_tables(data: Dataset, month: Any, window_start: Any, config: Any) -> MonthTables:
    """The month's tables (``analysis.tables.MonthTables``), argument order as the supervision tests use it."""
    return MonthTables(data, month, config, window_start)


def caseload_tables(data: Dataset, month: Any, config: Any) -> MonthTables:
    return MonthTables(data, month, config)


def caseload_snapshots_for(data: Dataset, month: Any, config: Any) -> pd.DataFrame:
    return MonthTables(data, month, config).caseload_snapshots


def nqsw_caseload_on(data: Dataset, as_at: Any, config: Any) -> pd.DataFrame:
    """``nqsw_caseload`` as at any date (the report takes the month end)."""
    day = pd.Timestamp(as_at)
    return nqsw_caseload(caseloads_on(data, [day], config), day)


def caseload_flags_on(data: Dataset, as_at: Any, config: Any) -> pd.DataFrame:
    """``caseload_flags`` as at any date or dates (the report takes the month end)."""
    return caseload_flags(caseloads_on(data, as_at, config), config)


def examples(n: int) -> int:
    """Hypothesis examples for a property test: ``n``, scaled by ``HYPOTHESIS_EXAMPLES_SCALE`` (at least 10).

    ``make mutation`` runs the tests once per mutant and sets the scale to 0.25: fewer random
    examples can only kill fewer mutants, so the score it prints is a floor, never inflated.
    """
    scale = float(os.environ.get("HYPOTHESIS_EXAMPLES_SCALE", "1"))
    return max(10, round(n * scale)) if scale != 1 else n


def with_tables(section: Any, inputs: Any, *rest: Any, **options: Any) -> Any:
    """Call a report section as a notebook cell does, its tables taken from ``inputs`` by parameter name.

    A notebook spells each table out (``supervision_headline(t.supervision_monthly, r)``); tests of
    many sections at once use this instead. A table ``inputs`` lacks has no rows (``ReportInputs.table``).
    """
    import inspect

    from analysis.tables import TABLES

    arguments = []
    for name in inspect.signature(section).parameters:
        if name in TABLES:
            arguments.append(inputs.table(name))
        elif name == "inputs":
            arguments.append(inputs)
        elif name == "month":
            arguments.append(inputs.month)
        else:
            break
    return section(*arguments, *rest, **options)
