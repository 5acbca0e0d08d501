"""The caseload sections: Autumn against Autumn, roles, the newly qualified and the flags."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.presentation import wording as words
from analysis.presentation.formats import _missing, caseload, count, date_long, esc, pct
from analysis.presentation.headline import HeadlineMissing, select_headline
from analysis.presentation.html_kit import Column, Fragment, bullets, html_table, join, paragraph
from analysis.presentation.report_inputs import ReportInputs
from analysis.presentation.sections.generic_tables import humanise
from analysis.vocabulary.current import _, n_
from analysis.vocabulary.labels import category_labels, role_labels


# --------------------------------------------------------------------------- caseload
def headline_snapshots(
    caseload_snapshots: pd.DataFrame, supervision_monthly: pd.DataFrame, inputs: ReportInputs
) -> tuple[pd.Series | None, pd.Series | None]:
    """The headline rows of ``caseload_snapshots`` that ``select_headline`` chose: this Autumn, last Autumn."""
    snaps = caseload_snapshots
    try:
        chosen = select_headline(
            {"caseload_snapshots": snaps, "supervision_monthly": supervision_monthly}, inputs.month, inputs.target
        )
    except HeadlineMissing:
        return None, None
    head = snaps.loc[snaps["group"] == "headline"].assign(snapshot=lambda f: pd.to_datetime(f["snapshot"]))

    def row(date: pd.Timestamp | None) -> pd.Series | None:
        match = head.loc[head["snapshot"] == date] if date is not None else head.iloc[:0]
        return match.iloc[0] if len(match) else None

    return row(chosen.snapshot), row(chosen.snapshot_last_year)


def autumn(value: Any) -> str:
    """A snapshot date as the council names it (``Autumn 2019`` for 30 September 2019)."""
    return words.snapshot_label(value)


def caseload_sentences(
    caseload_snapshots: pd.DataFrame,
    supervision_monthly: pd.DataFrame,
    caseload_change: pd.DataFrame,
    inputs: ReportInputs,
) -> list[str]:
    """The council's sentences: "In Autumn 2019 the average caseload ... was 16.16." and last year's."""
    latest, earlier = headline_snapshots(caseload_snapshots, supervision_monthly, inputs)
    out = []
    for row in (latest, earlier):
        if row is None:
            continue
        out.append(
            _(
                "In {season} ({date}) the average caseload for qualified social workers was {mean} ({cases} cases "
                "held by {holders} social workers).",
                season=autumn(row["snapshot"]),
                date=date_long(row["snapshot"]),
                mean=caseload(row["mean_caseload"]),
                cases=count(row["cases"]),
                holders=count(row["case_holders"]),
            )
        )
    if (
        latest is not None
        and earlier is not None
        and not _missing(latest["mean_caseload"])
        and not _missing(earlier["mean_caseload"])
    ):
        change = caseload_change
        head = change.loc[change["dimension"] == "headline"]
        delta = (
            float(head["mean_caseload_change"].iloc[0])
            if len(head)
            else float(latest["mean_caseload"]) - float(earlier["mean_caseload"])
        )
        if delta <= -0.005:
            out.append(
                _(
                    "That is {size} fewer cases per qualified social worker than a year earlier.",
                    size=caseload(abs(delta)),
                )
            )
        elif delta >= 0.005:
            out.append(
                _("That is {size} more cases per qualified social worker than a year earlier.", size=caseload(delta))
            )
        else:
            out.append(_("That is the same as a year earlier."))
    return out


def caseload_headline(
    caseload_snapshots: pd.DataFrame,
    supervision_monthly: pd.DataFrame,
    caseload_change: pd.DataFrame,
    inputs: ReportInputs,
) -> Fragment:
    latest, earlier = headline_snapshots(caseload_snapshots, supervision_monthly, inputs)
    if latest is None:
        return Fragment(paragraph(_("No caseload snapshot is available for this report.")))
    box = (
        '<div class="headline">'
        + "".join(
            f"<p>{esc(s)}</p>"
            for s in caseload_sentences(caseload_snapshots, supervision_monthly, caseload_change, inputs)
        )
        + "</div>"
    )
    now = autumn(latest["snapshot"])
    figures = [(caseload(latest["mean_caseload"]), _("average caseload, {season}", season=now))]
    if earlier is not None:
        figures.append(
            (caseload(earlier["mean_caseload"]), _("average caseload, {season}", season=autumn(earlier["snapshot"])))
        )
    figures.append((caseload(latest["cases_per_fte"]), _("cases per FTE, {season}", season=now)))
    figures.append((count(latest["case_holders"]), _("qualified social workers holding cases, {season}", season=now)))
    items = "".join(
        f'<li><span class="figure">{esc(v)}</span><span class="label">{esc(k)}</span></li>' for v, k in figures
    )
    label = _("Key caseload figures")
    return Fragment(box + f'<ul class="key-figures" aria-label="{esc(label)}">{items}</ul>')


def headline_scope(inputs: ReportInputs) -> str:
    """Why the headline row holds fewer case holders and cases than the role rows together."""
    roles = words.roles_plural(inputs.config.headline_roles)
    return _(
        "The headline counts {roles} who are not newly qualified; the role rows count every case holder in the "
        "role, newly qualified social workers included, and principal social workers and team managers have rows "
        "of their own, so the headline's case holders and cases are fewer than the roles' together.",
        roles=roles,
    )


def snapshot_table(caseload_snapshots: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """Autumn against Autumn: the headline and each role, mean caseload and cases per FTE."""
    snaps = caseload_snapshots
    snaps = snaps.assign(snapshot=pd.to_datetime(snaps["snapshot"]))
    dates = sorted(snaps["snapshot"].unique(), reverse=True)[:2]
    groups = list(dict.fromkeys(snaps["group"]))
    frame = pd.DataFrame({"group": groups})
    columns = [Column("group", _("Group"))]
    for d in reversed(dates):
        part = snaps.loc[snaps["snapshot"] == d].set_index("group").reindex(groups)
        y = pd.Timestamp(d).year
        frame[f"holders_{y}"] = part["case_holders"].to_numpy()
        frame[f"mean_{y}"] = part["mean_caseload"].to_numpy()
        frame[f"fte_{y}"] = part["cases_per_fte"].to_numpy()
        columns += [
            Column(f"holders_{y}", _("Case holders {season}", season=autumn(d)), count, True),
            Column(f"mean_{y}", _("Average caseload {season}", season=autumn(d)), caseload, True),
            Column(f"fte_{y}", _("Cases per FTE {season}", season=autumn(d)), caseload, True),
        ]
    frame["group"] = frame["group"].map(lambda g: role_labels().get(g, humanise(g)))
    season = words.season(snaps["snapshot"].iloc[0]) if len(snaps) else _("Autumn")
    return Fragment(
        html_table(
            frame,
            columns,
            _(
                "Average caseload of case holders, {season} against {season} (first row: the headline measure)",
                season=season,
            ),
            row_header="group",
            note=_(
                "Average caseload is the mean over people holding at least one case. Cases per FTE divides the "
                "cases by the case holders' full-time equivalents, the national workforce census's basis."
            )
            + " "
            + headline_scope(inputs),
        )
    )


def category_caseloads(caseload_by_role_category: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """Social workers and senior social workers by category: qualified, agency, NQSW."""
    table = caseload_by_role_category
    rows = table.loc[table["dimension"] == "category"].copy()
    rows["snapshot"] = pd.to_datetime(rows["snapshot"])
    rows = rows.sort_values(["snapshot", "group"], ascending=[False, True])
    labels = category_labels()
    rows["label"] = [
        _("{group}, {season}", group=labels.get(g, g), season=autumn(d))
        for g, d in zip(rows["group"], rows["snapshot"])
    ]
    return Fragment(
        html_table(
            rows,
            [
                Column("label", _("Category and snapshot")),
                Column("staff", _("Staff"), count, True),
                Column("case_holders", _("Case holders"), count, True),
                Column("cases", _("Cases"), count, True),
                Column("mean_caseload", _("Average caseload"), caseload, True),
                Column("median_caseload", _("Median"), caseload, True),
                Column("max_caseload", _("Largest"), count, True),
            ],
            _("{roles} by category", roles=words.roles_plural(inputs.config.headline_roles).capitalize()),
            row_header="label",
        )
    )


def role_sentences(
    principal_complexity: pd.DataFrame, caseload_flag_counts: pd.DataFrame, inputs: ReportInputs
) -> list[str]:
    """Who holds cases: principals fewer and more complex; team managers none (or how many)."""
    out = []
    pc = principal_complexity
    pc = pc.assign(as_at=pd.to_datetime(pc["as_at"]))
    last = pc.loc[pc["as_at"] == pc["as_at"].max()].set_index("role")
    if "principal_social_worker" in last.index and "social_worker" in last.index:
        p, w = last.loc["principal_social_worker"], last.loc["social_worker"]
        out.append(
            _(
                "On {date}, principal social workers held on average {principal} cases, of which {share} were "
                "complex, against {social} cases ({social_share} complex) for social workers.",
                date=date_long(pc["as_at"].max()),
                principal=caseload(p["mean_caseload"]),
                share=pct(p["complex_share"]),
                social=caseload(w["mean_caseload"]),
                social_share=pct(w["complex_share"]),
            )
        )
    counts = caseload_flag_counts
    tm = counts.loc[counts["rule"].str.startswith("team_manager"), "count"].sum()
    out.append(
        _("Team managers held no cases.")
        if tm == 0
        else n_(
            "{n} team manager held cases, which the policy does not expect.",
            "{n} team managers held cases, which the policy does not expect.",
            int(tm),
        )
    )
    return out


def roles_section(
    principal_complexity: pd.DataFrame, caseload_flag_counts: pd.DataFrame, inputs: ReportInputs
) -> Fragment:
    """``role_sentences`` as a list."""
    return Fragment(bullets(role_sentences(principal_complexity, caseload_flag_counts, inputs)))


def flags_section(caseload_flag_counts: pd.DataFrame, inputs: ReportInputs) -> Fragment:
    """Appropriate work: people flagged, counted by rule (staff-level detail is in team detail)."""
    counts = caseload_flag_counts
    as_at = counts["as_at"].iloc[0] if len(counts) else inputs.month.end_time
    total = int(counts["count"].sum())
    limits, early = inputs.config.nqsw_max_caseload, words.band_words(inputs.config)["months_0_6"]
    rules_text = {
        "team_manager_holding_cases": _(
            "A {role} holds any case", role=words.role(inputs.config.non_case_holding_roles)
        ),
        "nqsw_over_band_limit": _(
            "An NQSW holds more than {early_limit} cases in the {early}, or more than {late_limit} later",
            early_limit=limits[0],
            early=early,
            late_limit=limits[1],
        ),
        "nqsw_early_complex_case": _("An NQSW in the {early} holds a complex case", early=early),
        "over_max_caseload": _("Anyone holds more than {max} cases", max=inputs.config.max_caseload),
    }
    frame = counts.assign(check=counts["rule"].map(lambda r: rules_text.get(r, humanise(r))))
    sentence = (
        _("On {date}, no caseload broke the appropriate-work checks.", date=date_long(as_at))
        if total == 0
        else n_(
            "On {date}, {n} caseload broke one of the appropriate-work checks below; team managers have the names "
            "in the team detail report.",
            "On {date}, {n} caseloads broke one of the appropriate-work checks below; team managers have the names "
            "in the team detail report.",
            total,
            date=date_long(as_at),
        )
    )
    table = html_table(
        frame,
        [Column("check", _("Check")), Column("count", _("People flagged"), count, True)],
        _("Caseloads flagged on {date}, by check", date=date_long(as_at)),
        row_header="check",
    )
    return join(paragraph(sentence), table)
