"""The team detail page: staff-level lists for team managers, and the data-quality section."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.presentation import wording as words
from analysis.presentation.formats import count, date_long, month_name, month_short
from analysis.presentation.html_kit import Column, Fragment, html_table, join, paragraph
from analysis.presentation.page import page_suffix
from analysis.presentation.report_inputs import ReportInputs
from analysis.presentation.sections.generic_tables import generic_table, humanise, rows_of_month
from analysis.presentation.team_links import team_slugs
from analysis.vocabulary.current import _, n_
from analysis.vocabulary.labels import category_short, reason_labels, role_labels


# --------------------------------------------------------------------------- team detail
def staff_detail(
    caseload_staff: pd.DataFrame, supervision_staff: pd.DataFrame, caseload_flags: pd.DataFrame, inputs: ReportInputs
) -> pd.DataFrame:
    """One row per person in post at the month end or in the supervision figures of the month:
    team, staff_id, role, category, caseload, this month's supervision, months missed in a row,
    caseload flags."""
    loads = caseload_staff
    sup = supervision_staff
    out = loads[["staff_id", "team", "role", "category", "caseload"]]
    this = rows_of_month(sup, inputs.month)
    code = pd.Series("not_due", index=this.index)
    if "due" in this:
        code = code.where(~this["due"].astype(bool), "supervised")
        if "supervised" in this:
            missed = this["due"].astype(bool) & ~this["supervised"].fillna(False).astype(bool)
            code = code.where(~missed, "overdue")
            if "near_miss" in this:
                code = code.where(~(missed & this["near_miss"].fillna(False).astype(bool)), "overdue_near_miss")
    words_for = {
        "not_due": _("Not due"),
        "supervised": _("Supervised"),
        "overdue": _("Overdue"),
        "overdue_near_miss": _("Overdue (near miss)"),
    }
    status = code.map(words_for)
    if "exclusion_reason" in this:
        reasons = reason_labels()
        reason = this["exclusion_reason"].map(lambda r: reasons.get(r, r) if isinstance(r, str) else None)
        why = reason.fillna("").str.lower().str.split(" \\(").str[0]
        status = status.where(code != "not_due", [_("Not due: {reason}", reason=r) for r in why])
    extra = pd.DataFrame(
        {
            "staff_id": this["staff_id"].to_numpy(),
            "supervision": status.to_numpy(),
            "supervision_code": code.to_numpy(),
            "missed_in_a_row": this["consecutive_misses"].to_numpy(),
        }
    )
    for c in ("team", "role", "category"):
        if c in this:
            extra[f"{c}_s"] = this[c].to_numpy()
    out = out.merge(extra, on="staff_id", how="outer")
    for c in ("team", "role", "category"):
        if f"{c}_s" in out:
            out[c] = out[c].fillna(out[f"{c}_s"]) if c in out else out[f"{c}_s"]
            out = out.drop(columns=f"{c}_s")
    flags = caseload_flags
    short = flag_short(inputs.config)
    text = flags.groupby("staff_id")["rule"].agg(lambda r: "; ".join(short.get(x, humanise(x)) for x in r))
    out["flags"] = out["staff_id"].map(text).fillna("")
    for c in ("supervision", "supervision_code", "missed_in_a_row", "caseload"):
        if c not in out:
            out[c] = np.nan
    out["supervision"] = out["supervision"].fillna(_("Not in supervision figures"))
    out["supervision_code"] = out["supervision_code"].fillna("not_in_figures")
    return out.sort_values(["team", "staff_id"]).reset_index(drop=True)


def flag_short(config: Settings) -> dict[str, str]:
    """Each caseload flag in a few words, for the team detail lists."""
    early = words.band_words(config)["months_0_6"]
    return {
        "team_manager_holding_cases": _("{role} holding cases", role=words.role(config.non_case_holding_roles)),
        "nqsw_over_band_limit": _(
            "NQSW above limit ({early_limit} in the {early}, {late_limit} after)",
            early_limit=config.nqsw_max_caseload[0],
            early=early,
            late_limit=config.nqsw_max_caseload[1],
        ),
        "nqsw_early_complex_case": _("NQSW ({early}) with complex case", early=early),
        "over_max_caseload": _("above maximum caseload ({max})", max=config.max_caseload),
    }


def team_summary(detail: pd.DataFrame) -> pd.DataFrame:
    """Per team: staff, overdue supervision, two or more months missed in a row, caseload flags."""
    return (
        detail.groupby("team")
        .agg(
            staff=("staff_id", "size"),
            overdue=("supervision_code", lambda s: int(s.astype(str).str.startswith("overdue").sum())),
            repeat=("missed_in_a_row", lambda s: int((pd.to_numeric(s, errors="coerce") >= 2).sum())),
            flagged=("flags", lambda s: int((s != "").sum())),
        )
        .reset_index()
    )


def team_index(
    caseload_staff: pd.DataFrame, supervision_staff: pd.DataFrame, caseload_flags: pd.DataFrame, inputs: ReportInputs
) -> Fragment:
    """The index of team_detail/: counts per team (no staff), each team's name linking to its own page."""
    detail = staff_detail(caseload_staff, supervision_staff, caseload_flags, inputs)
    if detail.empty:
        return Fragment(paragraph(_("No staff are in post this month.")))
    summary = team_summary(detail)
    pages = team_slugs(summary["team"], inputs.team_pages)
    return join(
        paragraph(
            _(
                "Each team's staff are on a page of their own, for that team's manager: send each manager only "
                "their own team's page."
            )
        ),
        html_table(
            summary,
            [
                Column("team", _("Team"), href=lambda team: f"{pages[team]}{page_suffix()}.html"),
                Column("staff", _("Staff"), count, True),
                Column("overdue", _("Overdue supervision"), count, True),
                Column("repeat", _("Missed 2+ months in a row"), count, True),
                Column("flagged", _("Caseload flags"), count, True),
            ],
            _("Summary by team, {month}", month=month_name(inputs.month)),
            row_header="team",
        ),
    )


