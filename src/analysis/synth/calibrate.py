"""Calibration of the sample authority to the council report's figures.

The generators make a realistic body of records; this module then adjusts it, deterministically,
until the design's definitions give the report's figures ("The sample authority" in design.md):

- on 2019-12-31, 8 newly qualified social workers: 2 holding no case, 2 in their first six months
  with a mean caseload of 8, 4 qualified in April 2019 with a mean caseload of 14;
- headline caseload (qualified and agency social workers and seniors holding cases) exactly
  23.80 on 2018-09-30 and 16.16 on 2019-09-30;
- due staff rising every month from September to December 2019, and "All" compliance between
  0.80 and 0.85 in each of those months.

It carries its own small count of those definitions, kept apart from the package's calculations.
Nothing calibration-critical sits on a boundary day: dates near a snapshot are moved a few days
away from it first, and every edit keeps a margin of several days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.calendar import add_months, busdaycalendar
from analysis.synth.cases import draw_case_types
from analysis.synth.events import (
    FORMAL,
    MATERNITY,
    absent_on,
    as_dates,
    as_days,
    clip_to_employment,
    person_spans,
    roll_forward,
    working_day_between,
)
from analysis.synth.people import NONE, SENIOR, SOCIAL_WORKER, YEAR, Window, day

SNAPSHOTS = ("2018-09-30", "2019-09-30", "2019-12-31")
HEADLINE = {"2018-09-30": (23.80, 5), "2019-09-30": (16.16, 25)}  # mean, holders a multiple of this
NQSW_AS_AT = "2019-12-31"
NQSW_NOT_AFTER = "2018-11-30"  # everyone else qualified by then is past NQSW status on NQSW_AS_AT
APRIL_QUALIFIED = ("2019-04-05", "2019-04-12", "2019-04-18", "2019-04-26")
RECENT_FROM = "2019-07-08"  # qualified on or after this: in the first six months on NQSW_AS_AT
NQSW_CASELOADS = {"april": [13, 14, 14, 15], "recent": [7, 9], "none": [0, 0]}
COMPLIANCE = {"2019-09": 0.815, "2019-10": 0.82, "2019-11": 0.83, "2019-12": 0.84}
ABSENCE_THRESHOLD = 10
MARGIN = 3


class CalibrationError(RuntimeError):
    """The generated body cannot be calibrated (too few people of the kind needed)."""


# --- staff ----------------------------------------------------------------------------------------


def calibrate_people(staff: pd.DataFrame, absences: pd.DataFrame, window: Window) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Staff and absences with boundary days moved off the snapshots, due staff rising each month
    from September to December 2019, and the NQSW cohort of 2019-12-31 set.

    Raises
    ------
    CalibrationError
        If there are too few permanent social workers appointed in 2019 to form the cohort, or
        due staff cannot be made to rise.
    """
    staff = move_off_snapshots(staff.copy())
    absences = clip_to_employment(absences, person_spans(staff), window)
    staff, absences = make_due_rise(staff, absences)
    return set_nqsw_cohort(staff), absences


def move_off_snapshots(staff: pd.DataFrame) -> pd.DataFrame:
    """Starts and ends within two days of a snapshot moved three days away (adjacent rows kept adjacent)."""
    for snapshot in map(day, SNAPSHOTS):
        near_start = (staff["start"] - snapshot).abs() <= 2
        staff.loc[near_start, "start"] = snapshot + MARGIN
        near_end = (staff["end"] - snapshot).abs() <= 2
        staff.loc[near_end, "end"] = snapshot - MARGIN
        following = staff.groupby("person")["start"].shift(-1)
        staff["end"] = np.where(following.notna(), following.fillna(0).astype(np.int64) - 1, staff["end"])
    return staff


def rows_on(staff: pd.DataFrame, when: int) -> pd.DataFrame:
    """The assignment rows covering day ``when``."""
    return staff.loc[(staff["start"] <= when) & (staff["end"] >= when)]


