"""Unavailable working days of a person-month, by reason: not in post, then each absence type.

One sweep over the interval end points of the person-months that have any absence: every day
takes the first reason in ``exclusion_reasons`` order that applies (docs/definitions.md, "Who is due supervision").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.core.arrays import codes_present, sort_by
from analysis.core.calendar import MonthSpan, as_days, clip_to_months, explode_months

NOT_IN_POST = "not_in_post"
# Events are sorted as one packed integer key while (person-month, day, kind) fits below this;
# past it (a national extract over decades), by a sort on the columns. Both give the same days.
PACKED_KEY_LIMIT = 2**62


def reason_days(
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

    has_absence = codes_present(absences["code"], size)
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
    layer = absences["layer"].astype(np.int8)  # a kind a byte: there are millions of events
    kind = np.concatenate(
        [
            np.zeros(2 * len(swept), np.int8),
            np.full(n_post, 1, np.int8),
            np.full(n_post, 2, np.int8),
            3 + 2 * layer,
            4 + 2 * layer,
        ]
    )
    del layer
    n_kinds = 3 + 2 * max(len(layers), 1)
    kind_layer = np.array([-2, -1, -1] + [k for k in range(n_kinds // 2 - 1) for _ in (0, 1)])
    kind_delta = np.array([0, 1, -1] + [d for _ in range(n_kinds // 2 - 1) for d in (1, -1)])
    # Sort by (person-month, position) only: the order of events at one position changes no
    # count (only the state after the last of them spans any days). With the kind packed into
    # the low digits, one sort of plain integers does it. Built in place: millions of events.
    low = int(pos.min())
    width = int(pos.max()) - low + 1
    if (int(code.max()) + 1) * width * n_kinds < PACKED_KEY_LIMIT:
        key = code  # int64 (every code is): the concatenation's own array, packed in place
        del code
        key *= width
        key += pos - low
        del pos
        key *= n_kinds
        key += kind
        del kind
        key.sort()
        kind = (key % n_kinds).astype(np.int8)
        key //= n_kinds
        pos = key % width
        pos += low
        code = np.floor_divide(key, width, out=key)
    else:
        order = sort_by(code, pos)
        code, pos, kind = code[order], pos[order], kind[order]
    # The working days from each event to the next of its person-month (0 at its last event),
    # worked out in place.
    length = np.zeros(len(code), dtype=np.int32)
    np.subtract(pos[1:], pos[:-1], out=length[:-1])  # days within one month: they fit 32 bits
    length[:-1][code[1:] != code[:-1]] = 0
    del pos
    # Every person-month's events sum to zero, so a running total over all of them is per
    # person-month: the assignments open, and the absences open in each layer, after each event.
    reason = np.full(len(code), -1, dtype=np.int8)
    for k, name in enumerate(reasons):
        step = np.where(kind_layer == (-1 if name == NOT_IN_POST else layers.index(name)), kind_delta, 0)
        running = np.cumsum(step.astype(np.int32)[kind], dtype=np.int32)
        applies = running <= 0 if name == NOT_IN_POST else running > 0
        reason[(reason == -1) & applies] = k
        del running, applies
    # Every swept person-month has events (its month bounds) and every event's code is swept, so
    # the events' rank among the sorted codes is their row among ``swept``.
    row = np.cumsum(np.r_[False, code[1:] != code[:-1]])
    del code, kind
    counted = (reason >= 0) & (length > 0)
    k_all = len(reasons)
    cell = row[counted]
    del row
    cell *= k_all
    cell += reason[counted]
    weights = length[counted]
    del reason, length, counted
    days = np.bincount(cell, weights=weights, minlength=len(swept) * k_all)
    del cell, weights
    out[rows] = days.reshape(len(swept), k_all)  # whole numbers of days, as int64
    return out


def absence_pieces(
    absences: pd.DataFrame,
    people: pd.Index,
    in_scope: np.ndarray,
    months: MonthSpan,
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
    which, month = explode_months(start, end, months)
    code = person[which] * months.n + month
    wanted = in_scope[code]
    which, month, code = which[wanted], month[wanted], code[wanted]
    first, stop, _ = clip_to_months(start[which], end[which], month, months, config)
    return {"code": code, "start": first, "end": stop, "layer": layer[which]}
