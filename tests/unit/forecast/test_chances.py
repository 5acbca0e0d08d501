"""Each person's chances, worked by hand: the unforeseen-unavailability rate and the shrunk record."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.forecast.chances import person_chances

HISTORY = [str(p) for p in pd.period_range("2019-01", "2019-12", freq="M")]


def _frames():
    actual, known = [], []
    for k, month in enumerate(HISTORY):
        # P1: supervised every month to June, then every other month: 3 of the last 6.
        p1 = k < 6 or k % 2 == 0
        actual += [(month, "P1", "A", "qualified", True, p1), (month, "P2", "A", "qualified", True, True)]
        # P3, team B: known to be due each month, but not due in three of them (off sick unforeseen).
        actual.append((month, "P3", "B", "qualified", k not in (2, 5, 8), k not in (2, 5, 8)))
        known += [(month, p, t, "social_worker", "qualified", True) for p, t in (("P1", "A"), ("P2", "A"), ("P3", "B"))]
    known += [("2020-01", p, t, "social_worker", "qualified", True) for p, t in (("P1", "A"), ("P2", "A"), ("P3", "B"))]
    known.append(("2020-01", "P4", "A", "social_worker", "qualified", False))  # planned leave: unavailable
    actual = pd.DataFrame(actual, columns=["month", "staff_id", "team", "category", "due", "supervised"])
    known = pd.DataFrame(known, columns=["month", "staff_id", "team", "role", "category", "due"])
    return known, actual


def test_chances_by_hand(config):
    known, actual = _frames()
    chances = person_chances(known, actual, ["2020-01"], HISTORY, config).set_index("staff_id")
    # 3 of 36 known-due person-months were not due after all.
    assert chances.loc["P1", "p_due"] == pytest.approx(1 - 3 / 36)
    assert chances.loc["P4", "p_due"] == 0
    # Team A over 12 months: P1 9 of 12, P2 12 of 12, so 21 / 24 = 0.875; k = 3.
    assert chances.loc["P1", "p_supervised"] == pytest.approx((3 + 3 * 0.875) / 9)
    assert chances.loc["P2", "p_supervised"] == pytest.approx((6 + 3 * 0.875) / 9)
    # P3 was due 9 months, supervised in each: the last 6 of them; team B's rate is 9 / 9.
    assert chances.loc["P3", "p_supervised"] == pytest.approx(1.0)


def test_no_shrinkage_leaves_the_own_record_and_a_team_without_history_takes_the_service_rate(config):
    known, actual = _frames()
    known.loc[known["staff_id"] == "P3", "team"] = "New team"
    chances = person_chances(known, actual, ["2020-01"], HISTORY, config.with_changes(forecast_shrinkage=0.0))
    chances = chances.set_index("staff_id")
    assert chances.loc["P1", "p_supervised"] == pytest.approx(0.5)
    assert chances.loc["P3", "p_supervised"] == pytest.approx(1.0)  # its own record, 6 of 6
    shrunk = person_chances(known, actual, ["2020-01"], HISTORY, config).set_index("staff_id")
    service = (9 + 12 + 9) / (12 + 12 + 9)
    assert shrunk.loc["P3", "p_supervised"] == pytest.approx((6 + 3 * service) / 9)


def test_a_person_never_due_takes_the_team_rate_and_no_history_leaves_the_chance_unknown(config):
    known, actual = _frames()
    known = pd.concat(
        [known, pd.DataFrame([("2020-01", "P5", "A", "social_worker", "qualified", True)], columns=known.columns)]
    )
    chances = person_chances(known, actual, ["2020-01"], HISTORY, config).set_index("staff_id")
    assert chances.loc["P5", "p_supervised"] == pytest.approx(0.875)
    none = person_chances(known, actual.iloc[:0], ["2020-01"], [], config)
    assert np.isnan(none["p_supervised"]).all()


def test_a_category_with_no_one_known_due_takes_the_services_unavailability_rate(config):
    known, actual = _frames()
    # P6, agency, is the first of their category: no agency person-month to learn from.
    p6 = pd.DataFrame([("2020-01", "P6", "A", "social_worker", "agency", True)], columns=known.columns)
    chances = person_chances(pd.concat([known, p6]), actual, ["2020-01"], HISTORY, config).set_index("staff_id")
    assert chances.loc["P6", "p_due"] == pytest.approx(1 - 3 / 36)
    assert chances.loc["P1", "p_due"] == pytest.approx(1 - 3 / 36)
