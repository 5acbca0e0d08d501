"""The forecast's invariants over generated authorities: its intervals nest, it never looks past the
month it is made in, and a supervision added to someone's past never lowers what is expected."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import load_config
from analysis.tables import MonthTables

from builders import examples, make_dataset, post

CONFIG = load_config()
MONTH = pd.Period("2019-06", "M")
END = MONTH.end_time.date()
FIRST, LAST = date(2018, 1, 1), date(2019, 12, 31)
PROPERTY = settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
days = st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST + timedelta(days=n))


@st.composite
def authorities(draw):
    staff, absences, supervisions = [], [], []
    for k in range(draw(st.integers(2, 8))):
        person = f"P{k}"
        start = draw(st.sampled_from(["2017-06-01", "2018-02-12", "2018-09-03"]))
        end = draw(st.none() | days.filter(lambda d: d > date(2018, 9, 3)))
        team = draw(st.sampled_from(["A", "B"]))
        moved = draw(st.none() | days.filter(lambda d, end=end: d > date(2018, 9, 4) and (end is None or d < end)))
        employment = draw(st.sampled_from(["permanent", "agency"]))
        if moved is None:
            staff.append(post(person, start=start, end=end and end.isoformat(), team=team, employment=employment))
        else:
            before = (moved - timedelta(days=1)).isoformat()
            staff.append(post(person, start=start, end=before, team=team, employment=employment))
            other = "B" if team == "A" else "A"
            staff.append(
                post(person, start=moved.isoformat(), end=end and end.isoformat(), team=other, employment=employment)
            )
        for _ in range(draw(st.integers(0, 3))):
            begin = draw(days)
            kind = draw(st.sampled_from(["annual_leave", "sickness", "maternity", "other"]))
            length = draw(st.integers(0, 25))
            absences.append(
                {
                    "staff_id": person,
                    "absence_type": kind,
                    "start_date": begin.isoformat(),
                    "end_date": (begin + timedelta(days=length)).isoformat(),
                }
            )
        rate = draw(st.sampled_from([0.3, 0.7, 0.95]))
        for month in pd.period_range("2018-01", "2019-12", freq="M"):
            if draw(st.floats(0, 1)) < rate:
                day = month.start_time.date() + timedelta(days=draw(st.integers(0, 27)))
                supervisions.append({"staff_id": person, "supervision_date": day.isoformat()})
    return staff, absences, supervisions


def _forecasts(staff, absences, supervisions) -> pd.DataFrame:
    data = make_dataset(staff=staff, absences=absences, supervisions=supervisions)
    return MonthTables(data, MONTH, CONFIG).value("forecasts")


@PROPERTY
@given(authorities())
def test_intervals_nest_and_every_share_is_a_share(drawn):
    out = _forecasts(*drawn).dropna(subset=["compliance_median"])
    order = out[["low_95", "low_80", "compliance_median", "high_80", "high_95"]].to_numpy()
    assert (np.diff(order, axis=1) >= 0).all()
    assert ((order >= 0) & (order <= 1)).all()
    assert out["p_target"].between(0, 1).all()
    assert (out["supervised_expected"] <= out["due_expected"] + 1e-9).all()


@PROPERTY
@given(authorities(), st.integers(0, 2**16))
def test_no_record_after_the_month_but_a_planned_absence_or_an_end_date_moves_its_forecasts(drawn, seed):
    staff, absences, supervisions = drawn
    rng = np.random.default_rng(seed)
    later = [p for p in staff if pd.Timestamp(p["start_date"]).date() > END]
    kept_staff = [p for p in staff if p not in later]
    # A post starting after the month is a move or a starter: unknown then. Its person's run of posts
    # (their recorded end) stays known, so a moved person's earlier post keeps the recorded end.
    for person in {p["staff_id"] for p in later}:
        runs = [p for p in staff if p["staff_id"] == person]
        last_end = None if any(p["end_date"] is None for p in runs) else max(p["end_date"] for p in runs)
        for p in kept_staff:
            if p["staff_id"] == person and p["end_date"] is not None and pd.Timestamp(p["end_date"]).date() >= END:
                p["end_date"] = last_end
    unplanned_later = [
        a
        for a in absences
        if pd.Timestamp(a["start_date"]).date() > END and a["absence_type"] not in CONFIG.planned_absence_types
    ]
    kept_absences = [a for a in absences if a not in unplanned_later]
    kept_supervisions = [s for s in supervisions if pd.Timestamp(s["supervision_date"]).date() <= END]
    extra = [
        {"staff_id": f"P{int(rng.integers(0, 8))}", "supervision_date": (END + timedelta(days=int(d))).isoformat()}
        for d in rng.integers(1, 150, 10)
    ]
    before = _forecasts(staff, absences, supervisions)
    after = _forecasts(kept_staff, kept_absences, kept_supervisions + extra)
    made = str(MONTH + 1)
    pd.testing.assert_frame_equal(
        before.loc[before["month"] <= made].reset_index(drop=True),
        after.loc[after["month"] <= made].reset_index(drop=True),
    )


@PROPERTY
@given(authorities(), st.data())
def test_a_supervision_added_to_a_past_month_never_lowers_the_supervised_expected(drawn, data):
    staff, absences, supervisions = drawn
    person = data.draw(st.sampled_from(sorted({p["staff_id"] for p in staff})))
    # A month the extract already covers (a month with no record at all is a gap, outside the history).
    covered = sorted({pd.Period(s["supervision_date"][:7], "M") for s in supervisions})
    month = data.draw(st.sampled_from([m for m in covered if pd.Period("2018-07", "M") <= m <= MONTH] or [MONTH]))
    added = {"staff_id": person, "supervision_date": (month.start_time + pd.Timedelta(days=14)).date().isoformat()}
    key = ["month", "scope", "group"]
    before = _forecasts(staff, absences, supervisions).set_index(key)
    after = _forecasts(staff, absences, [*supervisions, added]).set_index(key)
    nxt = before.xs(str(MONTH + 1), level="month")
    grown = after.xs(str(MONTH + 1), level="month").reindex(nxt.index)
    assert (grown["supervised_expected"] >= nxt["supervised_expected"] - 0.05).all()
