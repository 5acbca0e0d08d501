"""What is known at the end of a month M about month M + 1: who will be in post, and who will be due.

Known at the end of M (docs/definitions.md, "Next month's forecast"):

- the people in post on M's last day, in the post they hold then, to the end of their employment
  as recorded (a run of contiguous or overlapping posts; a later change of team is not known);
- every absence starting on or before M's last day, and later absences of a planned type
  (``planned_absence_types``); sickness is never known in advance;
- nothing else: posts starting after M, unplanned absences starting after M and every supervision
  are left out.

Every target month is worked out in one ``eligibility.person_months`` call: each (person, target)
becomes a person of its own, in post in that month only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.core.assignments import person_qualified_dates
from analysis.core.calendar import as_days
from analysis.inputs.dataset import Dataset
from analysis.supervision import eligibility

COLUMNS = ["month", "staff_id", "team", "role", "category", "due"]
BATCH_MONTHS = 6
_DAY = np.timedelta64(1, "D")


def _months(targets: Sequence[pd.Period]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Target labels, first days and last days (``datetime64[D]``), sorted."""
    periods = sorted({pd.Period(t, "M") for t in targets})
    ordinal = np.array([p.ordinal for p in periods], dtype=np.int64)
    first = ordinal.astype("datetime64[M]").astype("datetime64[D]")
    last = (ordinal + 1).astype("datetime64[M]").astype("datetime64[D]") - _DAY
    return [str(p) for p in periods], first, last


def employment_ends(staff: pd.DataFrame) -> np.ndarray:
    """For each post (row of ``staff``), the last day of the run of contiguous or overlapping posts of
    the same person it belongs to (``eligibility.OPEN_END`` where the run is open)."""
    start = as_days(staff["start_date"])
    end = as_days(staff["end_date"])
    end = np.where(np.isnat(end), eligibility.OPEN_END, end)
    person = pd.factorize(staff["staff_id"])[0]
    order = np.lexsort((start, person))
    p, s, e = person[order], start[order], end[order]
    reach = pd.Series(e).groupby(p).cummax().to_numpy(dtype="datetime64[D]")
    new_run = np.r_[True, (p[1:] != p[:-1]) | (s[1:] > reach[:-1] + _DAY)]
    run = np.cumsum(new_run)
    run_end = pd.Series(e).groupby(run).transform("max").to_numpy(dtype="datetime64[D]")
    out = np.empty(len(staff), dtype="datetime64[D]")
    out[order] = run_end
    return out


