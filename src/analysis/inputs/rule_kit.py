"""What a validation rule is made of: the table a rule reads, ``@rule`` and its registry, and the
helpers the rules share. The rules themselves are in ``rules_files``, ``rules_records`` and
``rules_tables``; ``analysis.inputs.rules`` runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

import numpy as np
import pandas as pd

from analysis.inputs.findings import Finding, Severity
from analysis.inputs.reading import Column, texts_at

ID_COLUMNS = ("staff_id", "case_id")
# Dates are parsed into this range; anything outside it is taken for a typing slip.
EARLIEST, LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2100-12-31")


@dataclass
class Table:
    """One loaded table as the record rules see it.

    ``raw`` holds each canonical column's cells exactly as read (each row's code, -1 for no
    cell, and the distinct texts; ``raw_text`` reads them) and ``data`` the typed records; both
    have the same length and order, so a position in one is a position in the other.
    ``staff_id`` and ``case_id`` in ``data`` are integer codes into ``distinct[column][1]``
    (-1: blank). ``blank[column]`` is True where the text is empty or only spaces. ``missing``
    names optional columns the file lacks (filled with blanks, and left alone by the rules); a
    file lacking a required column never becomes a Table.
    """

    name: str
    file: str
    raw: dict[str, Column]
    data: pd.DataFrame
    blank: dict[str, np.ndarray]
    missing: set[str] = field(default_factory=set)
    record_key: np.ndarray | None = None  # equal where two records' trimmed text is equal
    # column -> (code of each row, trimmed distinct values): lets a rule look a value up once.
    # For ids the codes are ``data``'s and the values unique.
    distinct: dict[str, tuple[np.ndarray, pd.Index]] = field(default_factory=dict)
    sheet: str | None = None  # the workbook sheet the table was read from
    notes: list[str] = field(default_factory=list)  # what was read other than as written

    def __len__(self) -> int:
        return len(self.data)

    def has(self, column: str) -> bool:
        return column in self.data and column not in self.missing


# A rule's hits: a boolean mask over the table's positions (the rule's own message), or a
# Series of messages indexed by position; keyed by column when a rule checks several.
Hits: TypeAlias = np.ndarray | pd.Series
Check = Callable[[Table, dict[str, Table]], "Hits | dict[str, Hits]"]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    message: str
    kind: str
    tables: tuple[str, ...] = ()
    column: str | None = None
    needs: tuple[str, ...] = ()
    check: Callable[..., Any] | None = None


RULES: dict[str, Rule] = {}
RuleCheck = TypeVar("RuleCheck", bound=Callable[..., Any])


def rule(
    code: str,
    severity: Severity,
    message: str,
    kind: str = "record",
    tables: tuple[str, ...] = (),
    column: str | None = None,
    needs: tuple[str, ...] = (),
) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated function as rule ``code``.

    ``tables`` are the tables a record rule checks; ``needs`` the other tables it reads, which
    must be loaded for the rule to run; ``message`` may use
    ``{column}``, ``{file}`` and the keywords its finding is made with. Every message says what
    was expected.
    """

    def register(check: RuleCheck) -> RuleCheck:
        if code in RULES:
            raise ValueError(f"rule {code} is registered twice")
        RULES[code] = Rule(code, severity, message, kind, tables, column, needs, check)
        return check

    return register


def file_finding(code: str, file: str, column: str | None = None, **details: Any) -> Finding:
    """The finding of folder or file rule ``code`` about ``file``."""
    r = RULES[code]
    return Finding(code, r.severity, file, None, column, None, r.message.format(file=file, column=column, **details))


# --- helpers -------------------------------------------------------------------------------------


_OPEN = 10**6  # an open end, in days since 1970: later than any date


def _day(values: np.ndarray, open_end: bool = False) -> np.ndarray:
    """Dates as whole days since 1970 (int64); NaT becomes ``_OPEN`` for an open end, else -_OPEN."""
    days = np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]")
    out = days.astype(np.int64)
    out[np.isnat(days)] = _OPEN if open_end else -_OPEN
    return out


def spread(codes: np.ndarray, per_distinct: Any, missing: Any) -> np.ndarray:
    """Values computed once per distinct cell, spread back to every row; code -1 gets ``missing``."""
    per_distinct = np.asarray(per_distinct)
    with_missing = np.concatenate([per_distinct, np.asarray([missing], dtype=per_distinct.dtype)])
    return with_missing[codes]


def raw_text(t: Table, column: str | None, positions: np.ndarray) -> np.ndarray:
    """The cells of ``column`` at ``positions`` exactly as read (None where a short row has none)."""
    if column not in t.raw:
        return np.full(len(positions), None, dtype=object)
    codes, texts = t.raw[column]
    return texts_at(texts, codes[positions])


def staff_ids(staff: Table) -> pd.Index:
    """The distinct staff_id codes of the staff table (blanks left out)."""
    codes = staff.data["staff_id"].to_numpy()
    return pd.Index(np.unique(codes[~staff.blank["staff_id"]]))


def id_text(t: Table, codes: np.ndarray, column: str = "staff_id") -> np.ndarray:
    """The trimmed ids of integer ``codes`` of ``column``."""
    return np.asarray(t.distinct[column][1], dtype=object)[codes]


def person_index(t: Table, ids: pd.Index) -> np.ndarray:
    """Each record's position in ``ids`` by staff_id, -1 where it is not there (or blank)."""
    return ids.get_indexer(t.data["staff_id"].to_numpy())


def latest_assignment_end(staff: Table, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    """For each (person, day), the end day of that person's last assignment starting on or before it.

    ``person`` indexes ``staff_ids(staff)``. The result is -_OPEN where there is no such
    assignment and ``_OPEN`` where it is open.
    """
    ids = staff_ids(staff)
    posts = staff.data
    who = ids.get_indexer(posts["staff_id"])
    start = _day(posts["start_date"].to_numpy())
    usable = (who >= 0) & (start > -_OPEN)
    span = 1 << 22  # days, comfortably more than 1900..2100 shifted to be positive
    keys = who[usable].astype(np.int64) * span + (start[usable] + span // 2)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    ends = _day(posts["end_date"].to_numpy(), open_end=True)[usable][order]
    query = person.astype(np.int64) * span + (np.clip(day, -span // 2, span // 2 - 1) + span // 2)
    at = np.searchsorted(keys, query, side="right") - 1
    out = np.full(len(query), -_OPEN, dtype=np.int64)
    if len(keys) == 0:
        return out
    hit = (person >= 0) & (at >= 0) & (day > -_OPEN)
    hit &= keys[np.clip(at, 0, None)] // span == person
    out[hit] = ends[at[hit]]
    return out
