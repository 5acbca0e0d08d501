"""Part (ii) of the response: the average caseload each Autumn, whether the work suits each role, the NQSWs.

From ``caseload_snapshots``, ``principal_complexity``, ``caseload_flag_counts``, ``nqsw_caseload``,
``nqsw_status_ends`` and the SPC tables; limits and snapshot dates from the settings.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.answer.document import Block, Bullets, Heading, Paragraph, Table
from analysis.answer.verdicts import spc_paragraph
from analysis.config import Settings
from analysis.presentation.headline import select_headline
from analysis.vocabulary.labels import role_plurals, snapshot_label
from analysis.vocabulary.language import Language

ROLES = ("social_worker", "senior_social_worker", "principal_social_worker", "team_manager")


def role_label(lang: Language, role: str) -> str:
    return role_plurals(lang)[role]


def season(lang: Language, stamp: pd.Timestamp) -> str:
    """The season of a snapshot date, as the census is called (30 September: Autumn)."""
    return snapshot_label(stamp, lang)


def _headline_rows(caseload_snapshots: pd.DataFrame, supervision_monthly: pd.DataFrame, month: Any, config: Settings):
    chosen = select_headline(
        {"caseload_snapshots": caseload_snapshots, "supervision_monthly": supervision_monthly}, month, config.target
    )
    snaps = caseload_snapshots.assign(snapshot=pd.to_datetime(caseload_snapshots["snapshot"]))

    def rows(date: pd.Timestamp | None) -> pd.DataFrame:
        return snaps.loc[snaps["snapshot"] == date] if date is not None else snaps.iloc[:0]

    return chosen, rows(chosen.snapshot), rows(chosen.snapshot_last_year)


def autumn_sentences(lang: Language, latest: pd.DataFrame, earlier: pd.DataFrame) -> Paragraph | None:
    sentences = []
    for rows in (latest, earlier):
        head = rows.loc[rows["group"] == "headline"]
        if head.empty:
            continue
        row = head.iloc[0]
        sentences.append(
            lang._(
                "In {season} ({date}) the average caseload for qualified social workers was {mean} "
                "({cases} cases held by {holders} social workers).",
                season=season(lang, row["snapshot"]),
                date=lang.date(row["snapshot"]),
                mean=lang.caseload(row["mean_caseload"]),
                cases=lang.count(row["cases"]),
                holders=lang.count(row["case_holders"]),
            )
        )
    return Paragraph(" ".join(sentences)) if sentences else None


def role_table(lang: Language, latest: pd.DataFrame, earlier: pd.DataFrame) -> Table | None:
    _ = lang._
    if latest.empty:
        return None
    now_label = season(lang, latest["snapshot"].iloc[0])
    then = earlier.set_index("group") if len(earlier) else None
    then_label = season(lang, earlier["snapshot"].iloc[0]) if then is not None else ""
    now = latest.set_index("group")
    body = []
    for role in ROLES:
        if role not in now.index:
            continue
        row = now.loc[role]
        body.append(
            (
                role_label(lang, role),
                lang.count(row["staff"]),
                lang.count(row["case_holders"]),
                lang.count(row["cases"]),
                lang.caseload(row["mean_caseload"]),
            )
            + (
                (lang.caseload(then.loc[role, "mean_caseload"]) if role in then.index else "–",)
                if then is not None
                else ()
            )
        )
    header = (
        _("Role"),
        _("Staff, {season}", season=now_label),
        _("Holding cases, {season}", season=now_label),
        _("Cases, {season}", season=now_label),
        _("Average caseload, {season}", season=now_label),
    ) + ((_("Average caseload, {season}", season=then_label),) if then is not None else ())
    return Table(
        _("Caseload by role, {season} against {earlier}", season=now_label, earlier=then_label)
        if then is not None
        else _("Caseload by role, {season}", season=now_label),
        header,
        tuple(body),
        (False,) + (True,) * (len(header) - 1),
    )


def appropriateness(
    lang: Language, principal_complexity: pd.DataFrame, caseload_flag_counts: pd.DataFrame, config: Settings
) -> list[Block]:
    """Whether the work suits each role: who holds the cases, principal social workers' complex work, the flags."""
    _ = lang._
    out: list[Block] = []
    pc = principal_complexity.assign(as_at=pd.to_datetime(principal_complexity["as_at"]))
    if len(pc):
        at = pc["as_at"].max()
        now = pc.loc[pc["as_at"] == at].set_index("role")
        sentences = []
        if {"social_worker", "senior_social_worker"} <= set(now.index):
            sentences.append(
                _(
                    "On {date}, social workers held {sw} cases and senior social workers {ssw}: most of the "
                    "service's cases are held by the social workers whose qualification and training are for "
                    "case work.",
                    date=lang.date(at),
                    sw=lang.count(now.loc["social_worker", "cases"]),
                    ssw=lang.count(now.loc["senior_social_worker", "cases"]),
                )
            )
        if "principal_social_worker" in now.index:
            row = now.loc["principal_social_worker"]
            sentences.append(
                _(
                    "Principal social workers held {cases} cases, an average of {mean} each, and {share} of them "
                    "were complex, reflecting their experience and their managerial responsibilities.",
                    cases=lang.count(row["cases"]),
                    mean=lang.caseload(row["mean_caseload"]),
                    share=lang.percent(row["complex_share"], 0),
                )
            )
        if sentences:
            out.append(Paragraph(" ".join(sentences)))
    counts = caseload_flag_counts.assign(as_at=pd.to_datetime(caseload_flag_counts["as_at"]))
    if len(counts):
        at = counts["as_at"].max()
        n = counts.loc[counts["as_at"] == at].set_index("rule")["count"]
        limits = config.nqsw_max_caseload
        out.append(
            Bullets(
                (
                    _(
                        "Staff in roles that should hold no cases ({roles}) holding cases: {n}.",
                        roles=", ".join(role_label(lang, r).lower() for r in config.non_case_holding_roles),
                        n=lang.count(n.get("team_manager_holding_cases", 0)),
                    ),
                    _(
                        "Staff holding more than {max} cases: {n}.",
                        max=lang.count(config.max_caseload),
                        n=lang.count(n.get("over_max_caseload", 0)),
                    ),
                    _(
                        "Newly qualified social workers above their limit ({early} cases in the first {band} months "
                        "after qualifying, {late} after): {n}.",
                        early=lang.count(limits[0]),
                        late=lang.count(limits[1]),
                        band=lang.count(config.nqsw_band_months),
                        n=lang.count(n.get("nqsw_over_band_limit", 0)),
                    ),
                    _(
                        "Newly qualified social workers holding a complex case in their first {band} months: {n}.",
                        band=lang.count(config.nqsw_band_months),
                        n=lang.count(n.get("nqsw_early_complex_case", 0)),
                    ),
                )
            )
        )
        out.insert(
            len(out) - 1,
            Paragraph(_("Caseloads against the service's rules of appropriate work, on {date}:", date=lang.date(at))),
        )
    return out


