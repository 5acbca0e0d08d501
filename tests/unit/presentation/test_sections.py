"""Display-ready frames, sentences and formats for the report notebooks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.config import load_config
from analysis.presentation.formats import (
    TITLE_KEY,
    caseload,
    count,
    date_long,
    esc,
    month_name,
    month_short,
    pct,
    plural,
)
from analysis.presentation.html_kit import Column, Fragment, html_table, join
from analysis.presentation.sections import team_detail as sections_team_detail
from analysis.presentation.sections.caseload import caseload_headline, caseload_sentences, flags_section
from analysis.presentation.sections.front_matter import title_block
from analysis.presentation.sections.generic_tables import generic_table, rows_of_month
from analysis.presentation.sections.nqsw import nqsw_section, nqsw_sentence
from analysis.presentation.sections.prose import caveats
from analysis.presentation.sections.supervision import (
    category_sentence,
    comparative_tables,
    compliance_sentence,
    direction,
    regular_sentence,
    supervision_headline,
    window_sentence,
)
from analysis.presentation.sections.supervision_detail import data_gap_section, posts_section
from analysis.presentation.sections.team_detail import data_quality_section
from analysis.presentation.sections.watch import nqsw_standard_section, watch_detail_table, watch_section
from analysis.report import month_inputs as sections_inputs
from analysis.report.month_inputs import ReportInputs, load_report, write_cache

from builders import with_tables


# --------------------------------------------------------------------------- formats
@pytest.mark.parametrize(
    "value, text",
    [(0.8235, "82.4%"), (0.8, "80.0%"), (1.0, "100.0%"), (0.0, "0.0%"), (0.80049, "80.0%"), (np.nan, "–"), (None, "–")],
)
def test_percentages_to_one_place(value, text):
    assert pct(value) == text


def test_percentage_places_can_be_chosen():
    assert pct(0.9, 0) == "90%"


@pytest.mark.parametrize(
    "value, text",
    [(16.16, "16.16"), (23.8, "23.8"), (23.80, "23.8"), (8.0, "8"), (14, "14"), (5.857, "5.86"), (np.nan, "–")],
)
def test_caseloads_as_the_council_quotes_them(value, text):
    assert caseload(value) == text


@pytest.mark.parametrize("value, text", [(3, "3"), (3.0, "3"), (1204, "1,204"), (np.int64(7), "7"), (pd.NA, "–")])
def test_counts_are_whole_numbers(value, text):
    assert count(value) == text


def test_months_dates_and_plurals():
    assert month_name("2019-12") == "December 2019"
    assert month_name(pd.Period("2019-09", "M")) == "September 2019"
    assert month_short("2019-12") == "Dec 2019"
    assert date_long("2019-09-30") == "30 September 2019"
    assert date_long(pd.NaT) == "–"
    assert plural(1, "team") == "1 team" and plural(3, "team") == "3 teams"
    assert plural(2, "query", "queries") == "2 queries"


def test_direction_of_travel():
    assert direction(0.83, 0.81) == "up 2.0 percentage points"
    assert direction(0.80, 0.81) == "down 1.0 percentage points"
    assert direction(0.80, 0.80) == "unchanged"
    assert direction(0.80, np.nan) == ""


# --------------------------------------------------------------------------- tables
def test_html_table_has_caption_scoped_headers_and_escapes():
    frame = pd.DataFrame({"team": ["A & B", "<C>"], "due": [3, 4], "compliance": [0.5, np.nan]})
    html = html_table(
        frame,
        [
            Column("team", "Team"),
            Column("due", "Due", count, True),
            Column("compliance", "Compliance", pct, True),
        ],
        caption="Teams <2019>",
        row_header="team",
    )
    assert "<caption>Teams &lt;2019&gt;</caption>" in html
    assert html.count('scope="col"') == 3 and html.count('scope="row"') == 2
    assert "A &amp; B" in html and "&lt;C&gt;" in html
    assert '<td class="num">50.0%</td>' in html and '<td class="num">–</td>' in html


def test_an_empty_table_says_so():
    html = html_table(pd.DataFrame(columns=["a"]), [Column("a", "A")], "Nothing", empty="None here.")
    assert "None here." in html and "<caption>Nothing</caption>" in html


def test_rows_of_month_by_the_month_as_text():
    frame = pd.DataFrame({"month": pd.PeriodIndex(["2019-11", "2019-12", "2019-12"], freq="M"), "n": [1, 2, 3]})
    assert rows_of_month(frame, pd.Period("2019-12", "M"))["n"].tolist() == [2, 3]
    assert rows_of_month(frame, "2019-11")["n"].tolist() == [1]
    assert rows_of_month(frame, "2020-01").empty
    no_month = pd.DataFrame({"n": [1, 2]})
    assert rows_of_month(no_month, "2019-12") is no_month


def test_generic_table_formats_each_column_by_its_unit():
    frame = pd.DataFrame(
        {
            "month": ["2019-12"],
            "due": [4],
            "compliance": [0.75],
            "mean_caseload": [16.16],
            "as_at": pd.to_datetime(["2019-12-31"]),
            "category": ["nqsw"],
        }
    )
    html = generic_table(frame, "t")
    for text in (
        "December 2019",
        ">4<",
        "75.0%",
        "16.16",
        "31 December 2019",
        "Newly qualified (NQSW)",
        "Mean caseload",
    ):
        assert text in html


def test_a_column_is_formatted_by_its_described_unit_not_by_words_in_its_name():
    # caseload_distribution's lower and upper are band ends in cases, not rates; a column a section
    # adds (not in analysis.columns) is formatted by its type.
    frame = pd.DataFrame({"caseload_band": ["1-5"], "lower": [1], "upper": [5.0], "share": [0.25], "extra": [0.5]})
    html = generic_table(frame, "t")
    assert ">1<" in html and ">5<" in html and "25.0%" in html and "0.50" in html
    assert "100.0%" not in html and "500.0%" not in html


def test_fragments_set_the_page_title_through_metadata():
    fragment = Fragment("<p>x</p>", title="Report title")
    data, metadata = fragment._repr_mimebundle_()
    assert data["text/html"] == "<p>x</p>" and metadata == {TITLE_KEY: "Report title"}
    joined = join(Fragment("<p>a</p>"), None, "<p>b</p>", fragment)
    assert joined.body == "<p>a</p>\n<p>b</p>\n<p>x</p>" and joined.title == "Report title"


# --------------------------------------------------------------------------- inputs
def _monthly() -> pd.DataFrame:
    rows = []
    for month, due, supervised in (("2019-09", 80, 65), ("2019-10", 85, 69), ("2019-11", 90, 75), ("2019-12", 95, 79)):
        for category, share in (("all", 1.0), ("qualified", 0.7), ("nqsw", 0.1), ("agency", 0.2)):
            d, s = round(due * share), round(supervised * share)
            rows.append(
                {
                    "month": month,
                    "category": category,
                    "in_scope": d + 5,
                    "due": d,
                    "supervised": s,
                    "compliance": round(s / d, 4),
                    "near_miss": 2,
                }
            )
    return pd.DataFrame(rows)


def _inputs(tables: dict[str, pd.DataFrame] | None = None) -> ReportInputs:
    tables = (
        tables
        if tables is not None
        else {
            "supervision_monthly": _monthly(),
            "caseload_snapshots": pd.DataFrame(
                {
                    "snapshot": pd.to_datetime(["2019-09-30", "2019-09-30", "2018-09-30", "2018-09-30"]),
                    "group": ["headline", "social_worker", "headline", "social_worker"],
                    "staff": [10, 8, 9, 7],
                    "case_holders": [10, 8, 9, 7],
                    "cases": [162, 120, 214, 160],
                    "mean_caseload": [16.16, 15.0, 23.8, 22.86],
                    "cases_per_fte": [17.0, 16.0, 25.0, 24.0],
                }
            ),
            "nqsw_caseload": pd.DataFrame(
                {
                    "as_at": pd.to_datetime(["2019-12-31"] * 3),
                    "band": ["non_case_holding", "months_0_6", "months_6_12"],
                    "staff": [2, 2, 4],
                    "mean_caseload": [np.nan, 8.0, 14.0],
                }
            ),
            "nqsw_status_ends": pd.DataFrame(
                {
                    "as_at": pd.to_datetime(["2019-12-31"] * 3),
                    "band": ["non_case_holding", "months_0_6", "months_6_12"],
                    "staff": [2, 2, 4],
                    "status_ends_first": pd.to_datetime([None, "2020-08-01", "2020-04-02"]),
                    "status_ends_last": pd.to_datetime([None, "2020-10-01", "2020-04-30"]),
                }
            ),
            "caseload_flag_counts": pd.DataFrame(
                {
                    "as_at": pd.to_datetime(["2019-12-31"] * 2),
                    "rule": ["team_manager_holding_cases", "over_max_caseload"],
                    "count": [0, 3],
                }
            ),
        }
    )
    return ReportInputs(
        month=pd.Period("2019-12", "M"),
        window_start=pd.Period("2019-09", "M"),
        data_dir=Path("data/sample"),
        config_path=None,
        config=load_config(),
        tables=tables,
        extract_date=pd.Timestamp("2020-01-05"),
        generated_at=datetime(2020, 1, 6, 9, 30, tzinfo=UTC),
        version="0.1.0",
        git_commit="0123456789abcdef0123456789abcdef01234567",
    )


def test_the_headline_sentence_gives_figure_target_and_direction():
    text = compliance_sentence(_monthly(), "2019-12", 0.9)
    assert text == (
        "In December 2019, 83.2% of staff due formal supervision received it (79 of 95), below the "
        "90% target; down 0.1 percentage points on November 2019 (83.3%)."
    )


def test_the_window_sentence_gives_the_range_and_rising_due():
    text = window_sentence(_monthly(), "2019-09", "2019-12")
    assert "ranged between 81.2% and 83.3%" in text
    assert "rose every month" in text


def test_a_month_nobody_was_due():
    frame = _monthly()
    frame.loc[frame["month"] == "2019-12", ["due", "supervised", "compliance"]] = [0, 0, np.nan]
    assert compliance_sentence(frame, "2019-12", 0.9) == "No staff were due formal supervision in December 2019."


def test_title_block_names_authority_period_extract_and_version():
    block = with_tables(title_block, _inputs(), "Supervision compliance")
    for text in (
        "Sample County Council",
        "<h1>Supervision compliance</h1>",
        "December 2019",
        "September 2019 to December 2019",
        "5 January 2020",
        "6 January 2020, 09:30 UTC",
        "analysis 0.1.0, commit 0123456789ab",
    ):
        assert text in block.body
    assert block.title == "Supervision compliance: December 2019 (Sample County Council (synthetic data))"
    assert "Restricted" in with_tables(title_block, _inputs(), "Team detail", restricted=True).body


def test_comparative_tables_are_all_then_each_category():
    html = with_tables(comparative_tables, _inputs()).body
    captions = [c for c in html.split("<caption>")[1:]]
    assert [c.split(":")[0] for c in captions] == [
        "All staff (qualified, newly qualified and agency social workers and managers)",
        "Qualified",
        "Newly qualified (NQSW)",
        "Agency",
    ]
    assert html.count("December 2019") == 4


def test_the_council_caseload_sentences():
    sentences = with_tables(caseload_sentences, _inputs())
    assert sentences[0].startswith(
        "In Autumn 2019 (30 September 2019) the average caseload for qualified social workers was 16.16"
    )
    assert sentences[1].startswith(
        "In Autumn 2018 (30 September 2018) the average caseload for qualified social workers was 23.8 "
    )
    assert sentences[2] == "That is 7.64 fewer cases per qualified social worker than a year earlier."


def test_the_nqsw_breakdown_reads_like_the_council():
    body = with_tables(nqsw_section, _inputs()).body
    assert "Of the 8 newly qualified social workers (NQSW) in the service on 31 December 2019:" in body
    assert "2 are non-case holding." in body
    assert (
        "2 are in their first six months after qualifying (status ending August 2020 to October 2020) and they "
        "have an average caseload of 8." in body
    )
    assert (
        "4 are six to twelve months after qualifying (status ending April 2020) and they have an average "
        "caseload of 14." in body
    )
    sentence = nqsw_sentence(
        _inputs().tables["nqsw_caseload"], "2019-12-31", load_config(), _inputs().tables["nqsw_status_ends"]
    )
    assert sentence.startswith("Of the 8 newly qualified social workers on 31 December 2019: 2 holding no cases")


def test_flags_are_counted_by_rule_without_names():
    body = with_tables(flags_section, _inputs()).body
    assert "3 caseloads broke one of the appropriate-work checks" in body
    assert "Anyone holds more than 25 cases" in body and "A team manager holds any case" in body


def test_caveats_say_headcount_exclusion_rule_and_agency_absence():
    for which in ("supervision", "caseload"):
        body = caveats(_inputs(), which).body
        assert "headcount" in body and "10 working days (two weeks)" in body and "not recorded for agency staff" in body


def test_missing_tables_give_a_sentence_not_an_error():
    empty = _inputs({})
    for fragment in (
        with_tables(supervision_headline, empty),
        with_tables(comparative_tables, empty),
        with_tables(caseload_headline, empty),
        with_tables(nqsw_section, empty),
        with_tables(flags_section, empty),
        with_tables(data_gap_section, empty),
        with_tables(posts_section, empty),
        with_tables(watch_section, empty),
        with_tables(nqsw_standard_section, empty),
        with_tables(sections_team_detail.team_index, empty),
        with_tables(data_quality_section, empty),
    ):
        assert isinstance(fragment, Fragment) and fragment.body


def test_the_cache_round_trip_and_a_mismatched_cache_is_ignored(tmp_path, monkeypatch):
    inputs = _inputs()
    inputs.data_dir = tmp_path
    write_cache(inputs, tmp_path)
    loaded = load_report("2019-12", None, str(tmp_path), None, str(tmp_path))
    assert loaded.tables["supervision_monthly"].equals(inputs.tables["supervision_monthly"])
    computed = []
    monkeypatch.setattr(sections_inputs, "build_inputs", lambda *a, **k: computed.append(a) or "computed")
    assert load_report("2019-11", None, str(tmp_path), None, str(tmp_path)) == "computed"
    assert load_report("2019-12", None, str(tmp_path), None, None) == "computed"
    assert len(computed) == 2


def _two_teams() -> dict[str, pd.DataFrame]:
    return {
        "caseload_staff": pd.DataFrame(
            {
                "staff_id": ["a1", "b2", "c3"],
                "team": ["T", "T", "<b>U</b>"],
                "role": ["social_worker"] * 3,
                "category": ["qualified"] * 3,
                "caseload": [10, 27, 12],
            }
        ),
        "supervision_staff": pd.DataFrame(
            {
                "month": ["2019-12"] * 3,
                "team": ["T", "T", "<b>U</b>"],
                "staff_id": ["a1", "b2", "c3"],
                "role": ["social_worker"] * 3,
                "category": ["qualified"] * 3,
                "due": [True, True, True],
                "supervised": [True, True, False],
                "exclusion_reason": [None] * 3,
                "near_miss": [False] * 3,
                "consecutive_misses": [0, 0, 3],
            }
        ),
        "caseload_flags": pd.DataFrame(
            {
                "staff_id": ["b2"],
                "team": ["T"],
                "role": ["social_worker"],
                "caseload": [27],
                "complex_cases": [0],
                "rule": ["over_max_caseload"],
                "detail": ["holds 27 cases; the limit is 25"],
            }
        ),
        "nqsw_detail": pd.DataFrame({"staff_id": ["c3"], "team": ["<b>U</b>"], "caseload": [12]}),
    }


def test_each_team_has_a_page_with_its_own_staff_and_no_one_elses():
    from analysis.exports.team_pages import team_pages

    inputs = _inputs(_two_teams())
    tables = {
        name: inputs.table(name)
        for name in (
            "coverage",
            "caseload_staff",
            "supervision_staff",
            "caseload_flags",
            "nqsw_detail",
            "watch_next_month",
            "forecast_next_month",
        )
    }
    pages = team_pages(tables, inputs)
    assert sorted(pages) == ["b-u-b.html", "t.html"]
    t, u = pages["t.html"], pages["b-u-b.html"]
    assert ">a1<" in t and ">b2<" in t and "c3" not in t
    assert ">c3<" in u and "a1" not in u and "b2" not in u
    assert "above maximum caseload (25)" in t and ">27<" in t and "Overdue" in u
    assert "<b>U</b>" not in u and "Team detail: &lt;b&gt;U&lt;/b&gt;" in u
    assert '<a href="index.html">All teams</a>' in t and t.startswith("<!DOCTYPE html>") and "<script" not in t
    assert "Restricted: staff-level detail" in t


def test_the_team_index_counts_each_team_and_names_no_one():
    body = with_tables(sections_team_detail.team_index, _inputs(_two_teams())).body
    assert '<a href="t.html">T</a>' in body and '<a href="b-u-b.html">&lt;b&gt;U&lt;/b&gt;</a>' in body
    assert not any(i in body for i in ("a1", "b2", "c3"))
    assert "send each manager only their own team" in body


def test_team_page_names_are_readable_safe_and_unique():
    from analysis.presentation.team_links import team_slugs

    assert team_slugs(["Child Protection North", "Tîm Gogledd", "A/B", "A B", "index", "???", "!!!"]) == {
        "!!!": "team",
        "???": "team-2",
        "A B": "a-b",
        "A/B": "a-b-2",
        "Child Protection North": "child-protection-north",
        "Tîm Gogledd": "tim-gogledd",
        "index": "index-2",
    }
    assert team_slugs(["x" * 100]) == {"x" * 100: "x" * 60}


def test_the_watch_list_is_counted_for_leaders_and_listed_for_managers():
    watch = pd.DataFrame(
        {
            "month": ["2020-01"] * 3,
            "team": ["T", "T", "U"],
            "staff_id": ["a", "b", "c"],
            "role": ["social_worker"] * 3,
            "missed_this_month": [True, False, False],
            "supervision_overdue": [True, False, True],
            "last_formal_supervision": pd.to_datetime(["2019-11-04", "2019-12-09", None]),
            "absence_type": [None, "annual_leave", None],
            "absence_start": pd.to_datetime([None, "2020-01-08", None]),
            "absence_end": pd.to_datetime([None, "2020-01-08", None]),
            "absence_working_days_next_month": [0, 1, 0],
        }
    )
    from analysis.supervision.watch import watch_next_month_teams

    inputs = _inputs({"watch_next_month": watch, "watch_next_month_teams": watch_next_month_teams(watch)})
    summary = with_tables(watch_section, inputs).body
    assert "3 members of staff are on the watch list for January 2020" in summary
    assert ">a<" not in summary  # no names in the leadership report
    detail = with_tables(watch_detail_table, inputs).body
    assert "Missed in Dec 2019; over a month since supervision" in detail
    assert "Annual leave 8 Jan 2020 (1 working day next month)" in detail
    assert "4 Nov 2019" in detail


def _month_rows(**by_category):
    rows = [
        {"month": "2019-12", "category": c, "supervised": s, "due": d, "compliance": (s / d) if d else None}
        for c, (s, d) in by_category.items()
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "rows, said",
    [
        (
            dict(all=(5, 8), qualified=(0, 0), nqsw=(0, 0), agency=(0, 8)),
            "In December 2019, compliance for agency staff was 0.0%, 0 of 8; no qualified or newly qualified staff "
            "were due.",
        ),
        (
            dict(all=(16, 22), qualified=(5, 6), nqsw=(10, 12), agency=(1, 4)),
            "In December 2019, compliance was highest for qualified and newly qualified staff (83.3%, 5 of 6 and 10 of "
            "12) and lowest for agency staff (25.0%, 1 of 4).",
        ),
        (
            dict(all=(4, 8), qualified=(1, 2), nqsw=(2, 4), agency=(1, 2)),
            "In December 2019, compliance was the same for qualified, newly qualified and agency staff: 50.0%, 1 of 2, "
            "2 of 4 and 1 of 2.",
        ),
        (
            dict(all=(9, 12), qualified=(8, 10), nqsw=(0, 0), agency=(1, 2)),
            "In December 2019, compliance was highest for qualified staff (80.0%, 8 of 10) and lowest for agency staff "
            "(50.0%, 1 of 2); no newly qualified staff were due.",
        ),
    ],
)
def test_the_category_sentence_reads_ties_and_empty_groups_correctly(rows, said):
    assert category_sentence(_month_rows(**rows), "2019-12") == said


def _regular(due: int, supervised: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": ["2019-12", "2019-12", "2019-11"],
            "scope": ["category", "team", "category"],
            "group": ["all", "all", "all"],
            "due_three": [due, 99, 50],
            "supervised_three": [supervised, 1, 50],
            "regular": [supervised / due if due else np.nan, 1 / 99, 1.0],
        }
    )


@pytest.mark.parametrize(
    ("due", "supervised", "said"),
    [
        (
            40,
            36,
            "Of the 40 staff due formal supervision in each month from October 2019 to December 2019, 36 (90.0%) "
            "were supervised in all three months, meeting the 90% target.",
        ),
        (40, 35, "35 (87.5%) were supervised in all three months, below the 90% target."),
        (0, 0, "No member of staff was due formal supervision in each month from October 2019 to December 2019."),
    ],
)
def test_the_regular_sentence_reads_the_months_all_row_against_the_target(due, supervised, said):
    assert said in regular_sentence(_regular(due, supervised), "2019-12", 0.9)


def test_a_team_pages_newly_qualified_stage_is_in_words_not_a_code():
    from analysis.presentation import wording
    from analysis.presentation.sections.team_detail import nqsw_detail_table

    inputs = _inputs()
    detail = pd.DataFrame(
        {
            "as_at": pd.to_datetime(["2019-12-31"] * 3),
            "team": ["Assessment"] * 3,
            "staff_id": ["S1", "S2", "S3"],
            "role": ["social_worker"] * 3,
            "employment": ["permanent"] * 3,
            "qualified_date": pd.to_datetime(["2019-04-26", "2019-10-01", "2019-11-01"]),
            "months_since_qualified": [8, 2, 1],
            "months_band": ["months_6_12", "months_0_6", "months_0_6"],
            "band": ["months_6_12", "months_0_6", "non_case_holding"],
            "nqsw_status_ends": pd.to_datetime(["2020-04-26", "2020-10-01", "2020-11-01"]),
            "caseload": [14, 8, 0],
            "complex_cases": [1, 0, 0],
            "band_limit": [16, 10, 10],
        }
    )
    html = str(nqsw_detail_table(detail, inputs))
    stages = wording.band_labels(inputs.config)
    assert "months_6_12" not in html and "months_0_6" not in html and "non_case_holding" not in html
    assert all(esc(label) in html for label in stages.values())


def test_the_team_table_shows_the_limits_its_verdict_uses_not_a_second_test():
    from analysis.presentation.sections.supervision_detail import teams_table

    # Child Protection North in the issue: Wilson 41.0%-80.9% excludes the service's 83.7%, yet
    # the exact funnel keeps it within its 95% limits; the page shows the funnel's limits only.
    teams = pd.DataFrame(
        {
            "month": ["2019-12"],
            "team": ["Child Protection North"],
            "in_scope": [17],
            "due": [16],
            "supervised": [10],
            "compliance": [0.625],
            "wilson_low": [0.410],
            "wilson_high": [0.809],
            "overall": [0.837],
            "lower_95": [0.5625],
            "upper_95": [1.0],
            "lower_998": [0.4375],
            "upper_998": [1.0],
            "outside": ["within"],
        }
    )
    html = teams_table(teams, "2019-12")
    assert "56.3% to 100.0%" in html and "Within limits" in html
    assert "41.0%" not in html and "Wilson" not in html


def test_the_snapshot_table_says_why_the_headline_holds_fewer_than_the_roles():
    from analysis.presentation.sections.caseload import snapshot_table

    snaps = pd.DataFrame(
        {
            "snapshot": ["2019-09-30", "2019-09-30", "2019-09-30"],
            "group": ["headline", "social_worker", "principal_social_worker"],
            "staff": [80, 70, 10],
            "case_holders": [75, 77, 10],
            "cases": [1212, 1230, 72],
            "mean_caseload": [16.16, 15.97, 7.2],
            "cases_per_fte": [16.5, 16.3, 7.4],
        }
    )
    html = str(snapshot_table(snaps, _inputs()))
    assert "The headline counts social workers and senior social workers who are not newly qualified" in html
    assert "newly qualified social workers included" in html
