"""Email against SMTP servers on loopback that misbehave as real gateways do.

For each server: who received how many copies, what ``sent.json`` says, the exit status and
the message; then a plain rerun, which must not give anyone a second copy.
"""

from __future__ import annotations

import asyncio
import base64
import json
import ssl
import sys
from collections import Counter
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from analysis.delivery.command import email_command
from analysis.delivery.record import MARKER_FILE

from delivery_fixtures import (  # noqa: F401 (fixtures are used by name)
    MONTH,
    Recorder,
    certificate_authority,
    free_port,
    reports,
    sent_record,
    settings_for,
    smtp_server,
)

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback test servers

A, B, C = "a@council.example", "b@council.example", "c@council.example"
THREE = f"{A}, {B}, {C}"


def copies(server) -> Counter:
    return Counter(address for _, rcpts, _, _ in server.received for address in rcpts)


def rerun_gives_no_second_copy(reports, server, env, capsys) -> None:
    before = copies(server)
    assert email_command(MONTH, reports, environ=env) == 1
    assert "already emailed" in capsys.readouterr().err and copies(server) == before


class ClosesAtRecipient(Recorder):
    """Answers 421 at the ``n``-th RCPT of the first connection and closes it; then behaves."""

    def __init__(self, n: int):
        super().__init__()
        self.n, self.seen, self.done = n, 0, False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.seen += 1
        if not self.done and self.seen == self.n:
            self.done = True
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
            return "421 4.3.2 Service shutting down"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


class StoresThenStalls(Recorder):
    """Stores the message, then answers only after ``delay`` seconds (a slow virus scan)."""

    def __init__(self, delay: float):
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content, None))
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class OAuthRecorder(Recorder):
    """Accepts only ``AUTH XOAUTH2`` with exactly the SASL string of ``user`` and ``token``."""

    def __init__(self, user: str, token: str):
        super().__init__()
        self.expected = f"user={user}\x01auth=Bearer {token}\x01\x01".encode()
        self.logins: list[bytes] = []

    async def auth_XOAUTH2(self, server, args):
        given = base64.b64decode(args[1]) if len(args) > 1 else b""
        self.logins.append(given)
        return AuthResult(success=given == self.expected, handled=False)


@pytest.fixture
def three(reports):
    def env(port, **extra):
        return settings_for(port, REPORT_TO=THREE, SMTP_RETRY_DELAY="0.01", **extra)

    return env


# --- 421 at the second recipient ------------------------------------------------------------


def test_421_at_a_recipient_means_nobody_in_that_transaction_has_it(reports, smtp_server, three, capsys):
    server = smtp_server(ClosesAtRecipient(n=2))
    env = three(server.port)

    assert email_command(MONTH, reports, environ=env) == 0

    assert copies(server) == {A: 1, B: 1, C: 1}  # all three on the retry, once each
    entry = sent_record(reports)["sends"][0]
    assert (entry["status"], entry["recipients"], entry["attempts"]) == ("sent", [A, B, C], 2)
    assert "421 4.3.2" in capsys.readouterr().err  # the retry is said
    rerun_gives_no_second_copy(reports, server, env, capsys)


def test_421_with_no_retries_left_records_nobody(reports, smtp_server, three, capsys):
    server = smtp_server(ClosesAtRecipient(n=2))
    env = three(server.port, SMTP_RETRIES="0")

    assert email_command(MONTH, reports, environ=env) == 1

    assert copies(server) == {}
    assert not (reports / "2019-12" / "sent.json").exists()
    err = capsys.readouterr().err
    assert "not sent after 1 attempt(s)" in err and "The others have it" not in err
    assert email_command(MONTH, reports, environ=three(server.port)) == 0  # a plain rerun sends it, once
    assert copies(server) == {A: 1, B: 1, C: 1}


# --- the message stored, the answer after the timeout -----------------------------------------


