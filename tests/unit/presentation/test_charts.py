"""Charts: embedded PNG, a text alternative stating the finding, the AF palette, direct labels."""

from __future__ import annotations

import base64
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

from analysis.config import load_config
from analysis.presentation.charts import base as charts
from analysis.presentation.charts import caseload as charts_caseload
from analysis.presentation.charts import supervision as charts_supervision

PNG = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)">')
AF_COLOURS = {"#12436d", "#28a197", "#801650", "#f46a25", "#3d3d3d", "#a285d1"}


def _monthly() -> pd.DataFrame:
    rows = []
    for month, values in (
        ("2019-09", (0.81, 0.83, 0.75, 0.7)),
        ("2019-10", (0.82, 0.82, 1.0, 0.75)),
        ("2019-11", (0.833, 0.843, 0.5, 1.0)),
        ("2019-12", (0.837, 0.878, 0.625, 0.625)),
    ):
        for category, value in zip(("all", "qualified", "nqsw", "agency"), values):
            rows.append(
                {
                    "month": month,
                    "category": category,
                    "in_scope": 100,
                    "due": 90,
                    "supervised": round(90 * value),
                    "compliance": value,
                    "near_miss": 3,
                }
            )
    return pd.DataFrame(rows)


def _image(fragment) -> tuple[bytes, str]:
    match = PNG.search(fragment.body)
    assert match, fragment.body[:200]
    return base64.b64decode(match.group(1)), match.group(2)


def test_the_palette_is_the_analysis_function_one():
    assert {c.lower() for c in charts.PALETTE} == AF_COLOURS
    for colour, _, _ in charts.CATEGORY_STYLE.values():
        assert colour.lower() in AF_COLOURS
    # series differ by more than colour
    assert len({m for _, m, _ in charts.CATEGORY_STYLE.values()}) == 4
    assert len({ls for _, _, ls in charts.CATEGORY_STYLE.values()}) == 4


def test_the_font_is_one_debian_ships():
    assert matplotlib.rcParams["font.sans-serif"][:2] == ["Liberation Sans", "DejaVu Sans"]


def test_compliance_trend_has_alt_text_caption_and_data_table():
    fragment = charts_supervision.compliance_trend(_monthly(), 0.9)
    png, alt = _image(fragment)
    assert png.startswith(b"\x89PNG")
    assert alt == (
        "Line chart: compliance for all staff went from 81.0% in September 2019 to 83.7% in December "
        "2019, below the 90% target in every month."
    )
    assert "<figcaption>" in fragment.body and "<caption>" in fragment.body
    assert "83.7%" in fragment.body.split("</figure>")[1]  # the data beside the chart


def test_category_trend_labels_each_line_in_the_alt_text():
    _, alt = _image(charts_supervision.category_trend(_monthly(), 0.9))
    assert "in December 2019: All 83.7%, Qualified 87.8%, NQSW 62.5%, Agency 62.5%" in alt.replace(
        "Agency 62.5%, All 83.7%, NQSW 62.5%, Qualified 87.8%", "All 83.7%, Qualified 87.8%, NQSW 62.5%, Agency 62.5%"
    )


def test_spread_labels_keeps_order_and_gap():
    placed = charts.spread_labels([0.5, 0.51, 0.9, 0.505], 0.05)
    order = np.argsort([0.5, 0.51, 0.9, 0.505])
    assert np.all(np.diff(placed[order]) >= 0.05 - 1e-9)
    assert np.argsort(placed).tolist() == order.tolist()


def test_funnel_plot_names_the_teams_outside_the_limits():
    teams = pd.DataFrame(
        {
            "team": ["North", "South", "East"],
            "due": [20, 25, 30],
            "supervised": [17, 20, 10],
            "compliance": [0.85, 0.8, 0.3333],
        }
    )
    status = charts_supervision.classify_teams(teams, 0.8)
    assert status == ["within", "within", "below"]
    fragment = charts_supervision.funnel_plot(teams, 0.8, "2019-12")
    _, alt = _image(fragment)
    assert "below the 95% limit: East" in alt
    limits = charts_supervision.funnel_limits(0.8, np.array([10.0, 100.0]), 0.95)
    assert limits[0][0] < limits[0][1] < 0.8 < limits[1][1] < limits[1][0]


