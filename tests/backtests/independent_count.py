"""An independent, day-by-day count of the design's figures, for checking the sample authority.

Plain Python written from docs/definitions.md alone: the csv module, ``datetime.date``, one
person and one day at a time. It imports nothing from the package's calculations (the working-day
calendar is the reference model's, itself only the ``holidays`` package), so it checks the records
rather than the code that reads them.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reference_model import days_of, is_working_day

SUPERVISION_ROLES = {"social_worker", "senior_social_worker", "principal_social_worker", "team_manager"}
HEADLINE_ROLES = {"social_worker", "senior_social_worker"}
NQSW_MONTHS = 12
BAND_MONTHS = 6
ABSENCE_THRESHOLD = 10


def parse(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with open(Path(folder) / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def add_months(day: date, months: int) -> date:
    """Same day ``months`` calendar months on, clipped to the end of the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Post:
    start: date
    end: date | None
    role: str
    employment: str
    qualified: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Authority:
    """The four tables of a data folder, indexed by person."""

    def __init__(self, folder: Path):
        self.posts: dict[str, list[Post]] = defaultdict(list)
        for row in read(folder, "staff"):
            self.posts[row["staff_id"]].append(
                Post(
                    parse(row["start_date"]),
                    parse(row["end_date"]),
                    row["role"],
                    row["employment"],
                    parse(row["qualified_date"]),
                )
            )
        self.absences: dict[str, list[tuple[date, date]]] = defaultdict(list)
        for row in read(folder, "absences"):
            self.absences[row["staff_id"]].append((parse(row["start_date"]), parse(row["end_date"])))
        self.formal: dict[str, set[date]] = defaultdict(set)
        for row in read(folder, "supervisions"):
            if row["supervision_type"] == "formal":
                self.formal[row["staff_id"]].add(parse(row["supervision_date"]))
        self.allocations: dict[str, list[tuple[str, date, date | None]]] = defaultdict(list)
        for row in read(folder, "allocations"):
            self.allocations[row["staff_id"]].append((row["case_id"], parse(row["start_date"]), parse(row["end_date"])))

    # --- people on a day ---------------------------------------------------------------------
    def post_on(self, person: str, day: date) -> Post | None:
        for post in self.posts[person]:
            if post.covers(day):
                return post
        return None

    def qualified_date(self, person: str, post: Post) -> date | None:
        if post.qualified is not None:
            return post.qualified
        known = [p.qualified for p in self.posts[person] if p.qualified is not None]
        return min(known) if known else None

    def category(self, person: str, day: date) -> str | None:
        post = self.post_on(person, day)
        if post is None:
            return None
        if post.employment == "agency":
            return "agency"
        qualified = self.qualified_date(person, post)
        if qualified is not None and day < add_months(qualified, NQSW_MONTHS):
            return "nqsw"
        return "qualified"

    def absent(self, person: str, day: date) -> bool:
        return any(start <= day <= end for start, end in self.absences[person])

    # --- supervision ---------------------------------------------------------------------------
    def month_status(self, person: str, month: str) -> dict | None:
        """In scope, reference date, category, due, supervised for one person and month; None if out of scope."""
        days = days_of(month)
        employed = [d for d in days if self.post_on(person, d) is not None]
        in_scope = any(self.post_on(person, d).role in SUPERVISION_ROLES for d in employed)
        if not in_scope:
            return None
        reference = employed[-1]
        unavailable = sum(
            1 for d in days if is_working_day(d) and (self.post_on(person, d) is None or self.absent(person, d))
        )
        due = unavailable < ABSENCE_THRESHOLD
        supervised = due and any(d.strftime("%Y-%m") == month for d in self.formal[person])
        return {"category": self.category(person, reference), "due": due, "supervised": supervised}

    def supervision(self, month: str) -> dict[str, dict[str, int]]:
        """Counts by category (and ``all``): in_scope, due, supervised."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: {"in_scope": 0, "due": 0, "supervised": 0})
        for person in self.posts:
            status = self.month_status(person, month)
            if status is None:
                continue
            for group in ("all", status["category"]):
                counts[group]["in_scope"] += 1
                counts[group]["due"] += status["due"]
                counts[group]["supervised"] += status["supervised"]
        return dict(counts)

    # --- caseload ------------------------------------------------------------------------------
    def caseload(self, person: str, day: date) -> int:
        return len(
            {case for case, start, end in self.allocations[person] if start <= day and (end is None or day <= end)}
        )

    def headline(self, day: date) -> tuple[int, int]:
        """(case holders, cases) of qualified and agency social workers and seniors on ``day``."""
        holders = cases = 0
        for person in self.posts:
            post = self.post_on(person, day)
            if post is None or post.role not in HEADLINE_ROLES or self.category(person, day) == "nqsw":
                continue
            load = self.caseload(person, day)
            if load >= 1:
                holders += 1
                cases += load
        return holders, cases

    def nqsw_breakdown(self, day: date) -> dict[str, list[int]]:
        """Caseloads of the NQSWs employed on ``day``: non-case holders and the two bands."""
        bands: dict[str, list[int]] = {"non_case_holding": [], "months_0_6": [], "months_6_12": []}
        for person in self.posts:
            if self.category(person, day) != "nqsw":
                continue
            load = self.caseload(person, day)
            qualified = self.qualified_date(person, self.post_on(person, day))
            if load == 0:
                bands["non_case_holding"].append(0)
            elif day < add_months(qualified, BAND_MONTHS):
                bands["months_0_6"].append(load)
            else:
                bands["months_6_12"].append(load)
        return bands

    def nqsw_status_ends(self, day: date) -> list[date]:
        """When each NQSW employed on ``day`` stops being newly qualified."""
        return sorted(
            add_months(self.qualified_date(p, self.post_on(p, day)), NQSW_MONTHS)
            for p in self.posts
            if self.category(p, day) == "nqsw"
        )

    def holders_on(self, day: date, roles: set[str]) -> dict[str, int]:
        """Caseload of each person employed on ``day`` in ``roles``."""
        return {
            p: self.caseload(p, day)
            for p in self.posts
            if (post := self.post_on(p, day)) is not None and post.role in roles
        }
