"""Caseload charts: mean caseload by role on both snapshots, the distribution, the newly qualified.

Each returns a figure with its text alternative and, where it helps, its data table.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.config import Settings
from analysis.presentation import wording as words
from analysis.presentation.charts.base import DARK_BLUE, DARK_GREY, TURQUOISE, figure, memoised
from analysis.presentation.formats import caseload, count, date_long
from analysis.presentation.html_kit import Column, Fragment, html_table
from analysis.presentation.sections.nqsw import nqsw_sentence
from analysis.vocabulary.current import _, n_
from analysis.vocabulary.labels import role_labels, role_plurals


# --------------------------------------------------------------------------- caseload
@memoised
def role_caseloads(by_role: pd.DataFrame) -> Fragment:
    """Mean caseload by role on both Autumn snapshots: paired bars, the earlier year hatched."""
    rows = by_role.loc[by_role["dimension"] == "role"].copy()
    rows["snapshot"] = pd.to_datetime(rows["snapshot"])
    snapshots = sorted(rows["snapshot"].unique())
    roles = [r for r in role_labels() if r in set(rows["group"])]
    fig, ax = plt.subplots(figsize=(7.2, 0.8 + 0.75 * len(roles)))
    height = 0.38
    styles = [(TURQUOISE, "///"), (DARK_BLUE, "")]
    for k, snap in enumerate(snapshots[-2:]):
        colour, hatch = styles[k if len(snapshots) > 1 else 1]
        part = rows.loc[rows["snapshot"] == snap].set_index("group").reindex(roles)
        y = np.arange(len(roles)) + (k - 0.5) * height * (1 if len(snapshots) > 1 else 0)
        values = part["mean_caseload"].fillna(0).to_numpy(float)
        ax.barh(
            y,
            values,
            height=height,
            color=colour if hatch == "" else "white",
            edgecolor=colour,
            hatch=hatch,
            linewidth=1.2,
        )
        for yi, v, raw in zip(y, values, part["mean_caseload"]):
            label = " " + _(
                "{season}: {mean}",
                season=words.snapshot_label(snap),
                mean=caseload(raw) if not pd.isna(raw) else _("no cases"),
            )
            ax.text(v, yi, label, va="center", fontsize=8.5, color=DARK_GREY)
    ax.set_yticks(np.arange(len(roles)))
    ax.set_yticklabels([role_labels()[r] for r in roles])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    top = rows["mean_caseload"].max()
    ax.set_xlim(0, (top if not pd.isna(top) and top > 0 else 1) * 1.45)
    ax.set_xlabel(_("Mean caseload of case holders"))
    season = words.season(snapshots[0]) if len(snapshots) else _("Autumn")
    ax.set_title(_("Mean caseload by role, {season} against {season}", season=season))
    parts = []
    for role in roles:
        vals = rows.loc[rows["group"] == role].sort_values("snapshot")["mean_caseload"].tolist()
        if all(pd.isna(v) for v in vals):
            parts.append(_("{roles} held no cases", roles=role_plurals()[role].lower()))
        else:
            then = " " + _("then") + " "
            parts.append(
                _("{role} {means}", role=role_labels()[role].lower(), means=then.join(caseload(v) for v in vals))
            )
    years = words.listed([words.snapshot_label(s) for s in snapshots[-2:]])
    alt = _("Bar chart of mean caseload by role in {years}: {parts}.", years=years, parts="; ".join(parts))
    return figure(fig, alt, _("Figure 1. Mean caseload by role."))


@memoised
def distribution_chart(dist: pd.DataFrame) -> Fragment:
    """How many qualified social workers held each size of caseload, one panel per Autumn."""
    dist = dist.copy()
    dist["snapshot"] = pd.to_datetime(dist["snapshot"])
    snapshots = sorted(dist["snapshot"].unique())[-2:]
    fig, axes = plt.subplots(1, len(snapshots) or 1, figsize=(7.2, 3.0), sharey=True, squeeze=False)
    top = dist["case_holders"].max() if len(dist) else 1
    summaries = []
    for ax, snap, colour, hatch in zip(axes[0], snapshots, (TURQUOISE, DARK_BLUE), ("///", "")):
        part = dist.loc[dist["snapshot"] == snap]
        x = np.arange(len(part))
        ax.bar(x, part["case_holders"], color=colour if not hatch else "white", edgecolor=colour, hatch=hatch)
        for xi, v in zip(x, part["case_holders"]):
            ax.text(xi, v, str(int(v)), ha="center", va="bottom", fontsize=8.5, color=DARK_GREY)
        ax.set_xticks(x)
        ax.set_xticklabels(part["caseload_band"], rotation=0, fontsize=8)
        ax.set_title(_("{season} ({date})", season=words.snapshot_label(snap), date=date_long(snap)), fontsize=10)
        ax.set_xlabel(_("Cases held"))
        ax.set_ylim(0, max(top, 1) * 1.18)
        mode = part.loc[part["case_holders"].idxmax(), "caseload_band"] if len(part) and top > 0 else None
        summaries.append(
            _("{season}: most held {band} cases", season=words.snapshot_label(snap), band=mode) if mode else ""
        )
    axes[0][0].set_ylabel(_("Qualified social workers"))
    title = _("Caseload sizes of qualified social workers")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=11)
    fig.tight_layout()
    alt = (
        _("Bar charts of how many qualified social workers held each size of caseload.")
        + " "
        + "; ".join(s for s in summaries if s)
        + "."
    )
    table = distribution_table(dist, snapshots)
    season = words.season(snapshots[0]) if len(snapshots) else _("Autumn")
    return figure(fig, alt, _("Figure 2. Distribution of caseloads, {season} against {season}.", season=season), table)


def distribution_table(dist: pd.DataFrame, snapshots: list) -> str:
    wide = dist.pivot_table(index="caseload_band", columns="snapshot", values="case_holders", sort=False)
    wide = wide.reindex(dist["caseload_band"].drop_duplicates())
    frame = pd.DataFrame({"band": wide.index})
    columns = [Column("band", _("Cases held"))]
    for snap in snapshots:
        key = f"y{pd.Timestamp(snap).year}"
        frame[key] = wide[snap].to_numpy()
        columns.append(Column(key, words.snapshot_label(snap), count, True))
    return html_table(
        frame, columns, _("Data for the chart: qualified social workers by caseload size"), row_header="band"
    )


def nqsw_chart(nqsw: pd.DataFrame, as_at: Any, config: Settings) -> Fragment:
    """Newly qualified social workers by stage: how many, and their mean caseload."""
    band_labels = words.band_labels(config)
    order = list(band_labels)
    rows = nqsw.set_index("band").reindex(order).reset_index()
    fig, ax = plt.subplots(figsize=(7.2, 2.2))
    labels = [band_labels[b] for b in order]
    staff = rows["staff"].fillna(0).to_numpy(float)
    for y, (v, colour, hatch) in enumerate(zip(staff, (DARK_GREY, TURQUOISE, DARK_BLUE), ("..", "///", ""))):
        ax.barh([y], [v], color="white" if hatch else colour, edgecolor=colour, hatch=hatch, height=0.6)
    for y, (v, mean, band) in enumerate(zip(staff, rows["mean_caseload"], order)):
        text = " " + (
            n_("{n} member of staff", "{n} staff", int(v))
            if band == "non_case_holding" or pd.isna(mean)
            else n_(
                "{n} member of staff, mean caseload {mean}",
                "{n} staff, mean caseload {mean}",
                int(v),
                mean=caseload(mean),
            )
        )
        ax.text(v, y, text, va="center", fontsize=9, color=DARK_GREY, fontweight="bold")
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(staff.max() if len(staff) else 1, 1) * 1.9)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(_("Newly qualified social workers"))
    ax.set_title(_("Newly qualified social workers on {date}", date=date_long(as_at)))
    alt = _("Bar chart: {said}", said=nqsw_sentence(nqsw, as_at, config))
    return figure(fig, alt, _("Figure 4. Newly qualified social workers by stage."))
