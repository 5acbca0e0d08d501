"""Every column of the tables, described once: what it holds, its unit and the decimals its CSV prints.

A column of one name means the same in every table, unless a table's spec gives it a meaning of its
own (``analysis.table_spec``: ``group``, ``staff``, ``value`` and ``band`` are read per table).
Units: ``count`` (whole numbers; a CSV prints them without decimals even beside blanks), ``rate``
(a fraction, 0.9 is 90%), ``cases`` (a number of cases), ``number``, ``month`` (``YYYY-MM``),
``date`` (``YYYY-MM-DD``), ``code`` (one of a fixed list), ``text``, ``id`` (a staff ID) and
``flag`` (True or False).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "rate", "cases", "number", "month", "date", "code", "text", "id", "flag"]


@dataclass(frozen=True)
class Column:
    meaning: str
    unit: Unit
    decimals: int | None = None  # places every CSV value is printed with; None: as computed


def _c(meaning: str, unit: Unit, decimals: int | None = None) -> Column:
    return Column(meaning, unit, decimals)


COLUMNS: dict[str, Column] = {
    # when and who
    "month": _c("The month.", "month"),
    "as_at": _c("The date the caseloads are counted on (a snapshot or the month end).", "date"),
    "snapshot": _c("The snapshot date (the Autumn census date of a year).", "date"),
    "snapshot_earlier": _c("The earlier snapshot date.", "date"),
    "snapshot_latest": _c("The latest snapshot date.", "date"),
    "staff_id": _c("The member of staff's pseudonymous ID.", "id"),
    "team": _c("The team.", "text"),
    "role": _c("The role (post type).", "code"),
    "category": _c("Who is counted: all, qualified, nqsw (newly qualified) or agency.", "code"),
    "employment": _c("Permanent or agency.", "code"),
    "fte": _c("Full-time equivalent of the post.", "number"),
    # next month's forecast
    "due_expected": _c("People expected to be due: the sum of each person's chance of being due.", "number", 1),
    "supervised_expected": _c(
        "People expected to be supervised: the sum of each person's chance of being due and supervised.", "number", 1
    ),
    "compliance_median": _c("The median of the forecast's drawn compliance.", "rate", 4),
    "low_80": _c("The lower end of the forecast's 80% interval (the 10th percentile of the draws).", "rate", 4),
    "high_80": _c("The upper end of the forecast's 80% interval (the 90th percentile of the draws).", "rate", 4),
    "low_95": _c("The lower end of the forecast's 95% interval (the 2.5th percentile of the draws).", "rate", 4),
    "high_95": _c("The upper end of the forecast's 95% interval (the 97.5th percentile of the draws).", "rate", 4),
    "p_target": _c("The share of the draws at or above the target: the chance of reaching it.", "rate", 4),
    "forecast": _c("The forecast's median compliance, made at the end of the month before.", "rate", 4),
    "actual": _c("Compliance in the month, as it happened; blank where no one was due.", "rate", 4),
    "inside_80": _c("Whether the 80% interval held the actual compliance.", "flag"),
    "inside_95": _c("Whether the 95% interval held the actual compliance.", "flag"),
    "share_inside_80": _c("The share of the group-months whose 80% interval held the actual compliance.", "rate", 4),
    "share_inside_95": _c("The share of the group-months whose 95% interval held the actual compliance.", "rate", 4),
    "group_months": _c("The group-months back-tested with anyone due.", "count"),
    "mae_forecast": _c("The mean absolute error of the forecast's median.", "rate", 4),
    "mae_last_month": _c("The mean absolute error of guessing the same as last month.", "rate", 4),
    "mae_trailing_mean": _c("The mean absolute error of guessing the mean of the last twelve months.", "rate", 4),
    "scope": _c("What the group is: a category of worker, or a team.", "code"),
    "group": _c("The group of staff the row counts.", "text"),
    "dimension": _c("How the groups are formed: by role or by category.", "code"),
    "measure": _c("The measure charted (docs/tables.md, Measures).", "code"),
    # supervision
    "in_scope": _c("Staff in post in the month and in a role due supervision.", "count"),
    "due": _c("Staff due a formal supervision in the month.", "count"),
    "supervised": _c("Staff due who had a formal supervision in the month.", "count"),
    "not_due": _c("Staff in scope not due (unavailable for the threshold or more).", "count"),
    "not_supervised": _c("Staff due who had no formal supervision in the month.", "count"),
    "compliance": _c("Supervised divided by due; blank where no one was due.", "rate", 4),
    "compliance_with_near_misses": _c("Supervised plus near misses, divided by due.", "rate"),
    "compliance_upper_bound": _c(
        "Compliance had every agency worker with no absence record been away (the upper bound).", "rate"
    ),
    "near_miss": _c("Staff due and not supervised who had one within the grace days after the month.", "count"),
    "due_unsupervised": _c("Staff due and not supervised.", "count"),
    "with_absence_gap": _c("Of those, agency workers with no absence record.", "count"),
    "reason": _c("Why staff were not due.", "code"),
    "exclusion_reason": _c("Why the member of staff was not due (blank where due).", "code"),
    "last_formal_supervision": _c("The date of the last formal supervision on or before the month end.", "date"),
    "consecutive_misses": _c("Months due and not supervised in a row, ending in the month.", "count"),
    "due_three": _c("Staff due a formal supervision in each of the three months ending in the month.", "count"),
    "supervised_three": _c("Of those, staff supervised in all three months.", "count"),
    "regular": _c("Supervised in all three divided by due in all three; blank where no one was.", "rate", 4),
    "wilson_low": _c("The lower end of the 95% Wilson interval of the compliance.", "rate"),
    "wilson_high": _c("The upper end of the 95% Wilson interval of the compliance.", "rate"),
    "overall": _c("The service's compliance in the month (the funnel's centre).", "rate"),
    "lower_95": _c("The funnel's lower 95% limit for this many due.", "rate"),
    "upper_95": _c("The funnel's upper 95% limit for this many due.", "rate"),
    "lower_998": _c("The funnel's lower 99.8% limit for this many due.", "rate"),
    "upper_998": _c("The funnel's upper 99.8% limit for this many due.", "rate"),
    "outside": _c("Where the compliance falls against the funnel limits.", "code"),
    "nqsw_due": _c("Newly qualified social workers due in the month.", "count"),
    "met_standard": _c("Newly qualified social workers meeting the supervision standard.", "count"),
    "proportion_met": _c("Met the standard divided by due.", "rate"),
    "phase_start": _c("When the newly qualified worker's current phase of the standard began.", "date"),
    "expected": _c("Formal supervisions the standard expects by the month end.", "count"),
    "formal_supervisions": _c("Formal supervisions held in the phase by the month end.", "count"),
    "due_next_month": _c("Due a formal supervision next month, as far as is known now.", "flag"),
    "missed_this_month": _c("Due and not supervised this month.", "flag"),
    "supervision_overdue": _c("No formal supervision for longer than the overdue setting.", "flag"),
    "absence_type": _c("The type of the absence recorded next month.", "code"),
    "absence_start": _c("The first day of that absence.", "date"),
    "absence_end": _c("The last day of that absence.", "date"),
    "absence_working_days_next_month": _c("Working days of that absence next month.", "count"),
    "on_list": _c("Staff on the watch list.", "count"),
    "missed": _c("Of those, staff who missed a supervision this month.", "count"),
    "overdue": _c("Of those, staff whose supervision is overdue.", "count"),
    "absence": _c("Of those, staff with an absence recorded next month.", "count"),
    # caseload
    "staff": _c("Staff counted.", "count"),
    "unknown_staff": _c("Staff IDs holding cases that are not in the staff table.", "count"),
    "case_holders": _c("Staff holding at least one case.", "count"),
    "cases": _c("Cases held (a co-worked case counts for each worker).", "count"),
    "caseload": _c("Cases the member of staff holds on the date.", "cases"),
    "complex_cases": _c("Of those, cases of a complex type (the complex_case_types setting).", "cases"),
    "mean_caseload": _c("Cases divided by case holders; blank where no one holds a case.", "cases", 2),
    "median_caseload": _c("The median caseload of the case holders.", "cases"),
    "max_caseload": _c("The largest caseload.", "cases"),
    "cases_per_fte": _c("Cases divided by the case holders' full-time equivalents.", "cases"),
    "case_holders_earlier": _c("Case holders on the earlier snapshot.", "count"),
    "case_holders_latest": _c("Case holders on the latest snapshot.", "count"),
    "case_holders_change": _c("Latest less earlier.", "count"),
    "cases_earlier": _c("Cases on the earlier snapshot.", "count"),
    "cases_latest": _c("Cases on the latest snapshot.", "count"),
    "cases_change": _c("Latest less earlier.", "count"),
    "mean_caseload_earlier": _c("Average caseload on the earlier snapshot.", "cases"),
    "mean_caseload_latest": _c("Average caseload on the latest snapshot.", "cases"),
    "mean_caseload_change": _c("Latest less earlier.", "cases"),
    "caseload_band": _c("The band of caseloads.", "code"),
    "lower": _c("The band's smallest caseload.", "cases"),
    "upper": _c("The band's largest caseload (blank: no upper end).", "cases"),
    "share": _c("Case holders in the band divided by all case holders.", "rate"),
    "rule": _c("The rule of appropriate work broken.", "code"),
    "count": _c("Staff breaking the rule.", "count"),
    "detail": _c("The caseload and the limit, in words.", "text"),
    "band": _c("The band.", "code"),
    "qualified_date": _c("When the worker qualified.", "date"),
    "months_since_qualified": _c("Whole months from qualifying to the date.", "count"),
    "months_band": _c("The band of months since qualifying.", "code"),
    "nqsw_status_ends": _c("When the newly qualified status ends.", "date"),
    "band_limit": _c("The most cases the band allows.", "cases"),
    "status_ends_first": _c("The earliest date newly qualified status ends in the band.", "date"),
    "status_ends_last": _c("The latest date newly qualified status ends in the band.", "date"),
    "complex_share": _c("Complex cases divided by cases.", "rate"),
    # statistical process control
    "value": _c("The measure's value in the month.", "number"),
    "mean": _c("The centre line (the mean of the baseline months).", "number"),
    "lower_limit": _c("The lower process limit.", "number"),
    "upper_limit": _c("The upper process limit.", "number"),
    "point_type": _c("What the point shows (common cause, special cause of improvement or concern).", "code"),
    "target": _c("The measure's target (blank: none).", "number"),
    "variation": _c("The month's variation icon, in words.", "code"),
    "assurance": _c("Whether the process will meet the target, in words.", "code"),
    # coverage and data quality
    "records_from": _c("The first record date in the extract.", "date"),
    "records_to": _c("The last record date in the extract.", "date"),
    "coverage": _c("How well the extract covers the month.", "code"),
    "code": _c("The validation rule's code.", "code"),
    "severity": _c("error (nothing is written) or warning.", "code"),
    "file": _c("The input file.", "text"),
    "row": _c("The row in the file (1 is the header).", "number"),
    "column": _c("The column in the file.", "text"),
    "message": _c("What was found and what was expected.", "text"),
}