def test_no_answer_after_the_message_is_handed_over_is_delivery_unknown(reports, smtp_server, three, capsys):
    server = smtp_server(StoresThenStalls(delay=3))
    env = three(server.port, SMTP_TIMEOUT="0.5", SMTP_RETRIES="3")

    assert email_command(MONTH, reports, environ=env) == 1

    assert copies(server) == {A: 1, B: 1, C: 1}  # never retried blindly
    entry = sent_record(reports)["sends"][0]
    assert entry["status"] == "delivery unknown" and entry["recipients"] == []
    assert sorted(entry["unknown"]) == [A, B, C] and entry["attempts"] == 1
    assert (reports / "2019-12" / MARKER_FILE).exists()
    err = capsys.readouterr().err
    assert "is unknown" in err and f"Check {A}'s mailbox" in err and "RESEND=1" in err

    assert email_command(MONTH, reports, environ=env) == 1  # a plain rerun is refused
    assert "has not finished" in capsys.readouterr().err
    assert copies(server) == {A: 1, B: 1, C: 1}


def test_after_an_unknown_delivery_the_marker_removed_means_it_arrived(reports, smtp_server, three, capsys):
    server = smtp_server(StoresThenStalls(delay=3))
    env = three(server.port, SMTP_TIMEOUT="0.5")
    email_command(MONTH, reports, environ=env)
    (reports / "2019-12" / MARKER_FILE).unlink()  # the analyst saw it in a mailbox

    assert email_command(MONTH, reports, environ=env) == 1
    assert "may have it" in capsys.readouterr().err and copies(server) == {A: 1, B: 1, C: 1}


# --- 451 after DATA, then recovery ---------------------------------------------------------------


def test_451_after_data_then_recovery_sends_once(reports, smtp_server, three, capsys):
    server = smtp_server(Recorder(data_replies=["451 4.7.1 Greylisted, try again"]))
    env = three(server.port)

    assert email_command(MONTH, reports, environ=env) == 0

    assert copies(server) == {A: 1, B: 1, C: 1} and server.data_calls == 2
    assert sent_record(reports)["sends"][0]["attempts"] == 2
    rerun_gives_no_second_copy(reports, server, env, capsys)


# --- one recipient deferred with 450, one rejected with 550 ------------------------------------


def test_a_deferred_recipient_gets_it_on_the_retry_and_the_others_once(reports, smtp_server, three, capsys):
    server = smtp_server(Recorder(rcpt_replies={B: ["450 4.2.1 Mailbox busy"]}))
    env = three(server.port)

    assert email_command(MONTH, reports, environ=env) == 0

    assert copies(server) == {A: 1, B: 1, C: 1}
    assert [rcpts for _, rcpts, _, _ in server.received] == [[A, C], [B]]
    rerun_gives_no_second_copy(reports, server, env, capsys)


def test_a_rejected_recipient_is_recorded_and_a_rerun_goes_only_to_them(reports, smtp_server, three, capsys):
    server = smtp_server(Recorder(rcpt_replies={B: ["550 5.1.1 No such user"]}))
    env = three(server.port)

    assert email_command(MONTH, reports, environ=env) == 1

    assert copies(server) == {A: 1, C: 1}
    entry = sent_record(reports)["sends"][0]
    assert (entry["status"], entry["recipients"]) == ("partly sent", [A, C])
    assert entry["refused"][B].startswith("550 5.1.1")
    assert "refused for good" in capsys.readouterr().err

    assert email_command(MONTH, reports, environ=env) == 0  # the mailbox exists now: only B is sent to
    assert copies(server) == {A: 1, B: 1, C: 1}
    said = capsys.readouterr().out
    assert "already delivered to a@council.example, c@council.example" in said
    assert said.count("sending only to") == 1  # said once, not again when the marker is held
    assert email_command(MONTH, reports, environ=env) == 1  # and then nobody again
    assert copies(server) == {A: 1, B: 1, C: 1}
    assert f"{A}, {B}, {C} have it" in capsys.readouterr().err


