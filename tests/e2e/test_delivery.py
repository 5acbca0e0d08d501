"""The ``email`` command against a real SMTP server on loopback: what arrives, login and
STARTTLS, faults and retries, recipients refused; the command line; one end-to-end run.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from analysis.cli import main
from analysis.delivery import settings as delivery_settings
from analysis.delivery.command import email_command
from analysis.delivery.record import MARKER_FILE
from analysis.paths import PROJECT_ROOT

from delivery_fixtures import (  # noqa: F401 (fixtures are used by name)
    MONTH,
    PASSWORD,
    SUBJECT,
    SUPERVISION_SENTENCE,
    TEAM_DETAIL_MARKER,
    Recorder,
    attachments_of,
    bodies_of,
    certificate_authority,
    free_port,
    no_real_settings,
    parse,
    reports,
    sent_record,
    settings_for,
    smtp_server,
    tls_options,
)

# --- delivery ---------------------------------------------------------------------------------


def test_the_message_arrives_with_subject_recipients_figures_and_two_attachments(reports, smtp_server, capsys):
    server = smtp_server()

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 0

    [(mail_from, rcpt_tos, content, _)] = server.received
    assert mail_from == "performance@council.example"
    assert rcpt_tos == ["director@council.example", "head.of.service@council.example"]
    message = parse(content)
    assert message["Subject"] == SUBJECT
    assert message["From"].addresses[0].addr_spec == "performance@council.example"
    assert [a.addr_spec for a in message["To"].addresses] == rcpt_tos
    assert message["Message-ID"] and message["Date"]
    for body in bodies_of(message):
        assert SUPERVISION_SENTENCE in body
        assert "16.16 in Autumn 2019" in body and "23.8 in Autumn 2018" in body
    files = attachments_of(message)
    assert sorted(files) == ["caseload.html", "supervision.html"]
    assert files["supervision.html"] == (reports / "2019-12" / "supervision.html").read_bytes()
    assert all(part.get_content_type() == "text/html" for part in message.iter_attachments())
    assert "Delivered" in capsys.readouterr().out


def test_team_detail_is_never_attached_or_quoted(reports, smtp_server):
    server = smtp_server()

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 0

    content = server.received[0][2]
    message = parse(content)
    assert not [name for name in attachments_of(message) if "team" in name]
    assert b"team_detail" not in content
    assert TEAM_DETAIL_MARKER.encode() not in content
    assert not [name for name in sent_record(reports)["sends"][0]["attachments"] if "team" in name]


def test_sent_json_records_what_was_sent(reports, smtp_server):
    server = smtp_server()

    email_command(MONTH, reports, environ=settings_for(server.port))

    record = sent_record(reports)
    [entry] = record["sends"]
    message = parse(server.received[0][2])
    assert record["month"] == "2019-12"
    assert entry["message_id"] == message["Message-ID"]
    assert entry["subject"] == SUBJECT
    assert entry["recipients"] == ["director@council.example", "head.of.service@council.example"]
    assert entry["attachments"] == ["supervision.html", "caseload.html"]
    assert entry["refused"] == {} and entry["sent_at"]
    assert not (reports / "2019-12" / MARKER_FILE).exists()


def test_login_over_starttls_trusting_the_council_ca(reports, smtp_server, tls_options, capsys):
    options, ca_file = tls_options
    server = smtp_server(**options)
    env = settings_for(
        server.port, SMTP_STARTTLS="yes", SMTP_USER="reports", SMTP_PASSWORD=PASSWORD, SMTP_CA_FILE=str(ca_file)
    )

    assert email_command(MONTH, reports, environ=env) == 0

    [(_, _, content, authenticated)] = server.received
    assert authenticated
    assert parse(content)["Subject"] == SUBJECT
    output = capsys.readouterr()
    assert PASSWORD not in output.out + output.err
    assert PASSWORD not in (reports / "2019-12" / "sent.json").read_text()


def test_a_wrong_password_fails_at_once_and_is_never_shown(reports, smtp_server, tls_options, capsys):
    options, ca_file = tls_options
    server = smtp_server(**options)
    wrong = "Wr0ng-" + PASSWORD
    env = settings_for(
        server.port, SMTP_STARTTLS="1", SMTP_USER="reports", SMTP_PASSWORD=wrong, SMTP_CA_FILE=str(ca_file)
    )

    assert email_command(MONTH, reports, environ=env) == 1

    output = capsys.readouterr()
    assert "refused the login" in output.err and "SMTP_PASSWORD" in output.err
    assert wrong not in output.out + output.err
    assert "trying again" not in output.err  # a refused login is not retried
    assert server.received == []
    assert not (reports / "2019-12" / "sent.json").exists()


def test_an_untrusted_certificate_fails_clearly_naming_smtp_ca_file(reports, smtp_server, tls_options, capsys):
    options, _ = tls_options
    server = smtp_server(**options)
    env = settings_for(server.port, SMTP_STARTTLS="true", SMTP_USER="reports", SMTP_PASSWORD=PASSWORD)

    assert email_command(MONTH, reports, environ=env) == 1

    output = capsys.readouterr()
    assert "not trusted" in output.err and "SMTP_CA_FILE" in output.err
    assert PASSWORD not in output.out + output.err
    assert not (reports / "2019-12" / "sent.json").exists()


def test_a_server_that_is_down_is_retried_then_fails_clearly(reports, capsys):
    env = settings_for(free_port(), SMTP_RETRIES="2", SMTP_PASSWORD=PASSWORD, SMTP_USER="reports")

    assert email_command(MONTH, reports, environ=env) == 1

    err = capsys.readouterr().err
    assert err.count("trying again") == 2
    assert "not sent after 3 attempt(s)" in err and "could not connect to 127.0.0.1" in err
    assert PASSWORD not in err
    assert sorted(p.name for p in (reports / "2019-12").iterdir()) == [
        "caseload.html",
        "manifest.json",
        "supervision.html",
        "tables",
        "team_detail",
    ]


def test_a_server_that_never_answers_times_out_and_is_retried(reports, capsys):
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        env = settings_for(silent.getsockname()[1], SMTP_TIMEOUT="0.2", SMTP_RETRIES="1")

        assert email_command(MONTH, reports, environ=env) == 1

    err = capsys.readouterr().err
    assert "did not answer within 0.2 s" in err and err.count("trying again") == 1
    assert not (reports / "2019-12" / "sent.json").exists()


def test_451_is_retried_with_backoff_then_fails_and_nothing_is_marked_sent(reports, smtp_server, capsys, monkeypatch):
    server = smtp_server(Recorder(data_replies=["451 4.3.0 Try again later"] * 5))
    waits = []
    monkeypatch.setattr("analysis.delivery.smtp.time.sleep", waits.append)

    assert email_command(MONTH, reports, environ=settings_for(server.port, SMTP_RETRY_DELAY="0.5")) == 1

    assert server.data_calls == 3
    assert waits == [0.5, 1.0]
    assert "451" in capsys.readouterr().err
    assert not (reports / "2019-12" / "sent.json").exists()
    assert not (reports / "2019-12" / MARKER_FILE).exists()


def test_451_once_then_accepted_is_sent_once(reports, smtp_server):
    server = smtp_server(Recorder(data_replies=["451 4.3.0 Try again later"]))

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 0

    assert server.data_calls == 2 and len(server.received) == 1
    assert sent_record(reports)["sends"][0]["attempts"] == 2


def test_starttls_required_but_not_offered_fails_at_once(reports, smtp_server, capsys):
    server = smtp_server()

    assert email_command(MONTH, reports, environ=settings_for(server.port, SMTP_STARTTLS="on")) == 1

    err = capsys.readouterr().err
    assert "STARTTLS" in err and "trying again" not in err
    assert server.received == []


def test_a_permanent_550_is_not_retried(reports, smtp_server, capsys):
    server = smtp_server(Recorder(data_replies=["554 5.7.1 Message rejected"] * 5))

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 1

    assert server.data_calls == 1
    assert "554" in capsys.readouterr().err
    assert not (reports / "2019-12" / "sent.json").exists()


def test_a_recipient_deferred_once_gets_it_on_the_retry_and_the_other_only_once(reports, smtp_server):
    server = smtp_server(Recorder(rcpt_replies={"head.of.service@council.example": ["450 4.2.1 Mailbox busy"]}))

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 0

    assert [rcpt for _, rcpt, _, _ in server.received] == [
        ["director@council.example"],
        ["head.of.service@council.example"],
    ]
    assert parse(server.received[0][2])["Message-ID"] == parse(server.received[1][2])["Message-ID"]
    assert sent_record(reports)["sends"][0]["recipients"] == [
        "director@council.example",
        "head.of.service@council.example",
    ]


def test_a_recipient_refused_for_good_is_reported_and_recorded(reports, smtp_server, capsys):
    server = smtp_server(Recorder(rcpt_replies={"head.of.service@council.example": ["550 5.1.1 No such user"] * 5}))

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 1

    assert [rcpt for _, rcpt, _, _ in server.received] == [["director@council.example"]]
    entry = sent_record(reports)["sends"][0]
    assert entry["recipients"] == ["director@council.example"]
    assert entry["refused"]["head.of.service@council.example"].startswith("550")
    assert "refused for good: head.of.service@council.example (550" in capsys.readouterr().err


def test_every_recipient_refused_for_good_is_a_failure_with_no_record(reports, smtp_server, capsys):
    refuse = ["550 5.1.1 No such user"] * 5
    server = smtp_server(
        Recorder(
            rcpt_replies={"director@council.example": list(refuse), "head.of.service@council.example": list(refuse)}
        )
    )

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 1

    err = capsys.readouterr().err
    assert "not sent after 1 attempt(s)" in err and "director@council.example (550" in err
    assert server.received == [] and not (reports / "2019-12" / "sent.json").exists()


# --- the command line -------------------------------------------------------------------------


def test_the_cli_reads_the_environment_and_dotenv(reports, smtp_server, monkeypatch, tmp_path):
    server = smtp_server()
    env_file = tmp_path / ".env"
    env_file.write_text(
        "SMTP_HOST=127.0.0.1\nSMTP_PORT=1\nSMTP_STARTTLS=no\n"
        "REPORT_FROM=performance@council.example\nREPORT_TO=director@council.example\n"
    )
    monkeypatch.setattr(delivery_settings, "ENV_FILE", env_file)
    monkeypatch.setenv("SMTP_PORT", str(server.port))  # the real environment wins over .env

    assert main(["email", "--month", "2019-12", "--reports", str(reports)]) == 0

    assert server.received[0][1] == ["director@council.example"]


# --- end to end with the real report pipeline -------------------------------------------------


@pytest.mark.slow
def test_the_real_report_is_emailed_with_its_own_figures(tmp_path, smtp_server):
    out = tmp_path / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--month", "2019-12", "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"the report pipeline failed: {done.stderr[-600:]}"
    server = smtp_server()

    assert email_command(MONTH, out, environ=settings_for(server.port)) == 0

    message = parse(server.received[0][2])
    headline = json.loads((out / "2019-12" / "manifest.json").read_text())["headline"]
    plain, _ = bodies_of(message)
    assert f"of the {headline['due']} social workers due" in plain
    assert (headline["due"], headline["supervised"], headline["compliance"]) == (98, 82, 0.8367)  # the sample
    assert f"{headline['mean_caseload']:.2f}".rstrip("0").rstrip(".") + " in Autumn" in plain
    assert sorted(attachments_of(message)) == ["caseload.html", "supervision.html"]
    assert attachments_of(message)["caseload.html"] == (out / "2019-12" / "caseload.html").read_bytes()
