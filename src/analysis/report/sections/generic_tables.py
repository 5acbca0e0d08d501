"""Any tidy table as an accessible HTML table, each column formatted by its name and type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.report.formats import (
    CATEGORY_LABELS,
    EMPLOYMENT_LABELS,
    REASON_LABELS,
    ROLE_LABELS,
    caseload,
    count,
    date_long,
    month_name,
    pct,
)
from analysis.report.html_kit import Column, html_table

# --------------------------------------------------------------------------- generic tables
RATE_WORDS = ("compliance", "rate", "share", "lower", "upper", "proportion", "percent", "bound")
COUNT_WORDS = (
    "staff",
    "due",
    "supervised",
    "in_scope",
    "near_miss",
    "count",
    "cases",
    "holders",
    "people",
    "missed",
    "months",
    "caseload",
    "gap",
    "number",
    "excluded",
    "not_",
)


def rows_of_month(frame: pd.DataFrame, month: Any) -> pd.DataFrame:
    """The rows of ``frame`` for ``month`` (all of it when it has no ``month`` column)."""
    if "month" in frame.columns:
        return frame.loc[frame["month"].astype(str) == str(month)]
    return frame


def humanise(name: str) -> str:
    """``near_miss`` -> ``Near miss``; ``staff_id`` -> ``Staff ID``."""
    text = str(name).replace("_", " ").strip()
    text = text.replace("nqsw", "NQSW").replace("fte", "FTE").replace(" id", " ID")
    return text[:1].upper() + text[1:]


def guess_format(name: str, values: pd.Series):
    """A display format for a column from its name and dtype."""
    lowered = str(name).lower()
    if isinstance(values.dtype, pd.PeriodDtype) or lowered == "month":
        return month_name
    if (
        pd.api.types.is_datetime64_any_dtype(values)
        or lowered.endswith(("date", "_at", "ends"))
        or lowered in ("snapshot", "as_at")
    ):
        return date_long
    if pd.api.types.is_bool_dtype(values):
        return lambda v: "Yes" if v else "No"
    if pd.api.types.is_numeric_dtype(values):
        if any(w in lowered for w in RATE_WORDS):
            return pct
        if "mean" in lowered or "per_fte" in lowered or "median" in lowered:
            return caseload
        if pd.api.types.is_integer_dtype(values) or any(w in lowered for w in COUNT_WORDS):
            return count
        return lambda v: f"{float(v):,.2f}"
    return lambda v: LABELS.get(str(v), str(v))


def generic_table(
    frame: pd.DataFrame,
    caption: str,
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    row_header: str | None = None,
    empty: str = "None.",
) -> str:
    """Any tidy table as an accessible HTML table, each column formatted by its name and type."""
    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    labels = labels or {}
    spec = []
    for c in columns:
        fmt = guess_format(c, frame[c])
        spec.append(Column(c, labels.get(c, humanise(c)), fmt, fmt in (pct, count, caseload)))
    return html_table(
        frame,
        spec,
        caption,
        row_header=row_header if row_header in columns else (columns[0] if columns else None),
        empty=empty,
    )


LABELS = {**CATEGORY_LABELS, **ROLE_LABELS, **REASON_LABELS, **EMPLOYMENT_LABELS}


def has(frame: pd.DataFrame | None, *columns: str) -> bool:
    return frame is not None and len(frame.columns) > 0 and all(c in frame.columns for c in columns)