def test_the_outside_column_decides_when_the_table_has_one():
    teams = pd.DataFrame(
        {"team": ["A", "B"], "due": [10, 10], "compliance": [0.2, 0.99], "outside": ["below_99.8", "above_95"]}
    )
    assert charts_supervision.classify_teams(teams, 0.8) == ["below", "above"]


def test_exclusions_chart_states_the_commonest_reason():
    reasons = pd.DataFrame({"reason": ["annual_leave", "sickness", "not_in_post"], "staff": [2, 5, 1]})
    _, alt = _image(charts_supervision.exclusions_chart(reasons, "2019-12"))
    assert alt == (
        "Bar chart: 8 members of staff were not due supervision in December 2019; the most common reason "
        "was sickness (5)."
    )


def test_role_and_distribution_charts_cover_both_autumns():
    snaps = pd.to_datetime(["2019-09-30", "2018-09-30"])
    by_role = pd.DataFrame(
        {
            "snapshot": np.repeat(snaps, 2),
            "dimension": "role",
            "group": ["social_worker", "team_manager"] * 2,
            "mean_caseload": [16.0, np.nan, 22.5, np.nan],
        }
    )
    _, alt = _image(charts_caseload.role_caseloads(by_role))
    assert alt == (
        "Bar chart of mean caseload by role in Autumn 2018 and Autumn 2019: social worker 22.5 then 16; "
        "team managers held no cases."
    )
    dist = pd.DataFrame(
        {
            "snapshot": np.repeat(snaps, 3),
            "caseload_band": ["1-10", "11-20", "over 25"] * 2,
            "case_holders": [1, 9, 2, 0, 4, 8],
        }
    )
    fragment = charts_caseload.distribution_chart(dist)
    _, alt = _image(fragment)
    assert "Autumn 2018: most held over 25 cases" in alt and "Autumn 2019: most held 11-20 cases" in alt
    assert "Autumn 2018" in fragment.body.split("</figure>")[1]
    assert charts_caseload.distribution_chart(dist) is fragment  # the same data is drawn once


def test_nqsw_chart_gives_the_breakdown():
    nqsw = pd.DataFrame(
        {
            "band": ["non_case_holding", "months_0_6", "months_6_12"],
            "staff": [2, 2, 4],
            "mean_caseload": [np.nan, 8.0, 14.0],
        }
    )
    _, alt = _image(charts_caseload.nqsw_chart(nqsw, pd.Timestamp("2019-12-31"), load_config()))
    assert alt.startswith("Bar chart: Of the 8 newly qualified social workers on 31 December 2019: 2 holding no cases")
    assert "average caseload of 8" in alt and "average caseload of 14" in alt


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts_supervision.compliance_trend(_monthly(), 0.9),
        lambda: charts_supervision.category_trend(_monthly(), 0.9),
    ],
)
def test_charts_are_small(make):
    png, _ = _image(make())
    assert len(png) < 150_000


# --- legible at any window the tool accepts -------------------------------------------------------


def _window(months: int) -> pd.DataFrame:
    rng = np.random.default_rng(months)
    labels = [str(p) for p in pd.period_range("2017-01", periods=months, freq="M")]
    rows = []
    for month in labels:
        for category in ("all", "qualified", "nqsw", "agency"):
            value = float(np.clip(rng.normal(0.84, 0.05), 0.5, 1.0))
            rows.append(
                {"month": month, "category": category, "in_scope": 100, "due": 90, "supervised": 76}
                | {"compliance": round(value, 4), "near_miss": 2}
            )
    return pd.DataFrame(rows)


def _xmr_rows(months: int) -> pd.DataFrame:
    from analysis.trends.spc import xmr

    values = _window(months).query("category == 'all'").set_index("month")["compliance"]
    chart = xmr(values, "increase")
    return chart.reset_index().assign(measure="compliance_all")[
        ["measure", "month", "value", "mean", "lower_limit", "upper_limit", "point_type"]
    ]


