"""Person-months: who was in scope, due, supervised, or excluded and why, in each month.

Every definition is docs/definitions.md's. All of it is whole-array arithmetic: each person
and month becomes an integer code (``person * n_months + month``), intervals become half-open
ranges of working-day ordinals (``calendar.working_day_ordinal``), and unavailable days come from
one sweep over the interval end points of the person-months that have any absence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.core.arrays import codes_present, latest_on_or_before, repeats_of_earlier, sort_by
from analysis.core.assignments import categorise, person_qualified_dates
from analysis.core.calendar import MonthSpan, as_days, clip_to_months, explode_months
from analysis.inputs.dataset import Dataset
from analysis.supervision.unavailable_days import absence_pieces, reason_days

ALL_REASONS = ("not_in_post", "maternity", "sickness", "annual_leave", "other")
OPEN_END = np.datetime64("2262-01-01", "D")

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
    months: MonthSpan,
    formal: tuple[np.ndarray, np.ndarray],
    grace_days: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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

    return count, late, latest_on_or_before(person, day, pm_person, months.last[pm_month])


def _days_of(reason: str, reasons: list[str], days: np.ndarray) -> np.ndarray:
    """The column of ``days`` (person-months by reason, in ``reasons`` order) of ``reason``; 0 for a
    reason the settings leave out."""
    return days[:, reasons.index(reason)] if reason in reasons else np.zeros(len(days), np.int64)


def _no_one(months: MonthSpan) -> pd.DataFrame:
    """A person-month frame with no rows, still naming the months asked for."""
    out = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out.attrs["months"] = list(months.labels)
    return out


def person_months(data: Dataset, months: Sequence[pd.Period], config: Settings) -> pd.DataFrame:
    """One row per in-scope person and month, with every supervision definition of docs/definitions.md.

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
    span = MonthSpan(months, config)
    staff = data.staff
    if span.n == 0 or staff.empty:
        return _no_one(span)

    person_code, people = pd.factorize(staff["staff_id"], sort=True)
    people = pd.Index(people)
    start = as_days(staff["start_date"])
    end = as_days(staff["end_date"])
    end = np.where(np.isnat(end), OPEN_END, end)

    post, month = explode_months(start, end, span)
    post_code = person_code[post] * span.n + month
    in_role = staff["role"].isin(config.supervision_roles).to_numpy()[post]
    size = len(people) * span.n
    in_scope = codes_present(post_code[in_role], size)
    pm_code = np.flatnonzero(in_scope)
    if not len(pm_code):
        return _no_one(span)
    keep = in_scope[post_code]
    post, month, post_code = post[keep], month[keep], post_code[keep]
    post_start, post_end, clipped_end = clip_to_months(start[post], end[post], month, span, config)

    # Reference date: the latest day in the month covered by an assignment; it is that assignment's.
    order = sort_by(post_code, clipped_end.astype(np.int64))
    last = order[np.r_[post_code[order][1:] != post_code[order][:-1], True]]
    ref_post, ref_date = post[last], clipped_end[last]
    del order, last, clipped_end  # a national history has millions of post-months: free them as they go
    pm_person, pm_month = pm_code // span.n, pm_code % span.n

    absences = data.absences
    bounds = (span.first_wd[pm_month], span.end_wd[pm_month])
    days = reason_days(
        pm_code,
        {"code": post_code, "start": post_start, "end": post_end},
        absence_pieces(absences, people, in_scope, span, reasons, config),
        bounds,
        reasons,
        size,
    )
    del post_code, post_start, post_end, month, keep, in_scope
    # From here on, rows in the output order: month, then staff_id (pm_code sorts person first).
    order = sort_by(pm_month, pm_person)
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

    def of_post(column: str) -> np.ndarray:
        return staff[column].to_numpy()[ref_post]

    # A person qualifies once: the earliest date on any of their rows (docs/definitions.md).
    qualified = person_qualified_dates(staff).reindex(people).to_numpy(dtype="datetime64[ns]")[pm_person]
    employment = of_post("employment")
    category = categorise(employment, qualified, ref_date, int(config.nqsw_months))
    absent_ever = people.isin(absences["staff_id"].unique())[pm_person]

    out = pd.DataFrame(
        {
            "month": span.labels[pm_month],
            "staff_id": people.to_numpy()[pm_person],
            "ref_date": ref_date.astype("datetime64[ns]"),
            "team": of_post("team"),
            "role": of_post("role"),
            "employment": employment,
            "fte": of_post("fte"),
            "qualified_date": qualified,
            "category": category,
            "working_days": (bounds[1] - bounds[0]).astype(np.int64),
            "unavailable_days": unavailable.astype(np.int64),
            **{reason_column(name): _days_of(name, reasons, days) for name in ALL_REASONS},
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
