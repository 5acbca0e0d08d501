"""Hand a message to the SMTP server, one transaction at a time, knowing who has it.

A recipient has the message only when, in one transaction, the server accepted that recipient
(``RCPT TO``) and then the message (the reply to the end of ``DATA``). So each recipient is, at
the end: ``delivered``, ``refused`` (a 5xx answer), ``not_delivered`` (transient faults, retries
used up) or ``unknown``: the message was handed over and then the connection timed out or
dropped before the server answered. An unknown delivery is never retried blindly: the server may
have stored it (a virus scan on a large message easily outlasts a timeout).

Transient faults (no connection, a timeout or a dropped connection before the message was handed
over, a 4xx answer) are retried with exponential backoff, only for the recipients who do not yet
have it. Permanent faults (a refused login, an untrusted certificate, no STARTTLS) stop at once.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

from analysis.delivery.oauth import TokenUnavailable, access_token, xoauth2_string
from analysis.delivery.settings import SmtpSettings


class DeliveryFailed(Exception):
    """Nobody has the message and nobody may have it; the message says why, never with a secret."""


@dataclass
class Outcome:
    """Each recipient's state after every attempt (bare addresses)."""

    delivered: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # address -> the server's answer
    not_delivered: dict[str, str] = field(default_factory=dict)  # transient faults, retries used up
    unknown: dict[str, str] = field(default_factory=dict)  # handed over, no answer
    attempts: int = 0

    @property
    def complete(self) -> bool:
        return not (self.refused or self.not_delivered or self.unknown)


class _Transient(Exception):
    pass


class _Permanent(Exception):
    pass


class _HandedOver(Exception):
    """The end of DATA was sent and no answer came: delivery unknown."""


@dataclass
class _Result:
    delivered: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    deferred: dict[str, str] = field(default_factory=dict)