def set_nqsw_cohort(staff: pd.DataFrame) -> pd.DataFrame:
    """Exactly eight NQSWs on 2019-12-31: four qualified in April 2019, four since July 2019."""
    as_at = day(NQSW_AS_AT)
    employed = staff["person"].isin(rows_on(staff, as_at)["person"])
    first_start = staff.groupby("person")["start"].transform("min")
    recent_qualifiers = employed & (staff["qualified"] > day(NQSW_NOT_AFTER)) & ~staff["agency"]
    staff.loc[recent_qualifiers, "qualified"] = first_start[recent_qualifiers] - 2 * YEAR
    single_row = staff.groupby("person")["person"].transform("size") == 1
    candidates = rows_on(staff, as_at)
    candidates = candidates.loc[
        (candidates["role"] == SOCIAL_WORKER)
        & ~candidates["agency"]
        & single_row.loc[candidates.index]
        & (candidates["start"] >= day("2019-05-01"))
        & (candidates["start"] <= as_at - 14)
    ]
    candidates = candidates.sort_values(["start", "person"])
    late = candidates.loc[candidates["start"] >= day(RECENT_FROM) + 14]
    if len(late) < 4 or len(candidates) < 8:
        raise CalibrationError("too few social workers appointed in 2019 to form the NQSW cohort")
    newest = late.index[-4:]
    april = [i for i in candidates.index if i not in newest][:4]
    staff.loc[april, "qualified"] = [day(d) for d in APRIL_QUALIFIED]
    staff.loc[newest, "qualified"] = np.maximum(staff.loc[newest, "start"] - 10, day(RECENT_FROM))
    staff.attrs["nqsw_cohort"] = {"april": list(april), "recent": list(newest[:2]), "none": list(newest[2:])}
    return staff


# --- the small count --------------------------------------------------------------------------


def month_working_days(month: str) -> np.ndarray:
    """The working days of ``month`` (``YYYY-MM``) as day numbers."""
    first = np.datetime64(month + "-01", "D")
    days = np.arange(first, (first.astype("datetime64[M]") + 1).astype("datetime64[D]"))
    return as_days(days[np.is_busday(days, busdaycal=busdaycalendar())])


def person_days(frame: pd.DataFrame, days: np.ndarray, people: np.ndarray) -> np.ndarray:
    """people x days: True where one of the person's [start, end] intervals in ``frame`` covers the day."""
    covers = (frame["start"].to_numpy()[:, None] <= days) & (frame["end"].to_numpy()[:, None] >= days)
    out = np.zeros((len(people), len(days)), dtype=bool)
    np.logical_or.at(out, np.searchsorted(people, frame["person"].to_numpy()), covers)
    return out


def due_people(staff: pd.DataFrame, absences: pd.DataFrame, month: str) -> np.ndarray:
    """People in scope in ``month`` with fewer than 10 unavailable working days."""
    days = month_working_days(month)
    first, last = month_bounds(month)
    in_scope = np.unique(staff.loc[(staff["start"] <= last) & (staff["end"] >= first), "person"])
    absent = absences.loc[absences["person"].isin(in_scope)]
    in_post = person_days(staff.loc[staff["person"].isin(in_scope)], days, in_scope)
    away = person_days(absent, days, in_scope)
    unavailable = (~in_post | away).sum(axis=1)
    return in_scope[unavailable < ABSENCE_THRESHOLD]


def month_bounds(month: str) -> tuple[int, int]:
    """First and last day of ``month`` (``YYYY-MM``) as day numbers."""
    first = day(month + "-01")
    following = as_days(add_months(np.array([month + "-01"], "datetime64[D]"), 1))[0]
    return first, int(following) - 1


def supervised_people(supervisions: pd.DataFrame, month: str) -> np.ndarray:
    """People with a formal supervision dated in ``month``."""
    first, last = month_bounds(month)
    formal = supervisions.loc[(supervisions["kind"] == FORMAL) & supervisions["date"].between(first, last)]
    return np.unique(formal["person"])


def caseloads(allocations: pd.DataFrame, when: int) -> pd.Series:
    """Distinct cases each person holds on day ``when`` (people with none left out)."""
    covering = allocations.loc[(allocations["start"] <= when) & (allocations["end"] >= when)]
    return covering.groupby("person")["case"].nunique()


def headline_people(staff: pd.DataFrame, when: int) -> pd.DataFrame:
    """Rows on ``when`` of social workers and seniors who are not newly qualified."""
    rows = rows_on(staff, when)
    rows = rows.loc[rows["role"].isin([SOCIAL_WORKER, SENIOR])]
    qualified = rows["qualified"].to_numpy()
    until = as_days(add_months(as_dates(np.where(qualified > NONE, qualified, 0)), 12))
    newly = ~rows["agency"].to_numpy() & (qualified > NONE) & (when < until)
    return rows.loc[~newly]


