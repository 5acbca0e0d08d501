"""The leadership email's body: a short report in its own right, in plain text and Outlook-safe HTML.

The month's headline (``analysis.presentation.headline``) with its direction against the month before and
against the target. The HTML is what Outlook desktop, Outlook on the web and a phone all show
the same way: tables for layout, every style inline, no script, no image, no external resource,
one column that narrows to a phone's width. Direction is said in words and with an arrow, never
by colour alone.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from analysis.presentation.formats import caseload, count, month_name, percent_rounded
from analysis.presentation.formats import pct as percent
from analysis.presentation.headline import Headline
from analysis.presentation.wording import snapshot_label
from analysis.vocabulary.current import _, current

FONT = "Arial, Helvetica, sans-serif"
DARK_BLUE, DARK_GREY, TEXT = "#12436D", "#3D3D3D", "#0b0c0c"


@dataclass(frozen=True)
class Figure:
    """One headline figure: the value, what it is, and how it compares."""

    value: str
    label: str
    comparisons: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """The body in one language: its subject line, the sentences, the closing notes and the figures."""

    lang: str
    subject: str
    sentences: list[str]
    closing: list[str]
    shown: list[Figure]


def points(now: float, then: float) -> tuple[str, int]:
    """The difference of two rates as shown (82.4% and 90% are 7.6 points apart), and its sign.

    Taken between the rounded percentages a reader sees, so the email's arithmetic checks out.
    """
    delta = percent_rounded(now) - percent_rounded(then)
    return f"{abs(delta)}", (delta > 0) - (delta < 0)


def against_target(rate: float, target: float) -> str:
    """``✓ Meets the 90% target`` or how far below it, in the points a reader sees."""
    size = points(rate, target)[0]
    shown = percent(target, 0)
    if rate >= target:
        return "✓ " + _("Meets the {target} target", target=shown)
    if size == "0.0":
        return "✗ " + _("Just below the {target} target (by less than 0.05 percentage points)", target=shown)
    return "✗ " + _("{size} percentage points below the {target} target", size=current().number(size), target=shown)


def figures(headline: Headline) -> list[Figure]:
    """The supervision and caseload figures of the month, with their comparisons."""
    month = month_name(headline.month)
    before = month_name(headline.month - 1)
    target = percent(headline.target, 0)
    out = []
    if headline.compliance is None or headline.due == 0:
        out.append(
            Figure(
                "–",
                _("No one was due a formal supervision in {month}", month=month),
                (_("Target: {target}", target=target),),
            )
        )
    else:
        compared = []
        if headline.previous_compliance is not None:
            size, sign = points(headline.compliance, headline.previous_compliance)
            size = current().number(size)
            compared.append(
                "▬ " + _("The same as {month}", month=before)
                if sign == 0
                else "▲ " + _("Up {size} percentage points on {month}", size=size, month=before)
                if sign > 0
                else "▼ " + _("Down {size} percentage points on {month}", size=size, month=before)
            )
        compared.append(against_target(headline.compliance, headline.target))
        out.append(
            Figure(
                percent(headline.compliance),
                _(
                    "of social workers due a formal supervision in {month} had one ({supervised} of {due})",
                    month=month,
                    supervised=count(headline.supervised),
                    due=count(headline.due),
                ),
                tuple(compared),
            )
        )
    if headline.regular is not None and headline.due_three:
        out.append(
            Figure(
                percent(headline.regular),
                _(
                    "of those due a formal supervision in each month from {first} to {month} had one in all three "
                    "({supervised} of {due})",
                    first=month_name(headline.month - 2),
                    month=month,
                    supervised=count(headline.supervised_three),
                    due=count(headline.due_three),
                ),
                (against_target(headline.regular, headline.target),),
            )
        )
    if headline.forecast is not None:
        out.append(
            Figure(
                percent(headline.forecast),
                _(
                    "forecast for {month}, from what is known at the end of {now} (80% interval {low} to {high})",
                    month=month_name(headline.month + 1),
                    now=month,
                    low=percent(headline.forecast_low_80),
                    high=percent(headline.forecast_high_80),
                ),
                (
                    _(
                        "A {chance} chance of reaching the {target} target",
                        chance=percent(headline.forecast_p_target, 0),
                        target=target,
                    ),
                ),
            )
        )
    if headline.mean_caseload is None:
        out.append(Figure("–", _("Average caseload per qualified social worker: not available"), ()))
    else:
        compared = []
        if headline.mean_caseload_last_year is not None:
            delta = headline.mean_caseload - headline.mean_caseload_last_year
            last = snapshot_label(headline.snapshot_last_year)
            earlier = caseload(headline.mean_caseload_last_year)
            compared.append(
                "▬ " + _("The same as {month}", month=last)
                if abs(delta) < 0.005
                else "▲ " + _("Up {size} on {season} ({earlier})", size=caseload(delta), season=last, earlier=earlier)
                if delta > 0
                else "▼ "
                + _("Down {size} on {season} ({earlier})", size=caseload(abs(delta)), season=last, earlier=earlier)
            )
        out.append(
            Figure(
                caseload(headline.mean_caseload),
                _(
                    "average caseload per qualified social worker in {season}",
                    season=snapshot_label(headline.snapshot),
                ),
                tuple(compared),
            )
        )
    return out


def text_body(sections: list[Section]) -> str:
    """The plain-text alternative: the same figures, one to a paragraph; each language in turn."""
    blocks = []
    for section in sections:
        parts = [section.subject, *section.sentences]
        for figure in section.shown:
            parts.append("\n".join([f"{figure.value} {figure.label}", *(f"  {c}" for c in figure.comparisons)]))
        blocks.append("\n\n".join([*parts, *section.closing]))
    return "\n\n—\n\n".join(blocks) + "\n"


def _section_html(section: Section) -> str:
    e = html.escape
    text = f"font-family:{FONT};color:{TEXT};font-size:16px;line-height:1.4;"
    cards = "".join(
        f'<tr><td style="padding:12px 0;border-top:1px solid #b1b4b6;{text}">'
        f'<p style="margin:0;font-size:32px;font-weight:bold;color:{DARK_BLUE};">{e(f.value)}</p>'
        f'<p style="margin:4px 0 6px 0;">{e(f.label)}</p>'
        + "".join(f'<p style="margin:0;color:{DARK_GREY};font-size:15px;">{e(c)}</p>' for c in f.comparisons)
        + "</td></tr>"
        for f in section.shown
    )
    said = "".join(f'<p style="margin:0 0 12px 0;{text}">{e(s)}</p>' for s in section.sentences)
    notes = "".join(
        f'<p style="margin:12px 0 0 0;{text}font-size:14px;color:{DARK_GREY};">{e(s)}</p>' for s in section.closing
    )
    return (
        f'<tr lang="{e(section.lang)}"><td style="padding:16px 20px 4px 20px;{text}">'
        f'<h1 style="margin:0 0 12px 0;font-size:22px;line-height:1.3;font-family:{FONT};color:{TEXT};">'
        f"{e(section.subject)}</h1>{said}</td></tr>"
        f'<tr lang="{e(section.lang)}"><td style="padding:0 20px;"><table role="presentation" width="100%" '
        f'cellpadding="0" cellspacing="0" border="0">{cards}</table></td></tr>'
        f'<tr lang="{e(section.lang)}"><td style="padding:4px 20px 20px 20px;">{notes}</td></tr>'
    )


def html_body(subject: str, sections: list[Section]) -> str:
    """The Outlook-safe HTML body (tables for layout, inline styles, no image); each language in turn,
    each marked with its ``lang``."""
    e = html.escape
    lang = sections[0].lang if sections else "en"
    return (
        f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(subject)}</title></head>"
        '<body style="margin:0;padding:0;background-color:#f3f2f1;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background-color:#f3f2f1;"><tr><td align="center" style="padding:12px 8px;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="max-width:600px;background-color:#ffffff;border-top:6px solid {DARK_BLUE};">'
        + "".join(_section_html(section) for section in sections)
        + "</table></td></tr></table></body></html>\n"
    )
