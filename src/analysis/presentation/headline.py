"""The month's headline figures, chosen once: the reports, the manifest and the email all quote these.

From ``supervision_monthly`` (the month's "all" row, and the month before for the direction),
``regular_supervision`` (the month's "all" row, where the tables have it) and ``caseload_snapshots``
(the headline rows: the latest snapshot, and the one a year before it when the table has it).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd


class HeadlineMissing(Exception):
    """The tables hold no headline for the month (no "all" row in supervision_monthly)."""


@dataclass(frozen=True)
class Headline:
    """The figures a leadership reader quotes for a month."""

    month: pd.Period
    compliance: float | None  # blank where nobody was due
    due: int
    supervised: int
    target: float
    previous_compliance: float | None  # the month before, where the window has it
    mean_caseload: float | None
    snapshot: pd.Timestamp | None
    mean_caseload_last_year: float | None
    snapshot_last_year: pd.Timestamp | None
    regular: float | None = None  # supervised in each of three months; blank where nobody was due in all three
    due_three: int | None = None  # None: the tables hold no regular_supervision row for the month
    supervised_three: int | None = None
    forecast: float | None = None  # next month's forecast median (forecast_next_month); None where none
    forecast_low_80: float | None = None
    forecast_high_80: float | None = None
    forecast_p_target: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """For manifest.json: numbers as numbers (compliance to 4 places, caseloads to 2), dates as text."""
        out = asdict(self)
        out["month"] = str(self.month)
        for key in ("compliance", "previous_compliance", "regular", *FORECAST_KEYS):
            out[key] = None if out[key] is None else round(out[key], 4)
        for key in ("mean_caseload", "mean_caseload_last_year"):
            out[key] = None if out[key] is None else round(out[key], 2)
        for key in ("snapshot", "snapshot_last_year"):
            out[key] = None if out[key] is None else out[key].strftime("%Y-%m-%d")
        return out


FORECAST_KEYS = ("forecast", "forecast_low_80", "forecast_high_80", "forecast_p_target")


def _number(value: Any) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) or math.isinf(number) else float(number)


def select_headline(tables: dict[str, pd.DataFrame], month: pd.Period, target: float) -> Headline:
    """The month's headline figures from its tables (as computed, or as read back from the CSVs).

    Raises
    ------
    HeadlineMissing
        If ``supervision_monthly`` has no "all" row for ``month``.
    KeyError
        If a table lacks one of its fixed columns.
    """
    month = pd.Period(month, "M")
    monthly = tables.get("supervision_monthly", pd.DataFrame(columns=["month", "category"]))
    months = monthly["month"].astype(str)
    every = monthly[monthly["category"].astype(str).str.lower() == "all"]
    row = every[months[every.index] == str(month)]
    if row.empty:
        raise HeadlineMissing(f"supervision_monthly has no 'all' row for {month}")
    row = row.iloc[0]
    before = every[months[every.index] == str(month - 1)]
    snaps = tables.get("caseload_snapshots", pd.DataFrame(columns=["snapshot", "group", "mean_caseload"]))
    head = (
        snaps[snaps["group"].astype(str).str.lower() == "headline"]
        .assign(snapshot=lambda f: pd.to_datetime(f["snapshot"], errors="coerce"))
        .dropna(subset=["snapshot"])
    )
    head = head.sort_values("snapshot", ascending=False)
    latest = head.iloc[0] if len(head) else None
    earlier = head[head["snapshot"] == latest["snapshot"] - pd.DateOffset(years=1)] if latest is not None else head
    last_year = earlier.iloc[0] if len(earlier) else None
    regular = tables.get("regular_supervision")
    three = (
        regular[
            (regular["month"].astype(str) == str(month))
            & (regular["scope"].astype(str) == "category")
            & (regular["group"].astype(str).str.lower() == "all")
        ]
        if regular is not None
        else pd.DataFrame()
    )
    forecast = tables.get("forecast_next_month")
    service = forecast[(forecast["scope"].astype(str) == "all")] if forecast is not None else pd.DataFrame()
    ahead = service.iloc[0] if len(service) else {}
    return Headline(
        month=month,
        compliance=_number(row["compliance"]),
        due=int(row["due"]),
        supervised=int(row["supervised"]),
        target=float(target),
        previous_compliance=_number(before.iloc[0]["compliance"]) if len(before) else None,
        mean_caseload=None if latest is None else _number(latest["mean_caseload"]),
        snapshot=None if latest is None else latest["snapshot"],
        mean_caseload_last_year=None if last_year is None else _number(last_year["mean_caseload"]),
        snapshot_last_year=None if last_year is None else last_year["snapshot"],
        regular=_number(three.iloc[0]["regular"]) if len(three) else None,
        due_three=int(three.iloc[0]["due_three"]) if len(three) else None,
        supervised_three=int(three.iloc[0]["supervised_three"]) if len(three) else None,
        forecast=_number(ahead.get("compliance_median")),
        forecast_low_80=_number(ahead.get("low_80")),
        forecast_high_80=_number(ahead.get("high_80")),
        forecast_p_target=_number(ahead.get("p_target")),
    )
