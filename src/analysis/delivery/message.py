"""The leadership email: subject, a short plain-text and HTML body, the reports attached, in each language asked
(Welsh first when both, as bilingual correspondence is)."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pandas as pd

from analysis.delivery.addresses import Addresses, address_only
from analysis.delivery.body import Section, figures, html_body, text_body
from analysis.delivery.pack import ReportPack
from analysis.presentation.formats import caseload as _caseload
from analysis.presentation.formats import date_long, month_name
from analysis.presentation.formats import pct as percent
from analysis.presentation.headline import Headline
from analysis.presentation.wording import listed, snapshot_label
from analysis.vocabulary.current import _, n_, speaking


def subject_for(month: pd.Period) -> str:
    """``"Supervision and caseload report: December 2019"``, in the language being written."""
    return _("Supervision and caseload report: {month}", month=month_name(month))


def headline_sentences(headline: Headline) -> list[str]:
    """The body's figures as sentences a reader can quote, in the language being written."""
    month = month_name(headline.month)
    target = percent(headline.target, 0)
    if headline.compliance is None or headline.due == 0:
        supervision = _(
            "No social workers were due a formal supervision in {month} (target {target}).", month=month, target=target
        )
    else:
        supervision = n_(
            "{rate} of the {n} social worker due a formal supervision in {month} had one (target {target}).",
            "{rate} of the {n} social workers due a formal supervision in {month} had one (target {target}).",
            headline.due,
            rate=percent(headline.compliance, 1),
            month=month,
            target=target,
        )
    if headline.mean_caseload is None:
        caseload = _("The average caseload per qualified social worker is not available for this month.")
    elif headline.mean_caseload_last_year is None:
        caseload = _(
            "The average caseload per qualified social worker was {mean} in {season}.",
            mean=_caseload(headline.mean_caseload),
            season=_autumn(headline.snapshot),
        )
    else:
        caseload = _(
            "The average caseload per qualified social worker was {mean} in {season}, against {earlier} in "
            "{earlier_season}.",
            mean=_caseload(headline.mean_caseload),
            season=_autumn(headline.snapshot),
            earlier=_caseload(headline.mean_caseload_last_year),
            earlier_season=_autumn(headline.snapshot_last_year),
        )
    return [supervision, caseload]


def build_message(pack: ReportPack, addresses: Addresses, languages: tuple[str, ...] | None = None) -> EmailMessage:
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
    languages = languages or ("en",)
    sections = []
    for lang in languages:
        with speaking(lang):
            closing = [
                _(
                    "The full reports are attached: {files}. Open them in a web browser; they work offline.",
                    files=listed([path.name for path in pack.attachments_in(lang)]),
                ),
                _("Staff-level detail for team managers is not included in this email."),
            ]
            generated = _when(pack.manifest.get("generated_at"))
            if generated:
                closing.append(_("Reports generated {when}.", when=generated))
            sections.append(
                Section(
                    lang, subject_for(pack.month), headline_sentences(pack.headline), closing, figures(pack.headline)
                )
            )
    subject = " / ".join(section.subject for section in sections)

    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["From"] = addresses.sender
    message["To"] = ", ".join(addresses.recipients)
    message["Date"] = formatdate(localtime=True)
    # An explicit domain: the default asks DNS for this machine's name, slow and revealing.
    message["Message-ID"] = make_msgid(domain=address_only(addresses.sender).rpartition("@")[2])
    message.set_content(text_body(sections))
    message.add_alternative(html_body(subject, sections), subtype="html")
    for path in pack.attachments_for(languages):
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
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
        return _("{date} at {time} UTC", date=date_long(moment.date()), time=f"{moment:%H:%M}")
    return _("{date} at {time}", date=date_long(moment.date()), time=f"{moment:%H:%M}")


def _autumn(snapshot: pd.Timestamp | None) -> str:
    return _("Autumn") if snapshot is None else snapshot_label(snapshot)