# --- records ----------------------------------------------------------------------------------


def calibrate_records(
    rng: np.random.Generator,
    staff: pd.DataFrame,
    absences: pd.DataFrame,
    supervisions: pd.DataFrame,
    allocations: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Supervisions and allocations adjusted to the report's compliance and caseload figures."""
    supervisions = set_compliance(rng, staff, absences, supervisions)
    allocations = set_caseloads(rng, staff, allocations)
    return supervisions, allocations


def make_due_rise(staff: pd.DataFrame, absences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Due staff rising each month, Sept to Dec 2019.

    Where a month falls short, short absences that make someone not due are cut out of that month,
    then starters late in that month are brought forward to its second week. Both change that
    month alone.

    Raises
    ------
    CalibrationError
        If the month still cannot be made to rise.
    """
    months = list(COMPLIANCE)
    for previous, month in zip(months, months[1:]):
        target = len(due_people(staff, absences, previous)) + 1
        for change in (without_absences_in, with_earlier_start_in):
            for person in np.setdiff1d(np.unique(staff["person"]), due_people(staff, absences, month)):
                if len(due_people(staff, absences, month)) >= target:
                    break
                trial_staff, trial_absences = change(staff, absences, person, month)
                if person in due_people(trial_staff, trial_absences, month):
                    staff, absences = trial_staff, trial_absences
        if len(due_people(staff, absences, month)) < target:
            raise CalibrationError(f"due staff cannot be made to rise in {month}")
    return staff, absences.reset_index(drop=True)


def without_absences_in(
    staff: pd.DataFrame, absences: pd.DataFrame, person: int, month: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The person's short absences (not maternity) cut out of ``month``."""
    first, last = month_bounds(month)
    theirs = (absences["person"] == person) & (absences["kind"] != MATERNITY)
    inside = theirs & (absences["start"] >= first) & (absences["end"] <= last)
    ends_inside = theirs & (absences["start"] < first) & absences["end"].between(first, last)
    starts_inside = theirs & absences["start"].between(first, last) & (absences["end"] > last)
    changed = absences.loc[~inside].copy()
    changed.loc[ends_inside[~inside], "end"] = first - 1
    changed.loc[starts_inside[~inside], "start"] = roll_forward(np.array([last + 1]))[0]
    return staff, changed.loc[changed["end"] >= changed["start"]]


def with_earlier_start_in(
    staff: pd.DataFrame, absences: pd.DataFrame, person: int, month: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A single-assignment starter late in ``month`` starting in its second week instead."""
    first, last = month_bounds(month)
    rows = staff["person"] == person
    if rows.sum() != 1 or not first < staff.loc[rows, "start"].iloc[0] <= last:
        return staff, absences
    changed = staff.copy()
    changed.loc[rows, "start"] = min(int(roll_forward(np.array([first + 7]))[0]), int(staff.loc[rows, "start"].iloc[0]))
    return changed, absences


def set_compliance(
    rng: np.random.Generator, staff: pd.DataFrame, absences: pd.DataFrame, supervisions: pd.DataFrame
) -> pd.DataFrame:
    """Formal supervisions removed (some rescheduled just after month end) or added to hit each month's rate."""
    for month, rate in COMPLIANCE.items():
        first, last = month_bounds(month)
        due = due_people(staff, absences, month)
        supervised = np.intersect1d(due, supervised_people(supervisions, month))
        wanted = int(round(rate * len(due)))
        if len(supervised) > wanted:
            dropped = rng.choice(supervised, len(supervised) - wanted, replace=False)
            supervisions = drop_formal(rng, supervisions, np.sort(dropped), first, last)
        elif len(supervised) < wanted:
            unsupervised = np.setdiff1d(due, supervised)
            added = np.sort(rng.choice(unsupervised, wanted - len(supervised), replace=False))
            supervisions = add_formal(rng, staff, absences, supervisions, added, first, last)
    return supervisions.sort_values(["person", "date", "kind"], kind="stable").reset_index(drop=True)


def drop_formal(
    rng: np.random.Generator, supervisions: pd.DataFrame, people: np.ndarray, first: int, last: int
) -> pd.DataFrame:
    """Formal supervisions of ``people`` in [first, last] removed; about half moved a few days later."""
    hit = (
        (supervisions["kind"] == FORMAL)
        & supervisions["date"].between(first, last)
        & supervisions["person"].isin(people)
    )
    late_people = people[rng.random(len(people)) < 0.5]
    late_day = roll_forward(last + rng.integers(1, 5, len(late_people)))
    late = pd.DataFrame({"person": late_people, "kind": FORMAL, "date": late_day})
    late = late.loc[late["date"] <= last + 6]
    return pd.concat([supervisions.loc[~hit], late], ignore_index=True)


def add_formal(
    rng: np.random.Generator,
    staff: pd.DataFrame,
    absences: pd.DataFrame,
    supervisions: pd.DataFrame,
    people: np.ndarray,
    first: int,
    last: int,
) -> pd.DataFrame:
    """A formal supervision for each of ``people`` on a working day in [first, last], in post and not away."""
    spans = staff.groupby("person").agg(start=("start", "min"), end=("end", "max")).loc[people]
    lo = np.maximum(spans["start"].to_numpy(), first)
    hi = np.minimum(spans["end"].to_numpy(), last)
    when = working_day_between(rng, lo, hi)
    for _ in range(20):
        away = absent_on(people, when, absences)
        if not away.any():
            break
        when = np.where(away, working_day_between(rng, lo, hi), when)
    added = pd.DataFrame({"person": people, "kind": FORMAL, "date": when})
    return pd.concat([supervisions, added.loc[added["date"] >= 0]], ignore_index=True)


# --- caseloads --------------------------------------------------------------------------------


def set_caseloads(rng: np.random.Generator, staff: pd.DataFrame, allocations: pd.DataFrame) -> pd.DataFrame:
    """Allocations cut or added, snapshot by snapshot in date order, to hit every caseload target.

    Edits for a snapshot only touch days after the previous snapshot, so earlier snapshots keep
    their counts.

    Raises
    ------
    CalibrationError
        If a snapshot has too few eligible people for its headline.
    """
    allocations = move_allocations_off_snapshots(allocations)
    previous = day("2017-01-01")
    for snapshot in SNAPSHOTS:
        when = day(snapshot)
        targets = snapshot_targets(rng, staff, allocations, snapshot)
        allocations = meet_targets(rng, staff, allocations, targets, when, previous)
        previous = when
    return allocations.reset_index(drop=True)


def move_allocations_off_snapshots(allocations: pd.DataFrame) -> pd.DataFrame:
    """Allocation starts and ends within a day of a snapshot moved a few days away."""
    allocations = allocations.copy()
    for snapshot in map(day, SNAPSHOTS):
        near_start = (allocations["start"] - snapshot).abs() <= 1
        allocations.loc[near_start, "start"] = snapshot + MARGIN
        near_end = (allocations["end"] - snapshot).abs() <= 1
        allocations.loc[near_end, "end"] = snapshot - MARGIN
    return allocations.loc[allocations["end"] >= allocations["start"]]


def end_off_snapshots(ends: np.ndarray) -> np.ndarray:
    """End days within a day of a snapshot moved to a few days before it."""
    for snapshot in map(day, SNAPSHOTS):
        ends = np.where(np.abs(ends - snapshot) <= 1, snapshot - MARGIN, ends)
    return ends


def snapshot_targets(
    rng: np.random.Generator, staff: pd.DataFrame, allocations: pd.DataFrame, snapshot: str
) -> pd.Series:
    """Caseload each constrained person must hold on ``snapshot``, by person."""
    if snapshot == NQSW_AS_AT:
        cohort = staff.attrs["nqsw_cohort"]
        people = staff.loc[[i for band in ("april", "recent", "none") for i in cohort[band]], "person"]
        loads = [n for band in ("april", "recent", "none") for n in NQSW_CASELOADS[band]]
        return pd.Series(loads, index=people.to_numpy())
    mean, step = HEADLINE[snapshot]
    when = day(snapshot)
    eligible = headline_people(staff, when).sort_values(["start", "person"])
    holders = len(eligible) // step * step
    if holders == 0:
        raise CalibrationError(f"too few social workers on {snapshot} for the headline")
    # The newest starters have not been allocated cases yet.
    current = caseloads(allocations, when).reindex(eligible["person"].to_numpy(), fill_value=0)
    loads = spread_total(rng, current.to_numpy()[:holders], int(round(mean * holders)))
    return pd.Series(
        np.concatenate([loads, np.zeros(len(eligible) - holders, dtype=np.int64)]), index=eligible["person"].to_numpy()
    )


def spread_total(rng: np.random.Generator, current: np.ndarray, total: int) -> np.ndarray:
    """Caseloads near ``current`` in proportion, at least 3 each, summing exactly to ``total``."""
    base = np.where(current >= 3, current, np.median(current)).astype(float)
    loads = np.maximum(np.rint(base * total / base.sum()).astype(np.int64), 3)
    while loads.sum() != total:
        step = 1 if loads.sum() < total else -1
        order = rng.permutation(len(loads))
        movable = order[loads[order] > 3] if step < 0 else order
        loads[movable[0]] += step
    return loads


def meet_targets(
    rng: np.random.Generator,
    staff: pd.DataFrame,
    allocations: pd.DataFrame,
    targets: pd.Series,
    when: int,
    previous: int,
) -> pd.DataFrame:
    """Each targeted person's caseload on ``when`` made exactly their target."""
    current = caseloads(allocations, when).reindex(targets.index, fill_value=0)
    over = (current - targets)[lambda s: s > 0]
    under = (targets - current)[lambda s: s > 0]
    allocations = close_cases(rng, allocations, over, when, previous)
    return pd.concat([allocations, new_cases(rng, staff, allocations, under, when, previous)], ignore_index=True)


def close_cases(
    rng: np.random.Generator, allocations: pd.DataFrame, excess: pd.Series, when: int, previous: int
) -> pd.DataFrame:
    """For each person, ``excess`` of their cases on ``when`` closed a few days before it (or removed)."""
    if excess.empty:
        return allocations
    covering = allocations.loc[
        (allocations["start"] <= when) & (allocations["end"] >= when) & allocations["person"].isin(excess.index)
    ]
    closing = []
    for person, count in excess.items():
        cases = np.unique(covering.loc[covering["person"] == person, "case"])
        closing.append(pd.DataFrame({"person": person, "case": rng.choice(cases, count, replace=False)}))
    closing = pd.concat(closing, ignore_index=True)
    hit = covering.reset_index().merge(closing, on=["person", "case"])["index"].to_numpy()
    new_end = np.maximum(when - rng.integers(MARGIN, 21, len(hit)), previous + MARGIN)
    allocations = allocations.copy()
    allocations.loc[hit, "end"] = new_end
    return allocations.loc[allocations["end"] >= allocations["start"]]


def new_cases(
    rng: np.random.Generator,
    staff: pd.DataFrame,
    allocations: pd.DataFrame,
    shortfall: pd.Series,
    when: int,
    previous: int,
) -> pd.DataFrame:
    """``shortfall`` new cases for each person, allocated after ``previous`` and some weeks before ``when``.

    Raises
    ------
    CalibrationError
        If a person started too recently to have been allocated cases by ``when``.
    """
    if shortfall.empty:
        return allocations.iloc[:0]
    rows = rows_on(staff, when)
    rows = rows.assign(row_index=rows.index).set_index("person").loc[shortfall.index]
    row = np.repeat(rows["row_index"].to_numpy(), shortfall.to_numpy())
    row_start = np.repeat(rows["start"].to_numpy(), shortfall.to_numpy())
    row_end = np.repeat(rows["end"].to_numpy(), shortfall.to_numpy())
    start = np.maximum(when - rng.integers(10, 200, len(row)), np.maximum(row_start, previous) + MARGIN)
    end = np.minimum(end_off_snapshots(when + rng.integers(20, 400, len(row))), row_end)
    if (start > when - MARGIN).any():
        raise CalibrationError("a case holder on a snapshot started too recently to hold cases")
    first_case = int(allocations["case"].max()) + 1
    added = pd.DataFrame({"case": first_case + np.arange(len(row)), "row": row, "start": start, "end": end})
    added["kind"] = draw_case_types(rng, staff, added)
    added["person"] = np.repeat(shortfall.index.to_numpy(), shortfall.to_numpy())
    return added
