"""The leadership email: subject, a short plain-text and HTML body, the two reports attached."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pandas as pd

from analysis.delivery.addresses import Addresses, address_only
from analysis.delivery.body import figures, html_body, text_body
from analysis.delivery.pack import ReportPack
from analysis.presentation.formats import caseload as _caseload
from analysis.presentation.formats import pct as percent
from analysis.presentation.headline import Headline
from analysis.presentation.wording import snapshot_label


def subject_for(month: pd.Period) -> str:
    """``"Supervision and caseload report: December 2019"``."""
    return f"Supervision and caseload report: {month.strftime('%B %Y')}"


def headline_sentences(headline: Headline) -> list[str]:
    """The body's figures as sentences a reader can quote."""
    month = headline.month.strftime("%B %Y")
    target = f"target {percent(headline.target, 0)}"
    if headline.compliance is None or headline.due == 0:
        supervision = f"No social workers were due a formal supervision in {month} ({target})."
    else:
        supervision = (
            f"{percent(headline.compliance, 1)} of the {headline.due} social workers due a formal "
            f"supervision in {month} had one ({target})."
        )
    if headline.mean_caseload is None:
        caseload = "The average caseload per qualified social worker is not available for this month."
    else:
        caseload = (
            f"The average caseload per qualified social worker was "
            f"{_caseload(headline.mean_caseload)} in {_autumn(headline.snapshot)}"
        )
        if headline.mean_caseload_last_year is not None:
            caseload += (
                f", against {_caseload(headline.mean_caseload_last_year)} in {_autumn(headline.snapshot_last_year)}"
            )
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
    shown = figures(pack.headline)
    message.set_content(text_body(subject, sentences, closing, shown))
    message.add_alternative(html_body(subject, sentences, closing, shown), subtype="html")
    for path in pack.attachments:
        # Bytes, not text: the reports arrive byte for byte as rendered.
        message.add_attachment(
            path.read_bytes(), maintype="text", subtype="html", filename=path.name, params={"charset": "utf-8"}
        )
    return message


def _when(stamp: str | None) -> str | None:
    """``2026-11-23T10:00:00+00:00`` as ``23 November 2026 at 10:00 UTC``; as given if unparseable."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except (TypeError, ValueError):
        return stamp
    zone = ""
    if moment.tzinfo is not None:
        moment, zone = moment.astimezone(UTC), " UTC"
    return f"{moment.day} {moment.strftime('%B %Y at %H:%M')}{zone}"


def _autumn(snapshot: pd.Timestamp | None) -> str:
    return "Autumn" if snapshot is None else snapshot_label(snapshot)
