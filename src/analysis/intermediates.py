"""The intermediates of a month's tables: what several tables are worked out from.

Each is a producer as ``analysis.tables`` registers it (``INTERMEDIATES``): it takes its inputs by
parameter name, and ``MonthTables`` works it out once a month, on first use.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.caseload import on_dates, snapshots
from analysis.config import Settings
from analysis.forecast import forecasts
from analysis.inputs.coverage import records_span
from analysis.inputs.dataset import Dataset
from analysis.supervision import eligibility
from analysis.trends import spc_tables


def window(month: pd.Period, window_start: pd.Period, config: Settings) -> list[pd.Period]:
    """The trend window's months, ``window_start`` to ``month``."""
    return list(pd.period_range(window_start, month, freq="M"))


def window_labels(window: list[pd.Period]) -> list[str]:
    return [str(m) for m in window]


def person_months(data: Dataset, month: pd.Period, window: list[pd.Period], config: Settings) -> pd.DataFrame:
    """Person-months of the window, the month after it (the watch list), the SPC history, the forecast's
    history and the two months before the window that the extract covers (regular supervision looks
    back three), computed once."""
    covered = records_span(data)
    before = [m for m in (window[0] - 2, window[0] - 1) if covered.state(m) in ("complete", "partial")]
    history = forecasts.history_months(data, month)
    span = sorted({*before, *window, month + 1, *spc_tables.spc_months(data, month, config), *history})
    return eligibility.person_months(data, span, config)


def _months(pm: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    rows = np.flatnonzero(pm["month"].isin(labels).to_numpy())
    # Person-months are in month order, so a run of months is a run of rows: a slice shares the
    # columns (pandas copies on write) where a selection would copy them.
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        out = pm.iloc[rows[0] : rows[-1] + 1].reset_index(drop=True)
    else:
        out = pm.iloc[rows].reset_index(drop=True)
    out.attrs = {"months": list(labels)}
    return out


def window_person_months(person_months: pd.DataFrame, window_labels: list[str]) -> pd.DataFrame:
    return _months(person_months, window_labels)


def month_person_months(person_months: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    return _months(person_months, [str(month)])


def exclusion_reasons(config: Settings) -> list[str]:
    return list(config.exclusion_reasons)


def autumn_dates(month: pd.Period, config: Settings) -> list[pd.Timestamp]:
    """The latest Autumn snapshot on or before the month's end, then the one a year earlier."""
    return list(snapshots.autumn_snapshots(month, config))


def latest(autumn_dates: list[pd.Timestamp]) -> pd.Timestamp:
    return autumn_dates[0]


def earlier(autumn_dates: list[pd.Timestamp]) -> pd.Timestamp:
    return autumn_dates[1]


def month_end(month: pd.Period) -> pd.Timestamp:
    return month.end_time.normalize()


def dates(autumn_dates: list[pd.Timestamp], month_end: pd.Timestamp) -> pd.DatetimeIndex:
    """Every date a caseload table reads: both snapshots and the month end."""
    return on_dates.as_dates([*autumn_dates, month_end])


def case_index(data: Dataset, config: Settings) -> Any:
    """Every allocation indexed once: the Autumn snapshots, the month end and the SPC caseload series all read it."""
    return on_dates.case_index(data, config)


def loads(data: Dataset, dates: pd.DatetimeIndex, config: Settings, case_index: Any) -> pd.DataFrame:
    """Caseloads (``caseloads_on``) on both snapshots and the month end, from one allocation index."""
    return on_dates.caseloads_from_index(data, dates, config, case_index)


def month_end_loads(loads: pd.DataFrame, month_end: pd.Timestamp) -> pd.DataFrame:
    return loads.loc[loads["date"] == month_end]
