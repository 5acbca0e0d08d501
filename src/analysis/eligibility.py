"""Person-months: who was in scope, due, supervised, or excluded and why, in each month.

Every definition is design.md's ("Definitions"). All of it is whole-array arithmetic: each person
and month becomes an integer code (``person * n_months + month``), intervals become half-open
ranges of working-day ordinals (``calendar.working_day_ordinal``), and unavailable days come from
one sweep over the interval end points of the person-months that have any absence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.assignments import categorise, person_qualified_dates
from analysis.calendar import as_days, working_day_ordinal
from analysis.config import Settings
from analysis.dataset import Dataset
from analysis.rules import repeats_of_earlier

NOT_IN_POST = "not_in_post"
ALL_REASONS = ("not_in_post", "maternity", "sickness", "annual_leave", "other")
OPEN_END = np.datetime64("2262-01-01", "D")
_ONE_DAY = np.timedelta64(1, "D")

COLUMNS = [
    "month",
    "staff_id",
    "ref_date",
    "team",
    "role",
    "employment",
    "fte",
    "qualified_date",
    "category",
    "working_days",
    "unavailable_days",
    "days_not_in_post",
    "days_maternity",
    "days_sickness",
    "days_annual_leave",
    "days_other",
    "due",
    "exclusion_reason",
    "formal_supervisions",
    "supervised",
    "near_miss",
    "last_formal_supervision",
    "absence_data_gap",
]


def reason_column(reason: str) -> str:
    """The person-month column holding the working days unavailable for ``reason``."""
    return f"days_{reason}"


class _Months:
    """The requested months as sorted arrays: period ordinals, first and last days, working days."""

    def __init__(self, months: Sequence[pd.Period], config: Settings):
        periods = sorted({pd.Period(m, freq="M") for m in months})
        self.labels = np.array([str(p) for p in periods], dtype=object)
        self.ordinal = np.array([p.ordinal for p in periods], dtype=np.int64)
        self.first = self.ordinal.astype("datetime64[M]").astype("datetime64[D]")
        self.last = (self.ordinal + 1).astype("datetime64[M]").astype("datetime64[D]") - _ONE_DAY
        self.first_wd = working_day_ordinal(self.first, config)
        self.end_wd = working_day_ordinal(self.last + _ONE_DAY, config)
        self.n = len(periods)

    def index_of(self, days: np.ndarray) -> np.ndarray:
        """Index of the month holding each date, -1 where that month was not requested."""
        month = days.astype("datetime64[M]").astype(np.int64)
        at = np.searchsorted(self.ordinal, month)
        hit = (at < self.n) & (self.ordinal[np.minimum(at, self.n - 1)] == month)
        return np.where(hit, at, -1)


def _explode_months(start: np.ndarray, end: np.ndarray, months: _Months) -> tuple[np.ndarray, np.ndarray]:
    """For intervals [start, end], (interval index, month index) of every requested month they overlap."""
    first = np.searchsorted(months.ordinal, start.astype("datetime64[M]").astype(np.int64), side="left")
    last = np.searchsorted(months.ordinal, end.astype("datetime64[M]").astype(np.int64), side="right")
    count = np.maximum(last - first, 0)
    interval = np.repeat(np.arange(len(start)), count)
    step = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return interval, np.repeat(first, count) + step


def _clip(start: np.ndarray, end: np.ndarray, month: np.ndarray, months: _Months, config: Settings):
    """Intervals clipped to their month, as half-open working-day ordinals, and the clipped end date."""
    s = np.maximum(start, months.first[month])
    e = np.minimum(end, months.last[month])
    return working_day_ordinal(s, config), working_day_ordinal(e + _ONE_DAY, config), e


def _codes_present(codes: np.ndarray, size: int) -> np.ndarray:
    """A boolean lookup over 0..size-1: a linear-time ``np.unique``/``np.isin`` for dense codes."""
    mask = np.zeros(size, dtype=bool)
    mask[codes] = True
    return mask


def stable_argsort(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for int64 keys, by sorting values rather than indices.

    Each key is packed with its position (``(key - min) * n + position``), which makes every
    packed value distinct and ordered as the stable sort orders them; sorting plain integers is
    several times faster than a stable argsort. Falls back to the argsort when the packed value
    would overflow.
    """
    n = len(key)
    if n == 0:
        return np.arange(0)
    low, high = int(key.min()), int(key.max())
    if (high - low + 1) * n >= 2**62:
        return np.argsort(key, kind="stable")
    packed = (key.astype(np.int64) - np.int64(low)) * np.int64(n) + np.arange(n, dtype=np.int64)
    packed.sort()
    return packed % np.int64(n)