def _drawn_texts(make, monkeypatch, tmp_path, name):
    """The words a chart draws, as boxes on its canvas (the figure caught before it is encoded), and
    the picture itself, kept for a look."""
    caught = []
    encode = charts.png_base64

    def keep(fig):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
        caught.append([(t.get_text(), t.get_window_extent(renderer)) for t in texts])
        fig.savefig(tmp_path / f"{name}.png", dpi=80)
        return encode(fig)

    monkeypatch.setattr(charts, "png_base64", keep)
    make()
    return caught[0]


@pytest.mark.parametrize("months", [4, 12, 36])
@pytest.mark.parametrize("chart", ["compliance_trend", "category_trend", "xmr"])
def test_no_two_words_of_a_chart_overlap_at_any_window(chart, months, monkeypatch, tmp_path):
    from analysis.presentation.charts.spc import xmr_figure

    monthly = _window(months)
    make = {
        "compliance_trend": lambda: charts_supervision.compliance_trend(monthly, 0.9),
        "category_trend": lambda: charts_supervision.category_trend(monthly, 0.9),
        "xmr": lambda: xmr_figure(_xmr_rows(months), "compliance_all", 0.9, [], "Figure 2."),
    }[chart]
    drawn = _drawn_texts(make, monkeypatch, tmp_path, f"{chart}-{months}")
    clashes = [
        (a, b)
        for i, (a, box_a) in enumerate(drawn)
        for b, box_b in drawn[i + 1 :]
        if box_a.overlaps(box_b) and box_a.intersection(box_a, box_b).width > 1
    ]
    assert clashes == []
    shown_months = [t for t, _ in drawn if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t)]
    assert 2 <= len(shown_months) <= 12


def test_the_target_label_is_not_struck_through_by_its_line(monkeypatch, tmp_path):
    from analysis.presentation.charts.spc import xmr_figure

    caught = []
    encode = charts.png_base64

    def keep(fig):
        caught.append([t for t in fig.findobj(matplotlib.text.Text) if t.get_text().startswith("Target")])
        return encode(fig)

    monkeypatch.setattr(charts, "png_base64", keep)
    xmr_figure(_xmr_rows(12), "compliance_all", 0.9, [], "Figure 2.")
    (label,) = caught[0]
    patch = label.get_bbox_patch()
    assert patch is not None and matplotlib.colors.to_hex(patch.get_facecolor()) == "#ffffff"
    assert label.get_zorder() > 1.4  # drawn above the target's line


def test_a_long_xmr_data_table_is_folded_away_until_wanted():
    from analysis.presentation.charts.spc import xmr_figure

    long = str(xmr_figure(_xmr_rows(33), "compliance_all", 0.9, [], "Figure 2."))
    short = str(xmr_figure(_xmr_rows(8), "compliance_all", 0.9, [], "Figure 2."))
    assert '<details class="chart-data"><summary>The chart&#x27;s data: 33 months</summary>' in long
    assert long.endswith("</table></div></details>")
    assert "<details" not in short and "<table" in short


@pytest.mark.parametrize("chart", ["compliance_trend", "category_trend"])
def test_a_line_never_strikes_through_a_label(chart, monkeypatch):
    caught = []
    encode = charts.png_base64

    def keep(fig):
        caught.append([t for t in fig.findobj(matplotlib.text.Text) if re.search(r"\d%$", t.get_text())])
        return encode(fig)

    monkeypatch.setattr(charts, "png_base64", keep)
    getattr(charts_supervision, chart)(_window(12), 0.9)
    labels = [t for t in caught[0] if t.get_text().startswith(("Target", "All", "Qualified", "NQSW", "Agency"))]
    assert labels
    for label in labels:
        patch = label.get_bbox_patch()
        assert patch is not None and matplotlib.colors.to_hex(patch.get_facecolor()) == "#ffffff", label.get_text()
        assert label.get_zorder() >= 4
