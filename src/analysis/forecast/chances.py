"""Each person's chances next month: of being due, and of being supervised if due.

For a forecast of month T made at the end of T - 1 (docs/definitions.md, "Next month's forecast"):

- ``p_due`` is 0 where what is known already leaves the person unavailable (``known.due`` false);
  else 1 less their category's rate of becoming unavailable unforeseen: of the people known to be
  due in each of the last ``forecast_unavailable_months`` months before T, the share who were not;
- ``p_supervised`` is (s + k p_team) / (n + k): s of the person's last n (at most
  ``forecast_person_months``) months due before T they were supervised; p_team is their team's
  supervised / due over the ``forecast_team_months`` months before T (the service's where the
  team had no one due); k is ``forecast_shrinkage``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.core.arrays import in_sorted

COLUMNS = ["month", "staff_id", "team", "category", "p_due", "p_supervised"]


def _ordinals(labels: pd.Series | np.ndarray) -> np.ndarray:
    """``YYYY-MM`` labels as month ordinals, each distinct label parsed once."""
    code, uniques = pd.factorize(np.asarray(labels, dtype=object))
    if not len(uniques):
        return np.zeros(0, dtype=np.int64)
    return pd.PeriodIndex(np.asarray(uniques, dtype=str), freq="M").asi8.astype(np.int64)[code]


def _trailing(counts: pd.DataFrame, months: int) -> pd.DataFrame:
    """Sums over the ``months`` months before each month (not the month itself): ``counts`` has one
    column per month ordinal, every ordinal present."""
    running = counts.T.cumsum()
    later = running.shift(1, fill_value=0)
    earlier = running.shift(months + 1, fill_value=0)
    return (later - earlier).T


def _grid(frame: pd.DataFrame, key: str, values: list[str], span: np.ndarray) -> dict[str, pd.DataFrame]:
    """Sums of ``values`` by ``key`` (rows) and month ordinal (columns, every ordinal of ``span``)."""
    sums = frame.groupby([key, "ordinal"])[values].sum()
    return {v: sums[v].unstack("ordinal", fill_value=0).reindex(columns=span, fill_value=0) for v in values}


def unavailable_rates(
    known: pd.DataFrame, actual: pd.DataFrame, history: Sequence[str], config: Settings
) -> pd.DataFrame:
    """Each category's rate of becoming unavailable unforeseen, for every month after a history month.

    Returns a frame indexed by category (and ``all``), one column per month ordinal T: of the people
    known at the end of T' - 1 to be due in T', for the history months T' among the
    ``forecast_unavailable_months`` before T, the share not due in T' after all. NaN where no one was.
    """
    months = list(history)
    ordinals = _ordinals(np.asarray(months, dtype=object))
    if not len(ordinals):
        return pd.DataFrame()
    foreseen = known.loc[known["due"].to_numpy(dtype=bool) & known["month"].isin(months).to_numpy()]
    due = actual.loc[actual["due"].to_numpy(dtype=bool) & actual["month"].isin(months).to_numpy()]
    people = pd.Index(pd.unique(np.concatenate([foreseen["staff_id"].to_numpy(), due["staff_id"].to_numpy()])))
    base, width = int(ordinals.min()), int(ordinals.max() - ordinals.min()) + 1
    foreseen_month = _ordinals(foreseen["month"])
    key = people.get_indexer(foreseen["staff_id"].to_numpy()).astype(np.int64) * width + (foreseen_month - base)
    due_keys = np.sort(
        people.get_indexer(due["staff_id"].to_numpy()).astype(np.int64) * width + (_ordinals(due["month"]) - base)
    )
    was_due = in_sorted(key, due_keys)
    counts = pd.DataFrame(
        {
            "category": foreseen["category"].to_numpy(),
            "ordinal": foreseen_month,
            "foreseen": 1,
            "missed": (~was_due).astype(np.int64),
        }
    )
    span = np.arange(ordinals.min(), ordinals.max() + 2)
    grid = _grid(counts, "category", ["foreseen", "missed"], span)
    every = counts.assign(category="all")
    overall = _grid(every, "category", ["foreseen", "missed"], span)
    months_back = int(config.forecast_unavailable_months)
    foreseen_sum = _trailing(pd.concat([grid["foreseen"], overall["foreseen"]]), months_back)
    missed_sum = _trailing(pd.concat([grid["missed"], overall["missed"]]), months_back)
    with np.errstate(divide="ignore", invalid="ignore"):
        return missed_sum / foreseen_sum.where(foreseen_sum > 0)


def _own_record(
    actual: pd.DataFrame, staff_id: np.ndarray, before: np.ndarray, last: int
) -> tuple[np.ndarray, np.ndarray]:
    """(s, n) for each (staff_id, month ordinal): of the person's last ``last`` months due before
    that month, how many (n) and in how many they were supervised (s)."""
    due = actual.loc[actual["due"].to_numpy(dtype=bool)]
    people = pd.Index(pd.unique(np.concatenate([due["staff_id"].to_numpy(), staff_id])))
    person = people.get_indexer(due["staff_id"].to_numpy()).astype(np.int64)
    ordinal = _ordinals(due["month"])
    base = int(min(ordinal.min(initial=0), before.min(initial=0))) - 1
    width = int(max(ordinal.max(initial=0), before.max(initial=0))) - base + 2
    key = person * width + (ordinal - base)
    order = np.argsort(key, kind="stable")
    key = key[order]
    supervised = np.r_[0, np.cumsum(due["supervised"].to_numpy(dtype=np.int64)[order])]
    query_person = people.get_indexer(staff_id).astype(np.int64)
    upto = np.searchsorted(key, query_person * width + (before - base), side="left")
    start = np.searchsorted(key, query_person * width, side="left")
    n = np.minimum(upto - start, last)
    return supervised[upto] - supervised[upto - n], n


def team_rates(actual: pd.DataFrame, months: int, span: np.ndarray) -> tuple[pd.DataFrame, pd.Series]:
    """Each team's supervised / due over the ``months`` months before each month ordinal of ``span``
    (teams as rows), and the service's (NaN where no one was due)."""
    due = actual.loc[actual["due"].to_numpy(dtype=bool), ["month", "team", "supervised"]]
    due = due.assign(ordinal=_ordinals(due["month"]), due=1, supervised=due["supervised"].astype(np.int64))
    grid = _grid(due.dropna(subset=["team"]), "team", ["due", "supervised"], span)
    team_due, team_supervised = _trailing(grid["due"], months), _trailing(grid["supervised"], months)
    all_due, all_supervised = team_due.sum(), team_supervised.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return team_supervised / team_due.where(team_due > 0), all_supervised / all_due.where(all_due > 0)


