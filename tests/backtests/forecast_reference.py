"""A naive model of the forecast's chances (docs/definitions.md, "Next month's forecast"), for back-testing.

Written from the definition alone, one person and one month at a time, on the day-by-day reference
model (``reference_model.Model``): what was known at a month's end is built as a data set of its own
(the post held on the last day, to the end of its run of posts; absences started by then or
planned), and the rates are counted in plain loops. Its constants are its own.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

from reference_model import Model

PLANNED = ("annual_leave", "maternity")
PERSON_MONTHS, TEAM_MONTHS, UNAVAILABLE_MONTHS, SHRINKAGE = 6, 12, 12, 3.0


def _month(label: str, back: int) -> str:
    return (date.fromisoformat(label + "-01") - relativedelta(months=back)).strftime("%Y-%m")


class Frames:
    """The three frames ``Model`` reads."""

    def __init__(self, staff: list[dict], absences: list[dict]):
        self.staff = pd.DataFrame(
            staff, columns=["staff_id", "team", "role", "employment", "start_date", "end_date", "qualified_date", "fte"]
        )
        self.absences = pd.DataFrame(absences, columns=["staff_id", "absence_type", "start_date", "end_date"])
        self.supervisions = pd.DataFrame(columns=["staff_id", "supervision_date", "supervision_type"])
        self.allocations = pd.DataFrame(columns=["case_id", "staff_id", "start_date", "end_date", "case_type"])


class ForecastModel:
    def __init__(self, data):
        self.data = data
        self.actual = Model(data)
        self._known: dict[str, dict] = {}

    def _run_end(self, person: str, day: date) -> date | None:
        """The last day of the run of posts covering ``day`` (None: open)."""
        posts = sorted(self.actual.posts[person], key=lambda p: p.start)
        end = day
        changed = True
        while changed:
            changed = False
            for post in posts:
                if post.start <= end + timedelta(days=1) and (post.end is None or post.end > end):
                    if post.end is None:
                        return None
                    end, changed = post.end, True
        return end

    def known(self, target: str) -> dict[str, dict]:
        """Person -> {team, category, due} as known at the end of the month before ``target``."""
        if target in self._known:
            return self._known[target]
        first = date.fromisoformat(target + "-01")
        last_day = first - timedelta(days=1)
        staff, people = [], []
        for person in self.actual.posts:
            post = self.actual.post_on(person, last_day)
            if post is None:
                continue
            # post_on gives the first listed post covering the day; the later starting one holds
            covering = [p for p in self.actual.posts[person] if p.covers(last_day)]
            post = max(covering, key=lambda p: p.start)
            people.append(person)
            staff.append(
                {
                    "staff_id": person,
                    "team": post.team,
                    "role": post.role,
                    "employment": post.employment,
                    "start_date": pd.Timestamp(post.start),
                    "end_date": pd.Timestamp(end) if (end := self._run_end(person, last_day)) else pd.NaT,
                    "qualified_date": pd.Timestamp(q) if (q := self.actual.qualified_date(person, post)) else pd.NaT,
                    "fte": post.fte,
                }
            )
        absences = [
            {
                "staff_id": r["staff_id"],
                "absence_type": r["absence_type"],
                "start_date": r["start_date"],
                "end_date": r["end_date"],
            }
            for r in self.data.absences.to_dict("records")
            if r["staff_id"] in people
            and (pd.Timestamp(r["start_date"]).date() <= last_day or r["absence_type"] in PLANNED)
        ]
        model = Model(Frames(staff, absences))
        out = {}
        for person in people:
            row = model.person_month(person, target)
            if row is not None:
                out[person] = {"team": row["team"], "category": row["category"], "due": row["due"]}
        self._known[target] = out
        return out

    def chances(self, target: str, history: list[str]) -> dict[str, tuple[float, float]]:
        """Person -> (chance of being due, chance of being supervised if due) for ``target``."""
        before = [m for m in history if _month(target, UNAVAILABLE_MONTHS) <= m < target]
        foreseen, missed = {}, {}
        for month in before:
            for person, row in self.known(month).items():
                if row["due"]:
                    actual = self.actual.person_month(person, month)
                    for group in (row["category"], "all"):
                        foreseen[group] = foreseen.get(group, 0) + 1
                        missed[group] = missed.get(group, 0) + (actual is None or not actual["due"])
        team_months = [m for m in history if _month(target, TEAM_MONTHS) <= m < target]
        team_due, team_supervised = {}, {}
        for month in team_months:
            for person in self.actual.posts:
                row = self.actual.person_month(person, month)
                if row is not None and row["due"]:
                    for group in (row["team"], None):
                        team_due[group] = team_due.get(group, 0) + 1
                        team_supervised[group] = team_supervised.get(group, 0) + row["supervised"]
        out = {}
        for person, row in self.known(target).items():
            group = row["category"] if foreseen.get(row["category"]) else "all"
            rate = missed.get(group, 0) / foreseen[group] if foreseen.get(group) else 0.0
            p_due = 1 - rate if row["due"] else 0.0
            record = [self.actual.person_month(person, m) for m in history if m < target]
            due = [r for r in record if r is not None and r["due"]][-PERSON_MONTHS:]
            s, n = sum(r["supervised"] for r in due), len(due)
            team = row["team"] if team_due.get(row["team"]) else None
            p_team = team_supervised[team] / team_due[team] if team_due.get(team) else float("nan")
            out[person] = (p_due, (s + SHRINKAGE * p_team) / (n + SHRINKAGE))
        return out
