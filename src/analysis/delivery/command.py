"""The ``email`` command: send the month's leadership reports, or write them as ``email.eml``.

The steps, each in its own module: settings (``delivery_settings``), the checked report folder
(``delivery_pack``), the message (``delivery_message``), SMTP with retries (``delivery_smtp``) and
the record of what was sent (``delivery_record``). Settings are checked before anything else;
nothing is recorded as sent unless the server accepted it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from email import policy
from pathlib import Path

import pandas as pd

from analysis.delivery.addresses import Addresses, load_addresses
from analysis.delivery.message import build_message
from analysis.delivery.pack import ReportNotReady, ReportPack, open_report_pack
from analysis.delivery.record import (
    MARKER_FILE,
    SENT_FILE,
    AlreadySent,
    append_send,
    begin_send,
    check_no_unfinished_send,
    check_not_sent,
    check_unchanged_since_sent,
    end_send,
    read_sends,
    tables_digest,
    who_has_it,
)
from analysis.delivery.settings import SettingsError, SmtpSettings, load_smtp_settings, merged_environment
from analysis.delivery.smtp import DeliveryFailed, Outcome, send_with_retries

EML_FILE = "email.eml"


def email_command(
    month: pd.Period,
    reports_dir: Path,
    dry_run: bool = False,
    resend: bool = False,
    environ: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> int:
    """Email ``reports_dir/YYYY-MM``'s supervision and caseload reports, or write ``email.eml``.

    Parameters
    ----------
    month : pandas.Period
        The report month.
    reports_dir : Path
        The reports folder.
    dry_run : bool
        Write ``email.eml`` into the month's folder and send nothing. ``REPORT_FROM`` and
        ``REPORT_TO`` are used if set, placeholders otherwise; no SMTP setting is needed.
    resend : bool
        Send to every recipient not recorded as having it, including those whose delivery is
        unknown (after checking a mailbox); when all have it, send to everyone again. Without it,
        a run sends only to recipients without the message, and refuses while a delivery is unknown.
    environ : Mapping[str, str], optional
        The environment (default ``os.environ``), overlaid on the project's ``.env``.
    lang : str, optional
        ``en``, ``cy`` or ``both`` (Welsh first, as bilingual correspondence is); default: the languages
        the month's report was made in. The reports of each language are attached.

    Returns
    -------
    int
        0 when every recipient has it (or the .eml was written); 1 when the report is not ready,
        was already sent, or a recipient does not have it for certain; 2 on bad settings.
    """
    password = None
    try:
        env = merged_environment(environ)
        password = env.get("SMTP_PASSWORD") or env.get("SMTP_OAUTH_CLIENT_SECRET")
        if dry_run:
            return _write_eml(month, reports_dir, env, lang)
        return _send(month, reports_dir, env, resend, lang)
    except SettingsError as exc:
        _error(f"{exc}", password)
        return 2
    except (ReportNotReady, AlreadySent, DeliveryFailed) as exc:
        _error(f"{exc}", password)
        return 1


def email_languages(pack: ReportPack, lang: str | None) -> tuple[str, ...]:
    """The email's languages in the order written: ``lang``, else the report's own; Welsh first when both."""
    chosen = {"en": ["en"], "cy": ["cy"], "both": ["en", "cy"]}[lang] if lang else pack.manifest.get("languages")
    codes = [c for c in (chosen or ["en"]) if c in ("en", "cy")] or ["en"]
    return tuple(sorted(set(codes), key=lambda code: code != "cy"))


def _write_eml(month: pd.Period, reports_dir: Path, env: Mapping[str, str], lang: str | None = None) -> int:
    addresses = load_addresses(env, placeholders=True)
    pack = open_report_pack(reports_dir, month)
    message = build_message(pack, addresses, email_languages(pack, lang))
    path = pack.folder / EML_FILE
    path.write_bytes(message.as_bytes(policy=policy.SMTP))
    print(f"Wrote {path} ({message['Subject']}, to {message['To']}); nothing was sent.")
    if addresses.placeholders:
        print(f"note: {' and '.join(addresses.placeholders)} not set, so placeholder addresses were used.")
    try:
        check_not_sent(pack.folder, str(month))
    except AlreadySent as exc:
        print(f"note: {exc}")
    return 0


def _send(month: pd.Period, reports_dir: Path, env: Mapping[str, str], resend: bool, lang: str | None = None) -> int:
    settings = load_smtp_settings(env)
    pack = open_report_pack(reports_dir, month)
    if resend:
        end_send(pack.folder / MARKER_FILE)  # the user has checked the unfinished send
    else:
        check_no_unfinished_send(pack.folder, str(month))
        check_unchanged_since_sent(pack.folder, str(month))
    to_send = _still_to_send(pack.folder, str(month), settings.envelope_recipients, resend)
    languages = email_languages(pack, lang)
    message = build_message(pack, Addresses(settings.sender, settings.recipients), languages)
    marker = begin_send(pack.folder, message["Message-ID"])
    try:
        # Again, holding the marker: another run may have sent meanwhile.
        to_send = _still_to_send(pack.folder, str(month), settings.envelope_recipients, resend, say=False)
        print(
            f"Sending {message['Subject']!r} to {', '.join(to_send)} via {settings.host}:{settings.port} "
            f"({settings.security}).",
            flush=True,
        )
        outcome = send_with_retries(message, settings, to_send, log=lambda text: _error(text, settings, "note"))
    except (AlreadySent, DeliveryFailed):
        end_send(marker)  # nobody has it: safe to try again without --resend
        raise
    status = "sent" if outcome.complete else "delivery unknown" if outcome.unknown else "partly sent"
    record = append_send(
        pack.folder,
        str(month),
        {
            "message_id": message["Message-ID"],
            "subject": message["Subject"],
            "from": settings.sender,
            "status": status,
            "recipients": outcome.delivered,
            "refused": outcome.refused,
            "not_delivered": outcome.not_delivered,
            "unknown": outcome.unknown,
            "attachments": [path.name for path in pack.attachments_for(languages)],
            "server": f"{settings.host}:{settings.port}",
            "attempts": outcome.attempts,
            "resend": bool(resend),
            "report_generated_at": pack.manifest.get("generated_at"),
            "tables_sha256": tables_digest(pack.folder),
        },
    )
    if not outcome.unknown:
        end_send(marker)
    if outcome.delivered:
        print(f"Delivered {message['Subject']!r} to {', '.join(outcome.delivered)}; recorded in {record}.")
    return _say_what_is_left(outcome, month, marker, record, settings)


def _still_to_send(folder: Path, month: str, recipients: tuple[str, ...], resend: bool, say: bool = True) -> list[str]:
    """The recipients without the message; everyone on a --resend once all have it. ``say``: print
    who already has it (once a run: the second look, holding the send marker, says nothing).

    Raises
    ------
    AlreadySent
        When every recipient has it (or may have it) and this is not a --resend.
    """
    delivered, unknown = who_has_it(folder)
    if resend:
        left = [r for r in recipients if r not in delivered]
        return left or list(recipients)
    left = [r for r in recipients if r not in delivered and r not in unknown]
    if not left:
        last = read_sends(folder)[-1]
        holders = [r for r in recipients if r in delivered]
        have = ", ".join(holders) or "nobody for certain"
        maybe = [r for r in recipients if r in unknown]
        raise AlreadySent(
            f"the {month} report was already emailed (last at {last.get('sent_at')}, message "
            f"{last.get('message_id')}): {have} {'have' if len(holders) > 1 else 'has'} it"
            + (f"; {', '.join(maybe)} may have it" if maybe else "")
            + f". See {folder / SENT_FILE}. Use --resend to send it again."
        )
    already = [r for r in recipients if r in delivered]
    if already and say:
        print(
            f"note: the {month} report was already delivered to {', '.join(already)}; "
            f"sending only to {', '.join(left)}."
        )
    return left


def _say_what_is_left(outcome: Outcome, month: pd.Period, marker: Path, record: Path, settings: SmtpSettings) -> int:
    """0 when everyone has it; else say who does not, and what to do, and return 1."""
    if outcome.complete:
        return 0
    if outcome.unknown:
        who, (first, why) = ", ".join(outcome.unknown), next(iter(outcome.unknown.items()))
        _error(
            f"delivery to {who} is unknown: {why}. Check {first}'s "
            f"mailbox. If it arrived, remove {marker} and nothing more will be sent to them; if it did not, run "
            f"`make email MONTH={month} RESEND=1`. A plain run is refused until then (see {record}).",
            settings,
        )
    if outcome.refused:
        refused = "; ".join(f"{address} ({reason})" for address, reason in outcome.refused.items())
        _error(
            f"refused for good: {refused}. Fix REPORT_TO and run `make email MONTH={month}` again: "
            "it sends only to those without it.",
            settings,
        )
    if outcome.not_delivered:
        failed = "; ".join(f"{address} ({reason})" for address, reason in outcome.not_delivered.items())
        _error(
            f"not delivered after {outcome.attempts} attempt(s): {failed}. Run `make email MONTH={month}` "
            "again later: it sends only to those without it.",
            settings,
        )
    return 1


def _error(text: str, secrets: SmtpSettings | str | None, label: str = "error") -> None:
    """Print ``label: text`` on stderr, any secret masked (belt and braces: no message is built with one)."""
    hidden = secrets.secrets if isinstance(secrets, SmtpSettings) else (secrets,) if secrets else ()
    for secret in hidden:
        if len(secret) >= 4:
            text = text.replace(secret, "********")
    print(f"{label}: {text}", file=sys.stderr)
