"""Regular supervision, worked by hand at its boundaries."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.supervision.regular import COLUMNS, regular_supervision


def _pm(rows):
    """Person-months from (month, staff_id, category, team, due, supervised)."""
    return pd.DataFrame(rows, columns=["month", "staff_id", "category", "team", "due", "supervised"])


PM = _pm(
    [
        # P1: supervised in each of three months: regular.
        ("2019-10", "P1", "qualified", "A", True, True),
        ("2019-11", "P1", "qualified", "A", True, True),
        ("2019-12", "P1", "qualified", "A", True, True),
        # P2: a near miss in November (not supervised that month): due in all three, not regular.
        ("2019-10", "P2", "qualified", "A", True, True),
        ("2019-11", "P2", "qualified", "A", True, False),
        ("2019-12", "P2", "qualified", "A", True, True),
        # P3: absent in October (in scope, not due): due in two of the three, so not counted.
        ("2019-10", "P3", "qualified", "B", False, False),
        ("2019-11", "P3", "qualified", "B", True, True),
        ("2019-12", "P3", "qualified", "B", True, True),
        # P4: left in November: not in December's figures at all.
        ("2019-10", "P4", "agency", "B", True, True),
        ("2019-11", "P4", "agency", "B", True, True),
        # P5: newly qualified in December, qualified before: counted in December's group, nqsw.
        ("2019-10", "P5", "qualified", "B", True, True),
        ("2019-11", "P5", "qualified", "B", True, True),
        ("2019-12", "P5", "nqsw", "B", True, True),
    ]
)


def test_regular_supervision_by_hand():
    table = regular_supervision(PM, ["2019-12"])
    assert list(table.columns) == COLUMNS
    rows = {(r.scope, r.group): (r.due_three, r.supervised_three, r.regular) for r in table.itertuples()}
    assert rows[("category", "all")] == (3, 2, 0.6667)
    assert rows[("category", "qualified")] == (2, 1, 0.5)
    assert rows[("category", "nqsw")] == (1, 1, 1.0)
    assert rows[("category", "agency")][:2] == (0, 0) and np.isnan(rows[("category", "agency")][2])
    assert rows[("team", "A")] == (2, 1, 0.5) and rows[("team", "B")] == (1, 1, 1.0)
    assert table["group"].tolist() == ["all", "qualified", "nqsw", "agency", "A", "B"]


def test_months_before_the_person_months_leave_the_month_blank_never_zero():
    table = regular_supervision(PM, ["2019-10", "2019-11"])
    assert table.loc[table["scope"] == "category", "due_three"].tolist() == [0] * 8
    assert table["regular"].isna().all()


def test_row_order_changes_nothing():
    shuffled = PM.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(regular_supervision(shuffled, ["2019-12"]), regular_supervision(PM, ["2019-12"]))
