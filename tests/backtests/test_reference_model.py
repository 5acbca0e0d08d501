"""Back-tests: the vectorised calculations against the naive day-by-day reference model.

Random small authorities (hypothesis) and the whole sample authority must give, person-month by
person-month and person by person, the same answers as ``tests/backtests/reference_model.py``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import load_config
from analysis.inputs.dataset import Dataset

from builders import examples, make_dataset
from reference_model import Model

CONFIG = load_config()
MONTHS = ["2019-09", "2019-10", "2019-11", "2019-12"]
FIRST, LAST = date(2019, 6, 1), date(2020, 2, 28)
ROLES = ["social_worker", "senior_social_worker", "principal_social_worker", "team_manager"]
COLUMNS = [
    "month",
    "staff_id",
    "ref_date",
    "team",
    "role",
    "category",
    "unavailable_days",
    "due",
    "exclusion_reason",
    "supervised",
    "near_miss",
]

day_in_window = st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST + timedelta(days=n))


@st.composite
def authorities(draw) -> Dataset:
    staff, absences, supervisions, allocations = [], [], [], []
    for n in range(draw(st.integers(1, 4))):
        person = f"W{n}"
        start = draw(day_in_window)
        qualified = draw(st.none() | day_in_window.map(lambda d: d - timedelta(days=300)))
        for post in range(draw(st.integers(1, 2))):
            end = draw(st.none() | st.integers(0, 150).map(lambda k, s=start: s + timedelta(days=k)))
            staff.append(
                {
                    "staff_id": person,
                    "team": draw(st.sampled_from(["A", "B"])),
                    "role": draw(st.sampled_from(ROLES)),
                    "employment": draw(st.sampled_from(["permanent", "agency"])),
                    "start_date": start,
                    "end_date": end,
                    "fte": 1.0,
                    # Rows may disagree (a person qualifies once: the earliest counts) or leave it blank.
                    "qualified_date": None
                    if qualified is None or (post and draw(st.booleans()))
                    else qualified + timedelta(days=draw(st.sampled_from([0, 0, 45, -200]))),
                    "row": len(staff) + 2,
                }
            )
            if end is None:
                break
            start = end + timedelta(days=draw(st.integers(1, 40)))
        for _ in range(draw(st.integers(0, 3))):
            s = draw(day_in_window)
            absences.append(
                {
                    "staff_id": person,
                    "start_date": s,
                    "end_date": s + timedelta(days=draw(st.integers(0, 20))),
                    "absence_type": draw(st.sampled_from(["annual_leave", "sickness", "maternity", "other"])),
                    "row": len(absences) + 2,
                }
            )
        for _ in range(draw(st.integers(0, 5))):
            supervisions.append(
                {
                    "staff_id": person,
                    "supervision_date": draw(day_in_window),
                    "supervision_type": draw(st.sampled_from(["formal", "formal", "group", "peer"])),
                    "row": len(supervisions) + 2,
                }
            )
        for _ in range(draw(st.integers(0, 4))):
            s = draw(day_in_window)
            allocations.append(
                {
                    "case_id": f"C{draw(st.integers(0, 5))}",
                    "staff_id": person,
                    "start_date": s,
                    "end_date": draw(st.none() | st.integers(0, 90).map(lambda k, s=s: s + timedelta(days=k))),
                    "case_type": "child_in_need",
                    "row": len(allocations) + 2,
                }
            )
    return make_dataset(staff=staff, absences=absences, supervisions=supervisions, allocations=allocations)


OTHER = {
    "supervision_roles": ["social_worker", "senior_social_worker"],
    "nqsw_months": 6,
    "nqsw_band_months": 3,
    "absence_threshold_days": 5,
    "grace_days": 3,
}
OTHER_CONFIG = CONFIG.with_changes(**OTHER)


def _vectorised_person_months(data: Dataset, config=CONFIG) -> pd.DataFrame:
    from analysis.supervision.eligibility import person_months

    got = person_months(data, [pd.Period(m, "M") for m in MONTHS], config)
    got = got.assign(ref_date=pd.to_datetime(got["ref_date"]).dt.date)
    got["exclusion_reason"] = got["exclusion_reason"].where(~got["due"].astype(bool), None)
    return got[COLUMNS].astype({"due": bool, "supervised": bool, "near_miss": bool, "unavailable_days": int})


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    if want.empty:
        assert got.empty
        return
    key = ["month", "staff_id"]
    got = got.sort_values(key).reset_index(drop=True)
    want = want[COLUMNS].sort_values(key).reset_index(drop=True)
    want["exclusion_reason"] = want["exclusion_reason"].astype(object).where(want["exclusion_reason"].notna(), None)
    got["exclusion_reason"] = got["exclusion_reason"].astype(object).where(got["exclusion_reason"].notna(), None)
    pd.testing.assert_frame_equal(got.astype(object), want.astype(object), check_dtype=False)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(authorities())
def test_person_months_match_the_reference_model(data):
    _same(_vectorised_person_months(data), Model(data).person_months(MONTHS))


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(authorities())
def test_person_months_match_the_reference_model_under_other_settings(data):
    _same(_vectorised_person_months(data, OTHER_CONFIG), Model(data, OTHER).person_months(MONTHS))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(authorities(), day_in_window)
def test_caseloads_match_the_reference_model(data, day):
    from analysis.caseload.on_dates import caseloads_on

    model = Model(data)
    got = caseloads_on(data, [pd.Timestamp(day)], CONFIG)
    got = dict(zip(got["staff_id"], got["caseload"].astype(int)))
    want = {p: model.caseload(p, day) for p in model.posts if model.post_on(p, day)}
    assert got == want


@pytest.fixture(scope="module")
def sample():
    from analysis.inputs.loading import load_valid_dataset
    from analysis.paths import SAMPLE_DATA

    return load_valid_dataset(SAMPLE_DATA, CONFIG)


def test_sample_person_months_match_the_reference_model(sample):
    months = [str(m) for m in pd.period_range("2018-09", "2020-01", freq="M")]
    from analysis.supervision.eligibility import person_months

    got = person_months(sample, [pd.Period(m, "M") for m in months], CONFIG)
    got = got.assign(ref_date=pd.to_datetime(got["ref_date"]).dt.date)
    got["exclusion_reason"] = got["exclusion_reason"].where(~got["due"].astype(bool), None)
    got = got[COLUMNS].astype({"due": bool, "supervised": bool, "near_miss": bool, "unavailable_days": int})
    _same(got, Model(sample).person_months(months))


@pytest.mark.parametrize("day", ["2018-09-30", "2019-09-30", "2019-12-31"])
def test_sample_headline_and_nqsw_match_the_reference_model(sample, day):
    from builders import caseload_snapshots_for, nqsw_caseload_on

    model = Model(sample)
    when = date.fromisoformat(day)
    staff, holders, cases, mean = model.headline(when)
    if day.endswith("09-30"):
        table = caseload_snapshots_for(sample, pd.Period("2019-12", "M"), CONFIG)
        row = table[(pd.to_datetime(table["snapshot"]) == pd.Timestamp(day)) & (table["group"] == "headline")].iloc[0]
        assert (row["staff"], row["case_holders"], row["cases"], row["mean_caseload"]) == (staff, holders, cases, mean)
    bands = model.nqsw_breakdown(when)
    table = nqsw_caseload_on(sample, pd.Timestamp(day), CONFIG).set_index("band")
    for band, loads in bands.items():
        assert table.loc[band, "staff"] == len(loads)
        if loads:
            assert table.loc[band, "mean_caseload"] == round(sum(loads) / len(loads), 2)


@pytest.mark.parametrize("month", ["2019-09", "2019-12"])
def test_sample_regular_supervision_matches_the_reference_model(sample, month):
    from analysis.tables import compute_tables

    table = compute_tables(sample, pd.Period(month, "M"), None, CONFIG)["regular_supervision"]
    got = table[table["month"] == month]
    got = {(r.scope, r.group): (r.due_three, r.supervised_three) for r in got.itertuples()}
    want = Model(sample).regular(month)
    assert {k: v for k, v in got.items() if v != (0, 0)} == {k: v for k, v in want.items() if v != (0, 0)}
