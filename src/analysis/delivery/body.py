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

from analysis.presentation.formats import caseload, percent_rounded
from analysis.presentation.formats import pct as percent
from analysis.presentation.headline import Headline
from analysis.presentation.wording import snapshot_label

FONT = "Arial, Helvetica, sans-serif"
DARK_BLUE, DARK_GREY, TEXT = "#12436D", "#3D3D3D", "#0b0c0c"


@dataclass(frozen=True)
class Figure:
    """One headline figure: the value, what it is, and how it compares."""

    value: str
    label: str
    comparisons: tuple[str, ...]


def points(now: float, then: float) -> tuple[str, int]:
    """The difference of two rates as shown (82.4% and 90% are 7.6 points apart), and its sign.

    Taken between the rounded percentages a reader sees, so the email's arithmetic checks out.
    """
    delta = percent_rounded(now) - percent_rounded(then)
    return f"{abs(delta)}", (delta > 0) - (delta < 0)


def against_target(rate: float, target: float) -> str:
    """``✓ Meets the 90% target`` or how far below it, in the points a reader sees."""
    size, _ = points(rate, target)
    shown = percent(target, 0)
    if rate >= target:
        return f"✓ Meets the {shown} target"
    if size == "0.0":
        return f"✗ Just below the {shown} target (by less than 0.05 percentage points)"
    return f"✗ {size} percentage points below the {shown} target"


def figures(headline: Headline) -> list[Figure]:
    """The supervision and caseload figures of the month, with their comparisons."""
    month = headline.month.strftime("%B %Y")
    before = (headline.month - 1).strftime("%B %Y")
    target = percent(headline.target, 0)
    out = []
    if headline.compliance is None or headline.due == 0:
        out.append(Figure("–", f"No one was due a formal supervision in {month}", (f"Target: {target}",)))
    else:
        compared = []
        if headline.previous_compliance is not None:
            size, sign = points(headline.compliance, headline.previous_compliance)
            compared.append(
                "▬ The same as " + before
                if sign == 0
                else f"{'▲ Up' if sign > 0 else '▼ Down'} {size} percentage points on {before}"
            )
        compared.append(against_target(headline.compliance, headline.target))
        out.append(
            Figure(
                percent(headline.compliance),
                f"of social workers due a formal supervision in {month} "
                f"had one ({headline.supervised} of {headline.due})",
                tuple(compared),
            )
        )
    if headline.regular is not None and headline.due_three:
        first = (headline.month - 2).strftime("%B %Y")
        out.append(
            Figure(
                percent(headline.regular),
                f"of those due a formal supervision in each month from {first} to {month} had one in all three "
                f"({headline.supervised_three} of {headline.due_three})",
                (against_target(headline.regular, headline.target),),
            )
        )
    if headline.mean_caseload is None:
        out.append(Figure("–", "Average caseload per qualified social worker: not available", ()))
    else:
        compared = []
        if headline.mean_caseload_last_year is not None:
            delta = headline.mean_caseload - headline.mean_caseload_last_year
            last = snapshot_label(headline.snapshot_last_year)
            compared.append(
                f"▬ The same as {last}"
                if abs(delta) < 0.005
                else f"{'▲ Up' if delta > 0 else '▼ Down'} {caseload(abs(delta))} on {last} "
                f"({caseload(headline.mean_caseload_last_year)})"
            )
        out.append(
            Figure(
                caseload(headline.mean_caseload),
                f"average caseload per qualified social worker in {snapshot_label(headline.snapshot)}",
                tuple(compared),
            )
        )
    return out


def text_body(subject: str, sentences: list[str], closing: list[str], shown: list[Figure]) -> str:
    """The plain-text alternative: the same figures, one to a paragraph."""
    parts = [subject, *sentences]
    for figure in shown:
        parts.append("\n".join([f"{figure.value} {figure.label}", *(f"  {c}" for c in figure.comparisons)]))
    return "\n\n".join([*parts, *closing]) + "\n"


def html_body(subject: str, sentences: list[str], closing: list[str], shown: list[Figure]) -> str:
    """The Outlook-safe HTML body (tables for layout, inline styles, no image)."""
    e = html.escape
    text = f"font-family:{FONT};color:{TEXT};font-size:16px;line-height:1.4;"
    cards = "".join(
        f'<tr><td style="padding:12px 0;border-top:1px solid #b1b4b6;{text}">'
        f'<p style="margin:0;font-size:32px;font-weight:bold;color:{DARK_BLUE};">{e(f.value)}</p>'
        f'<p style="margin:4px 0 6px 0;">{e(f.label)}</p>'
        + "".join(f'<p style="margin:0;color:{DARK_GREY};font-size:15px;">{e(c)}</p>' for c in f.comparisons)
        + "</td></tr>"
        for f in shown
    )
    said = "".join(f'<p style="margin:0 0 12px 0;{text}">{e(s)}</p>' for s in sentences)
    notes = "".join(f'<p style="margin:12px 0 0 0;{text}font-size:14px;color:{DARK_GREY};">{e(s)}</p>' for s in closing)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(subject)}</title></head>"
        '<body style="margin:0;padding:0;background-color:#f3f2f1;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background-color:#f3f2f1;"><tr><td align="center" style="padding:12px 8px;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="max-width:600px;background-color:#ffffff;border-top:6px solid {DARK_BLUE};">'
        f'<tr><td style="padding:16px 20px 4px 20px;{text}">'
        f'<h1 style="margin:0 0 12px 0;font-size:22px;line-height:1.3;font-family:{FONT};color:{TEXT};">'
        f"{e(subject)}</h1>{said}</td></tr>"
        '<tr><td style="padding:0 20px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'border="0">{cards}</table></td></tr>'
        f'<tr><td style="padding:4px 20px 20px 20px;">{notes}</td></tr>'
        "</table></td></tr></table></body></html>\n"
    )