def _posts_at_month_ends(staff: pd.DataFrame, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(post row, target index) of the post each person holds on each month end in ``ends``; where
    two posts of one person cover a day, the later starting."""
    start = as_days(staff["start_date"])
    end = as_days(staff["end_date"])
    end = np.where(np.isnat(end), eligibility.OPEN_END, end)
    valid = ~np.isnat(start)
    first = np.searchsorted(ends, start, side="left")
    last = np.searchsorted(ends, end, side="right")
    count = np.where(valid, np.maximum(last - first, 0), 0)
    row = np.repeat(np.arange(len(staff)), count)
    target = np.repeat(first, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    if not len(row):
        return row, target
    person = pd.factorize(staff["staff_id"])[0][row]
    order = np.lexsort((start[row], target, person))
    row, target, person = row[order], target[order], person[order]
    latest = np.r_[(person[1:] != person[:-1]) | (target[1:] != target[:-1]), True]
    return row[latest], target[latest]


def known_dataset(data: Dataset, targets: Sequence[pd.Period], config: Settings) -> tuple[Dataset, pd.Index, int]:
    """The posts and absences known at the end of the month before each target month, as one data set
    whose staff_id is ``person * len(targets) + target``; also the people (``person``'s ids) and the
    number of targets."""
    labels, first, last = _months(targets)
    n = len(labels)
    staff = data.staff
    people = pd.Index(pd.unique(staff["staff_id"].to_numpy()))
    person = people.get_indexer(staff["staff_id"].to_numpy())
    row, target = _posts_at_month_ends(staff, first - _DAY)
    qualified = person_qualified_dates(staff).reindex(people).to_numpy(dtype="datetime64[ns]")
    run_end = employment_ends(staff)[row]
    known_staff = pd.DataFrame(
        {
            "staff_id": person[row].astype(np.int64) * n + target,
            "team": staff["team"].to_numpy()[row],
            "role": staff["role"].to_numpy()[row],
            "employment": staff["employment"].to_numpy()[row],
            "start_date": first[target].astype("datetime64[ns]"),
            "end_date": np.minimum(run_end, last[target]).astype("datetime64[ns]"),
            "qualified_date": qualified[person[row]],
            "fte": staff["fte"].to_numpy()[row],
        }
    )
    absences = data.absences
    who = people.get_indexer(absences["staff_id"].to_numpy())
    start, end = as_days(absences["start_date"]), as_days(absences["end_date"])
    usable = (who >= 0) & ~np.isnat(start) & ~np.isnat(end)
    lo = np.searchsorted(last, np.where(usable, start, last[-1]), side="left")
    hi = np.searchsorted(first, np.where(usable, end, first[0]), side="right")
    count = np.where(usable, np.maximum(hi - lo, 0), 0)
    which = np.repeat(np.arange(len(absences)), count)
    at = np.repeat(lo, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    planned = absences["absence_type"].isin(config.planned_absence_types).to_numpy()[which]
    known = (start[which] < first[at]) | planned
    which, at = which[known], at[known]
    known_absences = pd.DataFrame(
        {
            "staff_id": who[which].astype(np.int64) * n + at,
            "absence_type": absences["absence_type"].to_numpy()[which],
            "start_date": absences["start_date"].to_numpy()[which],
            "end_date": absences["end_date"].to_numpy()[which],
        }
    )
    known_data = Dataset(known_staff, known_absences, data.supervisions.iloc[:0], data.allocations.iloc[:0])
    return known_data, people, n


def known_person_months(data: Dataset, targets: Sequence[pd.Period], config: Settings) -> pd.DataFrame:
    """For each target month T, the people in post at the end of T - 1 (in supervision roles then) and
    whether, on what was known then, they will be due in T.

    Returns
    -------
    pandas.DataFrame
        ``COLUMNS``: ``month`` (T, ``YYYY-MM``), ``staff_id``, and from the post held at the end of
        T - 1: ``team``, ``role``, ``category`` (on T's reference date) and ``due`` (``False`` where
        the known absences or the recorded end of employment leave too few working days). Sorted by
        month then staff_id.
    """
    if not len(targets) or data.staff.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    labels = _months(targets)[0]
    # A few months at a time: each batch is a data set as large as the staff table times its months.
    parts = [_known_batch(data, labels[k : k + BATCH_MONTHS], config) for k in range(0, len(labels), BATCH_MONTHS)]
    return pd.concat(parts, ignore_index=True)


def _known_batch(data: Dataset, labels: list[str], config: Settings) -> pd.DataFrame:
    known_data, people, n = known_dataset(data, [pd.Period(t, "M") for t in labels], config)
    pm = eligibility.person_months(known_data, [pd.Period(t, "M") for t in labels], config)
    code = pm["staff_id"].to_numpy(dtype=np.int64)
    out = pd.DataFrame(
        {
            "month": np.asarray(labels, dtype=object)[code % n],
            "staff_id": people.to_numpy()[code // n],
            "team": pm["team"].to_numpy(),
            "role": pm["role"].to_numpy(),
            "category": pm["category"].to_numpy(),
            "due": pm["due"].to_numpy(dtype=bool),
        }
    )
    out = out.loc[pm["month"].to_numpy() == out["month"].to_numpy()]
    return out.sort_values(["month", "staff_id"], kind="stable").reset_index(drop=True)
