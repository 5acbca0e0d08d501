"""Exploring the history in JupyterLab: any measure, team, span of months and new phases.

``Explorer`` loads the data once and answers ``view(...)`` with an XmR chart, its verdict and its
data, by the same functions the reports use. ``controls()`` puts widgets (ipywidgets) on top that
redraw the view in place; every view also works as plain code for a reader without widgets, e.g.
``Explorer().view("compliance_all", team="Assessment")``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.caseload.on_dates import caseloads_on
from analysis.config import load_config
from analysis.inputs.loading import load_valid_dataset
from analysis.measures import MEASURES
from analysis.paths import SAMPLE_DATA
from analysis.presentation.charts.forecast import backtest_chart
from analysis.presentation.charts.spc import xmr_figure
from analysis.presentation.formats import month_name
from analysis.presentation.html_kit import Fragment, join, paragraph
from analysis.presentation.sections.spc import assurance_words, variation_words
from analysis.supervision.eligibility import person_months
from analysis.tables import MonthTables
from analysis.trends.spc import assurance, variation, xmr
from analysis.trends.spc_tables import caseload_values, compliance_values, regular_values, spc_months

EVERY_TEAM = "All teams"


class Explorer:
    """The data and its whole history, loaded once, for views chosen by the analyst."""

    def __init__(self, month: Any = "2019-12", data_dir: Any = None, config_path: Any = None):
        self.config = load_config(config_path)
        self.month = pd.Period(month, "M")
        self.data = load_valid_dataset(data_dir or SAMPLE_DATA, self.config)
        self.months = [str(m) for m in spc_months(self.data, self.month, self.config)]
        # With the ids as text, as an analyst would look them up.
        pm = person_months(self.data, [pd.Period(m, "M") for m in self.months], self.config)
        self.person_months = self.data.decode(pm)
        ends = [pd.Period(m, "M").end_time.normalize() for m in self.months]
        self.loads = self.data.decode(caseloads_on(self.data, ends, self.config))
        self.teams = [EVERY_TEAM, *sorted(self.person_months["team"].dropna().unique())]
        self.shown: Fragment | None = None  # the view the widgets last drew
        self._forecasts: pd.DataFrame | None = None

    def series(
        self,
        measure: str = "compliance_all",
        team: str | None = None,
        first: str | None = None,
        last: str | None = None,
    ) -> pd.Series:
        """Monthly values of ``measure`` for ``team`` (None: every team); months without a value left out."""
        first, last = first or self.months[0], last or self.months[-1]
        team = None if team in (None, EVERY_TEAM) else team
        kind = MEASURES[measure]
        if kind.series == "caseload":
            values = caseload_values(self.loads, self.config, team)
        elif kind.series == "regular":
            values = regular_values(self.person_months, team)
        else:
            values = compliance_values(self.person_months, kind.category, team)
        values = values.astype(float)
        return values.loc[(values.index >= first) & (values.index <= last)].sort_index()

    def view(
        self,
        measure: str = "compliance_all",
        team: str | None = None,
        first: str | None = None,
        last: str | None = None,
        rebase: list[str] | tuple[str, ...] = (),
    ) -> Fragment:
        """The verdict, the XmR chart and its data for one choice."""
        improvement = self.config.spc_improvement[measure]
        chart = xmr(self.series(measure, team, first, last), improvement, list(rebase))
        target = MEASURES[measure].target(self.config)
        who = f"{team} team" if team not in (None, EVERY_TEAM) else "every team"
        title = f"{MEASURES[measure].label}, {who}"
        if chart.empty:
            return Fragment(paragraph(f"No values for {title.lower()} in these months."))
        end = chart.iloc[-1]
        verdict = variation(end["point_type"], int(end["direction"]))
        sure = assurance(target, end["lower_limit"], end["upper_limit"], improvement)
        said = (
            f"{title}, {month_name(chart['month'].iloc[0])} to {month_name(end['month'])}: "
            f"{variation_words()[verdict].lower()}" + (f"; {assurance_words()[sure].lower()}" if sure else "") + "."
        )
        figure = xmr_figure(chart, measure, target, list(rebase), f"{title}: XmR chart.", title=title)
        return join(paragraph(said), figure)

    def forecasts(self) -> pd.DataFrame:
        """Every month's forecast from the thirteenth month of the extract (``forecast_backtest``), with
        next month's (``forecast_next_month``, nothing yet to compare it with)."""
        if self._forecasts is None:
            tables = MonthTables(self.data, self.month, self.config)
            ahead = tables.forecast_next_month.rename(columns={"compliance_median": "forecast"})
            self._forecasts = pd.concat(
                [
                    tables.forecast_backtest,
                    ahead[["month", "scope", "group", "forecast", "low_80", "high_80", "low_95", "high_95"]],
                ],
                ignore_index=True,
            )
        return self._forecasts

    def forecast_view(self, team: str | None = None, category: str = "all") -> Fragment:
        """One team's (or the service's, or a category's) forecasts month by month, against what happened."""
        rows = self.forecasts()
        if team not in (None, EVERY_TEAM):
            rows, title = rows.loc[(rows["scope"] == "team") & (rows["group"] == team)], f"{team} team"
        elif category != "all":
            rows, title = rows.loc[(rows["scope"] == "category") & (rows["group"] == category)], category
        else:
            rows, title = rows.loc[rows["scope"] == "all"], "every team"
        rows = rows.dropna(subset=["forecast"])
        if rows.empty:
            return Fragment(paragraph(f"No forecast for {title}: it needs a year of history."))
        return backtest_chart(rows, self.config.target, f"Forecast compliance, {title}")

    def controls(self) -> Any:
        """Widgets for the measure, team, months and new phases, redrawing the view below them."""
        import ipywidgets as widgets
        from IPython.display import display

        measure = widgets.Dropdown(
            options=[(MEASURES[m].label, m) for m in self.config.spc_improvement],
            value="compliance_all",
            description="Measure",
        )
        team = widgets.Dropdown(options=self.teams, value=EVERY_TEAM, description="Team")
        span = widgets.SelectionRangeSlider(
            options=self.months,
            index=(0, len(self.months) - 1),
            description="Months",
            layout=widgets.Layout(width="95%"),
        )
        rebase = widgets.SelectMultiple(
            options=self.months[1:],
            value=tuple(m for m in self.config.spc_rebase_months if m in self.months[1:]),
            description="New phase",
            rows=5,
        )
        out = widgets.Output()

        def redraw(_: Any = None) -> None:
            self.shown = self.view(measure.value, team.value, span.value[0], span.value[1], list(rebase.value))
            out.clear_output(wait=True)
            with out:
                display(self.shown)

        for control in (measure, team, span, rebase):
            control.observe(redraw, names="value")
        redraw()
        return widgets.VBox([widgets.HBox([measure, team]), span, rebase, out])
