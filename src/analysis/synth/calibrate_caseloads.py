"""Calibration of the sample authority's caseloads: both Autumn headlines and the newly qualified bands hit exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.synth.cases import draw_case_types
from analysis.synth.people import day
from analysis.synth.targets import (
    HEADLINE,
    MARGIN,
    NQSW_AS_AT,
    NQSW_CASELOADS,
    SNAPSHOTS,
    CalibrationError,
    caseloads,
    headline_people,
    rows_on,
)


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
        bands = [n for band in ("april", "recent", "none") for n in NQSW_CASELOADS[band]]
        return pd.Series(bands, index=people.to_numpy())
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