# --- XOAUTH2 (Microsoft 365) ----------------------------------------------------------------------


def test_xoauth2_with_a_token_command_sends_the_exact_sasl_string(reports, smtp_server, three, capsys):
    server = smtp_server(
        OAuthRecorder("reports@council.example", "tok-123.abc"), auth_require_tls=False, auth_required=True
    )
    command = f"{sys.executable} -c \"print('tok-123.abc')\""
    env = three(server.port, SMTP_AUTH="xoauth2", SMTP_USER="reports@council.example", SMTP_OAUTH_TOKEN_COMMAND=command)

    assert email_command(MONTH, reports, environ=env) == 0

    assert server.logins == [b"user=reports@council.example\x01auth=Bearer tok-123.abc\x01\x01"]
    assert copies(server) == {A: 1, B: 1, C: 1}
    output = capsys.readouterr()
    assert "tok-123" not in output.out + output.err
    assert "tok-123" not in (reports / "2019-12" / "sent.json").read_text()
    rerun_gives_no_second_copy(reports, server, env, capsys)


def test_xoauth2_from_microsoft_by_client_credentials(reports, smtp_server, three, monkeypatch):
    import msal

    asked = {}

    class FakeApp:
        def __init__(self, client_id, authority, client_credential):
            asked.update(client_id=client_id, authority=authority, credential=client_credential)

        def acquire_token_for_client(self, scopes):
            asked["scopes"] = scopes
            return {"access_token": "eyJ-microsoft-token", "token_type": "Bearer"}

    monkeypatch.setattr(msal, "ConfidentialClientApplication", FakeApp)
    server = smtp_server(
        OAuthRecorder("reports@council.example", "eyJ-microsoft-token"), auth_require_tls=False, auth_required=True
    )
    env = three(
        server.port,
        SMTP_AUTH="xoauth2",
        SMTP_USER="reports@council.example",
        SMTP_OAUTH_TENANT="council.onmicrosoft.com",
        SMTP_OAUTH_CLIENT_ID="11111111-2222",
        SMTP_OAUTH_CLIENT_SECRET="client-s3cret",
    )

    assert email_command(MONTH, reports, environ=env) == 0

    assert asked == {
        "client_id": "11111111-2222",
        "credential": "client-s3cret",
        "authority": "https://login.microsoftonline.com/council.onmicrosoft.com",
        "scopes": ["https://outlook.office365.com/.default"],
    }
    assert copies(server) == {A: 1, B: 1, C: 1}


def test_a_refused_client_secret_is_said_without_the_secret(reports, smtp_server, three, monkeypatch, capsys):
    import msal

    class Refusing:
        def __init__(self, *args, **kwargs):
            pass

        def acquire_token_for_client(self, scopes):
            return {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."}

    monkeypatch.setattr(msal, "ConfidentialClientApplication", Refusing)
    server = smtp_server(OAuthRecorder("reports@council.example", "x"), auth_require_tls=False)
    env = three(
        server.port,
        SMTP_AUTH="xoauth2",
        SMTP_USER="reports@council.example",
        SMTP_OAUTH_TENANT="council",
        SMTP_OAUTH_CLIENT_ID="app",
        SMTP_OAUTH_CLIENT_SECRET="client-s3cret",
    )

    assert email_command(MONTH, reports, environ=env) == 1

    err = capsys.readouterr().err
    assert "AADSTS7000215: Invalid client secret provided." in err and "client-s3cret" not in err
    assert copies(server) == {} and not (reports / "2019-12" / MARKER_FILE).exists()


def test_a_wrong_token_is_refused_by_the_server_at_once(reports, smtp_server, three, capsys):
    server = smtp_server(OAuthRecorder("reports@council.example", "right"), auth_require_tls=False)
    env = three(
        server.port,
        SMTP_AUTH="xoauth2",
        SMTP_USER="reports@council.example",
        SMTP_OAUTH_TOKEN_COMMAND=f"{sys.executable} -c \"print('wrong')\"",
    )

    assert email_command(MONTH, reports, environ=env) == 1

    err = capsys.readouterr().err
    assert "refused the XOAUTH2 token" in err and "SMTP.SendAsApp" in err and "trying again" not in err
    assert len(server.logins) == 1


# --- implicit TLS (port 465) -----------------------------------------------------------------------


def test_implicit_tls_with_the_councils_certificate_authority(reports, certificate_authority, tmp_path, three):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(ca_file))
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ssl_context=context)
    controller.start()
    try:
        env = three(controller.port, SMTP_SECURITY="tls", SMTP_CA_FILE=str(ca_file))
        env.pop("SMTP_STARTTLS")
        assert email_command(MONTH, reports, environ=env) == 0
        assert email_command(MONTH, reports, environ=env) == 1  # a rerun: nobody gets a second copy
    finally:
        controller.stop()
    assert copies(handler) == {A: 1, B: 1, C: 1}
    assert sent_record(reports)["sends"][0]["status"] == "sent"


