"""The table rules (a whole table at once) and the record rules that check one table against the staff table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.inputs.findings import Finding
from analysis.inputs.rule_kit import (
    _OPEN,
    RULES,
    Hits,
    Table,
    _day,
    id_text,
    latest_assignment_end,
    person_index,
    rule,
    staff_ids,
)


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


@rule(
    "unmatched_staff_ids",
    "error",
    "{unmatched:,} of {total:,} records ({share:.1%}) have a staff_id that is in no row of the staff table, "
    "more than the {limit:.0%} allowed (unmatched_share): expected the ids of the staff table (compared "
    "ignoring letter case and leading zeros)",
    kind="table",
    tables=("absences", "supervisions", "allocations"),
    column="staff_id",
    needs=("staff",),
)
def unmatched_staff_ids(t: Table, tables: dict[str, Table], limit: float) -> Finding | None:
    """Too many records that belong to no one: a wrong id format or a wrong extract, not a few strays.

    Ids that differ from the staff table's only in letter case or leading zeros were matched to
    them on loading (``id_numbering.as_staff_spells``), so they are not counted here.
    """
    ids = staff_ids(tables["staff"])
    unmatched = ~t.blank["staff_id"] & (person_index(t, ids) < 0)
    total = int((~t.blank["staff_id"]).sum())
    if total == 0 or unmatched.sum() / total <= limit:
        return None
    theirs = pd.Series(id_text(t, t.data["staff_id"].to_numpy()[unmatched]), dtype=object).value_counts()
    r = RULES["unmatched_staff_ids"]
    message = r.message.format(unmatched=int(unmatched.sum()), total=total, share=unmatched.sum() / total, limit=limit)
    return Finding(r.code, r.severity, t.file, None, "staff_id", str(theirs.index[0]), message)