def send_with_retries(
    message: EmailMessage,
    settings: SmtpSettings,
    recipients: list[str] | None = None,
    sleep: Callable[[float], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> Outcome:
    """Send ``message`` to ``recipients`` (bare addresses; default every recipient of ``settings``).

    Tries at most ``settings.retries + 1`` times, waiting ``retry_delay``, then twice that, and so
    on between tries; each try goes only to those still without the message.

    Returns
    -------
    Outcome
        Who has it, who was refused, who could not be reached, and whose delivery is unknown.

    Raises
    ------
    DeliveryFailed
        When nobody has the message and nobody may have it.
    """
    sleep = sleep or time.sleep
    log = log or (lambda text: print(text, file=sys.stderr))
    outcome = Outcome()
    pending = list(recipients or settings.envelope_recipients)
    data = _wire_form(message)
    try:
        token = access_token(settings.oauth) if settings.auth == "xoauth2" and settings.oauth is not None else None
    except TokenUnavailable as exc:
        raise DeliveryFailed(f"the email was not sent: {exc}") from None
    reason = ""
    tries = settings.retries + 1
    for attempt in range(1, tries + 1):
        outcome.attempts = attempt
        try:
            result = _transaction(data, settings, pending, token)
        except _HandedOver as exc:
            outcome.unknown.update({address: str(exc) for address in pending})
            return outcome
        except _Permanent as exc:
            reason = str(exc)
            break
        except _Transient as exc:
            reason = str(exc)
        else:
            outcome.delivered += result.delivered
            outcome.refused.update(result.refused)
            pending = [a for a in pending if a in result.deferred]
            if not pending:
                break
            reason = "temporarily refused " + "; ".join(f"{a} ({result.deferred[a]})" for a in pending)
        if attempt < tries:
            delay = settings.retry_delay * 2 ** (attempt - 1)
            log(f"attempt {attempt} of {tries} failed: {reason}; trying again in {delay:g} s")
            sleep(delay)
    outcome.not_delivered.update({address: reason for address in pending})
    if outcome.delivered or outcome.unknown:
        return outcome
    if not outcome.not_delivered:  # every recipient refused for good
        reason = "refused " + "; ".join(f"{a} ({r})" for a, r in outcome.refused.items())
    raise DeliveryFailed(f"the email was not sent after {outcome.attempts} attempt(s): {reason}")


def _wire_form(message: EmailMessage) -> bytes:
    """The message as it crosses the wire: CRLF lines, headers RFC 2047-encoded (as ``--dry-run`` writes)."""
    return message.as_bytes(policy=policy.SMTP)


def _transaction(data: bytes, settings: SmtpSettings, recipients: list[str], token: str | None) -> _Result:
    """One connection, one transaction: MAIL, a RCPT for each recipient, DATA."""
    where = f"{settings.host}:{settings.port}"
    result = _Result()
    handed_over = False
    smtp: smtplib.SMTP | None = None
    try:
        smtp = _connect(settings)
        smtp.ehlo_or_helo_if_needed()
        _log_in(smtp, settings, token)
        code, reply = smtp.mail(settings.envelope_sender)
        _check(code, reply, where, "MAIL FROM")
        accepted = []
        for address in recipients:
            code, reply = smtp.rcpt(address)
            if code in (250, 251):
                accepted.append(address)
            elif code == 421:  # the server is closing: nobody in this transaction has it
                raise _Transient(f"{where} answered {_format(code, reply)}")
            elif 400 <= code < 500:
                result.deferred[address] = _format(code, reply)
            else:
                result.refused[address] = _format(code, reply)
        if not accepted:
            return result
        code, reply = smtp.docmd("DATA")
        if code != 354:
            _answer_for(accepted, code, reply, result)
            return result
        smtp.send(_dot_stuffed(data))
        handed_over = True
        code, reply = smtp.getreply()
        handed_over = False  # answered: whatever the connection does now changes nothing
        _answer_for(accepted, code, reply, result)
        if code == 250:
            result.delivered = accepted
        _quietly(smtp.quit)
        return result
    except OSError as exc:  # smtplib's and ssl's exceptions are OSErrors too
        if handed_over:
            raise _HandedOver(
                f"the message was handed to {where}, then {_dropped(exc, settings)} before the "
                "server said whether it took it"
            ) from None
        raise _fault(exc, where, settings) from None
    finally:
        if smtp is not None:
            smtp.close()


def _quietly(step: Callable[[], object]) -> None:
    try:
        step()
    except OSError:
        pass


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
    if settings.security == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        try:
            smtp.starttls(context=context)
        except BaseException:
            smtp.close()
            raise
    return smtp


def _log_in(smtp: smtplib.SMTP, settings: SmtpSettings, token: str | None) -> None:
    if settings.auth == "password":
        smtp.login(settings.user or "", settings.password or "")
    elif settings.auth == "xoauth2":
        sasl = xoauth2_string(settings.user or "", token or "")
        # On failure the server sends a 334 with a JSON error; answering it with nothing ends the exchange.
        smtp.auth("XOAUTH2", lambda challenge=None: sasl if challenge is None else "", initial_response_ok=True)


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA body: a leading dot doubled on every line, ending CRLF . CRLF."""
    body = re.sub(rb"(?m)^\.", b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _check(code: int, reply: bytes, where: str, step: str) -> None:
    if code == 250:
        return
    fault = _Transient if 400 <= code < 500 else _Permanent
    raise fault(f"{where} answered {_format(code, reply)} to {step}")


def _answer_for(accepted: list[str], code: int, reply: bytes, result: _Result) -> None:
    """The server's answer to DATA or to its end, for every recipient of the transaction."""
    if code == 250:
        return
    bucket = result.deferred if 400 <= code < 500 else result.refused
    bucket.update({address: _format(code, reply) for address in accepted})


def _dropped(exc: BaseException, settings: SmtpSettings) -> str:
    timed_out = isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)
    return f"no answer came within {settings.timeout:g} s" if timed_out else "the connection dropped"


def _fault(exc: BaseException, where: str, settings: SmtpSettings) -> Exception:
    """A connection-level exception as a transient or permanent fault with one clear sentence."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        what = "the XOAUTH2 token" if settings.auth == "xoauth2" else f"the login for SMTP_USER {settings.user!r}"
        check = (
            "Check the app registration's SMTP.SendAsApp permission and that SMTP_USER is its mailbox"
            if settings.auth == "xoauth2"
            else "Check SMTP_USER and SMTP_PASSWORD"
        )
        return _Permanent(f"{where} refused {what}: {_reply(exc)}. {check}")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return _Permanent(f"{where}: {str(exc).rstrip('.')}; check SMTP_SECURITY, SMTP_PORT and SMTP_AUTH")
    if isinstance(exc, smtplib.SMTPResponseException):
        fault = _Transient if 400 <= exc.smtp_code < 500 or exc.smtp_code < 0 else _Permanent
        return fault(f"{where} answered {_reply(exc)}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = str(exc.verify_message or exc)
        if "mismatch" in why.lower():
            advice = f"set SMTP_HOST to a name the certificate is for, not {settings.host!r}"
        elif settings.ca_file is not None:
            advice = f"SMTP_CA_FILE ({settings.ca_file}) does not hold the authority that signed it"
        else:
            advice = "if the council uses an internal certificate authority, set SMTP_CA_FILE"
        return _Permanent(f"the certificate of {where} is not trusted ({why}); {advice}")
    if isinstance(exc, ssl.SSLError):
        return _Permanent(
            f"TLS with {where} failed ({exc.reason or exc}); check SMTP_SECURITY and SMTP_PORT "
            "(tls for port 465, starttls for 587)"
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if isinstance(exc.__context__, TimeoutError):
            return _Transient(f"{where} did not answer within {settings.timeout:g} s")
        return _Transient(f"{where} closed the connection ({exc})")
    if isinstance(exc, TimeoutError):
        return _Transient(f"{where} did not answer within {settings.timeout:g} s")
    if isinstance(exc, OSError):
        return _Transient(f"could not connect to {where} ({exc.strerror or exc})")
    return _Permanent(f"{where}: {exc}")


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return _format(exc.smtp_code, exc.smtp_error)


def _format(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()
