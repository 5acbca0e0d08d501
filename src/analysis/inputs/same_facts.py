"""One fact, one record: the same facts give the same tables however an extract holds them.

- A period held as several contiguous or overlapping records (leave split at the end of a leave
  year, a post split where a payroll period ends) is one record: the records of one person with
  the same values are merged where each starts on or before the day after the last one ends.
- A team spelled several ways that differ only in letter case or spaces is one team, shown in
  one spelling: mixed case before all capitals or all small letters, then the spelling of most
  posts, then the first in text order (never the order of the rows).

Allocations are not merged: a caseload counts the distinct cases covering a date, which no split
of an allocation changes. ``docs/assumptions.md`` says why each choice was made.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.inputs.dataset import Dataset

# The values that make two records of one person the same fact, besides their dates.
SAME_FACT = {
    "staff": ["staff_id", "team", "role", "employment", "fte", "qualified_date"],
    "absences": ["staff_id", "absence_type"],
}
_OPEN = np.iinfo(np.int64).max // 2  # an open end: later than any day


def one_record_per_fact(data: Dataset) -> Dataset:
    """``data`` with contiguous records merged and one spelling of each team, and a note (``notes``)
    for each change."""
    notes: list[str] = []
    staff, spellings = one_spelling_per_team(data.staff)
    notes += spellings
    frames = {"staff": staff, "absences": data.absences}
    for name in SAME_FACT:
        merged = merge_contiguous(frames[name], SAME_FACT[name])
        if len(merged) < len(frames[name]):
            notes.append(
                f"{name}: {len(frames[name]) - len(merged):,} records continue an earlier record of the same "
                "person with the same values without a break; each such run is read as one record"
            )
        frames[name] = merged
    return replace(data, **frames, notes=[*data.notes, *notes])


def merge_contiguous(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Records with equal ``keys`` whose periods touch or overlap, as one record each.

    The merged record starts at the first start and ends at the last end (open if any is open);
    it keeps the first record's spreadsheet ``row``. Rows are returned in their first record's order.
    Records without a start date are left as they are.
    """
    if len(frame) < 2:
        return frame
    order, continues, finish = _continuations(frame, keys)
    if not continues.any():
        return frame
    run = np.cumsum(~continues)
    first = order[~continues]
    last_end = pd.Series(finish[order]).groupby(run).max().to_numpy()
    kept = frame.iloc[first].copy()
    open_end = last_end >= _OPEN
    ends = np.where(open_end, 0, last_end).astype("datetime64[D]").astype("datetime64[ns]")
    ends[open_end] = np.datetime64("NaT")
    kept["end_date"] = pd.Series(ends, index=kept.index).astype(frame["end_date"].dtype)
    dated = ~frame["start_date"].isna().to_numpy()
    undated = frame.iloc[np.flatnonzero(~dated)]
    out = pd.concat([kept, undated]) if len(undated) else kept
    return out.sort_index(kind="stable").reset_index(drop=True)


def continues_earlier(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """For each record, whether it continues an earlier one with equal ``keys`` (starts on or before
    the day after it ends): the second piece of a period split in two is no new fact."""
    out = np.zeros(len(frame), dtype=bool)
    if len(frame) < 2:
        return out
    order, continues, _ = _continuations(frame, keys)
    out[order] = continues
    return out


def _continuations(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dated records in order of keys, start and end; whether each continues the run before it;
    and each record's end as a day number (``_OPEN`` where open)."""
    start = frame["start_date"].to_numpy(dtype="datetime64[D]")
    dated = ~np.isnat(start)
    group = _group_codes(frame, keys)
    begin = np.where(dated, start.astype(np.int64), 0)
    end_dates = frame["end_date"].to_numpy(dtype="datetime64[D]")
    finish = np.where(np.isnat(end_dates), _OPEN, end_dates.astype(np.int64))
    order = np.lexsort((finish, begin, group))
    order = order[dated[order]]
    g, b, f = group[order], begin[order], finish[order]
    reach = pd.Series(f).groupby(g).cummax().to_numpy()
    before = np.concatenate([[np.int64(-_OPEN)], reach[:-1]])
    same_group = np.concatenate([[False], g[1:] == g[:-1]])
    return order, same_group & (b <= before + 1), finish


def _group_codes(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """One integer per row, equal where every key column is equal (missing values equal each other)."""
    codes = np.zeros(len(frame), dtype=np.int64)
    for column in keys:
        if column not in frame:
            continue
        own, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        codes = codes * (len(uniques) + 1) + (own + 1)
        codes = pd.factorize(codes)[0].astype(np.int64)
    return codes


def team_key(team: str) -> str:
    """A team name as compared, within a run and across runs: letter case and runs of spaces ignored."""
    return " ".join(str(team).casefold().split())


def one_spelling_per_team(staff: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``staff`` with every team in one spelling, and a note for each team spelled more than one way."""
    if staff.empty or "team" not in staff:
        return staff, []
    names = staff["team"].astype(object)
    counts = names.dropna().value_counts()
    if counts.empty:
        return staff, []
    spellings = pd.DataFrame({"name": counts.index.astype(object), "posts": counts.to_numpy()})
    spellings["key"] = spellings["name"].map(team_key).to_numpy()  # a few distinct names
    if spellings["key"].is_unique:
        return staff, []
    text = spellings["name"].astype(str)
    spellings["mixed"] = (text.str.lower() != text) & (text.str.upper() != text)
    ranked = spellings.sort_values(["key", "mixed", "posts", "name"], ascending=[True, False, False, True])
    chosen = ranked.drop_duplicates("key").set_index("key")["name"]
    spellings["chosen"] = spellings["key"].map(chosen)
    renamed = spellings[spellings["name"] != spellings["chosen"]].sort_values("name")
    notes = [
        f"staff: team {old!r} is read as {new!r} (the two differ only in letter case or spaces)"
        for old, new in zip(renamed["name"], renamed["chosen"])
    ]
    mapping = dict(zip(spellings["name"], spellings["chosen"]))
    out = staff.copy()
    out["team"] = pd.array(
        names.map(mapping).where(names.notna(), None).to_numpy(dtype=object), dtype=staff["team"].dtype
    )
    return out, notes
