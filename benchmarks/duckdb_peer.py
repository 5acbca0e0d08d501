"""The peer: the supervision figures (``supervision_monthly``) in DuckDB SQL, from the four CSVs.

A second, independent implementation of the design's definitions for the default settings, as a
performance analyst fluent in SQL would write it: working days from a calendar table, person-months
from the assignments that overlap each month, unavailable days as the working days out of post
or inside an absence, due below 10 of them, supervised by a formal supervision in the month, a
near miss within 7 days after. ``make bench`` times it against ``tables``; a back-test
(``tests/backtests/test_duckdb_peer.py``) holds that the two agree on the sample.

Run alone: ``python benchmarks/duckdb_peer.py DATA_DIR FIRST_MONTH LAST_MONTH`` prints the table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import holidays
import pandas as pd

ROLES = ("social_worker", "senior_social_worker", "principal_social_worker", "team_manager")
THRESHOLD, GRACE_DAYS, NQSW_MONTHS = 10, 7, 12

SQL = """
WITH
staff AS (
    SELECT staff_id, role, employment, start_date::DATE AS start_date,
           coalesce(end_date::DATE, DATE '9999-12-31') AS end_date, qualified_date::DATE AS qualified_date
    FROM read_csv($staff, all_varchar = true)
),
qualified AS (SELECT staff_id, min(qualified_date) AS qualified_date FROM staff GROUP BY staff_id),
absences AS (
    SELECT staff_id, start_date::DATE AS start_date, end_date::DATE AS end_date
    FROM read_csv($absences, all_varchar = true)
),
formal AS (
    SELECT DISTINCT staff_id, supervision_date::DATE AS day
    FROM read_csv($supervisions, all_varchar = true)
    WHERE lower(trim(supervision_type)) = 'formal'
),
months AS (
    SELECT m::DATE AS month_start, last_day(m::DATE) AS month_end
    FROM range($first::DATE, ($last::DATE + INTERVAL 1 MONTH), INTERVAL 1 MONTH) t(m)
),
working AS (
    SELECT d::DATE AS day, date_trunc('month', d)::DATE AS month_start
    FROM range($first::DATE, ($last::DATE + INTERVAL 1 MONTH), INTERVAL 1 DAY) t(d)
    WHERE isodow(d) <= 5 AND d::DATE NOT IN (SELECT day FROM holidays)
),
person_months AS (
    SELECT p.staff_id, m.month_start, m.month_end,
           least(m.month_end, max(p.end_date)) AS ref_date
    FROM staff p JOIN months m ON p.start_date <= m.month_end AND p.end_date >= m.month_start
    WHERE p.role IN $roles
    GROUP BY p.staff_id, m.month_start, m.month_end
),
categorised AS (
    SELECT pm.*,
           CASE WHEN p.employment = 'agency' THEN 'agency'
                WHEN q.qualified_date IS NOT NULL
                     AND pm.ref_date < q.qualified_date + to_months($nqsw_months) THEN 'nqsw'
                ELSE 'qualified' END AS category
    FROM person_months pm
    JOIN staff p ON p.staff_id = pm.staff_id AND pm.ref_date BETWEEN p.start_date AND p.end_date
    JOIN qualified q ON q.staff_id = pm.staff_id
),
unavailable AS (
    SELECT pm.staff_id, pm.month_start, count(*) AS days
    FROM person_months pm JOIN working w ON w.month_start = pm.month_start
    WHERE NOT EXISTS (
              SELECT 1 FROM staff p WHERE p.staff_id = pm.staff_id AND w.day BETWEEN p.start_date AND p.end_date)
       OR EXISTS (
              SELECT 1 FROM absences a WHERE a.staff_id = pm.staff_id AND w.day BETWEEN a.start_date AND a.end_date)
    GROUP BY pm.staff_id, pm.month_start
),
flags AS (
    SELECT c.month_start, c.category,
           coalesce(u.days, 0) < $threshold AS due,
           EXISTS (SELECT 1 FROM formal f WHERE f.staff_id = c.staff_id
                   AND f.day BETWEEN c.month_start AND c.month_end) AS seen,
           EXISTS (SELECT 1 FROM formal f WHERE f.staff_id = c.staff_id
                   AND f.day > c.month_end AND f.day <= c.month_end + $grace_days) AS late
    FROM categorised c LEFT JOIN unavailable u USING (staff_id, month_start)
)
SELECT strftime(month_start, '%Y-%m') AS month,
       coalesce(category, 'all') AS category,
       count(*) AS in_scope,
       count(*) FILTER (WHERE due) AS due,
       count(*) FILTER (WHERE due AND seen) AS supervised,
       round(count(*) FILTER (WHERE due AND seen) / nullif(count(*) FILTER (WHERE due), 0), 4) AS compliance,
       count(*) FILTER (WHERE due AND NOT seen AND late) AS near_miss
FROM flags
GROUP BY GROUPING SETS ((month_start, category), (month_start))
ORDER BY month, category
"""


def supervision_monthly(data_dir: Path, first: str, last: str, threads: int | None = None) -> pd.DataFrame:
    """``month, category, in_scope, due, supervised, compliance, near_miss`` for each month and category."""
    years = range(int(first[:4]) - 1, int(last[:4]) + 2)
    bank = sorted(day for day in holidays.country_holidays("GB", subdiv="WLS", years=years))
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.register("holidays", pd.DataFrame({"day": pd.to_datetime(bank)}).astype({"day": "datetime64[s]"}))
    data_dir = Path(data_dir)
    frame = con.execute(
        SQL,
        {
            "staff": str(data_dir / "staff.csv"),
            "absences": str(data_dir / "absences.csv"),
            "supervisions": str(data_dir / "supervisions.csv"),
            "first": f"{first}-01",
            "last": f"{last}-01",
            "roles": list(ROLES),
            "threshold": THRESHOLD,
            "grace_days": GRACE_DAYS,
            "nqsw_months": NQSW_MONTHS,
        },
    ).df()
    order = {"all": 0, "qualified": 1, "nqsw": 2, "agency": 3}
    frame = frame.sort_values(["month", "category"], key=lambda s: s.map(order) if s.name == "category" else s)
    return frame.reset_index(drop=True)


if __name__ == "__main__":
    folder, first_month, last_month = sys.argv[1:4]
    print(supervision_monthly(Path(folder), first_month, last_month).to_csv(index=False), end="")