def _sort_by(major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """Indices ordering two non-negative-ish integer keys, ``major`` first (one stable sort of one key)."""
    if not len(major):
        return np.arange(0)
    low = minor.min()
    return stable_argsort(major.astype(np.int64) * np.int64(minor.max() - low + 1) + (minor - low))


def _reason_days(
    pm_code: np.ndarray,
    posts: dict[str, np.ndarray],
    absences: dict[str, np.ndarray],
    bounds: tuple[np.ndarray, np.ndarray],
    reasons: list[str],
    size: int,
) -> np.ndarray:
    """Working days per person-month (rows, in ``pm_code`` order) and reason (columns, config order).

    A day is unavailable when no assignment covers it or an absence does; it takes the first
    reason in ``reasons`` that applies. Person-months without absences need no sweep: their
    only unavailable days are the ones no assignment covers.
    """
    n = len(pm_code)
    out = np.zeros((n, len(reasons)), dtype=np.int64)
    row_of_post = np.searchsorted(pm_code, posts["code"])
    covered = np.bincount(row_of_post, weights=posts["end"] - posts["start"], minlength=n).astype(np.int64)
    month_length = bounds[1] - bounds[0]
    if NOT_IN_POST in reasons:
        out[:, reasons.index(NOT_IN_POST)] = np.maximum(month_length - covered, 0)

    has_absence = _codes_present(absences["code"], size)
    swept = np.flatnonzero(has_absence)
    if not len(swept):
        return out
    rows = np.searchsorted(pm_code, swept)
    post_in = has_absence[posts["code"]]
    layers = [r for r in reasons if r != NOT_IN_POST]
    # Events, each of a kind: 0 a month bound (no change), 1 and 2 an assignment's start and
    # end, then an absence's start and end for each layer (its reason's position in ``layers``).
    n_post = int(post_in.sum())
    code = np.concatenate(
        [swept, swept, posts["code"][post_in], posts["code"][post_in], absences["code"], absences["code"]]
    )
    pos = np.concatenate(
        [
            bounds[0][rows],
            bounds[1][rows],
            posts["start"][post_in],
            posts["end"][post_in],
            absences["start"],
            absences["end"],
        ]
    )
    kind = np.concatenate(
        [
            np.zeros(2 * len(swept), np.int64),
            np.full(n_post, 1),
            np.full(n_post, 2),
            3 + 2 * absences["layer"],
            4 + 2 * absences["layer"],
        ]
    )
    n_kinds = 3 + 2 * max(len(layers), 1)
    kind_layer = np.array([-2, -1, -1] + [k for k in range(n_kinds // 2 - 1) for _ in (0, 1)])
    kind_delta = np.array([0, 1, -1] + [d for _ in range(n_kinds // 2 - 1) for d in (1, -1)])
    # Sort by (person-month, position) only: the order of events at one position changes no
    # count (only the state after the last of them spans any days). With the kind packed into
    # the low digits, one sort of plain integers does it.
    low = int(pos.min())
    width = int(pos.max()) - low + 1
    if (int(code.max()) + 1) * width * n_kinds < 2**62:
        key = (code.astype(np.int64) * width + (pos - low)) * n_kinds + kind
        key.sort()
        kind = key % n_kinds
        key //= n_kinds
        code, pos = key // width, key % width + low
    else:
        order = _sort_by(code, pos)
        code, pos, kind = code[order], pos[order], kind[order]
    length = np.zeros(len(code), dtype=np.int64)
    length[:-1] = np.where(code[1:] == code[:-1], pos[1:] - pos[:-1], 0)
    # Every person-month's events sum to zero, so a running total over all of them is per
    # person-month: the assignments open, and the absences open in each layer, after each event.
    reason = np.full(len(code), -1)
    for k, name in enumerate(reasons):
        step = np.where(kind_layer == (-1 if name == NOT_IN_POST else layers.index(name)), kind_delta, 0)
        running = np.cumsum(step.astype(np.int32)[kind], dtype=np.int64)
        applies = running <= 0 if name == NOT_IN_POST else running > 0
        reason[(reason == -1) & applies] = k
    # Every swept person-month has events (its month bounds) and every event's code is swept, so
    # the events' rank among the sorted codes is their row among ``swept``.
    row = np.cumsum(np.r_[False, code[1:] != code[:-1]])
    counted = (reason >= 0) & (length > 0)
    k_all = len(reasons)
    days = np.bincount(row[counted] * k_all + reason[counted], weights=length[counted], minlength=len(swept) * k_all)
    out[rows] = days.reshape(len(swept), k_all).astype(np.int64)
    return out


def _formal_supervisions(data: Dataset, people: pd.Index, config: Settings) -> tuple[np.ndarray, np.ndarray]:
    """(person code, date) of every counting supervision of a known person, exact duplicates once."""
    sup = data.supervisions
    counting = sup["supervision_type"].isin(config.counting_supervision_types).to_numpy()
    person = people.get_indexer(sup["staff_id"].to_numpy()[counting])
    day = as_days(sup["supervision_date"].to_numpy()[counting])
    known = (person >= 0) & ~np.isnat(day)
    person, day = person[known], day[known]
    if not len(day):
        return person, day
    # Exact duplicates (same person, date and type) once: staff_id and person code are one to one.
    kind = pd.factorize(sup["supervision_type"].to_numpy()[counting][known])[0].astype(np.int64)
    offset = (day - day.min()).astype(np.int64)
    key = (person.astype(np.int64) * (int(offset.max()) + 1) + offset) * (int(kind.max()) + 1) + kind
    first = ~repeats_of_earlier(key)
    return person[first], day[first]


def _supervision_flags(
    pm_person: np.ndarray,
    pm_month: np.ndarray,
    n_people: int,
    months: _Months,
    formal: tuple[np.ndarray, np.ndarray],
    grace_days: int,
):
    """Per person-month: formal supervisions in the month, any within the grace days after, the latest by month end."""
    person, day = formal
    pm_code = pm_person * months.n + pm_month
    size = n_people * months.n
    month = months.index_of(day)
    in_month = month >= 0
    count = np.bincount(person[in_month] * months.n + month[in_month], minlength=size)[pm_code]

    # A supervision on day d is a near miss for every month ending in [d - grace, d - 1].
    late_first = (day - np.timedelta64(grace_days, "D")).astype("datetime64[M]").astype(np.int64)
    late_last = day.astype("datetime64[M]").astype(np.int64) - 1
    n_late = np.maximum(late_last - late_first + 1, 0)
    which = np.repeat(np.arange(len(day)), n_late)
    ordinal = np.repeat(late_first, n_late) + (np.arange(n_late.sum()) - np.repeat(np.cumsum(n_late) - n_late, n_late))
    late_month = months.index_of(ordinal.astype("datetime64[M]").astype("datetime64[D]"))
    ok = late_month >= 0
    late = np.bincount(person[which[ok]] * months.n + late_month[ok], minlength=size)[pm_code] > 0

    return count, late, _latest_on_or_before(person, day, pm_person, months.last[pm_month])


def _latest_on_or_before(person: np.ndarray, day: np.ndarray, when_person: np.ndarray, when: np.ndarray) -> np.ndarray:
    """For each (when_person, when), the latest ``day`` of that person on or before ``when``; NaT if none."""
    latest = np.full(len(when), np.datetime64("NaT"), dtype="datetime64[D]")
    if not len(day) or not len(when):
        return latest
    # One sorted key per (person, day), so a single searchsorted answers every question.
    base = min(day.min(), when.min())
    span = np.int64(max(day.max(), when.max()) - base) + 2
    key = np.sort(person * span + (day - base).astype(np.int64))
    at = np.searchsorted(key, when_person * span + (when - base).astype(np.int64), side="right") - 1
    hit = key[np.maximum(at, 0)]
    found = (at >= 0) & (hit // span == when_person)
    latest[found] = base + (hit[found] % span).astype("timedelta64[D]")
    return latest


def _absence_pieces(
    absences: pd.DataFrame,
    people: pd.Index,
    in_scope: np.ndarray,
    months: _Months,
    reasons: list[str],
    config: Settings,
) -> dict[str, np.ndarray]:
    """Absences cut into months, for in-scope person-months only, as half-open working-day ordinals.

    ``layer`` is the absence type's position among the reasons other than ``not_in_post``;
    absences of unknown staff or of a type that is not a reason are left out.
    """
    person = people.get_indexer(absences["staff_id"])
    start, end = as_days(absences["start_date"]), as_days(absences["end_date"])
    layers = [r for r in reasons if r != NOT_IN_POST]
    # Each distinct absence type looked up once.
    type_code, types = pd.factorize(absences["absence_type"].to_numpy())
    position = {name: k for k, name in enumerate(layers)}
    layer = np.array([position.get(t, -1) for t in types] + [-1], dtype=np.int64)[type_code]
    known = (person >= 0) & ~np.isnat(start) & ~np.isnat(end) & (end >= start) & (layer >= 0)
    person, start, end, layer = person[known], start[known], end[known], layer[known]
    which, month = _explode_months(start, end, months)
    code = person[which] * months.n + month
    wanted = in_scope[code]
    which, month, code = which[wanted], month[wanted], code[wanted]
    first, stop, _ = _clip(start[which], end[which], month, months, config)
    return {"code": code, "start": first, "end": stop, "layer": layer[which]}


def _no_one(months: _Months) -> pd.DataFrame:
    """A person-month frame with no rows, still naming the months asked for."""
    out = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out.attrs["months"] = list(months.labels)
    return out


def person_months(data: Dataset, months: Sequence[pd.Period], config: Settings) -> pd.DataFrame:
    """One row per in-scope person and month, with every supervision definition of design.md.

    Parameters
    ----------
    data
        The canonical tables (assignments must not overlap; exact duplicates may remain).
    months
        The months wanted (``pandas.Period``, freq ``M``), in any order; each is computed once.
    config
        Definition keys: ``supervision_roles``, ``nqsw_months``, ``absence_threshold_days``,
        ``grace_days``, ``counting_supervision_types``, ``exclusion_reasons``; ``calendar``.

    Returns
    -------
    pandas.DataFrame
        Sorted by month then ``staff_id``; columns ``COLUMNS``: ``month`` (``YYYY-MM``),
        ``ref_date`` and the post on it (team, role, employment, fte, qualified_date), category,
        ``working_days`` of the month, ``unavailable_days`` and ``days_<reason>`` (each day under
        the first reason that applies, in ``exclusion_reasons`` order), ``due``,
        ``exclusion_reason`` (None when due; else the reason with most days, ties in that order),
        ``formal_supervisions`` (counting supervisions dated in the month), ``supervised``,
        ``near_miss``, ``last_formal_supervision`` (on or before the month end) and
        ``absence_data_gap`` (agency, with no absence record anywhere in the extract).
        ``attrs["months"]`` lists every requested month, so empty months still get a row in
        ``compliance.supervision_monthly``.

    Raises
    ------
    KeyError
        If a definition key is missing from ``config``.
    """
    reasons = list(config.exclusion_reasons)
    span = _Months(months, config)
    staff = data.staff
    if span.n == 0 or staff.empty:
        return _no_one(span)

    person_code, people = pd.factorize(staff["staff_id"], sort=True)
    people = pd.Index(people)
    start = as_days(staff["start_date"])
    end = as_days(staff["end_date"])
    end = np.where(np.isnat(end), OPEN_END, end)

    post, month = _explode_months(start, end, span)
    post_code = person_code[post] * span.n + month
    in_role = staff["role"].isin(config.supervision_roles).to_numpy()[post]
    size = len(people) * span.n
    in_scope = _codes_present(post_code[in_role], size)
    pm_code = np.flatnonzero(in_scope)
    if not len(pm_code):
        return _no_one(span)
    keep = in_scope[post_code]
    post, month, post_code = post[keep], month[keep], post_code[keep]
    post_start, post_end, clipped_end = _clip(start[post], end[post], month, span, config)

    # Reference date: the latest day in the month covered by an assignment; it is that assignment's.
    order = _sort_by(post_code, clipped_end.astype(np.int64))
    last = order[np.r_[post_code[order][1:] != post_code[order][:-1], True]]
    ref_post, ref_date = post[last], clipped_end[last]
    pm_person, pm_month = pm_code // span.n, pm_code % span.n

    absences = data.absences
    bounds = (span.first_wd[pm_month], span.end_wd[pm_month])
    days = _reason_days(
        pm_code,
        {"code": post_code, "start": post_start, "end": post_end},
        _absence_pieces(absences, people, in_scope, span, reasons, config),
        bounds,
        reasons,
        size,
    )
    # From here on, rows in the output order: month, then staff_id (pm_code sorts person first).
    order = _sort_by(pm_month, pm_person)
    pm_person, pm_month, ref_post, ref_date = pm_person[order], pm_month[order], ref_post[order], ref_date[order]
    days, bounds = days[order], (bounds[0][order], bounds[1][order])
    unavailable = days.sum(axis=1)
    due = unavailable < int(config.absence_threshold_days)
    # Index len(reasons) stands for "due, no reason".
    reason = np.where(due, len(reasons), days.argmax(axis=1) if reasons else 0)

    count, late, last_formal = _supervision_flags(
        pm_person, pm_month, len(people), span, _formal_supervisions(data, people, config), int(config.grace_days)
    )
    supervised = due & (count > 0)

    def post(column: str) -> np.ndarray:
        return staff[column].to_numpy()[ref_post]

    # A person qualifies once: the earliest date on any of their rows (design "Category").
    qualified = person_qualified_dates(staff).reindex(people).to_numpy(dtype="datetime64[ns]")[pm_person]
    employment = post("employment")
    category = categorise(employment, qualified, ref_date, int(config.nqsw_months))
    absent_ever = people.isin(absences["staff_id"].unique())[pm_person]

    out = pd.DataFrame(
        {
            "month": span.labels[pm_month],
            "staff_id": people.to_numpy()[pm_person],
            "ref_date": ref_date.astype("datetime64[ns]"),
            "team": post("team"),
            "role": post("role"),
            "employment": employment,
            "fte": post("fte"),
            "qualified_date": qualified,
            "category": category,
            "working_days": (bounds[1] - bounds[0]).astype(np.int64),
            "unavailable_days": unavailable.astype(np.int64),
            **{reason_column(name): np.zeros(len(pm_code), np.int64) for name in ALL_REASONS},
            **{reason_column(name): days[:, k] for k, name in enumerate(reasons)},
            "due": due,
            "exclusion_reason": np.array([*reasons, None], dtype=object)[reason],
            "formal_supervisions": count.astype(np.int64),
            "supervised": supervised,
            "near_miss": due & ~supervised & late,
            "last_formal_supervision": last_formal.astype("datetime64[ns]"),
            "absence_data_gap": (category == "agency") & ~absent_ever,
        },
        copy=False,
    )
    out = out[COLUMNS + [c for c in out.columns if c not in COLUMNS]]
    out.attrs["months"] = list(span.labels)
    return out
