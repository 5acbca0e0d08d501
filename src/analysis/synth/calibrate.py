"""Calibration of the sample authority to the council report's figures.

The generators make a realistic body of records; this module then adjusts it, deterministically,
until the design's definitions give the report's figures (the sample's figures in README.md):

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

from analysis.synth.calibrate_caseloads import set_caseloads
from analysis.synth.events import (
    FORMAL,
    MATERNITY,
    absent_on,
    clip_to_employment,
    person_spans,
    roll_forward,
    working_day_between,
)
from analysis.synth.people import SOCIAL_WORKER, YEAR, Window, day
from analysis.synth.targets import (
    APRIL_QUALIFIED,
    COMPLIANCE,
    MARGIN,
    NQSW_AS_AT,
    NQSW_NOT_AFTER,
    RECENT_FROM,
    SNAPSHOTS,
    CalibrationError,
    due_people,
    month_bounds,
    rows_on,
    supervised_people,
)

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