def caseload_part(
    lang: Language,
    tables: dict[str, pd.DataFrame],
    month: Any,
    config: Settings,
) -> list[Block]:
    """The blocks of part (ii), in the council's order."""
    from analysis.answer.response_nqsw import nqsw_part

    _ = lang._
    blocks: list[Block | None] = [
        Heading(
            _(
                "What is the current average caseload for each worker, and is the work appropriate to each "
                "worker's qualification and training level?"
            ),
            3,
        )
    ]
    chosen, latest, earlier = _headline_rows(tables["caseload_snapshots"], tables["supervision_monthly"], month, config)
    if latest.empty:
        blocks.append(Paragraph(_("No caseload snapshot is available for this month.")))
    else:
        census = (chosen.snapshot.month, chosen.snapshot.day) == (9, 30)
        compared = (
            _(
                "The average caseload is compared on the same date each year, {date} (the national workforce "
                "census date), this year against last year.",
                date=lang.date(chosen.snapshot),
            )
            if census
            else _(
                "The average caseload is compared on the same date each year, {date}, this year against last year.",
                date=lang.date(chosen.snapshot),
            )
        )
        blocks.append(Paragraph(compared))
        blocks.append(autumn_sentences(lang, latest, earlier))
        blocks.append(role_table(lang, latest, earlier))
    blocks += appropriateness(lang, tables["principal_complexity"], tables["caseload_flag_counts"], config)
    blocks += nqsw_part(lang, tables["nqsw_caseload"], tables["nqsw_status_ends"], config)
    blocks.append(spc_paragraph(lang, tables["spc_summary"], tables["spc"], config, "mean_caseload"))
    return [b for b in blocks if b is not None]
