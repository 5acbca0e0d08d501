"""Exploring in JupyterLab: any measure, team, months and phases, as code and through widgets."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report.explore import EVERY_TEAM, Explorer


@pytest.fixture(scope="module")
def explorer():
    return Explorer("2019-12")


def test_the_history_runs_from_the_first_supervision_and_every_team_is_offered(explorer):
    assert explorer.months[0] == "2017-04" and explorer.months[-1] == "2019-12"
    assert explorer.teams[0] == EVERY_TEAM and "Assessment" in explorer.teams


def test_every_team_is_the_reports_series(explorer):
    from analysis.config import load_config
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA
    from analysis.trends.spc_tables import spc_series

    config = load_config()
    reported = spc_series(load_valid_dataset(SAMPLE_DATA, config), pd.Period("2019-12", "M"), config)
    for measure in ("compliance_all", "compliance_agency", "mean_caseload"):
        pd.testing.assert_series_equal(
            explorer.series(measure), reported[measure], check_names=False, check_index_type=False
        )


def test_a_team_and_a_span_narrow_the_series(explorer):
    team = explorer.series("compliance_all", team="Assessment", first="2019-01", last="2019-12")
    assert team.index[0] >= "2019-01" and team.index[-1] == "2019-12" and len(team) == 12
    pm = explorer.person_months
    december = pm[(pm["month"] == "2019-12") & (pm["team"] == "Assessment") & pm["due"].astype(bool)]
    assert team["2019-12"] == december["supervised"].sum() / len(december)


def test_a_view_says_the_verdict_and_draws_the_chart_with_its_phases(explorer):
    body = explorer.view("compliance_all", rebase=["2019-09"]).body
    assert body.startswith("<p>Supervision compliance, all staff, every team, April 2017 to December 2019: ")
    assert "<img" in body and "Data for the chart" in body
    assert explorer.view("compliance_all", first="2030-01").body.startswith("<p>No values")


def test_changing_a_widget_redraws_the_view(explorer):
    box = explorer.controls()
    measure, team = box.children[0].children
    span, rebase = box.children[1], box.children[2]
    first = explorer.shown.body
    team.value = "Assessment"
    second = explorer.shown.body
    measure.value = "mean_caseload"
    third = explorer.shown.body
    span.value = ("2018-01", "2019-12")
    rebase.value = ("2019-09",)
    fourth = explorer.shown.body
    assert "every team" in first and "Assessment team" in second and "Average caseload" in third
    assert "January 2018 to December 2019" in fourth and first != second != third != fourth


def test_the_analyst_sees_staff_ids_as_text_not_codes(explorer):
    ids = set(explorer.data.labels["staff_id"])
    for frame in (explorer.person_months, explorer.loads):
        assert frame["staff_id"].map(type).eq(str).all()
        assert set(frame["staff_id"]) <= ids
    assert explorer.data.text("staff")["staff_id"].iloc[0] in ids


def test_the_forecast_of_any_month_in_the_history_is_the_reports_against_what_happened(explorer):
    from analysis.config import load_config
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA
    from analysis.tables import MonthTables

    config = load_config()
    tables = MonthTables(load_valid_dataset(SAMPLE_DATA, config), "2019-12", config)
    forecasts = explorer.forecasts()
    june = forecasts[(forecasts["month"] == "2019-06") & (forecasts["group"] == "Assessment")].iloc[0]
    reported = tables.forecast_backtest.set_index(["month", "group"]).loc[("2019-06", "Assessment")]
    assert (june["forecast"], june["actual"]) == (reported["forecast"], reported["actual"])
    assert forecasts["month"].max() == "2020-01" and forecasts["month"].min() == "2018-04"
    view = explorer.forecast_view("Assessment").body
    assert "Forecast compliance, Assessment team" in view and "<img" in view and "June 2019" in view
    early = Explorer("2017-09")  # next month's forecast only, from five months of history
    assert list(early.forecasts()["month"].unique()) == ["2017-10"] and "October 2017" in early.forecast_view().body
