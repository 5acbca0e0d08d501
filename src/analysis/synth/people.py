"""The staff of the synthetic authority: one row per post assignment, as integer-coded arrays.

Dates are day numbers (days since 1970-01-01) so that every step is plain integer arithmetic on
numpy arrays; ``OPEN`` marks an open end and ``NONE`` a missing date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

OPEN = 10**7
NONE = -(10**7)
YEAR = 365

ROLES = ("social_worker", "senior_social_worker", "principal_social_worker", "team_manager")
SOCIAL_WORKER, SENIOR, PRINCIPAL, MANAGER = range(4)
TEAM_FUNCTIONS = (
    "Assessment",
    "Child Protection North",
    "Child Protection South",
    "Looked After Children",
    "Disabled Children",
    "Leaving Care",
)
PEOPLE_PER_TEAM = 25
# The restructure: a wave of appointments, the reason due staff rise from September 2019.
WAVE_FIRST, WAVE_LAST = "2019-05-01", "2019-12-13"


def day(text: str) -> int:
    """An ISO date as a day number."""
    return int(np.datetime64(text, "D").astype(np.int64))


@dataclass(frozen=True)
class Window:
    """The months the records cover, as day numbers (both ends inclusive)."""

    first_month: pd.Period
    last_month: pd.Period

    @property
    def first_day(self) -> int:
        """The first day of the first month."""
        return day(str(self.first_month.start_time.date()))

    @property
    def last_day(self) -> int:
        """The last day of the last month."""
        return day(str(self.last_month.end_time.date()))

    def covers(self, first: str, last: str) -> bool:
        """True if the window holds every day from ``first`` to ``last``."""
        return self.first_day <= day(first) and day(last) <= self.last_day


def team_names(n_teams: int) -> list[str]:
    """Six named teams for a single authority; area-prefixed names beyond that."""
    if n_teams <= len(TEAM_FUNCTIONS):
        return list(TEAM_FUNCTIONS[:n_teams])
    return [f"Area {i // 6 + 1:03d} {TEAM_FUNCTIONS[i % 6]}" for i in range(n_teams)]


def role_counts(n_staff: int, n_teams: int) -> np.ndarray:
    """People per role: a manager and one or two principals per team, seniors, social workers."""
    managers = n_teams
    principals = round(1.5 * n_teams)
    rest = n_staff - managers - principals
    seniors = round(0.27 * rest)
    return np.array([rest - seniors, seniors, principals, managers])


def draw_teams(rng: np.random.Generator, roles: np.ndarray, n_teams: int) -> np.ndarray:
    """A team for each person: managers and the first principals one per team, others at random."""
    teams = rng.integers(0, n_teams, size=len(roles))
    for role in (MANAGER, PRINCIPAL):
        holders = np.flatnonzero(roles == role)
        first = holders[:n_teams]
        teams[first] = np.arange(len(first)) % n_teams
    return teams


def draw_agency(rng: np.random.Generator, roles: np.ndarray) -> np.ndarray:
    """Agency (True) or permanent, by role: agency cover is mostly front-line posts."""
    chance = np.array([0.24, 0.16, 0.10, 0.0])[roles]
    return rng.random(len(roles)) < chance


def draw_employment_dates(
    rng: np.random.Generator, roles: np.ndarray, agency: np.ndarray, window: Window
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end days: incumbents at the window's start, starters through it, agency churn."""
    n = len(roles)
    w0, w1 = window.first_day, window.last_day
    incumbent = (roles == MANAGER) | (rng.random(n) < 0.52)
    years_before = np.where(agency, rng.uniform(0.1, 1.0, n), rng.uniform(0.2, 12.0, n))
    starter_day = draw_starter_days(rng, n, window)
    start = np.where(incumbent, w0 - (years_before * YEAR).astype(np.int64), starter_day)
    mean_stay = np.where(agency, 0.8 * YEAR, 6.0 * YEAR)
    stay = (rng.exponential(mean_stay) + np.where(agency, 60, 180)).astype(np.int64)
    end = np.where(incumbent, w0 + stay, start + stay)
    end = np.where((roles == MANAGER) | (end >= w1), OPEN, end)
    return start, end


