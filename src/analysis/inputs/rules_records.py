"""The record rules (the records of one table, against the staff table where they need it) and the table rules.

Each is one small function registered with its code, severity and message (``analysis.inputs.rules``);
each returns the positions at fault, all at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from analysis.core.arrays import codes_present, repeats_of_earlier
from analysis.inputs.dataset import ALLOWED_VALUES, DATE_COLUMNS, REQUIRED
from analysis.inputs.id_keys import all_distinct, id_key
from analysis.inputs.reading import as_objects
from analysis.inputs.rule_kit import (
    ID_COLUMNS,
    RULES,
    Hits,
    Table,
    _day,
    person_index,
    raw_text,
    rule,
    staff_ids,
)

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
        text = raw_text(t, c, positions).astype(str)
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


_CLOCK = r"[ T](\d{1,2}):(\d{2})(?::\d{2}(?:[.,]\d+)?)?\s*([AaPp])?"
NOON = 12 * 60


def clock_minutes(texts: Any) -> np.ndarray:
    """Minutes after midnight of the time of day written after each date; -1 where there is none."""
    found = pd.Series(as_objects(texts), dtype=object).astype(str).str.extract(_CLOCK)
    hour = pd.to_numeric(found[0], errors="coerce").fillna(-1).to_numpy(dtype=np.int64)
    minute = pd.to_numeric(found[1], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    half = found[2].fillna("").str.lower().to_numpy(dtype=object)
    hour = np.where(half == "p", hour % 12 + 12, np.where(half == "a", hour % 12, hour))
    return np.where(hour < 0, -1, hour * 60 + minute)


@rule(
    "part_day_absence",
    "error",
    "{column} has a time of day that makes {day} a part day: expected whole days (a date, or a date with a "
    "time from the start of the working day to its end); absences are counted in whole working days, so a "
    "part day would count as a whole one",
    tables=("absences",),
)
def part_day_absence(t: Table, _: dict[str, Table]) -> dict[str, Hits]:
    """Absences starting in the afternoon (at noon or later) or ending in the morning (after midnight, by 1 pm).

    A whole day may be written with its working hours (09:00 to 17:00) or as midnight; an afternoon
    (13:00 to 17:00) or a morning (09:00 to 12:30) is refused rather than rounded up to a day.
    """
    hits: dict[str, Hits] = {}
    parts: tuple[tuple[str, str, Callable[[np.ndarray], np.ndarray]], ...] = (
        ("start_date", "the first day", lambda m: m >= NOON),
        ("end_date", "the last day", lambda m: (m > 0) & (m <= NOON + 60)),
    )
    for column, day, part in parts:
        if not t.has(column):
            continue
        codes, texts = t.raw[column]
        bad = part(clock_minutes(texts))
        positions = np.flatnonzero(np.concatenate([bad, [False]])[codes])
        message = RULES["part_day_absence"].message.format(column=column, day=day)
        hits[column] = pd.Series(message, index=positions, dtype=object)
    return hits


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
    first = np.unique(key, return_index=True)[1]
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
    dated = staff.loc[~t.blank["staff_id"] & staff["qualified_date"].notna().to_numpy()]
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


@rule(
    "id_spellings",
    "error",
    "{column} {value!r} and {other!r} differ only in letter case or leading zeros: expected one spelling "
    "of each id (as they stand they could be one record's id or two)",
    tables=("staff", "allocations"),
)
def id_spellings(t: Table, _: dict[str, Table]) -> dict[str, Hits]:
    """Rows whose id has another spelling in the same table that ``id_key`` takes for the same id.

    The staff table lists the people (and allocations the cases): two spellings there cannot be
    matched to one without guessing whether they are one person or two.
    """
    column = "staff_id" if t.name == "staff" else "case_id"
    if column not in t.distinct or not t.has(column):
        return {}
    codes, labels = t.distinct[column]
    present = np.flatnonzero(codes_present(codes[codes >= 0], len(labels)))
    if all_distinct(labels[present]):
        return {}
    spelled = pd.Series(np.asarray(labels[present], dtype=object), index=present)
    key = id_key(spelled).to_numpy()
    shared = pd.Series(key).duplicated(keep=False).to_numpy()
    first = pd.Series(spelled.to_numpy()[shared]).groupby(key[shared]).agg(list)
    message = RULES["id_spellings"].message
    said = {
        code: message.format(column=column, value=text, other=next(o for o in first[k] if o != text))
        for code, text, k in zip(present[shared].tolist(), spelled.to_numpy()[shared].tolist(), key[shared].tolist())
    }
    positions = np.flatnonzero(np.isin(codes, present[shared]))
    return {column: pd.Series([said[c] for c in codes[positions].tolist()], index=positions, dtype=object)}


# --- record rules: against the staff table ---------------------------------------------------


# --- table rules: a whole table at once ------------------------------------------------------------
