"""Compliance next month, drawn: each person due with ``p_due`` and, if due, supervised with
``p_supervised``, independently; a group's compliance is the ratio of the two sums.

Draws come from a generator seeded by ``forecast_seed`` and the month, so a month's forecast is the
same whenever it is made. Within a team and category, people are drawn in order of their chances
(not of their ids), so the same chances give the same draws however the extract spells its ids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.supervision.compliance import CATEGORY_ORDER

SUMMARY = [
    "due_expected",
    "supervised_expected",
    "compliance_median",
    "low_80",
    "high_80",
    "low_95",
    "high_95",
    "p_target",
]
QUANTILES = {"low_95": 0.025, "low_80": 0.10, "compliance_median": 0.5, "high_80": 0.90, "high_95": 0.975}
CELLS_PER_CHUNK = 4_000_000  # person-draws held at once
LEVELS = 2**16  # a chance is drawn to 1/65,536


def _cell_sums(
    chances: pd.DataFrame, draws: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The cells (team, category) with their expected due and supervised, whether any chance is
    unknown, and the due and supervised counts of each cell in each draw."""
    team = chances["team"].fillna("").astype(str).to_numpy()
    category = chances["category"].astype(str).to_numpy()
    p_due = chances["p_due"].to_numpy(dtype=float)
    p_both = p_due * chances["p_supervised"].to_numpy(dtype=float)
    order = np.lexsort((p_both, p_due, category, team))
    team, category, p_due, p_both = team[order], category[order], p_due[order], p_both[order]
    new_cell = (
        np.r_[True, (team[1:] != team[:-1]) | (category[1:] != category[:-1])] if len(team) else np.zeros(0, bool)
    )
    cell = np.cumsum(new_cell) - 1
    starts = np.flatnonzero(new_cell)
    unknown = np.isnan(p_both)
    cells = pd.DataFrame(
        {
            "team": team[starts],
            "category": category[starts],
            "due_expected": np.add.reduceat(p_due, starts) if len(starts) else np.zeros(0),
            "supervised_expected": np.add.reduceat(np.where(unknown, 0.0, p_both), starts)
            if len(starts)
            else np.zeros(0),
            "unknown": np.add.reduceat(unknown.astype(np.int64), starts) > 0 if len(starts) else np.zeros(0, bool),
        }
    )
    # Each person-draw is one uniform u in [0, 2**16): due when u < p_due * 2**16, due and supervised
    # when u < p_due * p_supervised * 2**16 (chances kept to 1/65,536). Draws are rows, people columns.
    q_due = np.round(p_due * LEVELS).astype(np.uint32)
    q_both = np.round(np.where(unknown, 0.0, p_both) * LEVELS).astype(np.uint32)
    due = np.zeros((len(starts), draws), dtype=np.float32)
    supervised = np.zeros((len(starts), draws), dtype=np.float32)
    step = max(1, CELLS_PER_CHUNK // draws)
    for lo in range(0, len(team), step):
        hi = min(lo + step, len(team))
        u = rng.integers(0, LEVELS, (draws, hi - lo), dtype=np.uint16)
        here = cell[lo:hi]
        bounds = np.flatnonzero(np.r_[True, here[1:] != here[:-1]])
        due[here[bounds]] += np.add.reduceat(u < q_due[None, lo:hi], bounds, axis=1, dtype=np.int32).T
        supervised[here[bounds]] += np.add.reduceat(u < q_both[None, lo:hi], bounds, axis=1, dtype=np.int32).T
    return cells, due, supervised


def _order_statistics(ratio: np.ndarray, count: np.ndarray) -> dict[str, np.ndarray]:
    """Each row's quantiles ``QUANTILES`` by the inverted empirical distribution (the smallest drawn
    value with at least that share of the draws at or below it), over its ``count`` valid draws
    (the others are infinite); one sort a row."""
    ordered = np.sort(ratio, axis=1)
    out = {}
    for name, q in QUANTILES.items():
        thousandths = round(q * 1000)
        rank = np.maximum((thousandths * count + 999) // 1000 - 1, 0)
        value = np.take_along_axis(ordered, rank[:, None], axis=1)[:, 0]
        out[name] = np.where(count > 0, value, np.nan)
    return out


def _summary(due: np.ndarray, supervised: np.ndarray, target: float) -> dict[str, np.ndarray]:
    """Quantiles of supervised / due over the draws with anyone due, and the share of those draws at
    or above the target (compliance rounded to 4 places, as the tables show it)."""
    anyone = due > 0
    count = anyone.sum(axis=1)
    # In float64 (9 of 10 is 0.9 exactly, as the tables show it); a draw with no one due is infinite.
    ratio = np.divide(supervised, due, out=np.full(due.shape, np.inf), where=anyone, dtype=np.float64)
    np.round(ratio, 4, out=ratio)
    out = _order_statistics(ratio, count)
    reached = ((ratio >= target) & anyone).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["p_target"] = np.round(np.where(count > 0, reached / count, np.nan), 4)
    return out


def _group_sums(cells: pd.DataFrame, teams: list[str], values: np.ndarray) -> np.ndarray:
    """Rows of ``values`` (one per cell, cells in team order) summed for the service, each category
    and each team (``teams``, sorted), in that order."""
    team = cells["team"].to_numpy()
    category = cells["category"].to_numpy()
    starts = np.flatnonzero(np.r_[True, team[1:] != team[:-1]]) if len(team) else np.zeros(0, np.intp)
    by_team = np.add.reduceat(values, starts, axis=0) if len(starts) else np.zeros((0, *values.shape[1:]))
    named = team[starts] != "" if len(starts) else np.zeros(0, bool)
    assert list(team[starts][named]) == teams
    parts = [values.sum(axis=0, keepdims=True)]
    where = (slice(None),) + (None,) * (values.ndim - 1)
    parts += [values.sum(axis=0, keepdims=True, where=(category == c)[where]) for c in CATEGORY_ORDER[1:]]
    return np.concatenate([*parts, by_team[named]], axis=0)


def forecast_groups(chances: pd.DataFrame, month: str, config: Settings) -> pd.DataFrame:
    """The forecast of one month for the service (scope ``all``), each category and each team.

    Returns
    -------
    pandas.DataFrame
        ``month, scope, group`` then ``SUMMARY``: expected due and supervised (sums of the chances,
        1 decimal place); the median, 80% and 95% intervals of compliance over the draws with anyone
        due; the share of those draws at or above ``target``. NaN where no one can be due, or where
        a chance is unknown (no one was due in the months it is worked out from).
    """
    ordinal = pd.Period(month, "M").ordinal
    rng = np.random.default_rng([int(config.forecast_seed), int(ordinal) + 100_000])
    cells, due, supervised = _cell_sums(chances, int(config.forecast_draws), rng)
    teams = sorted(t for t in cells["team"].unique() if t)
    groups = [("all", "all"), *(("category", c) for c in CATEGORY_ORDER[1:]), *(("team", t) for t in teams)]
    summary = _summary(_group_sums(cells, teams, due), _group_sums(cells, teams, supervised), float(config.target))
    unknown = _group_sums(cells, teams, cells["unknown"].to_numpy(dtype=np.int64)) > 0
    summary = {name: np.where(unknown, np.nan, values) for name, values in summary.items()}
    return pd.DataFrame(
        {
            "month": month,
            "scope": [g[0] for g in groups],
            "group": [g[1] for g in groups],
            "due_expected": np.round(_group_sums(cells, teams, cells["due_expected"].to_numpy(dtype=float)), 1),
            "supervised_expected": np.round(
                _group_sums(cells, teams, cells["supervised_expected"].to_numpy(dtype=float)), 1
            ),
            **summary,
        }
    )
