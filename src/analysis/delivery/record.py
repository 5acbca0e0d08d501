"""What was sent, kept beside the report: ``sent.json``, and a marker while a send is under way.

``sent.json`` is ``{"month": "YYYY-MM", "sends": [entry, ...]}``, one entry per send, appended by
``--resend``. ``email.sending`` exists only while the SMTP conversation runs: if a run is killed
after the server took the message but before ``sent.json`` was written, the marker stays and the
next run refuses rather than risk a second copy.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from analysis.delivery.addresses import address_only
from analysis.paths import MARKER_FILE, SENT_FILE


class AlreadySent(Exception):
    """The month was sent before, or a send is under way or ended unrecorded."""


def read_sends(folder: Path) -> list[dict]:
    """The entries of ``folder/sent.json`` (empty when it does not exist).

    Raises
    ------
    AlreadySent
        When ``sent.json`` exists but cannot be read: it must not be overwritten blindly.
    """
    path = folder / SENT_FILE
    if not path.exists():
        return []
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        sends = record["sends"]
        if not isinstance(sends, list):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        raise AlreadySent(f"{path} exists but cannot be read; check it by hand before sending again") from None
    return sends


def tables_digest(folder: Path) -> str:
    """SHA-256 of the report's figures (every ``tables/*.csv``, by name): it changes when a figure
    does, and not when the same figures are rendered again."""
    digest = hashlib.sha256()
    for path in sorted((folder / "tables").glob("*.csv")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def check_unchanged_since_sent(folder: Path, month: str) -> None:
    """Refuse to send the rest of a month whose figures changed since it was last sent.

    Raises
    ------
    AlreadySent
        When ``sent.json`` records a send of other figures (``tables_digest``).
    """
    sends = [s for s in read_sends(folder) if s.get("recipients") or s.get("unknown")]
    if not sends or "tables_sha256" not in sends[-1]:
        return
    if sends[-1]["tables_sha256"] != tables_digest(folder):
        last = sends[-1]
        raise AlreadySent(
            f"the {month} report was made again since it was emailed at {last.get('sent_at')} to "
            f"{', '.join(last.get('recipients', [])) or 'some recipients'}, and its figures changed: run with "
            f"--resend to send the new version to everyone (see {folder / SENT_FILE})"
        )


def check_not_sent(folder: Path, month: str) -> None:
    """Refuse a month that ``sent.json`` records as sent.

    Raises
    ------
    AlreadySent
        When ``sent.json`` records a send, or cannot be read.
    """
    sends = read_sends(folder)
    if sends:
        last = sends[-1]
        raise AlreadySent(
            f"the {month} report was already emailed at {last.get('sent_at')} to "
            f"{', '.join(last.get('recipients', []))} (message {last.get('message_id')}); "
            f"see {folder / SENT_FILE}. Use --resend to send it again."
        )


def who_has_it(folder: Path) -> tuple[set[str], set[str]]:
    """Bare addresses recorded as having the message, and those whose delivery is unknown.

    Raises
    ------
    AlreadySent
        When ``sent.json`` cannot be read.
    """
    delivered: set[str] = set()
    unknown: set[str] = set()
    for send in read_sends(folder):
        delivered.update(address_only(a) for a in send.get("recipients", []))
        unknown.update(address_only(a) for a in send.get("unknown", {}))
    return delivered, unknown - delivered


def check_no_unfinished_send(folder: Path, month: str) -> None:
    """Refuse while the marker of another, or an interrupted, send exists.

    Raises
    ------
    AlreadySent
        When ``email.sending`` exists.
    """
    marker = folder / MARKER_FILE
    if marker.exists():
        raise AlreadySent(
            f"a send of the {month} report started at {_started(marker)} and has not finished: another "
            f"run may be sending it now, or its delivery is unknown (see {folder / SENT_FILE}). Check a "
            f"recipient's mailbox. If it arrived, remove {marker} and nothing more will be sent to those "
            f"recipients; if it did not, run again with --resend."
        )


def begin_send(folder: Path, message_id: str) -> Path:
    """Write the in-progress marker; exclusive, so two runs cannot send the same month at once.

    Raises
    ------
    AlreadySent
        When the marker exists (a stale one is removed only by the caller's ``--resend``).
    """
    marker = folder / MARKER_FILE
    try:
        with open(marker, "x", encoding="utf-8") as handle:
            json.dump({"message_id": message_id, "started_at": _now()}, handle)
    except FileExistsError:
        raise AlreadySent(f"another send of this month is under way ({marker} exists)") from None
    return marker


def end_send(marker: Path) -> None:
    """Remove the in-progress marker."""
    marker.unlink(missing_ok=True)


def append_send(folder: Path, month: str, entry: dict) -> Path:
    """Append ``entry`` (stamped ``sent_at`` if absent) to ``sent.json``, replacing it atomically.

    Raises
    ------
    AlreadySent
        When the existing ``sent.json`` cannot be read.
    """
    sends = read_sends(folder)
    sends.append({"sent_at": _now(), **entry})
    path = folder / SENT_FILE
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"month": month, "sends": sends}, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _started(marker: Path) -> str:
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("started_at", "an unknown time")
    except (OSError, ValueError, AttributeError):
        return "an unknown time"
