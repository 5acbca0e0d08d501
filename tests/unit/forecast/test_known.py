"""What is known at a month's end about the next month, worked by hand."""

from __future__ import annotations

from analysis.forecast.known import employment_ends, known_person_months

from builders import make_dataset, post


def _known(config, staff, absences=(), target="2020-01"):
    data = make_dataset(staff=staff, absences=list(absences))
    return known_person_months(data, [target], config).set_index("staff_id")


def test_a_planned_absence_booked_after_the_month_makes_a_person_not_due(config):
    # 6 to 17 January 2020: 10 working days (1 January is a bank holiday, outside it).
    leave = {"staff_id": "P1", "absence_type": "annual_leave", "start_date": "2020-01-06", "end_date": "2020-01-17"}
    sick = {**leave, "staff_id": "P2", "absence_type": "sickness"}
    known = _known(config, [post("P1"), post("P2")], [leave, sick])
    assert not known.loc["P1", "due"]
    assert known.loc["P2", "due"]  # sickness starting after the month is never known in advance


def test_an_absence_started_before_the_month_end_is_known_whatever_its_type(config):
    sick = {"staff_id": "P1", "absence_type": "sickness", "start_date": "2019-12-16", "end_date": "2020-01-31"}
    assert not _known(config, [post("P1")], [sick]).loc["P1", "due"]


def test_a_recorded_leaving_date_is_known_and_a_starter_after_the_month_is_not(config):
    staff = [post("P1", end="2020-01-10"), post("P2", start="2020-01-02"), post("P3", end="2019-12-31")]
    known = _known(config, staff)
    assert not known.loc["P1", "due"]  # 7 working days in post in January
    assert "P2" not in known.index and "P3" not in known.index


def test_a_later_change_of_team_is_not_known_but_the_run_of_posts_is(config):
    staff = [post("P1", team="A", end="2020-01-05"), post("P1", team="B", start="2020-01-06")]
    known = _known(config, staff)
    assert known.loc["P1", "team"] == "A" and known.loc["P1", "due"]


def test_employment_ends_follow_contiguous_and_overlapping_posts_only():
    import pandas as pd

    from builders import make_table

    staff = make_table(
        "staff",
        [
            post("P1", start="2019-01-01", end="2019-06-30"),
            post("P1", start="2019-07-01", end="2019-12-31"),
            post("P1", start="2020-02-01", end="2020-03-31"),
            post("P2", start="2019-01-01", end=None),
        ],
    )
    ends = pd.Series(employment_ends(staff)).astype(str).tolist()
    assert ends[:3] == ["2019-12-31", "2019-12-31", "2020-03-31"]
    assert ends[3].startswith("2262")


def test_no_one_in_post_at_any_month_end_gives_no_one_and_a_blank_forecast(config):
    from analysis.tables import MonthTables

    staff = [post("P1", start="2019-01-01", end="2019-01-01")]
    assert _known(config, staff).empty
    data = make_dataset(staff=staff, supervisions=[{"staff_id": "P1", "supervision_date": "2019-01-01"}])
    forecast = MonthTables(data, "2019-01", config).forecast_next_month
    assert forecast["compliance_median"].isna().all() and forecast["due_expected"].eq(0).all()


def test_history_is_the_months_the_extract_covers_up_to_the_month():
    import pandas as pd

    from analysis.forecast.forecasts import history_months

    # Supervisions January to March and May 2019: April is a gap, and June, after the last record,
    # is not covered either (a lone run of two in October is a typing slip and stretches nothing).
    days = ["2019-01-03", "2019-02-05", "2019-03-04", "2019-03-20", "2019-05-02", "2019-10-01", "2019-10-02"]
    data = make_dataset(staff=[post("P1")], supervisions=[{"staff_id": "P1", "supervision_date": d} for d in days])
    months = history_months(data, pd.Period("2019-06", "M"))
    assert [str(m) for m in months] == ["2019-01", "2019-02", "2019-03", "2019-05"]
