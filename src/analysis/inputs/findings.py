"""Validation findings: errors stop a run, queries are reported and the run goes on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import pandas as pd

from analysis.table_spec import N_, table

Severity = Literal["error", "query"]


@dataclass(frozen=True)
class Finding:
    """One problem in one place of one input file.

    ``row`` is the spreadsheet row (the header is row 1); ``None`` for a whole-file problem.
    """

    code: str
    severity: Severity
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.severity.upper()} {self.code} {where}{shown}: {self.message}"


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """The findings as a tidy table, errors first, in file and row order."""
    columns = ["code", "severity", "file", "row", "column", "value", "message"]
    if not findings:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame([asdict(f) for f in findings], columns=columns)
    frame["row"] = frame["row"].astype("Int64")
    order = frame["severity"].map({"error": 0, "query": 1})
    return (
        frame.assign(_order=order)
        .sort_values(["_order", "file", "row", "code"], kind="stable", na_position="first")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


class InputError(Exception):
    """The inputs have at least one error: nothing may be computed or written from them."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the input data")


@table(
    N_("Data quality findings"),
    N_("One row per finding about the data folder."),
    ("code", "severity", "file", "row", "column", "value", "message"),
    meanings={"value": "The value found."},
)
def data_quality(data: Any) -> pd.DataFrame:
    """The data folder's findings (``Dataset.findings``) as a table: the report's data-quality section."""
    return findings_frame(data.findings)
