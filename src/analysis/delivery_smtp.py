"""Hand a message to the SMTP server, retrying transient faults with exponential backoff.

Transient: the server cannot be reached, times out, drops the connection, or answers 4xx.
Permanent: a 5xx answer, a refused login, an untrusted certificate, no STARTTLS. Only transient
faults are retried, and only for the recipients not yet accepted, so nobody gets it twice.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from analysis.delivery_settings import SmtpSettings, address_only


class DeliveryFailed(Exception):
    """No recipient accepted the message; the message says why, never with a secret."""


@dataclass
class Outcome:
    """Who accepted the message, who refused it (address -> the server's reason), in how many tries."""

    accepted: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    attempts: int = 0


class _Transient(Exception):
    pass


class _Permanent(Exception):
    pass


def send_with_retries(message: EmailMessage, settings: SmtpSettings,
                      sleep: Callable[[float], None] | None = None,
                      log: Callable[[str], None] | None = None) -> Outcome:
    """Send ``message`` to ``settings.recipients``, retrying transient faults.

    Tries at most ``settings.retries + 1`` times, waiting ``retry_delay``, then twice that, and so
    on between tries.

    Parameters
    ----------
    message : EmailMessage
        The message; its headers are sent as they are.
    settings : SmtpSettings
        Server, login, recipients and retry policy.
    sleep, log : callable
        Injected for tests; default ``time.sleep`` and printing on stderr.

    Returns
    -------
    Outcome
        At least one recipient accepted; ``refused`` lists any that were not.

    Raises
    ------
    DeliveryFailed
        When no recipient accepted the message (retries exhausted or a permanent fault).
    """
    sleep = sleep or time.sleep
    log = log or (lambda text: print(text, file=sys.stderr))
    outcome = Outcome()
    pending = list(settings.recipients)
    tries = settings.retries + 1
    reason = ""
    for attempt in range(1, tries + 1):
        outcome.attempts = attempt
        try:
            rejected = _send_once(message, settings, pending)
        except _Permanent as exc:
            reason = str(exc)
            break
        except _Transient as exc:
            reason = str(exc)
        else:
            outcome.accepted += [address for address in pending if address not in rejected]
            outcome.refused.update({a: r for a, r in rejected.items() if not _temporary(r)})
            pending = [a for a, r in rejected.items() if _temporary(r)]
            if not pending:
                break
            reason = "temporarily refused " + "; ".join(f"{a} ({rejected[a]})" for a in pending)
        if attempt < tries:
            delay = settings.retry_delay * 2 ** (attempt - 1)
            log(f"attempt {attempt} of {tries} failed: {reason}; trying again in {delay:g} s")
            sleep(delay)
    outcome.refused.update({address: reason for address in pending})
    if outcome.accepted:
        return outcome
    if not pending:  # every recipient refused for good
        reason = "refused " + "; ".join(f"{a} ({r})" for a, r in outcome.refused.items())
    raise DeliveryFailed(f"the email was not sent after {outcome.attempts} attempt(s): {reason}")


def _send_once(message: EmailMessage, settings: SmtpSettings, recipients: list[str]) -> dict[str, str]:
    """One connection: returns the refused recipients (address -> "code reason")."""
    where = f"{settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context(
                    cafile=str(settings.ca_file) if settings.ca_file else None))
            if settings.login:
                smtp.login(settings.user, settings.password)
            refused = smtp.send_message(message, from_addr=address_only(settings.sender), to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients
    except smtplib.SMTPAuthenticationError as exc:
        raise _Permanent(f"{where} refused the login for SMTP_USER {settings.user!r}: {_reply(exc)}. "
                         "Check SMTP_USER and SMTP_PASSWORD") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise _Permanent(f"{where}: {str(exc).rstrip('.')}; check SMTP_STARTTLS, SMTP_PORT and whether "
                         "this server takes SMTP_USER and SMTP_PASSWORD") from None
    except smtplib.SMTPResponseException as exc:
        fault = _Transient if 400 <= exc.smtp_code < 500 or exc.smtp_code < 0 else _Permanent
        raise fault(f"{where} answered {_reply(exc)}") from None
    except smtplib.SMTPServerDisconnected as exc:
        if isinstance(exc.__context__, TimeoutError):  # smtplib turns a read timeout into this
            raise _Transient(f"{where} did not answer within {settings.timeout:g} s") from None
        raise _Transient(f"{where} closed the connection ({exc})") from None
    except ssl.SSLCertVerificationError as exc:
        raise _Permanent(f"the certificate of {where} is not trusted ({exc.verify_message}); "
                         "if the council uses an internal certificate authority, set SMTP_CA_FILE") from None
    except ssl.SSLError as exc:
        raise _Permanent(f"TLS with {where} failed ({exc.reason or exc})") from None
    except TimeoutError:
        raise _Transient(f"{where} did not answer within {settings.timeout:g} s") from None
    except OSError as exc:
        raise _Transient(f"could not connect to {where} ({exc.strerror or exc})") from None
    except smtplib.SMTPException as exc:
        raise _Permanent(f"{where}: {exc}") from None
    return {address: _format(code, text) for address, (code, text) in refused.items()}


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return _format(exc.smtp_code, exc.smtp_error)


def _format(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _temporary(reason: str) -> bool:
    return reason[:1] == "4"
