"""The drawn forecast: sure cases, groups no one can be due in, and reproducible draws."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.forecast.draws import SUMMARY, forecast_groups


def _chances(rows):
    return pd.DataFrame(rows, columns=["month", "staff_id", "team", "category", "p_due", "p_supervised"])


def test_one_person_due_for_sure_and_always_supervised(config):
    out = forecast_groups(_chances([("2020-01", "P1", "A", "qualified", 1.0, 1.0)]), "2020-01", config)
    team = out.loc[out["group"] == "A"].iloc[0]
    assert [team[c] for c in SUMMARY] == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert out["group"].tolist() == ["all", "qualified", "nqsw", "agency", "A"]
    assert out.loc[out["group"] == "nqsw", "compliance_median"].isna().all()


def test_a_person_who_cannot_be_due_counts_nowhere(config):
    rows = [("2020-01", "P1", "A", "qualified", 1.0, 1.0), ("2020-01", "P2", "B", "qualified", 0.0, 0.2)]
    out = forecast_groups(_chances(rows), "2020-01", config).set_index("group")
    assert out.loc["all", "compliance_median"] == 1.0 and out.loc["all", "due_expected"] == 1.0
    assert out.loc["B", "due_expected"] == 0 and np.isnan(out.loc["B", "compliance_median"])


def test_an_unknown_chance_leaves_its_groups_blank_never_zero(config):
    rows = [("2020-01", "P1", "A", "qualified", 1.0, np.nan), ("2020-01", "P2", "B", "qualified", 1.0, 0.9)]
    out = forecast_groups(_chances(rows), "2020-01", config).set_index("group")
    assert np.isnan(out.loc["A", "compliance_median"]) and np.isnan(out.loc["all", "p_target"])
    assert out.loc["B", "compliance_median"] > 0


def test_half_chances_give_the_binomial_percentiles(config):
    rows = [("2020-01", f"P{k}", "A", "qualified", 1.0, 0.5) for k in range(100)]
    out = forecast_groups(_chances(rows), "2020-01", config.with_changes(forecast_draws=20000)).iloc[0]
    # Binomial(100, 0.5): the 2.5th and 97.5th percentiles are 40 and 60, the 10th and 90th 44 and 56.
    assert out["compliance_median"] == 0.5
    assert (out["low_95"], out["high_95"]) == (0.40, 0.60)
    assert out["low_80"] in (0.43, 0.44) and out["high_80"] in (0.56, 0.57)
    assert out["p_target"] == 0.0


def test_the_same_chances_give_the_same_draws_however_the_rows_and_ids_come(config):
    rng = np.random.default_rng(1)
    rows = [
        (
            "2020-01",
            f"P{k}",
            "AB"[k % 2],
            ["qualified", "nqsw", "agency"][k % 3],
            rng.uniform(0.8, 1),
            rng.uniform(0.5, 1),
        )
        for k in range(40)
    ]
    chances = _chances(rows)
    first = forecast_groups(chances, "2020-01", config)
    again = forecast_groups(
        chances.sample(frac=1, random_state=4).assign(staff_id=lambda f: f["staff_id"] + "x"), "2020-01", config
    )
    pd.testing.assert_frame_equal(first, again)
    other_seed = forecast_groups(chances, "2020-01", config.with_changes(forecast_seed=7))
    assert not first.equals(other_seed)


def test_a_group_no_one_can_be_due_in_shows_a_dash_not_an_interval(config):
    from analysis.presentation.sections.forecast import interval_text

    assert interval_text(float("nan"), float("nan")) == "–"
    assert interval_text(0.7, 0.9) == "70.0% to 90.0%"


def test_nine_of_ten_reaches_a_90_percent_target(config):
    rows = [("2020-01", f"P{k}", "A", "qualified", 1.0, 1.0 if k else 0.0) for k in range(10)]
    out = forecast_groups(_chances(rows), "2020-01", config).iloc[0]
    assert out["compliance_median"] == 0.9 and out["low_95"] == 0.9 and out["p_target"] == 1.0
