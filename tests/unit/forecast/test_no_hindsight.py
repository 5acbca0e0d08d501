"""A forecast made at the end of a month uses nothing recorded after it, but planned absences and
recorded end dates: change every other record after the month, and no forecast up to the next
month changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.inputs.dataset import Dataset
from analysis.inputs.loading import load_dataset
from analysis.paths import SAMPLE_DATA
from analysis.tables import MonthTables

MONTH = pd.Period("2019-06", "M")


@pytest.fixture(scope="module")
def sample(config):
    return load_dataset(SAMPLE_DATA, config)


def _forecasts(data, config):
    return MonthTables(data, MONTH, config).value("forecasts")


def _rewrite_after(data: Dataset, config, seed: int) -> Dataset:
    """Every record after ``MONTH`` changed, but recorded end dates and planned absences."""
    rng = np.random.default_rng(seed)
    end = MONTH.end_time.normalize()
    later = pd.date_range(end + pd.Timedelta(days=1), periods=150, freq="D")
    people = data.staff["staff_id"].unique()

    sup = data.supervisions
    new_sup = pd.DataFrame(
        {
            "staff_id": rng.choice(people, 400),
            "supervision_date": rng.choice(later, 400),
            "supervision_type": rng.choice(["formal", "group"], 400),
            "row": np.arange(400) + 10_000,
        }
    )
    supervisions = pd.concat([sup.loc[sup["supervision_date"] <= end], new_sup], ignore_index=True)

    ab = data.absences
    unplanned = ~ab["absence_type"].isin(config.planned_absence_types)
    starts = rng.choice(later, 60)
    new_ab = pd.DataFrame(
        {
            "staff_id": rng.choice(people, 60),
            "absence_type": "sickness",
            "start_date": starts,
            "end_date": starts + pd.to_timedelta(rng.integers(0, 30, 60), unit="D"),
            "row": np.arange(60) + 10_000,
        }
    )
    absences = pd.concat([ab.loc[~(unplanned & (ab["start_date"] > end))], new_ab], ignore_index=True)

    st = data.staff
    newcomer = st.iloc[:5].copy()
    newcomer["staff_id"] = st["staff_id"].max() + 1 + np.arange(5)
    newcomer["start_date"] = end + pd.Timedelta(days=3)
    newcomer["end_date"] = pd.NaT
    staff = pd.concat([st.loc[st["start_date"] <= end], newcomer], ignore_index=True)
    return Dataset(staff, absences, supervisions, data.allocations, labels=data.labels)


@pytest.mark.parametrize("seed", [1, 2])
def test_records_after_the_month_change_no_forecast_made_by_its_end(sample, config, seed):
    before = _forecasts(sample, config)
    after = _forecasts(_rewrite_after(sample, config, seed), config)
    made_by_then = str(MONTH + 1)
    pd.testing.assert_frame_equal(
        before.loc[before["month"] <= made_by_then].reset_index(drop=True),
        after.loc[after["month"] <= made_by_then].reset_index(drop=True),
    )
    assert (before["month"] == made_by_then).sum() > 5


def test_a_planned_absence_after_the_month_does_change_the_forecast(sample, config):
    end = MONTH.end_time.normalize()
    people = sample.staff.loc[sample.staff["end_date"].isna(), "staff_id"].unique()[:15]
    leave = pd.DataFrame(
        {
            "staff_id": people,
            "absence_type": "annual_leave",
            "start_date": end + pd.Timedelta(days=1),
            "end_date": end + pd.Timedelta(days=31),
            "row": np.arange(len(people)) + 10_000,
        }
    )
    data = Dataset(
        sample.staff,
        pd.concat([sample.absences, leave], ignore_index=True),
        sample.supervisions,
        sample.allocations,
        labels=sample.labels,
    )
    before = _forecasts(sample, config).set_index(["month", "scope", "group"])
    after = _forecasts(data, config).set_index(["month", "scope", "group"])
    key = (str(MONTH + 1), "all", "all")
    assert after.loc[key, "due_expected"] < before.loc[key, "due_expected"] - 10