def person_chances(
    known: pd.DataFrame, actual: pd.DataFrame, targets: Sequence[str], history: Sequence[str], config: Settings
) -> pd.DataFrame:
    """``COLUMNS`` for every person known at the end of T - 1 to be in post, for each target month T.

    Parameters
    ----------
    known
        ``known.known_person_months`` for the targets and the history months.
    actual
        ``eligibility.person_months`` of the history months (what happened).
    targets
        The months to forecast (``YYYY-MM``).
    history
        The months whose outcomes are known (``YYYY-MM``): the extract's covered months before the
        last target.
    """
    rows = known.loc[known["month"].isin(list(targets))].reset_index(drop=True)
    ordinal = _ordinals(rows["month"])
    every = np.concatenate([ordinal, _ordinals(np.asarray(list(history), dtype=object))])
    span = np.arange(every.min(initial=0), every.max(initial=0) + 1) if len(every) else np.zeros(0, np.int64)
    columns = ["month", "staff_id", "team", "due", "supervised"]
    actual = actual[columns].loc[actual["month"].isin(list(history)).to_numpy()]

    rates = unavailable_rates(known, actual, history, config).reindex(columns=span)
    by_category = rates.stack(future_stack=True) if len(rates) else pd.Series(dtype=float)
    look = pd.MultiIndex.from_arrays([rows["category"].to_numpy(), ordinal])
    own = by_category.reindex(look).to_numpy(dtype=float)
    overall = by_category.reindex(pd.MultiIndex.from_arrays([np.full(len(rows), "all", object), ordinal]))
    unavailable = np.where(np.isnan(own), overall.to_numpy(dtype=float), own)
    p_due = np.where(rows["due"].to_numpy(dtype=bool), 1 - np.nan_to_num(unavailable, nan=0.0), 0.0)

    teams, service = team_rates(actual, int(config.forecast_team_months), span)
    team_look = pd.MultiIndex.from_arrays([rows["team"].to_numpy(), ordinal])
    p_team = (
        teams.stack(future_stack=True).reindex(team_look).to_numpy(dtype=float)
        if len(teams)
        else np.full(len(rows), np.nan)
    )
    p_team = np.where(np.isnan(p_team), service.reindex(ordinal).to_numpy(dtype=float), p_team)
    s, n = _own_record(actual, rows["staff_id"].to_numpy(), ordinal, int(config.forecast_person_months))
    k = float(config.forecast_shrinkage)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_supervised = np.where(n + k > 0, (s + k * p_team) / (n + k), p_team)
    return pd.DataFrame(
        {
            "month": rows["month"].to_numpy(),
            "staff_id": rows["staff_id"].to_numpy(),
            "team": rows["team"].to_numpy(),
            "category": rows["category"].to_numpy(),
            "p_due": p_due,
            "p_supervised": p_supervised,
        }
    )
