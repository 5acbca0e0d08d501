"""Every validation rule, one small function each, registered with its code, severity and message.

In the style of the national children's-data validators: a rule is a function decorated with
``@rule(code, severity, message, ...)``. Three kinds:

- *folder* rules look at which files a data folder holds (missing file, two sources);
- *file* rules turn a file that cannot be read into one clear sentence (empty, not UTF-8,
  malformed CSV, not a workbook, no such sheet, missing or repeated column);
- *record* rules look at the loaded records of one table, and the other tables where they need
  them, and return the positions at fault, all at once (vectorised: no loop over rows).

Errors stop a run (exit status 2); queries are reported and the run goes on with the records
as they stand. *table* rules look at a whole table at once (too many records matching no one).
``run_rules(tables)`` applies every record and table rule and returns the findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.dataset import ALLOWED_VALUES, DATE_COLUMNS, REQUIRED
from analysis.findings import Finding, Severity

ID_COLUMNS = ("staff_id", "case_id")
# Dates are parsed into this range; anything outside it is taken for a typing slip.
EARLIEST, LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2100-12-31")


@dataclass
class Table:
    """One loaded table as the record rules see it.

    ``raw`` holds the canonical columns as text exactly as read and ``data`` the typed
    records; both have the same length and order, so a position in one is a position in the
    other. ``blank[column]`` is True where the text is empty or only spaces. ``missing`` names
    optional columns the file lacks (filled with blanks, and left alone by the rules); a file
    lacking a required column never becomes a Table.
    """

    name: str
    file: str
    raw: pd.DataFrame
    data: pd.DataFrame
    blank: dict[str, np.ndarray]
    missing: set[str] = field(default_factory=set)
    record_key: np.ndarray | None = None  # equal where two records' trimmed text is equal
    # column -> (code of each row, trimmed distinct values): lets a rule look a value up once.
    distinct: dict[str, tuple[np.ndarray, pd.Index]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.data)

    def has(self, column: str) -> bool:
        return column in self.data and column not in self.missing


# A rule's hits: a boolean mask over the table's positions (the rule's own message), or a
# Series of messages indexed by position; keyed by column when a rule checks several.
Hits = np.ndarray | pd.Series
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


def rule(
    code: str,
    severity: Severity,
    message: str,
    kind: str = "record",
    tables: tuple[str, ...] = (),
    column: str | None = None,
    needs: tuple[str, ...] = (),
) -> Callable:
    """Register the decorated function as rule ``code``.

    ``tables`` are the tables a record rule checks; ``needs`` the other tables it reads, which
    must be loaded for the rule to run; ``message`` may use
    ``{column}``, ``{file}`` and the keywords its finding is made with. Every message says what
    was expected.
    """

    def register(check: Callable) -> Callable:
        if code in RULES:
            raise ValueError(f"rule {code} is registered twice")
        RULES[code] = Rule(code, severity, message, kind, tables, column, needs, check)
        return check

    return register


def file_finding(code: str, file: str, column: str | None = None, **details: Any) -> Finding:
    """The finding of folder or file rule ``code`` about ``file``."""
    r = RULES[code]
    return Finding(code, r.severity, file, None, column, None, r.message.format(file=file, column=column, **details))


# --- folder rules --------------------------------------------------------------------------------


@rule("missing_file", "error", "there is no {file}: expected {expected} in the data folder", kind="folder")
def missing_file(found: list[Path], name: str) -> Finding | None:
    """No file holds table ``name``."""
    if found:
        return None
    expected = " or ".join(f"{stem}.csv or {stem}.xlsx" for stem in _stems(name))
    return file_finding("missing_file", f"{name}.csv", expected=expected)


@rule(
    "two_sources",
    "error",
    "{file} and {other} both hold the {table} table: expected one of them only in the data folder",
    kind="folder",
)
def two_sources(found: list[Path], name: str) -> Finding | None:
    """More than one file could hold table ``name`` (CSV and XLSX, or allocations and ssd_involvements)."""
    if len(found) < 2:
        return None
    return file_finding("two_sources", found[0].name, other=found[1].name, table=name)


def _stems(name: str) -> tuple[str, ...]:
    return ("allocations", "ssd_involvements") if name == "allocations" else (name,)


# --- file rules ----------------------------------------------------------------------------------


class SheetNotFound(Exception):
    """A workbook has several sheets and none is named like the table."""

    def __init__(self, sheets: list[str]):
        self.sheets = sheets
        super().__init__(", ".join(sheets))


@rule("empty_file", "error", "{file} is empty: expected a header row naming the columns", kind="file")
def empty_file(exc: Exception) -> bool:
    return isinstance(exc, pd.errors.EmptyDataError)


@rule(
    "not_utf8",
    "error",
    "{file} is not UTF-8 text (byte {position} cannot be read): expected UTF-8; in Excel use "
    "Save As, 'CSV UTF-8 (Comma delimited)'",
    kind="file",
)
def not_utf8(exc: Exception) -> bool:
    return isinstance(exc, UnicodeDecodeError)


@rule(
    "malformed_csv",
    "error",
    "{file} is not a well-formed CSV file ({detail}): expected the same number of comma-separated "
    "fields on every line and every quote closed",
    kind="file",
)
def malformed_csv(exc: Exception) -> bool:
    return isinstance(exc, pd.errors.ParserError)


@rule(
    "wrong_sheet",
    "error",
    "{file} has sheets {sheets} and none is named {table}: expected a sheet named {table}, or a "
    "workbook with only one sheet",
    kind="file",
)
def wrong_sheet(exc: Exception) -> bool:
    return isinstance(exc, SheetNotFound)


@rule(
    "not_xlsx",
    "error",
    "{file} is not an Excel workbook that can be read: expected an .xlsx file saved from Excel "
    "(or save it as CSV UTF-8)",
    kind="file",
)
def not_xlsx(exc: Exception) -> bool:
    return True


@rule("unreadable_file", "error", "{file} cannot be read ({detail}): expected a CSV UTF-8 or .xlsx file", kind="file")
def unreadable_file(exc: Exception) -> bool:
    return True


def read_failure(path: Path, table: str, exc: Exception) -> Finding:
    """One clear sentence for a file that could not be read, whatever went wrong."""
    file = path.name
    if empty_file(exc):
        return file_finding("empty_file", file)
    if not_utf8(exc):
        return file_finding("not_utf8", file, position=getattr(exc, "start", 0) + 1)
    if wrong_sheet(exc):
        return file_finding("wrong_sheet", file, sheets=", ".join(exc.sheets), table=table)
    if path.suffix.lower() == ".xlsx":
        return file_finding("not_xlsx", file)
    if malformed_csv(exc):
        return file_finding("malformed_csv", file, detail=_one_line(exc))
    return file_finding("unreadable_file", file, detail=_one_line(exc))


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()).rstrip(".")
    return text[:200] or type(exc).__name__


@rule("missing_column", "error", "{file} has no {column} column: expected it in the header row{hint}", kind="file")
def missing_columns(
    file: str, table: str, present: list[str], required: list[str], headers: list[str]
) -> list[Finding]:
    """One error for each required column the file lacks, after the column map."""
    shown = ", ".join(headers[:12]) + (", ..." if len(headers) > 12 else "")
    hint = f" (its header is {shown}; map an extract's own header in [columns.{table}] of the config)"
    if len(headers) == 1 and any(sep in headers[0] for sep in ";\t|"):
        hint = " (its header looks separated by something other than commas: save it as CSV UTF-8)"
    return [file_finding("missing_column", file, column=c, hint=hint) for c in required if c not in present]


@rule(
    "repeated_column",
    "error",
    "{file} has more than one column that means {column} ({headers}): expected one",
    kind="file",
)
def repeated_columns(file: str, mapped: dict[str, list[str]]) -> list[Finding]:
    """One error for each canonical column that several headers map onto."""
    return [
        file_finding("repeated_column", file, column=c, headers=", ".join(h)) for c, h in mapped.items() if len(h) > 1
    ]


# --- record rules: one table ------------------------------------------------------------------


@rule(
    "blank_id",
    "error",
    "{column} is blank: expected an id, every record needs one",
    tables=("staff", "absences", "supervisions", "allocations"),
)
def blank_id(t: Table, _: dict[str, Table]) -> dict[str, Hits]:
    return {c: t.blank[c] for c in ID_COLUMNS if t.has(c)}


@rule(
    "blank_value",
    "error",
    "{column} is blank: expected a value, it is required",
    tables=("staff", "absences", "supervisions", "allocations"),
)
def blank_value(t: Table, _: dict[str, Table]) -> dict[str, Hits]:
    return {c: t.blank[c] for c in REQUIRED[t.name] if c not in ID_COLUMNS and t.has(c)}


@rule(
    "bad_date",
    "error",
    "{column} is not a date: expected YYYY-MM-DD or DD/MM/YYYY (a time of day "
    "after it is ignored), between 1900 and 2100",
    tables=("staff", "absences", "supervisions", "allocations"),
)
def bad_date(t: Table, _: dict[str, Table]) -> dict[str, Hits]:
    """Cells that are not dates, each told what form was found and how to fix it."""
    hits = {}
    for c in DATE_COLUMNS[t.name]:
        if not t.has(c):
            continue
        positions = np.flatnonzero(~t.blank[c] & t.data[c].isna().to_numpy())
        text = t.raw[c].to_numpy(dtype=object)[positions].astype(str)
        said = {value: date_problem(c, value) for value in set(text.tolist())}  # once per distinct text
        hits[c] = pd.Series([said[value] for value in text.tolist()], index=positions, dtype=object)
    return hits


_DATE_HINTS = (
    (
        r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?:\D.*)?$|^\d{1,2}[ -][A-Za-z]+[ -]\d{2}(?:\D.*)?$",
        "it has a two-digit year: expected a four-digit year (in Excel, format the column as dd/mm/yyyy "
        "before saving as CSV)",
    ),
    (
        r"^\d+(?:\.\d+)?$",
        "it is a bare number, perhaps an Excel date serial: expected a date (in Excel, format the column "
        "as dd/mm/yyyy before saving as CSV)",
    ),
    (r"^\d{1,2}/(?:1[3-9]|2\d|3[01])/\d{4}", "it looks like a US date, month first: expected DD/MM/YYYY or YYYY-MM-DD"),
    (
        r"^(?:1[0-8]\d\d|2[1-9]\d\d)-\d|/(?:1[0-8]\d\d|2[1-9]\d\d)$",
        "its year is outside 1900-2100: expected a real date",
    ),
)


def date_problem(column: str, text: str) -> str:
    """Why ``text`` is not a date, in one sentence that names the form found and the fix."""
    for pattern, hint in _DATE_HINTS:
        if re.search(pattern, text.strip()):
            return f"{column} is not a date: {hint}"
    return RULES["bad_date"].message.format(column=column)


@rule(
    "end_before_start",
    "error",
    "end_date is before start_date: expected an end on or after the start (end dates are inclusive)",
    tables=("staff", "absences", "allocations"),
    column="end_date",
)
def end_before_start(t: Table, _: dict[str, Table]) -> Hits:
    return (t.data["end_date"] < t.data["start_date"]).to_numpy()


@rule(
    "unknown_code",
    "error",
    "{column} is not a known code: expected one of {allowed}, or a code mapped in [values.{column}] of the config",
    tables=("staff", "absences", "supervisions"),
)
def unknown_code(t: Table, _: dict[str, Table]) -> dict[str, Hits]:
    hits = {}
    for (table, column), allowed in ALLOWED_VALUES.items():
        if table == t.name and t.has(column):
            mask = ~t.blank[column] & t.data[column].isna().to_numpy()
            message = RULES["unknown_code"].message.format(column=column, allowed=", ".join(allowed))
            hits[column] = pd.Series(message, index=np.flatnonzero(mask), dtype=object)
    return hits


@rule(
    "bad_fte",
    "error",
    "fte is not a number greater than 0 and at most 1: expected e.g. 0.5 for half time, or blank for full time",
    tables=("staff",),
    column="fte",
)
def bad_fte(t: Table, _: dict[str, Table]) -> Hits:
    if not t.has("fte"):
        return np.zeros(len(t), dtype=bool)
    fte = t.data["fte"].to_numpy(dtype=float)
    return ~((fte > 0) & (fte <= 1))


@rule(
    "overlapping_assignments",
    "error",
    "this assignment overlaps another of the same staff_id: "
    "expected one post at a time, each ending before the next starts",
    tables=("staff",),
    column="start_date",
)
def overlapping_assignments(t: Table, _: dict[str, Table]) -> Hits:
    """Both rows of every pair of overlapping assignments of one person, each naming the other."""
    staff = t.data
    order = np.flatnonzero(~t.blank["staff_id"] & staff["start_date"].notna().to_numpy())
    frame = pd.DataFrame(
        {
            "pos": order,
            "person": person_index(t, staff_ids(t))[order],
            "start": _day(staff["start_date"].to_numpy()[order]),
            "end": _day(staff["end_date"].to_numpy()[order], open_end=True),
        }
    ).sort_values(["person", "start", "end"], kind="stable")
    # The latest-ending earlier assignment of the same person: pack (end, position) into one
    # integer, so that a running maximum carries the position of the maximum along with it.
    shift = np.int64(1 << 32)
    packed = pd.Series(frame["end"].to_numpy() * shift + frame["pos"].to_numpy(), index=frame.index)
    person = frame["person"].to_numpy()
    none = np.iinfo(np.int64).min
    before = packed.groupby(person).cummax().groupby(person).shift(1, fill_value=none).to_numpy()
    clash = (before != none) & (frame["start"].to_numpy() <= before // shift)
    later, earlier = frame["pos"].to_numpy()[clash], before[clash] % shift
    rows = staff["row"].to_numpy()
    message = RULES["overlapping_assignments"].message
    pairs = pd.DataFrame(
        {
            "pos": np.concatenate([later, earlier]),
            "text": [
                message.replace("another", f"the one in row {r}")
                for r in np.concatenate([rows[earlier], rows[later]]).tolist()
            ],
        }
    ).drop_duplicates()
    return pd.Series(pairs["text"].to_numpy(), index=pairs["pos"].to_numpy(), dtype=object)


@rule(
    "duplicate_row",
    "query",
    "this record repeats row {first} exactly: expected each record once; it is counted once",
    tables=("staff", "absences", "supervisions", "allocations"),
)
def duplicate_row(t: Table, _: dict[str, Table]) -> Hits:
    """Every repeat of an earlier record (the same trimmed text in every column); the first is kept."""
    key = t.record_key
    if key is None:
        columns = [c for c in t.data.columns if c != "row"]
        key = pd.factorize(pd.MultiIndex.from_frame(t.data[columns].astype(object)))[0]
    repeat = repeats_of_earlier(key)
    if not repeat.any():
        return pd.Series(dtype=object)
    key = pd.factorize(key)[0]  # numbered in order of first appearance
    _, first = np.unique(key, return_index=True)
    positions = np.flatnonzero(repeat)
    first_rows = t.data["row"].to_numpy()[first[key[positions]]]
    message = RULES["duplicate_row"].message
    return pd.Series([message.format(first=r) for r in first_rows], index=positions, dtype=object)


@rule(
    "qualified_date_differs",
    "query",
    "qualified_date differs from the one in row {other} for the "
    "same staff_id: expected one date a person; the earliest, {earliest}, is used",
    tables=("staff",),
    column="qualified_date",
)
def qualified_date_differs(t: Table, _: dict[str, Table]) -> Hits:
    staff = t.data
    dated = staff.dropna(subset=["staff_id", "qualified_date"])
    earliest = dated.groupby("staff_id")["qualified_date"].transform("min")
    later = dated[dated["qualified_date"] > earliest]
    if later.empty:
        return pd.Series(dtype=object)
    first = dated[dated["qualified_date"] == earliest].drop_duplicates("staff_id").set_index("staff_id")
    other = later["staff_id"].map(first["row"])
    day = later["staff_id"].map(first["qualified_date"]).dt.strftime("%Y-%m-%d")
    message = RULES["qualified_date_differs"].message
    texts = [message.format(other=o, earliest=d) for o, d in zip(other, day)]
    return pd.Series(texts, index=staff.index.get_indexer(later.index), dtype=object)


# --- record rules: against the staff table ---------------------------------------------------


@rule(
    "unknown_staff",
    "query",
    "staff_id is not in the staff table: expected a staff_id of staff.csv; this record "
    "belongs to no one and counts nowhere",
    tables=("absences", "supervisions", "allocations"),
    column="staff_id",
    needs=("staff",),
)
def unknown_staff(t: Table, tables: dict[str, Table]) -> Hits:
    return ~t.blank["staff_id"] & (person_index(t, staff_ids(tables["staff"])) < 0)


@rule(
    "supervision_outside_employment",
    "query",
    "supervision_date falls outside every assignment of "
    "this staff_id: expected a date while in post (it is still counted if its month counts)",
    tables=("supervisions",),
    column="supervision_date",
    needs=("staff",),
)
def supervision_outside_employment(t: Table, tables: dict[str, Table]) -> Hits:
    day = _day(t.data["supervision_date"].to_numpy())
    person = person_index(t, staff_ids(tables["staff"]))
    covered = latest_assignment_end(tables["staff"], person, day) >= day
    return (person >= 0) & (day > -_OPEN) & ~covered


@rule(
    "absence_outside_employment",
    "query",
    "this absence falls outside every assignment of this staff_id: expected dates while in post (it changes no figure)",
    tables=("absences",),
    column="start_date",
    needs=("staff",),
)
def absence_outside_employment(t: Table, tables: dict[str, Table]) -> Hits:
    start, end = _day(t.data["start_date"].to_numpy()), _day(t.data["end_date"].to_numpy())
    person = person_index(t, staff_ids(tables["staff"]))
    # Assignments of one person do not overlap, so the one starting last on or before the
    # absence's end is the only one that can reach back into the absence.
    reaches = latest_assignment_end(tables["staff"], person, end) >= start
    dated = (start > -_OPEN) & (end >= start)
    return (person >= 0) & dated & ~reaches


@rule(
    "allocation_after_leaving",
    "query",
    "this case stays allocated after the worker's last "
    "assignment ended on {left}: expected an end_date by then (it counts in no caseload after it)",
    tables=("allocations",),
    column="end_date",
    needs=("staff",),
)
def allocation_after_leaving(t: Table, tables: dict[str, Table]) -> Hits:
    staff = tables["staff"]
    ids = staff_ids(staff)
    last_day = np.full(len(ids) + 1, _OPEN, dtype=np.int64)  # the extra slot: unknown staff_id
    ends = pd.Series(_day(staff.data["end_date"].to_numpy(), open_end=True))
    by_person = ends.groupby(ids.get_indexer(staff.data["staff_id"])).max()
    by_person = by_person[by_person.index >= 0]
    last_day[by_person.index.to_numpy()] = by_person.to_numpy()
    left = last_day[person_index(t, ids)]
    late = (left < _OPEN) & (_day(t.data["end_date"].to_numpy(), open_end=True) > left)
    left_on = pd.to_datetime(left[late], unit="D").strftime("%Y-%m-%d")
    message = RULES["allocation_after_leaving"].message
    return pd.Series([message.format(left=d) for d in left_on], index=np.flatnonzero(late), dtype=object)


# --- table rules: a whole table at once ------------------------------------------------------------


@rule(
    "unmatched_staff_ids",
    "error",
    "{unmatched:,} of {total:,} records ({share:.1%}) have a staff_id that is in no row of the staff table, "
    "more than the {limit:.0%} allowed (unmatched_share): expected the ids of the staff table{hint}",
    kind="table",
    tables=("absences", "supervisions", "allocations"),
    column="staff_id",
    needs=("staff",),
)
def unmatched_staff_ids(t: Table, tables: dict[str, Table], limit: float) -> Finding | None:
    """Too many records that belong to no one: a wrong id format or a wrong extract, not a few strays.

    Says how many would match if the ids were compared ignoring case or leading zeros.
    """
    ids = staff_ids(tables["staff"])
    unmatched = ~t.blank["staff_id"] & (person_index(t, ids) < 0)
    total = int((~t.blank["staff_id"]).sum())
    if total == 0 or unmatched.sum() / total <= limit:
        return None
    # Each distinct unmatched id once, with how many records carry it.
    theirs = pd.Series(t.data["staff_id"].to_numpy(dtype=object)[unmatched], dtype=object).value_counts()
    ids_as_text = pd.Series(ids, dtype=object)
    hints = []
    for words, same in _ID_LOOKALIKES:
        matches = same(pd.Series(theirs.index, dtype=object)).isin(set(same(ids_as_text))).to_numpy()
        if matches.any():
            hints.append(f"{int(theirs[matches].sum()):,} would match {words} (e.g. {theirs.index[matches][0]!r})")
    hint = "; " + "; ".join(hints) + ": correct the ids in one of the files" if hints else ""
    r = RULES["unmatched_staff_ids"]
    message = r.message.format(
        unmatched=int(unmatched.sum()), total=total, share=unmatched.sum() / total, limit=limit, hint=hint
    )
    return Finding(r.code, r.severity, t.file, None, "staff_id", str(theirs.index[0]), message)


_ID_LOOKALIKES = (
    ("if upper and lower case were the same", lambda ids: ids.str.casefold()),
    ("without leading zeros", lambda ids: ids.str.replace(r"^0+(?=.)", "", regex=True)),
    ("ignoring case and leading zeros", lambda ids: ids.str.casefold().str.replace(r"^0+(?=.)", "", regex=True)),
)


# --- helpers -------------------------------------------------------------------------------------


def occurs_again(key: np.ndarray) -> np.ndarray:
    """True where a value occurs more than once (``duplicated(keep=False)``), by one sort."""
    key = np.asarray(key)
    ordered = np.sort(key)
    again = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(again):
        return np.zeros(len(key), dtype=bool)
    return pd.Index(again).get_indexer(key) >= 0


def repeats_of_earlier(key: np.ndarray) -> np.ndarray:
    """True where a value repeats an earlier one (``duplicated()``), hashing only the values that repeat."""
    key = np.asarray(key)
    if key.dtype.kind not in "iu":
        return pd.Series(key).duplicated().to_numpy()
    repeat = np.zeros(len(key), dtype=bool)
    some = occurs_again(key)
    if some.any():
        repeat[some] = pd.Series(key[some]).duplicated().to_numpy()
    return repeat


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


def staff_ids(staff: Table) -> pd.Index:
    """The distinct staff_id of the staff table."""
    return pd.Index(staff.data["staff_id"].dropna().unique())


def person_index(t: Table, ids: pd.Index) -> np.ndarray:
    """Each record's position in ``ids`` by staff_id, -1 where it is not there (or blank).

    Looks up each distinct staff_id once when loading kept the column's distinct values.
    """
    if "staff_id" in t.distinct:
        codes, distinct = t.distinct["staff_id"]
        return spread(codes, ids.get_indexer(distinct), -1)
    return ids.get_indexer(t.data["staff_id"])


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


# --- running them --------------------------------------------------------------------------------


def record_rules() -> list[Rule]:
    return [r for r in RULES.values() if r.kind == "record"]


def findings_of(r: Rule, t: Table, column: str, hits: Hits) -> list[Finding]:
    """The findings of rule ``r`` on ``column`` of table ``t`` from its hits."""
    if isinstance(hits, pd.Series) and hits.dtype != bool:
        positions, messages = hits.index.to_numpy(dtype=np.int64), hits.to_numpy()
    else:
        positions = np.flatnonzero(np.asarray(hits, dtype=bool))
        messages = np.full(len(positions), r.message.format(column=column), dtype=object)
    if len(positions) == 0:
        return []
    rows = t.data["row"].to_numpy()[positions]
    values = t.raw[column].to_numpy(dtype=object)[positions] if column in t.raw else np.full(len(positions), None)
    values = np.where(pd.isna(values), None, values.astype(str))
    return [
        Finding(r.code, r.severity, t.file, row, column, v, m)
        for row, v, m in zip(rows.tolist(), values.tolist(), messages.astype(str).tolist())
    ]


def run_rule(r: Rule, t: Table, tables: dict[str, Table]) -> list[Finding]:
    """Apply record rule ``r`` to table ``t``."""
    hits = r.check(t, tables)
    by_column = hits if isinstance(hits, dict) else {r.column: hits}
    return [f for column, h in by_column.items() for f in findings_of(r, t, column, h)]


def run_rules(tables: dict[str, Table], codes: list[str] | None = None, unmatched_share: float = 0.05) -> list[Finding]:
    """Every record and table rule (or those named in ``codes``) on every loaded table it applies to.

    A rule that reads another table runs only when that table was loaded. ``unmatched_share`` is
    the setting of that name, for ``unmatched_staff_ids``.
    """
    findings: list[Finding] = []
    for r in RULES.values():
        if r.kind not in ("record", "table") or not (codes is None or r.code in codes):
            continue
        if all(n in tables for n in r.needs):
            for name in r.tables:
                if name not in tables:
                    continue
                if r.kind == "table":
                    found = r.check(tables[name], tables, unmatched_share)
                    findings.extend([found] if found is not None else [])
                else:
                    findings.extend(run_rule(r, tables[name], tables))
    return findings
