"""Absences and supervisions of the synthetic authority, vectorised over people and months.

Annual leave clusters in the Welsh school holidays, sickness comes in short spells with the odd
long one, a few people take maternity leave; agency staff have no absence records at all (the
data gap the report describes). Formal supervision is mostly monthly, some a few days late, some
missed; group, peer and informal supervisions sit alongside and do not count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dateutil.easter import easter

from analysis.core.calendar import busdaycalendar
from analysis.synth.people import SENIOR, SOCIAL_WORKER, Window, day

ABSENCE_TYPES = ("annual_leave", "sickness", "maternity", "other")
LEAVE, SICKNESS, MATERNITY, OTHER = range(4)
SUPERVISION_TYPES = ("formal", "group", "peer", "informal")
FORMAL, GROUP, PEER, INFORMAL = range(4)


def as_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers as ``datetime64[D]``."""
    return np.asarray(days, dtype=np.int64).view("datetime64[D]")


def as_days(dates: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` dates (or ISO strings) as day numbers."""
    return np.asarray(dates, dtype="datetime64[D]").view(np.int64)


def roll_forward(days: np.ndarray) -> np.ndarray:
    """Each day, or the next working day if it is not one."""
    return as_days(np.busday_offset(as_dates(days), 0, roll="forward", busdaycal=busdaycalendar()))


def roll_backward(days: np.ndarray) -> np.ndarray:
    """Each day, or the previous working day if it is not one."""
    return as_days(np.busday_offset(as_dates(days), 0, roll="backward", busdaycal=busdaycalendar()))


def add_working_days(days: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The working day ``n`` working days after each (working) day."""
    return as_days(np.busday_offset(as_dates(days), n, roll="forward", busdaycal=busdaycalendar()))


def person_spans(staff: pd.DataFrame) -> pd.DataFrame:
    """Each person's whole employment (their assignments are contiguous) and attributes."""
    return (
        staff.groupby("person")
        .agg(
            start=("start", "min"),
            end=("end", "max"),
            agency=("agency", "first"),
            role=("role", "first"),
        )
        .reset_index()
    )


def spells(person: np.ndarray, first_day: np.ndarray, working_days: np.ndarray, kind: int) -> pd.DataFrame:
    """Absence spells of ``working_days`` working days starting on or after ``first_day``."""
    start = roll_forward(first_day)
    end = add_working_days(start, np.maximum(working_days, 1) - 1)
    return pd.DataFrame({"person": person, "kind": kind, "start": start, "end": end})


def monday_of_week(text: str) -> int:
    """The Monday of the week holding the ISO date ``text``, as a day number."""
    return day(text) - pd.Timestamp(text).weekday()


def school_holiday_starts(year: int) -> dict[str, int]:
    """First days of the Welsh school holidays used for leave in ``year`` (approximate)."""
    return {
        "february": monday_of_week(f"{year}-02-20"),
        "easter": day(str(easter(year))) + 1,  # Easter Monday
        "may": monday_of_week(f"{year}-05-31"),
        "summer": day(f"{year}-07-22"),
        "october": monday_of_week(f"{year}-10-31"),
        "christmas": day(f"{year}-12-17"),
    }


def annual_leave(rng: np.random.Generator, person: np.ndarray, year: np.ndarray) -> pd.DataFrame:
    """Leave for each (person, year): school-holiday blocks plus odd single days."""
    years = np.unique(year)
    starts = {y: school_holiday_starts(int(y)) for y in years}
    parts = []
    # (holiday, chance, spread in days, fewest and most working days)
    for name, chance, spread, shortest, longest in (
        ("february", 0.3, 3, 3, 5),
        ("easter", 0.5, 6, 4, 6),
        ("may", 0.3, 3, 3, 4),
        ("summer", 0.85, 33, 5, 10),
        ("october", 0.35, 3, 3, 5),
        ("christmas", 0.6, 6, 5, 8),
    ):
        taking = rng.random(len(person)) < chance
        base = np.array([starts[y][name] for y in years])[np.searchsorted(years, year[taking])]
        first = base + rng.integers(0, spread + 1, size=taking.sum())
        length = rng.integers(shortest, longest + 1, size=taking.sum())
        if name == "summer":  # a fortnight away is common in the summer
            length = np.where(rng.random(taking.sum()) < 0.45, 10, length)
        parts.append(spells(person[taking], first, length, LEAVE))
    singles = rng.poisson(3, size=len(person))
    who = np.repeat(person, singles)
    when = np.repeat(year, singles)
    first = np.array([day(f"{y}-01-01") for y in years])[np.searchsorted(years, when)] + rng.integers(
        0, 365, size=len(who)
    )
    parts.append(spells(who, first, np.ones(len(who), dtype=np.int64), LEAVE))
    return pd.concat(parts, ignore_index=True)


def sickness_and_other(rng: np.random.Generator, person: np.ndarray, year: np.ndarray) -> pd.DataFrame:
    """Short sickness spells, the odd long-term one, and 'other' leave (training, special leave)."""
    year_start = np.array([day(f"{y}-01-01") for y in year])
    parts = []
    for kind, rate, lengths in ((SICKNESS, 1.1, (1, 6)), (OTHER, 0.6, (1, 3))):
        counts = rng.poisson(rate, size=len(person))
        who = np.repeat(person, counts)
        first = np.repeat(year_start, counts) + rng.integers(0, 365, size=len(who))
        parts.append(spells(who, first, rng.integers(*lengths, size=len(who)), kind))
    long_term = rng.random(len(person)) < 0.04
    first = year_start[long_term] + rng.integers(0, 365, size=long_term.sum())
    parts.append(spells(person[long_term], first, rng.integers(15, 60, size=long_term.sum()), SICKNESS))
    return pd.concat(parts, ignore_index=True)


def maternity(rng: np.random.Generator, spans: pd.DataFrame, window: Window) -> pd.DataFrame:
    """A few front-line permanent people take six to twelve months' maternity leave."""
    first = np.maximum(spans["start"].to_numpy(), window.first_day)
    last = np.minimum(spans["end"].to_numpy(), window.last_day)
    eligible = spans["role"].isin([SOCIAL_WORKER, SENIOR]).to_numpy() & (last - first > 300)
    taking = eligible & (rng.random(len(spans)) < 0.03)
    start = first[taking] + (rng.random(taking.sum()) * (last - first - 120)[taking]).astype(np.int64)
    length = rng.integers(26 * 7, 52 * 7, size=taking.sum())
    return pd.DataFrame(
        {
            "person": spans["person"].to_numpy()[taking],
            "kind": MATERNITY,
            "start": roll_forward(start),
            "end": start + length,
        }
    )


def make_absences(rng: np.random.Generator, staff: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Absence spells (person, kind, start, end) of permanent staff, inside their employment."""
    spans = person_spans(staff)
    spans = spans.loc[~spans["agency"]].reset_index(drop=True)
    years = np.arange(window.first_month.year, window.last_month.year + 1)
    person = np.repeat(spans["person"].to_numpy(), len(years))
    year = np.tile(years, len(spans))
    absences = pd.concat(
        [annual_leave(rng, person, year), sickness_and_other(rng, person, year), maternity(rng, spans, window)],
        ignore_index=True,
    )
    return clip_to_employment(absences, spans, window)


def clip_to_employment(absences: pd.DataFrame, spans: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Absences cut to the person's employment and the window; those left empty dropped."""
    span = spans.set_index("person").loc[absences["person"]]
    start = np.maximum(absences["start"].to_numpy(), np.maximum(span["start"].to_numpy(), window.first_day))
    end = np.minimum(absences["end"].to_numpy(), span["end"].to_numpy())
    clipped = absences.assign(start=start, end=end)
    keep = (end >= start) & (start <= window.last_day)
    return clipped.loc[keep].reset_index(drop=True)


# --- supervisions --------------------------------------------------------------------------------


def month_first_days(months: np.ndarray) -> np.ndarray:
    """Day number of the first day of each month (months as numpy month numbers)."""
    return np.asarray(months, dtype=np.int64).view("datetime64[M]").astype("datetime64[D]").view(np.int64)


def person_months(staff: pd.DataFrame, window: Window) -> pd.DataFrame:
    """One row per assignment and month it overlaps inside the window: the days it covers."""
    start = np.maximum(staff["start"].to_numpy(), window.first_day)
    end = np.minimum(staff["end"].to_numpy(), window.last_day)
    first_month = as_dates(start).astype("datetime64[M]").view(np.int64)
    last_month = as_dates(np.maximum(end, start)).astype("datetime64[M]").view(np.int64)
    n_months = np.where(end >= start, last_month - first_month + 1, 0)
    row = np.repeat(np.arange(len(staff)), n_months)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(n_months) - n_months, n_months)
    month = first_month[row] + offset
    month_start = month_first_days(month)
    month_end = month_first_days(month + 1) - 1
    return pd.DataFrame(
        {
            "person": staff["person"].to_numpy()[row],
            "agency": staff["agency"].to_numpy()[row],
            "month_start": month_start,
            "month_end": month_end,
            "first": np.maximum(month_start, start[row]),
            "last": np.minimum(month_end, end[row]),
            "employment_end": staff["end"].to_numpy()[row],
        }
    )


def working_day_between(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """A random working day in each [first, last]; -1 where the range holds none."""
    pick = first + (rng.random(len(first)) * (last - first + 1)).astype(np.int64)
    forward = roll_forward(pick)
    chosen = np.where(forward <= last, forward, roll_backward(pick))
    return np.where((chosen >= first) & (chosen <= last), chosen, -1)


def make_supervisions(rng: np.random.Generator, staff: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Supervision records (person, kind, date) for every person-month of employment."""
    months = person_months(staff, window)
    first, last = months["first"].to_numpy(), months["last"].to_numpy()
    month_end = months["month_end"].to_numpy()
    draw = rng.random(len(months))
    missed = np.where(months["agency"], 0.10, 0.07)
    late = draw < missed + 0.06
    on_time = draw >= missed + 0.06
    late &= (draw >= missed) & (months["employment_end"].to_numpy() > month_end + 7)
    in_month = working_day_between(rng, first, last)
    # "rescheduled by just a few days": one to five days after the month ends
    after = roll_forward(month_end + rng.integers(1, 6, size=len(months)))
    after = np.where(after <= month_end + 6, after, -1)
    parts = [
        (months["person"].to_numpy()[on_time], FORMAL, in_month[on_time]),
        (months["person"].to_numpy()[late], FORMAL, after[late]),
    ]
    for kind, chance in ((GROUP, 0.35), (PEER, 0.12), (INFORMAL, 0.15)):
        taking = rng.random(len(months)) < chance
        parts.append((months["person"].to_numpy()[taking], kind, working_day_between(rng, first[taking], last[taking])))
    frame = pd.concat([pd.DataFrame({"person": p, "kind": k, "date": d}) for p, k, d in parts], ignore_index=True)
    return frame.loc[(frame["date"] >= 0) & (frame["date"] <= window.last_day)].reset_index(drop=True)


def absent_on(person: np.ndarray, days: np.ndarray, absences: pd.DataFrame) -> np.ndarray:
    """True where ``person`` is absent on the matching day (overlapping absences handled).

    Absences are keyed person-first, so the running maximum of their ends, taken in start order,
    never carries one person's absence over to the next person.
    """
    stride = np.int64(10**8)
    order = np.lexsort((absences["start"].to_numpy(), absences["person"].to_numpy()))
    base = absences["person"].to_numpy()[order].astype(np.int64) * stride
    start_key = base + absences["start"].to_numpy()[order]
    latest_end_key = np.maximum.accumulate(base + absences["end"].to_numpy()[order]) if len(order) else base
    key = np.asarray(person, dtype=np.int64) * stride + days
    last_started = np.searchsorted(start_key, key, side="right") - 1
    return (last_started >= 0) & (latest_end_key[np.maximum(last_started, 0)] >= key)


def without_absent_days(supervisions: pd.DataFrame, absences: pd.DataFrame) -> pd.DataFrame:
    """Supervisions dropped where they fall on a day the person is absent."""
    away = absent_on(supervisions["person"].to_numpy(), supervisions["date"].to_numpy(), absences)
    return supervisions.loc[~away].reset_index(drop=True)
