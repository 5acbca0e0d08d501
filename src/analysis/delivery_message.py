"""The leadership email: subject, a short plain-text and HTML body, the two reports attached."""

from __future__ import annotations

import html
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pandas as pd

from analysis.delivery_pack import ReportPack
from analysis.headline import Headline
from analysis.wording import snapshot_label
from analysis.delivery_settings import Addresses, address_only


def subject_for(month: pd.Period) -> str:
    """``"Supervision and caseload report: December 2019"``."""
    return f"Supervision and caseload report: {month.strftime('%B %Y')}"


def headline_sentences(headline: Headline) -> list[str]:
    """The body's figures as sentences a reader can quote."""
    month = headline.month.strftime("%B %Y")
    target = f"target {_percent(headline.target, 0)}"
    if headline.compliance is None or headline.due == 0:
        supervision = f"No social workers were due a formal supervision in {month} ({target})."
    else:
        supervision = (f"{_percent(headline.compliance, 1)} of the {headline.due} social workers due a formal "
                       f"supervision in {month} had one ({target}).")
    if headline.mean_caseload is None:
        caseload = "The average caseload per qualified social worker is not available for this month."
    else:
        caseload = (f"The average caseload per qualified social worker was "
                    f"{_caseload(headline.mean_caseload)} in {_autumn(headline.snapshot)}")
        if headline.mean_caseload_last_year is not None:
            caseload += (f", against {_caseload(headline.mean_caseload_last_year)} in "
                         f"{_autumn(headline.snapshot_last_year)}")
        caseload += "."
    return [supervision, caseload]


def build_message(pack: ReportPack, addresses: Addresses) -> EmailMessage:
    """One multipart message: text and HTML alternatives, then the two reports as attachments.

    Parameters
    ----------
    pack : ReportPack
        A checked report folder.
    addresses : Addresses
        From and To.

    Returns
    -------
    email.message.EmailMessage
        With Subject, From, To, Date and Message-ID set.
    """
    subject = subject_for(pack.month)
    sentences = headline_sentences(pack.headline)
    closing = [
        "The full reports are attached: supervision.html and caseload.html. Open them in a web "
        "browser; they work offline.",
        "Staff-level detail for team managers is not included in this email.",
    ]
    generated = _when(pack.manifest.get("generated_at"))
    if generated:
        closing.append(f"Reports generated {generated}.")

    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["From"] = addresses.sender
    message["To"] = ", ".join(addresses.recipients)
    message["Date"] = formatdate(localtime=True)
    # An explicit domain: the default asks DNS for this machine's name, slow and revealing.
    message["Message-ID"] = make_msgid(domain=address_only(addresses.sender).rpartition("@")[2])
    message.set_content("\n\n".join([subject, *sentences, *closing]) + "\n")
    message.add_alternative(_html_body(subject, sentences, closing), subtype="html")
    for path in pack.attachments:
        # Bytes, not text: the reports arrive byte for byte as rendered.
        message.add_attachment(path.read_bytes(), maintype="text", subtype="html",
                               filename=path.name, params={"charset": "utf-8"})
    return message


def _html_body(subject: str, sentences: list[str], closing: list[str]) -> str:
    figures = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    notes = "".join(f"<p>{html.escape(s)}</p>" for s in closing)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(subject)}</title>'
            f'</head><body style="font-family: Arial, sans-serif; font-size: 16px; color: #0b0c0c">'
            f"<h1 style=\"font-size: 20px\">{html.escape(subject)}</h1><ul>{figures}</ul>{notes}</body></html>\n")


def _percent(fraction: float | Decimal, places: int) -> str:
    # Decimal and half-up: a float 0.8235 * 100 is 82.34999..., which would print as 82.3%.
    percent = (Decimal(str(fraction)) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{percent}%"


def _caseload(value: float) -> str:
    # 23.80 reads as 23.8, as in the council's report.
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _when(stamp: str | None) -> str | None:
    """``2026-11-23T10:00:00+00:00`` as ``23 November 2026 at 10:00 UTC``; as given if unparseable."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    zone = ""
    if moment.tzinfo is not None:
        moment, zone = moment.astimezone(timezone.utc), " UTC"
    return f"{moment.day} {moment.strftime('%B %Y at %H:%M')}{zone}"


def _autumn(snapshot: pd.Timestamp | None) -> str:
    return "Autumn" if snapshot is None else snapshot_label(snapshot)