def test_a_certificate_for_another_host_is_said_so_even_with_the_councils_authority(
    reports, certificate_authority, tmp_path, three, capsys
):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("mail.council.example").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    certificate_authority.cert_pem.write_to_path(str(ca_file))
    controller = Controller(Recorder(), hostname="127.0.0.1", port=free_port(), ssl_context=context)
    controller.start()
    try:
        env = three(controller.port, SMTP_SECURITY="tls", SMTP_CA_FILE=str(ca_file))
        env.pop("SMTP_STARTTLS")
        assert email_command(MONTH, reports, environ=env) == 1
    finally:
        controller.stop()
    err = capsys.readouterr().err
    assert "mismatch" in err and "set SMTP_HOST to a name the certificate is for, not '127.0.0.1'" in err
    assert "set SMTP_CA_FILE" not in err


def test_a_certificate_from_another_authority_names_the_ca_file_given(reports, tmp_path, three, capsys):
    import trustme

    signer, other = trustme.CA(), trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    signer.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "other-ca.pem"
    other.cert_pem.write_to_path(str(ca_file))
    controller = Controller(Recorder(), hostname="127.0.0.1", port=free_port(), ssl_context=context)
    controller.start()
    try:
        env = three(controller.port, SMTP_SECURITY="tls", SMTP_CA_FILE=str(ca_file))
        env.pop("SMTP_STARTTLS")
        assert email_command(MONTH, reports, environ=env) == 1
    finally:
        controller.stop()
    assert f"SMTP_CA_FILE ({ca_file}) does not hold the authority that signed it" in capsys.readouterr().err


# --- a Welsh name, a server without SMTPUTF8 ---------------------------------------------------------


def test_a_welsh_name_goes_as_an_encoded_header_and_a_bare_envelope(reports, smtp_server, capsys):
    server = smtp_server()  # aiosmtpd offers no SMTPUTF8 unless asked
    env = settings_for(
        server.port, REPORT_TO="Siân Jones <sian@council.example>, Dafydd ap Gwilym <dafydd@council.example>"
    )

    assert email_command(MONTH, reports, environ=env) == 0
    [(_, rcpts, content, _)] = server.received
    assert rcpts == ["sian@council.example", "dafydd@council.example"]
    assert content.isascii()
    raw_to = next(line for line in content.split(b"\r\n") if line.startswith(b"To:"))
    assert b"=?utf-8?" in raw_to
    message = BytesParser(policy=policy.default).parsebytes(content)
    assert message["To"].addresses[0].display_name == "Siân Jones"
    assert json.loads((reports / "2019-12" / "sent.json").read_text())["sends"][0]["recipients"] == rcpts
    rerun_gives_no_second_copy(reports, server, env, capsys)

    assert email_command(MONTH, reports, dry_run=True, environ=env) == 0
    eml = (reports / "2019-12" / "email.eml").read_bytes()
    assert next(line for line in eml.split(b"\r\n") if line.startswith(b"To:")) == raw_to
