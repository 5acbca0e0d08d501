"""Case allocations of the synthetic authority, vectorised over assignments.

Each case-holding assignment holds a number of "slots" (its usual caseload); each slot is a run of
cases, one after another. On top of that: cases reallocated when a worker leaves or changes post,
co-working (one case with two workers at once), and a case that goes to a colleague for a few weeks
and comes back to the same worker. Team managers hold no cases; principals hold a few complex ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.calendar import add_months
from analysis.synth.events import as_dates, as_days
from analysis.synth.people import MANAGER, NONE, OPEN, PRINCIPAL, SENIOR, SOCIAL_WORKER, TEAM_FUNCTIONS, YEAR, Window

CASE_TYPES = ("child_in_need", "child_protection", "looked_after", "care_leaver", "court_proceedings")
COMPLEX = (1, 4)
# Case-type mix by team function (rows follow TEAM_FUNCTIONS), and for principals.
TYPE_MIX = np.array(
    [
        [0.60, 0.30, 0.05, 0.00, 0.05],
        [0.25, 0.55, 0.05, 0.00, 0.15],
        [0.25, 0.55, 0.05, 0.00, 0.15],
        [0.05, 0.05, 0.75, 0.05, 0.10],
        [0.70, 0.10, 0.15, 0.05, 0.00],
        [0.00, 0.00, 0.15, 0.85, 0.00],
    ]
)
PRINCIPAL_MIX = np.array([0.0, 0.6, 0.0, 0.0, 0.4])
MEAN_CASE_DAYS = 300
LOOKBACK_DAYS = YEAR


def usual_caseloads(rng: np.random.Generator, staff: pd.DataFrame) -> np.ndarray:
    """Cases each assignment usually holds: none for managers, a few for principals, fewer for NQSWs."""
    n = len(staff)
    role = staff["role"].to_numpy()
    front_line = np.clip(np.rint(rng.normal(18, 4, n)), 6, 28)
    newly_qualified = (staff["qualified"].to_numpy() > staff["start"].to_numpy() - YEAR) & ~staff["agency"].to_numpy()
    front_line = np.where(newly_qualified, rng.integers(6, 13, n), front_line)
    counts = np.select([role == MANAGER, role == PRINCIPAL], [0, rng.integers(3, 9, n)], front_line)
    return counts.astype(np.int64)


def slot_episodes(rng: np.random.Generator, staff: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Runs of consecutive cases, one run per slot: row, start, end, and the end before any cut."""
    slots = np.repeat(np.arange(len(staff)), usual_caseloads(rng, staff))
    row_start = staff["start"].to_numpy()[slots]
    row_end = staff["end"].to_numpy()[slots]
    slot_start = np.maximum(row_start, window.first_day - LOOKBACK_DAYS)
    new_starter = row_start > window.first_day - LOOKBACK_DAYS
    first = np.where(
        new_starter,
        row_start + rng.integers(3, 90, len(slots)),
        slot_start - rng.integers(0, MEAN_CASE_DAYS, len(slots)),
    )
    first = np.maximum(first, row_start)
    slot_end = np.minimum(row_end, window.last_day)
    n_cases = np.maximum((slot_end - first) * 2 // MEAN_CASE_DAYS, 0) + 3
    episode_slot = np.repeat(np.arange(len(slots)), n_cases)
    length = (rng.exponential(MEAN_CASE_DAYS, len(episode_slot)) + 14).astype(np.int64)
    before = np.cumsum(length) - length
    group_start = np.repeat(np.cumsum(n_cases) - n_cases, n_cases)
    start = first[episode_slot] + before - before[group_start]
    natural_end = start + length - 1
    end = np.minimum(natural_end, row_end[episode_slot])
    keep = (start <= slot_end[episode_slot]) & (end >= window.first_day - 0) & (end >= start)
    return pd.DataFrame(
        {
            "row": slots[episode_slot][keep],
            "start": start[keep],
            "end": end[keep],
            "natural_end": natural_end[keep],
        }
    )


def draw_case_types(rng: np.random.Generator, staff: pd.DataFrame, episodes: pd.DataFrame) -> np.ndarray:
    """A case type for each episode, by the worker's team function and role."""
    row = episodes["row"].to_numpy()
    function = staff["team"].to_numpy()[row] % len(TEAM_FUNCTIONS)
    mix = np.where((staff["role"].to_numpy()[row] == PRINCIPAL)[:, None], PRINCIPAL_MIX, TYPE_MIX[function])
    cumulative = np.cumsum(mix, axis=1)
    kind = (rng.random(len(row))[:, None] > cumulative).sum(axis=1)
    kind = np.minimum(kind, len(CASE_TYPES) - 1)
    # No complex case for someone in their first six months after qualifying.
    qualified = staff["qualified"].to_numpy()[row]
    early = (qualified > NONE) & (episodes["start"].to_numpy() < six_months_after(qualified))
    return np.where(early & np.isin(kind, COMPLEX), 0, kind)


def six_months_after(days: np.ndarray) -> np.ndarray:
    """Each day number plus six calendar months (clipped to the month's end); missing dates give 1970."""
    safe = np.where(days > NONE, days, 0)
    return as_days(add_months(as_dates(safe), 6))


class WorkerPicker:
    """Picks, for many (team, day) pairs at once, a front-line worker of that team in post."""

    def __init__(self, staff: pd.DataFrame, tries: int = 12):
        """Index the social workers' and seniors' assignment rows by team; ``tries`` random picks per pair."""
        front_line = staff.loc[staff["role"].isin([SOCIAL_WORKER, SENIOR])].sort_values(["team", "start", "person"])
        self.rows = front_line.index.to_numpy()
        self.team = front_line["team"].to_numpy()
        self.start = front_line["start"].to_numpy()
        self.end = front_line["end"].to_numpy()
        self.person = front_line["person"].to_numpy()
        self.tries = tries

    def pick(self, rng: np.random.Generator, team: np.ndarray, first: np.ndarray, not_person: np.ndarray) -> np.ndarray:
        """A staff row in ``team`` in post from a fortnight before ``first``; -1 where none found."""
        lo = np.searchsorted(self.team, team, side="left")
        count = np.searchsorted(self.team, team, side="right") - lo
        chosen = np.full(len(team), -1)
        for _ in range(self.tries):
            candidate = lo + (rng.random(len(team)) * np.maximum(count, 1)).astype(np.int64)
            candidate = np.minimum(candidate, len(self.rows) - 1)
            valid = (
                (count > 0)
                & (chosen < 0)
                & (self.team[candidate] == team)
                & (self.start[candidate] <= first - 14)
                & (self.end[candidate] >= first)
                & (self.person[candidate] != not_person)
            )
            chosen = np.where(valid, self.rows[candidate], chosen)
        return chosen


def handovers(
    rng: np.random.Generator, staff: pd.DataFrame, episodes: pd.DataFrame, picker: WorkerPicker, window: Window
) -> pd.DataFrame:
    """Cases cut short by their worker leaving or changing post, reallocated to a colleague."""
    row = episodes["row"].to_numpy()
    cut = (episodes["end"].to_numpy() < episodes["natural_end"].to_numpy()) & (
        episodes["end"].to_numpy() < window.last_day
    )
    first = episodes["end"].to_numpy()[cut] + rng.integers(1, 8, cut.sum())
    new_row = picker.pick(rng, staff["team"].to_numpy()[row[cut]], first, staff["person"].to_numpy()[row[cut]])
    found = new_row >= 0
    end = np.minimum(episodes["natural_end"].to_numpy()[cut][found], staff["end"].to_numpy()[new_row[found]])
    return pd.DataFrame(
        {
            "case": episodes["case"].to_numpy()[cut][found],
            "row": new_row[found],
            "start": first[found],
            "end": end,
            "kind": episodes["kind"].to_numpy()[cut][found],
        }
    )


def co_working(
    rng: np.random.Generator, staff: pd.DataFrame, episodes: pd.DataFrame, picker: WorkerPicker
) -> pd.DataFrame:
    """A few cases shared with a second worker for part of their life."""
    length = (episodes["end"] - episodes["start"]).to_numpy()
    shared = (length >= 60) & (rng.random(len(episodes)) < 0.04)
    first = episodes["start"].to_numpy()[shared] + (rng.random(shared.sum()) * length[shared] / 3).astype(np.int64)
    row = episodes["row"].to_numpy()[shared]
    partner = picker.pick(rng, staff["team"].to_numpy()[row], first, staff["person"].to_numpy()[row])
    found = partner >= 0
    span = length[shared][found]
    end = first[found] + (span * rng.uniform(0.3, 0.6, found.sum())).astype(np.int64)
    end = np.minimum(end, staff["end"].to_numpy()[partner[found]])
    return pd.DataFrame(
        {
            "case": episodes["case"].to_numpy()[shared][found],
            "row": partner[found],
            "start": first[found],
            "end": end,
            "kind": episodes["kind"].to_numpy()[shared][found],
        }
    )


def cover_and_return(
    rng: np.random.Generator, staff: pd.DataFrame, episodes: pd.DataFrame, picker: WorkerPicker
) -> pd.DataFrame:
    """A few cases covered by a colleague for some weeks, then reallocated back to the same worker."""
    length = (episodes["end"] - episodes["start"]).to_numpy()
    chosen = np.flatnonzero((length >= 150) & (length < OPEN // 2) & (rng.random(len(episodes)) < 0.01))
    away = episodes["start"].to_numpy()[chosen] + 30 + (rng.random(len(chosen)) * length[chosen] / 3).astype(np.int64)
    back = away + rng.integers(14, 60, len(chosen))
    row = episodes["row"].to_numpy()[chosen]
    cover = picker.pick(rng, staff["team"].to_numpy()[row], away + 1, staff["person"].to_numpy()[row])
    found = (cover >= 0) & (staff["end"].to_numpy()[np.maximum(cover, 0)] >= back)
    chosen, away, back, cover = chosen[found], away[found], back[found], cover[found]
    original = episodes.iloc[chosen]
    returned = original.assign(start=back + 1)
    covered = original.assign(row=cover, start=away + 1, end=back)
    episodes.iloc[chosen, episodes.columns.get_loc("end")] = away
    return pd.concat([covered, returned], ignore_index=True)[["case", "row", "start", "end", "kind"]]


def make_allocations(rng: np.random.Generator, staff: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Allocation records (case, row, start, end, kind); ``end`` is ``OPEN`` past the window's end."""
    episodes = slot_episodes(rng, staff, window).sort_values(["start", "row"], kind="stable").reset_index(drop=True)
    episodes["case"] = np.arange(len(episodes))
    episodes["kind"] = draw_case_types(rng, staff, episodes)
    picker = WorkerPicker(staff)
    extra = [
        handovers(rng, staff, episodes, picker, window),
        co_working(rng, staff, episodes, picker),
        cover_and_return(rng, staff, episodes, picker),
    ]
    allocations = pd.concat([episodes[["case", "row", "start", "end", "kind"]], *extra], ignore_index=True)
    allocations["end"] = np.where(allocations["end"] > window.last_day, OPEN, allocations["end"])
    allocations = allocations.loc[
        (allocations["start"] <= window.last_day) & (allocations["end"] >= allocations["start"])
    ]
    allocations["person"] = staff["person"].to_numpy()[allocations["row"].to_numpy()]
    return allocations.reset_index(drop=True)
