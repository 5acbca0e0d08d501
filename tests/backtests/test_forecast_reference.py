"""Back-tests of the forecast: each person's chances against the naive reference, on the sample;
and the back-test's coverage on the sample, where the targets hold."""

from __future__ import annotations

import pandas as pd
import pytest
from forecast_reference import ForecastModel

from analysis.config import load_config
from analysis.forecast.chances import person_chances
from analysis.forecast.forecasts import history_months
from analysis.forecast.known import known_person_months
from analysis.inputs.loading import load_valid_dataset
from analysis.paths import SAMPLE_DATA
from analysis.tables import MonthTables

CONFIG = load_config()


@pytest.fixture(scope="module")
def sample():
    return load_valid_dataset(SAMPLE_DATA, CONFIG)


@pytest.mark.parametrize("target", ["2018-09", "2020-01"])
def test_each_persons_chances_are_the_reference_models(sample, target):
    """With the whole history to 2019-12 at hand, as the back-test has it: a forecast of a month
    inside it must still use only what came before."""
    month = pd.Period("2019-12", "M")
    history = history_months(sample, month)
    labels = [str(m) for m in history]
    tables = MonthTables(sample, month, CONFIG)
    pm = tables.value("person_months")
    known = known_person_months(sample, sorted({*history, pd.Period(target, "M")}), CONFIG)
    chances = sample.decode(person_chances(known, pm, [target], labels, CONFIG))
    text = sample.text
    reference = ForecastModel(
        type("Frames", (), {n: text(n) for n in ("staff", "absences", "supervisions", "allocations")})
    )
    expected = reference.chances(target, labels)
    got = {r.staff_id: (r.p_due, r.p_supervised) for r in chances.itertuples()}
    assert sorted(got) == sorted(expected)
    for person, (p_due, p_supervised) in expected.items():
        assert got[person] == pytest.approx((p_due, p_supervised), abs=1e-12), person


def test_the_sample_back_test_meets_the_coverage_targets_for_teams(sample):
    calibration = MonthTables(sample, "2019-12", CONFIG).forecast_calibration.set_index("scope")
    teams = calibration.loc["team"]
    assert teams["group_months"] == 126
    assert 0.75 <= teams["share_inside_80"] <= 0.85
    assert 0.91 <= teams["share_inside_95"] <= 0.99
    assert teams["mae_forecast"] < teams["mae_last_month"]
