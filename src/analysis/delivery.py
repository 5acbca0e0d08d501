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

from analysis.delivery_message import build_message
from analysis.delivery_pack import ReportNotReady, open_report_pack
from analysis.delivery_record import (
    MARKER_FILE, AlreadySent, append_send, begin_send, check_no_unfinished_send, check_not_sent, end_send)
from analysis.delivery_settings import (
    Addresses, SettingsError, load_addresses, load_smtp_settings, merged_environment)
from analysis.delivery_smtp import DeliveryFailed, send_with_retries

EML_FILE = "email.eml"


def email_command(month: pd.Period, reports_dir: Path, dry_run: bool = False, resend: bool = False,
                  environ: Mapping[str, str] | None = None) -> int:
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
        Send even though ``sent.json`` records an earlier send (the new send is appended).
    environ : Mapping[str, str], optional
        The environment (default ``os.environ``), overlaid on the project's ``.env``.

    Returns
    -------
    int
        0 when sent (or written); 1 when the report is not ready, was already sent, or the
        server did not take it (for everyone); 2 on missing or malformed settings.
    """
    password = None
    try:
        env = merged_environment(environ)
        password = env.get("SMTP_PASSWORD")
        if dry_run:
            return _write_eml(month, reports_dir, env)
        return _send(month, reports_dir, env, resend)
    except SettingsError as exc:
        _error(f"{exc}", password)
        return 2
    except (ReportNotReady, AlreadySent, DeliveryFailed) as exc:
        _error(f"{exc}", password)
        return 1


def _write_eml(month: pd.Period, reports_dir: Path, env: Mapping[str, str]) -> int:
    addresses = load_addresses(env, placeholders=True)
    pack = open_report_pack(reports_dir, month)
    message = build_message(pack, addresses)
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


def _send(month: pd.Period, reports_dir: Path, env: Mapping[str, str], resend: bool) -> int:
    settings = load_smtp_settings(env)
    pack = open_report_pack(reports_dir, month)
    if resend:
        end_send(pack.folder / MARKER_FILE)  # the user has checked the unfinished send
    else:
        check_no_unfinished_send(pack.folder, str(month))
        check_not_sent(pack.folder, str(month))
    message = build_message(pack, Addresses(settings.sender, settings.recipients))
    marker = begin_send(pack.folder, message["Message-ID"])
    try:
        if not resend:
            check_not_sent(pack.folder, str(month))  # again, holding the marker: a run that just finished
        print(f"Sending {message['Subject']!r} to {', '.join(settings.recipients)} "
              f"via {settings.host}:{settings.port}...", flush=True)
        outcome = send_with_retries(message, settings, log=lambda text: _error(text, settings.password, "note"))
    except (AlreadySent, DeliveryFailed):
        end_send(marker)  # nobody accepted it: safe to try again without --resend
        raise
    record = append_send(pack.folder, str(month), {
        "message_id": message["Message-ID"],
        "subject": message["Subject"],
        "from": settings.sender,
        "recipients": outcome.accepted,
        "refused": outcome.refused,
        "attachments": [path.name for path in pack.attachments],
        "server": f"{settings.host}:{settings.port}",
        "attempts": outcome.attempts,
        "resend": bool(resend),
        "report_generated_at": pack.manifest.get("generated_at"),
    })
    end_send(marker)
    print(f"Sent {message['Subject']!r} to {', '.join(outcome.accepted)}; recorded in {record}.")
    if outcome.refused:
        refused = "; ".join(f"{address} ({reason})" for address, reason in outcome.refused.items())
        _error(f"not delivered to {refused}. The others have it; send to these by hand "
               f"or fix REPORT_TO and use --resend.", settings.password)
        return 1
    return 0


def _error(text: str, password: str | None, label: str = "error") -> None:
    if password and len(password) >= 4:  # belt and braces: no message is built with it
        text = text.replace(password, "********")
    print(f"{label}: {text}", file=sys.stderr)
