"""Any tidy table as an accessible HTML table, each column formatted by its unit (``analysis.columns``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from analysis.columns import COLUMNS
from analysis.presentation.formats import (
    caseload,
    count,
    date_long,
    month_name,
    pct,
)
from analysis.presentation.html_kit import Column, html_table
from analysis.vocabulary.current import _
from analysis.vocabulary.labels import category_labels, employment_labels, reason_labels, role_labels


# --------------------------------------------------------------------------- generic tables
def rows_of_month(frame: pd.DataFrame, month: Any) -> pd.DataFrame:
    """The rows of ``frame`` for ``month`` (all of it when it has no ``month`` column)."""
    if "month" in frame.columns:
        return frame.loc[frame["month"].astype(str) == str(month)]
    return frame


def headings() -> dict[str, str]:
    """Column headings for the tables shown as they are (a column not here: ``humanise``)."""
    return {
        "staff_id": _("Staff ID"),
        "team": _("Team"),
        "role": _("Role"),
        "category": _("Category"),
        "caseload": _("Caseload"),
        "complex_cases": _("Complex cases"),
        "qualified_date": _("Qualified date"),
        "due": _("Due"),
        "supervised": _("Supervised"),
        "compliance": _("Compliance"),
        "month": _("Month"),
    }


def humanise(name: str) -> str:
    """``near_miss`` -> ``Near miss``; ``staff_id`` -> ``Staff ID``."""
    text = str(name).replace("_", " ").strip()
    text = text.replace("nqsw", "NQSW").replace("fte", "FTE").replace(" id", " ID")
    return text[:1].upper() + text[1:]


def _yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def _number(value: Any) -> str:
    return f"{float(value):,.2f}"


def _label(value: Any) -> str:
    labels = {**category_labels(), **role_labels(), **reason_labels(), **employment_labels()}
    return labels.get(str(value), str(value))


BY_UNIT = {
    "rate": pct,
    "count": count,
    "cases": caseload,
    "number": _number,
    "month": month_name,
    "date": date_long,
    "flag": _yes_no,
    "code": _label,
}


def column_format(name: str, values: pd.Series) -> Callable[[Any], str]:
    """A column's display format: by its unit in ``analysis.columns``; a column not described there
    (one a section adds) by its type alone."""
    described = COLUMNS.get(str(name))
    if described is not None:
        return BY_UNIT.get(described.unit, str)
    if isinstance(values.dtype, pd.PeriodDtype):
        return month_name
    if pd.api.types.is_datetime64_any_dtype(values):
        return date_long
    if pd.api.types.is_bool_dtype(values):
        return _yes_no
    if pd.api.types.is_integer_dtype(values):
        return count
    if pd.api.types.is_numeric_dtype(values):
        return _number
    return _label


def generic_table(
    frame: pd.DataFrame,
    caption: str,
    columns: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    row_header: str | None = None,
    empty: str | None = None,
) -> str:
    """Any tidy table as an accessible HTML table, each column formatted by its unit."""
    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    labels = {**headings(), **(labels or {})}
    empty = empty if empty is not None else _("None.")
    spec = []
    for c in columns:
        fmt = column_format(c, frame[c])
        spec.append(Column(c, labels.get(c, humanise(c)), fmt, fmt in (pct, count, caseload)))
    return html_table(
        frame,
        spec,
        caption,
        row_header=row_header if row_header in columns else (columns[0] if columns else None),
        empty=empty,
    )
