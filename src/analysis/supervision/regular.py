"""Regular supervision: of the people due in each of the three months ending in a month, the share
supervised in all three (docs/definitions.md, "Regular supervision").

A person's group (category, team) is theirs in the month itself. Months before the person-months
begin hold no one due, so a month whose two months before are outside the extract is blank, never 0%.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.core.arrays import in_sorted
from analysis.supervision.compliance import CATEGORY_ORDER, rate
from analysis.table_spec import N_, table

COLUMNS = ["month", "scope", "group", "due_three", "supervised_three", "regular"]
RUN = 3  # months ending in the month


def regular_flags(person_months: pd.DataFrame) -> pd.DataFrame:
    """Each person-month with ``due_three`` (due in it and the two months before) and
    ``supervised_three`` (supervised in all three)."""
    pm = person_months[["month", "staff_id", "category", "team", "due", "supervised"]]
    # Each distinct month parsed once: a national history has millions of person-months, 36 months.
    month_code, months = pd.factorize(pm["month"].to_numpy())
    ordinal = pd.PeriodIndex(np.asarray(months, dtype=object).astype(str), freq="M").asi8.astype(np.int64)[month_code]
    person = pd.factorize(pm["staff_id"])[0].astype(np.int64)
    span = int(ordinal.max() - ordinal.min()) + RUN + 1 if len(pm) else 1
    key = person * span + (ordinal - (ordinal.min() if len(pm) else 0))
    due = pm["due"].to_numpy(dtype=bool)
    supervised = due & pm["supervised"].to_numpy(dtype=bool)
    due_keys, supervised_keys = np.sort(key[due]), np.sort(key[supervised])
    due_three, supervised_three = due.copy(), supervised.copy()
    for back in range(1, RUN):
        due_three &= in_sorted(key - back, due_keys)
        supervised_three &= in_sorted(key - back, supervised_keys)
    return pm.assign(due_three=due_three, supervised_three=supervised_three & due_three)


@table(
    N_("Regular supervision: supervised in each of three months"),
    N_(
        "One row per month for each category (all, qualified, nqsw, agency) and team: people due in each of the "
        "three months ending in the month, those supervised in all three, and the share."
    ),
    COLUMNS,
    meanings={"group": "The category (scope category) or team (scope team)."},
)
def regular_supervision(person_months: pd.DataFrame, window_labels: Sequence[Any]) -> pd.DataFrame:
    """Regular supervision for each month of the window, by category (``all``, ``qualified``, ``nqsw``,
    ``agency``) then by team.

    Returns
    -------
    pandas.DataFrame
        ``month, scope, group, due_three, supervised_three, regular``: ``scope`` is ``category`` or
        ``team``; ``regular`` = supervised_three / due_three to 4 decimal places, NaN where no one was
        due in all three months. Every category each month; every team with anyone in scope that month.
    """
    labels = [str(m) for m in window_labels]
    flags = regular_flags(person_months)
    flags = flags.loc[flags["month"].astype(str).isin(labels)].assign(month=lambda f: f["month"].astype(str))
    counts = ["due_three", "supervised_three"]
    flags = flags.astype({c: "int64" for c in counts})
    by_category = flags.groupby(["month", "category"])[counts].sum()
    overall = flags.groupby("month")[counts].sum()
    overall.index = pd.MultiIndex.from_arrays([overall.index, ["all"] * len(overall)], names=["month", "category"])
    grid = pd.MultiIndex.from_product([labels, CATEGORY_ORDER], names=["month", "group"])
    categories = pd.concat([overall, by_category]).set_axis(
        pd.MultiIndex.from_tuples(list(pd.concat([overall, by_category]).index), names=["month", "group"])
    )
    categories = categories.reindex(grid, fill_value=0).reset_index().assign(scope="category")
    teams = flags.dropna(subset=["team"]).groupby(["month", "team"])[counts].sum().reset_index()
    teams = teams.rename(columns={"team": "group"}).assign(scope="team")
    teams = teams.sort_values(["month", "group"], kind="stable")
    table = pd.concat([categories, teams], ignore_index=True)
    table["_order"] = table["scope"].map({"category": 0, "team": 1})
    table = table.sort_values(["month", "_order"], kind="stable").reset_index(drop=True)
    table[counts] = table[counts].astype("int64")
    table["group"] = table["group"].astype(str)
    table["regular"] = rate(table["supervised_three"], table["due_three"])
    return table[COLUMNS]