def team_staff_section(team: str, rows: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """One team's staff: pseudonymous id, role, category, caseload, supervision, months missed, flags."""
    columns = [
        Column("staff_id", _("Staff ID")),
        Column("role", _("Role"), lambda r: role_labels().get(r, humanise(r))),
        Column("category", _("Category"), lambda c: category_short().get(c, humanise(c))),
        Column("caseload", _("Caseload"), count, True),
        Column("supervision", _("Supervision in {month}", month=month_short(inputs.month))),
        Column("missed_in_a_row", _("Months missed in a row"), count, True),
        Column("flags", _("Caseload flags")),
    ]
    overdue = int(rows["supervision_code"].astype(str).str.startswith("overdue").sum())
    return join(
        paragraph(
            n_(
                "{n} member of staff; {overdue} overdue for supervision; {flagged} with a caseload flag.",
                "{n} members of staff; {overdue} overdue for supervision; {flagged} with a caseload flag.",
                len(rows),
                overdue=count(overdue),
                flagged=count((rows["flags"] != "").sum()),
            )
        ),
        html_table(
            rows,
            columns,
            _("{team}: staff on {date}", team=team, date=date_long(inputs.month.end_time)),
            row_header="staff_id",
        ),
    )


def nqsw_detail_table(nqsw_detail: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    if nqsw_detail.empty:
        return Fragment(paragraph(_("There are no newly qualified social workers this month.")))
    stages = words.band_labels(inputs.config)
    detail = (
        nqsw_detail.assign(band=nqsw_detail["band"].map(lambda b: stages.get(str(b), humanise(str(b)))))
        if "band" in nqsw_detail.columns
        else nqsw_detail
    )
    return Fragment(
        generic_table(
            detail,
            _("Newly qualified social workers on {date}", date=date_long(inputs.month.end_time)),
            columns=[
                "staff_id",
                "team",
                "qualified_date",
                "months_since_qualified",
                "band",
                "nqsw_status_ends",
                "caseload",
                "complex_cases",
                "band_limit",
            ],
            labels={
                "band": _("Stage"),
                "months_since_qualified": _("Months since qualifying"),
                "nqsw_status_ends": _("NQSW status ends"),
                "band_limit": _("Caseload limit"),
            },
            row_header="staff_id",
        )
    )


def flags_detail_table(caseload_flags: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    flags = caseload_flags
    if flags.empty:
        return Fragment(paragraph(_("No caseload broke an appropriate-work check.")))
    short = flag_short(inputs.config)
    frame = flags.assign(rule=flags["rule"].map(lambda r: short.get(r, humanise(r))))
    return Fragment(
        generic_table(
            frame,
            _("Caseload flags on {date}", date=date_long(inputs.month.end_time)),
            columns=["staff_id", "team", "role", "caseload", "complex_cases", "rule"],
            labels={"rule": _("Check"), "complex_cases": _("Complex cases")},
            row_header="staff_id",
        )
    )


def data_quality_section(data_quality: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """Queries found in the extracts (the run went on using the records as they stand)."""
    dq = data_quality
    if dq.empty:
        return Fragment(paragraph(_("The extracts passed every data check: no queries.")))
    counts = dq.groupby(["severity", "code", "file"]).size().rename("records").reset_index()
    return join(
        paragraph(
            n_(
                "The extracts raised {n} query; the figures use the records as they stand. The codes are explained "
                "by the validate command.",
                "The extracts raised {n} queries; the figures use the records as they stand. The codes are explained "
                "by the validate command.",
                len(dq),
            )
        ),
        generic_table(
            counts,
            _("Data queries by check and file"),
            columns=["code", "file", "records"],
            labels={"code": _("Check"), "file": _("File"), "records": _("Records")},
        ),
    )
