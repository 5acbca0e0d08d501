"""Who the leadership email is from and to: addresses read from the environment, checked, shown bare."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import getaddresses, parseaddr

from analysis.delivery.settings_error import SettingsError

# Used by --dry-run when REPORT_FROM / REPORT_TO are not set, so a preview needs no settings.
PLACEHOLDER_FROM = "reports@example.invalid"


PLACEHOLDER_TO = "leadership@example.invalid"


@dataclass(frozen=True)
class Addresses:
    """Sender and recipients for a message, real or (for a dry run) placeholders."""

    sender: str
    recipients: tuple[str, ...]
    placeholders: tuple[str, ...] = ()


def load_addresses(env: Mapping[str, str], placeholders: bool = False) -> Addresses:
    """REPORT_FROM and REPORT_TO, checked; with ``placeholders`` a missing one is made up.

    Raises
    ------
    SettingsError
        When an address is malformed, or missing and ``placeholders`` is false.
    """
    used = []
    if "REPORT_FROM" not in env or "REPORT_TO" not in env:
        if not placeholders:
            missing = [name for name in ("REPORT_FROM", "REPORT_TO") if name not in env]
            raise SettingsError("missing email settings: " + ", ".join(missing))
        used = [name for name in ("REPORT_FROM", "REPORT_TO") if name not in env]
    sender = _address("REPORT_FROM", env.get("REPORT_FROM", PLACEHOLDER_FROM))
    recipients = tuple(
        dict.fromkeys(
            _address("REPORT_TO", text) for text in env.get("REPORT_TO", PLACEHOLDER_TO).split(",") if text.strip()
        )
    )
    if not recipients:
        raise SettingsError("REPORT_TO holds no address")
    return Addresses(sender, recipients, tuple(used))


def _address(name: str, text: str) -> str:
    parsed = getaddresses([text.strip()])
    display, address = parsed[0] if len(parsed) == 1 else ("", "")
    # Any address the standard library reads with a local part, an @ and a domain: an internal
    # relay's domain need have no dot (performance@localhost, reports@council-mail).
    if not re.fullmatch(r"[^@\s,;<>]+@[^@\s,;<>.]+(\.[^@\s,;<>.]+)*", address):
        raise SettingsError(
            f"{name}: {text.strip()!r} is not an email address: expected name@domain, or Name <name@domain>"
        )
    if not address.isascii():
        raise SettingsError(
            f"{name}: the address {address!r} has a character outside ASCII: give its ASCII "
            "form (the name before it may be in any language, e.g. Siân Jones <sian@...>)"
        )
    if display:
        local, _, domain = address.rpartition("@")
        return str(Address(display, local, domain))
    return address


def address_only(text: str) -> str:
    """The bare ``user@domain`` of ``"Name <user@domain>"``."""
    return parseaddr(text)[1]