def draw_starter_days(rng: np.random.Generator, n: int, window: Window) -> np.ndarray:
    """Start days of people appointed during the window: even, plus the restructure's wave."""
    w0, w1 = window.first_day, window.last_day
    even = rng.integers(w0 + 1, w1 - 20, size=n)
    if not window.covers(WAVE_FIRST, WAVE_LAST):
        return even
    wave = rng.integers(day(WAVE_FIRST), day(WAVE_LAST), size=n)
    return np.where(rng.random(n) < 0.3, wave, even)


def draw_qualified(
    rng: np.random.Generator, roles: np.ndarray, agency: np.ndarray, start: np.ndarray, window: Window
) -> np.ndarray:
    """Qualified days: some starters newly qualified, long-qualified managers, a few agency gaps."""
    n = len(roles)
    experience = np.array([3.0, 7.0, 10.0, 12.0])[roles]
    years = rng.uniform(0.5, 1.0, n) * experience + rng.uniform(1.0, 4.0, n)
    qualified = start - (years * YEAR).astype(np.int64)
    newly = (roles == SOCIAL_WORKER) & ~agency & (start > window.first_day) & (rng.random(n) < 0.35)
    qualified = np.where(newly, start - rng.integers(14, 150, size=n), qualified)
    return np.where(agency & (rng.random(n) < 0.08), NONE, qualified)


def draw_fte(rng: np.random.Generator, agency: np.ndarray) -> np.ndarray:
    """Mostly full time; some permanent part-time posts."""
    part = rng.choice(np.array([0.5, 0.6, 0.8]), size=len(agency))
    return np.where(~agency & (rng.random(len(agency)) < 0.15), part, 1.0)


def make_people(rng: np.random.Generator, n_staff: int, window: Window) -> pd.DataFrame:
    """One row per person (before promotions and moves), with an integer ``person`` index."""
    n_teams = max(len(TEAM_FUNCTIONS), round(n_staff / PEOPLE_PER_TEAM))
    roles = np.repeat(np.arange(4), role_counts(n_staff, n_teams))
    teams = draw_teams(rng, roles, n_teams)
    agency = draw_agency(rng, roles)
    start, end = draw_employment_dates(rng, roles, agency, window)
    # Ids in a random order, so that an id says nothing about the person's role.
    return pd.DataFrame(
        {
            "person": rng.permutation(n_staff),
            "team": teams,
            "role": roles,
            "agency": agency,
            "start": start,
            "end": end,
            "qualified": draw_qualified(rng, roles, agency, start, window),
            "fte": draw_fte(rng, agency),
        }
    )


def split_for_changes(rng: np.random.Generator, people: pd.DataFrame, window: Window, n_teams: int) -> pd.DataFrame:
    """Promote or move a few long-serving permanent people mid-window: a second assignment row."""
    first = np.maximum(people["start"].to_numpy(), window.first_day)
    last = np.minimum(people["end"].to_numpy(), window.last_day)
    can_change = (~people["agency"] & people["role"].isin([SOCIAL_WORKER, SENIOR])).to_numpy()
    changing = can_change & (last - first > 400) & (rng.random(len(people)) < 0.08)
    before = people.loc[changing].copy()
    change_day = first[changing] + (rng.random(changing.sum()) * (last - first - 200)[changing]).astype(np.int64) + 100
    after = before.copy()
    before["end"] = change_day - 1
    after["start"] = change_day
    promoted = rng.random(len(after)) < 0.6
    after["role"] = np.where(promoted, after["role"] + 1, after["role"])
    moved_team = (after["team"] + rng.integers(1, n_teams, size=len(after))) % n_teams
    after["team"] = np.where(promoted, after["team"], moved_team)
    rows = pd.concat([people.loc[~changing], before, after], ignore_index=True)
    return rows.sort_values(["person", "start"], kind="stable").reset_index(drop=True)


def make_staff(rng: np.random.Generator, n_staff: int, window: Window) -> pd.DataFrame:
    """The assignment rows of ``n_staff`` people: person, team, role, agency, start, end, qualified, fte.

    Raises
    ------
    ValueError
        If ``n_staff`` is too small to give every team a manager and a principal.
    """
    n_teams = max(len(TEAM_FUNCTIONS), round(n_staff / PEOPLE_PER_TEAM))
    if n_staff < 4 * n_teams:
        raise ValueError(f"--staff must be at least {4 * n_teams} for {n_teams} teams")
    people = make_people(rng, n_staff, window)
    staff = split_for_changes(rng, people, window, n_teams)
    staff.attrs["team_names"] = team_names(n_teams)
    return staff
