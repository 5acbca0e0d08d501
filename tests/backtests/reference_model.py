"""A deliberately naive, day-by-day model of docs/definitions.md, for back-testing.

Written from the design text alone, without the package's calculations: plain Python dates and
loops, one person and one day at a time. Slow, obvious, and independent of the vectorised code it
checks. Only the `holidays` package and dateutil are shared with it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays
import pandas as pd
from dateutil.relativedelta import relativedelta

REASONS = ["not_in_post", "maternity", "sickness", "annual_leave", "other"]
# The design's defaults, written out here and not read from config/default.toml, so that a changed
# default in the package is caught by the back-tests.
DESIGN_DEFAULTS = {
    "supervision_roles": ["social_worker", "senior_social_worker", "principal_social_worker", "team_manager"],
    "counting_supervision_types": ["formal"],
    "nqsw_months": 12,
    "absence_threshold_days": 10,
    "grace_days": 7,
    "headline_roles": ["social_worker", "senior_social_worker"],
    "nqsw_band_months": 6,
}


@cache
def _bank_holidays(year: int) -> frozenset:
    return frozenset(holidays.country_holidays("GB", subdiv="WLS", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def days_of(month: str) -> list[date]:
    first = date.fromisoformat(month + "-01")
    last = first + relativedelta(months=1) - timedelta(days=1)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _d(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


@dataclass
class Post:
    start: date
    end: date | None
    team: str
    role: str
    employment: str
    fte: float
    qualified: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class Model:
    """The definitions over a Dataset's frames, answered one person at a time."""

    def __init__(self, data, changes: dict | None = None):
        self.config = {**DESIGN_DEFAULTS, **(changes or {})}
        self.posts: dict[str, list[Post]] = {}
        for r in data.staff.to_dict("records"):
            self.posts.setdefault(r["staff_id"], []).append(
                Post(
                    _d(r["start_date"]),
                    _d(r["end_date"]),
                    r["team"],
                    r["role"],
                    r["employment"],
                    float(r["fte"]),
                    _d(r["qualified_date"]),
                )
            )
        self.absences: dict[str, list[tuple[date, date, str]]] = {}
        for r in data.absences.to_dict("records"):
            self.absences.setdefault(r["staff_id"], []).append(
                (_d(r["start_date"]), _d(r["end_date"]), r["absence_type"])
            )
        self.formal: dict[str, set[date]] = {}
        for r in data.supervisions.to_dict("records"):
            if r["supervision_type"] in self.config["counting_supervision_types"]:
                self.formal.setdefault(r["staff_id"], set()).add(_d(r["supervision_date"]))
        self.allocations: dict[str, list[tuple[str, date, date | None, str]]] = {}
        for r in data.allocations.to_dict("records"):
            self.allocations.setdefault(r["staff_id"], []).append(
                (r["case_id"], _d(r["start_date"]), _d(r["end_date"]), r.get("case_type"))
            )

    # --- people on a day ---------------------------------------------------------------------
    def post_on(self, person: str, day: date) -> Post | None:
        for post in self.posts.get(person, []):
            if post.covers(day):
                return post
        return None

    def qualified_date(self, person: str, post: Post) -> date | None:
        """The earliest date on any of the person's rows: a person qualifies once."""
        given = [p.qualified for p in self.posts[person] if p.qualified is not None]
        return min(given) if given else None

    def category(self, person: str, day: date) -> str:
        post = self.post_on(person, day)
        if post.employment == "agency":
            return "agency"
        q = self.qualified_date(person, post)
        if q is not None and day < q + relativedelta(months=self.config["nqsw_months"]):
            return "nqsw"
        return "qualified"

    # --- supervision -------------------------------------------------------------------------
    def regular(self, month: str) -> dict[tuple[str, str], tuple[int, int]]:
        """Regular supervision in ``month``: (scope, group) -> (due in all three months ending in it,
        supervised in all three). A person's category and team are theirs in ``month``."""
        first = date.fromisoformat(month + "-01")
        months = [(first - relativedelta(months=back)).strftime("%Y-%m") for back in (2, 1, 0)]
        out: dict[tuple[str, str], list[int]] = {}
        for person in self.posts:
            rows = [self.person_month(person, m) for m in months]
            if rows[-1] is None:
                continue
            due = all(r is not None and r["due"] for r in rows)
            supervised = due and all(r["supervised"] for r in rows)
            for key in (("category", "all"), ("category", rows[-1]["category"]), ("team", rows[-1]["team"])):
                counts = out.setdefault(key, [0, 0])
                counts[0] += due
                counts[1] += supervised
        return {key: (due, supervised) for key, (due, supervised) in out.items()}

    def person_month(self, person: str, month: str) -> dict | None:
        days = days_of(month)
        roles = self.config["supervision_roles"]
        if not any(
            p.role in roles and p.start <= days[-1] and (p.end is None or p.end >= days[0])
            for p in self.posts.get(person, [])
        ):
            return None
        employed = [d for d in days if self.post_on(person, d) is not None]
        ref = days[-1] if self.post_on(person, days[-1]) else max(employed)
        post = self.post_on(person, ref)
        reasons = Counter()
        for day in days:
            if not is_working_day(day):
                continue
            if self.post_on(person, day) is None:
                reasons["not_in_post"] += 1
                continue
            types = {t for s, e, t in self.absences.get(person, []) if s <= day <= e}
            for reason in REASONS[1:]:
                if reason in types:
                    reasons[reason] += 1
                    break
        unavailable = sum(reasons.values())
        due = unavailable < self.config["absence_threshold_days"]
        reason = None
        if not due:
            reason = max(REASONS, key=lambda r: (reasons[r], -REASONS.index(r)))
        formal = self.formal.get(person, set())
        supervised = due and any(days[0] <= d <= days[-1] for d in formal)
        grace_end = days[-1] + timedelta(days=self.config["grace_days"])
        near_miss = due and not supervised and any(days[-1] < d <= grace_end for d in formal)
        return {
            "month": month,
            "staff_id": person,
            "ref_date": ref,
            "team": post.team,
            "role": post.role,
            "category": self.category(person, ref),
            "unavailable_days": unavailable,
            "due": due,
            "exclusion_reason": reason,
            "supervised": supervised,
            "near_miss": near_miss,
        }

    def person_months(self, months: list[str]) -> pd.DataFrame:
        rows = [self.person_month(p, m) for m in months for p in sorted(self.posts)]
        return pd.DataFrame([r for r in rows if r is not None])

    # --- caseload ----------------------------------------------------------------------------
    def caseload(self, person: str, day: date) -> int:
        return len({c for c, s, e, _ in self.allocations.get(person, []) if s <= day and (e is None or e >= day)})

    def headline(self, day: date) -> tuple[int, int, int, float | None]:
        """(staff, case holders, cases, mean) of the design's headline on ``day``."""
        loads = []
        for person in self.posts:
            post = self.post_on(person, day)
            if post and post.role in self.config["headline_roles"] and self.category(person, day) != "nqsw":
                loads.append(self.caseload(person, day))
        holders = [n for n in loads if n > 0]
        mean = round(sum(holders) / len(holders), 2) if holders else None
        return len(loads), len(holders), sum(holders), mean

    def nqsw_breakdown(self, day: date) -> dict[str, list[int]]:
        bands = {"non_case_holding": [], "months_0_6": [], "months_6_12": []}
        for person in self.posts:
            post = self.post_on(person, day)
            if not post or self.category(person, day) != "nqsw":
                continue
            load = self.caseload(person, day)
            if load == 0:
                bands["non_case_holding"].append(0)
            elif day < self.qualified_date(person, post) + relativedelta(months=self.config["nqsw_band_months"]):
                bands["months_0_6"].append(load)
            else:
                bands["months_6_12"].append(load)
        return bands
