"""The four input tables as typed pandas frames: the contract between loading and the figures.

Canonical columns (after the config's column and value maps):

- ``staff``: staff_id (str), team (str), role (str), employment (str), start_date,
  end_date (NaT = open), qualified_date (NaT = none), fte (float, default 1), row (int).
- ``absences``: staff_id, absence_type, start_date, end_date, row.
- ``supervisions``: staff_id, supervision_date, supervision_type, row.
- ``allocations``: case_id (str), staff_id, start_date, end_date (NaT = open), case_type
  (str, may be missing), row.

Loaded from files, ``staff_id`` and ``case_id`` are integer codes (``int64``), the same person
the same code in every table, numbered in the ids' text order; ``Dataset.labels`` holds the id
of each code and ``Dataset.text(name)`` gives a table with its ids as text. Tables are written
with the ids as text (``Dataset.decode``). Every definition also takes frames built by hand with
text ids. Dates are ``datetime64[ns]`` at midnight; end dates are inclusive. ``row`` is the spreadsheet
row the record came from (the header is row 1), so a figure can be traced back to its record.
Exact duplicate records have already been dropped (and reported as a query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.inputs.findings import Finding

TABLES = ("staff", "absences", "supervisions", "allocations")

COLUMNS = {
    "staff": ["staff_id", "team", "role", "employment", "start_date", "end_date", "qualified_date", "fte"],
    "absences": ["staff_id", "absence_type", "start_date", "end_date"],
    "supervisions": ["staff_id", "supervision_date", "supervision_type"],
    "allocations": ["case_id", "staff_id", "start_date", "end_date", "case_type"],
}
REQUIRED = {
    "staff": ["staff_id", "team", "role", "employment", "start_date"],
    "absences": ["staff_id", "absence_type", "start_date", "end_date"],
    "supervisions": ["staff_id", "supervision_date", "supervision_type"],
    "allocations": ["case_id", "staff_id", "start_date"],
}
DATE_COLUMNS = {
    "staff": ["start_date", "end_date", "qualified_date"],
    "absences": ["start_date", "end_date"],
    "supervisions": ["supervision_date"],
    "allocations": ["start_date", "end_date"],
}
ROLES = ("social_worker", "senior_social_worker", "principal_social_worker", "team_manager")
EMPLOYMENT = ("permanent", "agency")
ABSENCE_TYPES = ("annual_leave", "sickness", "maternity", "other")
SUPERVISION_TYPES = ("formal", "group", "peer", "informal")
ALLOWED_VALUES = {
    ("staff", "role"): ROLES,
    ("staff", "employment"): EMPLOYMENT,
    ("absences", "absence_type"): ABSENCE_TYPES,
    ("supervisions", "supervision_type"): SUPERVISION_TYPES,
}


@dataclass
class Dataset:
    """The four tables of one data folder, typed, with what loading found wrong with them."""

    staff: pd.DataFrame
    absences: pd.DataFrame
    supervisions: pd.DataFrame
    allocations: pd.DataFrame
    files: dict[str, Path] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # id column -> the id (text) of each integer code; empty when the frames hold text ids.
    labels: dict[str, pd.Index] = field(default_factory=dict)
    # What was read as something other than it was written (a team's spelling, records merged).
    notes: list[str] = field(default_factory=list)
    # file name -> the sheet read from it (workbooks only).
    sheets: dict[str, str] = field(default_factory=dict)

    def decode(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with its ``staff_id`` and ``case_id`` codes as the ids' text (a copy where any changed).

        Code -1 (a blank id, in a data folder with errors) becomes missing.

        Raises
        ------
        ValueError
            If a code has no id (a frame from another data folder).
        """
        coded = [c for c in self.labels if c in frame and pd.api.types.is_integer_dtype(frame[c].dtype)]
        if not coded:
            return frame
        out = frame.copy(deep=False)
        for column in coded:
            codes = out[column].to_numpy()
            labels = self.labels[column]
            if len(codes) and (codes.min() < -1 or codes.max() >= len(labels)):
                raise ValueError(f"{column} codes outside this data folder's ids")
            text = np.append(np.asarray(labels, dtype=object), np.array([None], dtype=object))  # code -1: None
            out[column] = pd.array(text[codes], dtype="str")
        return out

    def text(self, name: str) -> pd.DataFrame:
        """Table ``name`` with its ids as text, as an analyst would look at it."""
        return self.decode(getattr(self, name))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def queries(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "query"]

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLES}


def empty_table(name: str) -> pd.DataFrame:
    """An empty frame with the canonical columns and dtypes of table ``name``."""
    frame = pd.DataFrame({col: pd.Series(dtype="object") for col in COLUMNS[name]})
    for col in ("staff_id", "case_id"):
        if col in frame:
            frame[col] = pd.Series(dtype="int64")  # integer codes (``Dataset.labels``)
    for col in DATE_COLUMNS[name]:
        frame[col] = pd.Series(dtype="datetime64[ns]")
    if name == "staff":
        frame["fte"] = pd.Series(dtype="float64")
    frame["row"] = pd.Series(dtype="int64")
    return frame
