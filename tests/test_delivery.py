"""The ``email`` command against a real SMTP server on loopback (aiosmtpd), and its refusals.

Report folders are faked in ``tmp_path`` exactly as docs/architecture.md describes, so these tests
do not depend on the rendering pipeline.
"""

from __future__ import annotations

import hashlib
import json
import socket
import ssl
import subprocess
import sys
from decimal import Decimal
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pandas as pd
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from analysis import delivery, delivery_settings
from analysis.cli import main
from analysis.delivery import email_command
from analysis.delivery_pack import read_headline
from analysis.delivery_record import MARKER_FILE, append_send
from analysis.paths import DEFAULT_CONFIG, NOTEBOOKS_DIR, PROJECT_ROOT

MONTH = pd.Period("2019-12", freq="M")
PASSWORD = "s3cret-Pa55word!"
SUBJECT = "Supervision and caseload report: December 2019"
SUPERVISION_SENTENCE = ("82.4% of the 85 social workers due a formal supervision in December 2019 "
                        "had one (target 90%)")
TEAM_DETAIL_MARKER = "STAFF-LEVEL-DETAIL-S0042"


# --- a fake report folder -------------------------------------------------------------------


def make_report_folder(root: Path, month: str = "2019-12", status: str = "complete") -> Path:
    """Write ``root/data`` (four input tables) and ``root/reports/MONTH`` as report.py would.

    Returns the reports folder (``root/reports``).
    """
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    inputs = {}
    for name in ("staff", "absences", "supervisions", "allocations"):
        path = data / f"{name}.csv"
        path.write_text(f"{name}_id,value\n1,{name}\n", encoding="utf-8")
        inputs[name] = {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    folder = root / "reports" / month
    (folder / "tables").mkdir(parents=True)
    for name, body in (("supervision", "Supervision compliance – December 2019"),
                       ("caseload", "Caseload – Autumn 2019"),
                       ("team_detail", TEAM_DETAIL_MARKER)):
        (folder / f"{name}.html").write_text(
            f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><body><h1>{body}</h1></body></html>\n',
            encoding="utf-8")
    months = [str(p) for p in pd.period_range("2019-09", month, freq="M")]
    rows = ["month,category,in_scope,due,supervised,compliance,near_miss"]
    for m in months:
        rows += [f"{m},all,90,85,70,0.8235,3", f"{m},qualified,60,58,50,0.8621,1",
                 f"{m},nqsw,8,8,8,1.0000,0", f"{m},agency,22,19,12,0.6316,2"]
    (folder / "tables" / "supervision_monthly.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "tables" / "caseload_snapshots.csv").write_text(
        "snapshot,group,staff,case_holders,cases,mean_caseload,cases_per_fte\n"
        "2018-09-30,headline,52,50,1190,23.80,24.1\n"
        "2018-09-30,social_worker,40,39,950,24.36,24.9\n"
        "2019-09-30,headline,64,62,1002,16.16,16.5\n"
        "2019-09-30,social_worker,50,49,800,16.33,16.8\n", encoding="utf-8")
    manifest = {
        "month": month, "window_start": months[0], "status": status,
        "generated_at": "2026-11-23T10:00:00+00:00",
        "parameters": {"month": month, "window_start": months[0], "data_dir": str(data),
                       "config_path": None, "out_dir": str(root / "reports")},
        "inputs": inputs,
        "config": {"path": None, "sha256": hashlib.sha256(DEFAULT_CONFIG.read_bytes()).hexdigest()},
        "package_version": "0.1.0", "git_commit": "abc123",
        "timings": {"total_seconds": 3.2},
        "outputs": ["supervision.html", "caseload.html", "team_detail.html", "tables/supervision_monthly.csv"],
        "headline": {"compliance": 0.8235, "target": 0.9, "due": 85, "supervised": 70,
                     "mean_caseload": 16.16, "mean_caseload_last_year": 23.8,
                     "snapshot": "2019-09-30", "snapshot_last_year": "2018-09-30"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return root / "reports"


@pytest.fixture
def reports(tmp_path) -> Path:
    return make_report_folder(tmp_path)


@pytest.fixture(autouse=True)
def no_real_settings(monkeypatch, tmp_path):
    """Keep the developer's own .env and SMTP_* variables out of every test."""
    monkeypatch.setattr(delivery_settings, "ENV_FILE", tmp_path / "no.env")
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_STARTTLS", "SMTP_CA_FILE",
                 "SMTP_RETRIES", "SMTP_RETRY_DELAY", "SMTP_TIMEOUT", "REPORT_FROM", "REPORT_TO"):
        monkeypatch.delenv(name, raising=False)


# --- a real SMTP server on loopback -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """An aiosmtpd handler that keeps what it receives and can answer DATA or RCPT with faults."""

    def __init__(self, data_replies=(), rcpt_replies=None):
        self.data_replies = list(data_replies)  # one reply per DATA, then 250
        self.rcpt_replies = rcpt_replies or {}  # address -> replies for successive RCPTs, then 250
        self.received = []  # (mail_from, rcpt_tos, content, authenticated)
        self.data_calls = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        replies = self.rcpt_replies.get(address)
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_calls += 1
        reply = self.data_replies.pop(0) if self.data_replies else None
        if reply:
            return reply
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                              session.authenticated))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """Start aiosmtpd servers on 127.0.0.1 and free ports; stop them after the test."""
    controllers = []

    def start(handler=None, **smtp_options):
        handler = handler or Recorder()
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **smtp_options)
        controller.start()
        controllers.append(controller)
        handler.port = controller.port
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="module")
def certificate_authority():
    return trustme.CA()


@pytest.fixture
def tls_options(certificate_authority, tmp_path):
    """aiosmtpd options for STARTTLS and login, and the CA file a client must trust."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_file = tmp_path / "council-ca.pem"
    certificate_authority.cert_pem.write_to_path(str(ca_file))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"reports" \
            and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    options = {"tls_context": context, "require_starttls": True, "auth_required": True,
               "authenticator": authenticator}
    return options, ca_file


def settings_for(port: int, **extra: str) -> dict[str, str]:
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_STARTTLS": "false",
           "REPORT_FROM": "Performance Team <performance@council.example>",
           "REPORT_TO": "director@council.example, head.of.service@council.example",
           "SMTP_RETRIES": "2", "SMTP_RETRY_DELAY": "0.01", "SMTP_TIMEOUT": "5"}
    env.update(extra)
    return env


def parse(content: bytes):
    return BytesParser(policy=policy.default).parsebytes(content)


def attachments_of(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}


def bodies_of(message) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def sent_record(reports: Path) -> dict:
    return json.loads((reports / "2019-12" / "sent.json").read_text(encoding="utf-8"))


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
    assert "Sent" in capsys.readouterr().out


def test_team_detail_is_never_attached_or_quoted(reports, smtp_server):
    server = smtp_server()

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 0

    content = server.received[0][2]
    message = parse(content)
    assert "team_detail.html" not in attachments_of(message)
    assert b"team_detail" not in content
    assert TEAM_DETAIL_MARKER.encode() not in content
    assert "team_detail.html" not in sent_record(reports)["sends"][0]["attachments"]


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
    env = settings_for(server.port, SMTP_STARTTLS="yes", SMTP_USER="reports", SMTP_PASSWORD=PASSWORD,
                       SMTP_CA_FILE=str(ca_file))

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
    env = settings_for(server.port, SMTP_STARTTLS="1", SMTP_USER="reports", SMTP_PASSWORD=wrong,
                       SMTP_CA_FILE=str(ca_file))

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
        "caseload.html", "manifest.json", "supervision.html", "tables", "team_detail.html"]


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
    monkeypatch.setattr("analysis.delivery_smtp.time.sleep", waits.append)

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
        ["director@council.example"], ["head.of.service@council.example"]]
    assert parse(server.received[0][2])["Message-ID"] == parse(server.received[1][2])["Message-ID"]
    assert sent_record(reports)["sends"][0]["recipients"] == [
        "director@council.example", "head.of.service@council.example"]


def test_a_recipient_refused_for_good_is_reported_and_recorded(reports, smtp_server, capsys):
    server = smtp_server(Recorder(rcpt_replies={"head.of.service@council.example": ["550 5.1.1 No such user"] * 5}))

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 1

    assert [rcpt for _, rcpt, _, _ in server.received] == [["director@council.example"]]
    entry = sent_record(reports)["sends"][0]
    assert entry["recipients"] == ["director@council.example"]
    assert entry["refused"]["head.of.service@council.example"].startswith("550")
    assert "not delivered to head.of.service@council.example" in capsys.readouterr().err


def test_every_recipient_refused_for_good_is_a_failure_with_no_record(reports, smtp_server, capsys):
    refuse = ["550 5.1.1 No such user"] * 5
    server = smtp_server(Recorder(rcpt_replies={"director@council.example": list(refuse),
                                                "head.of.service@council.example": list(refuse)}))

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 1

    err = capsys.readouterr().err
    assert "not sent after 1 attempt(s)" in err and "director@council.example (550" in err
    assert server.received == [] and not (reports / "2019-12" / "sent.json").exists()


# --- sending twice ----------------------------------------------------------------------------


def test_a_second_send_needs_resend_and_resend_appends(reports, smtp_server, capsys):
    server = smtp_server()
    env = settings_for(server.port)
    assert email_command(MONTH, reports, environ=env) == 0

    assert email_command(MONTH, reports, environ=env) == 1
    assert len(server.received) == 1

    assert email_command(MONTH, reports, resend=True, environ=env) == 0
    sends = sent_record(reports)["sends"]
    assert len(server.received) == 2 and len(sends) == 2
    assert [s["resend"] for s in sends] == [False, True]
    assert sends[0]["message_id"] != sends[1]["message_id"]


def test_the_refusal_to_send_twice_says_when_and_how(reports, smtp_server, capsys):
    server = smtp_server()
    env = settings_for(server.port)
    email_command(MONTH, reports, environ=env)
    capsys.readouterr()

    assert email_command(MONTH, reports, environ=env) == 1

    err = capsys.readouterr().err
    assert "already emailed" in err and "--resend" in err and "director@council.example" in err


def test_an_unfinished_send_blocks_until_resend(reports, smtp_server, capsys):
    server = smtp_server()
    (reports / "2019-12" / MARKER_FILE).write_text('{"started_at": "2026-11-23T09:00:00+00:00"}')

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 1
    assert "has not finished" in capsys.readouterr().err and server.received == []

    assert email_command(MONTH, reports, resend=True, environ=settings_for(server.port)) == 0
    assert len(server.received) == 1 and not (reports / "2019-12" / MARKER_FILE).exists()


def test_a_run_that_finishes_while_this_one_starts_is_not_sent_twice(reports, smtp_server, monkeypatch, capsys):
    server = smtp_server()
    real_begin = delivery.begin_send

    def another_run_finishes_first(folder, message_id):
        append_send(folder, "2019-12", {"message_id": "<other@council.example>", "recipients": ["x@council.example"]})
        return real_begin(folder, message_id)

    monkeypatch.setattr(delivery, "begin_send", another_run_finishes_first)

    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 1

    assert "already emailed" in capsys.readouterr().err
    assert server.received == [] and not (reports / "2019-12" / MARKER_FILE).exists()


# --- dry run ----------------------------------------------------------------------------------


def test_dry_run_writes_an_eml_that_parses_back_into_the_sent_message(reports, smtp_server):
    server = smtp_server()
    env = settings_for(server.port)

    assert email_command(MONTH, reports, dry_run=True, environ=env) == 0
    assert server.received == []
    email_command(MONTH, reports, environ=env)

    written = parse((reports / "2019-12" / "email.eml").read_bytes())
    sent = parse(server.received[0][2])
    for header in ("Subject", "From", "To"):
        assert written[header] == sent[header]
    assert bodies_of(written) == bodies_of(sent)
    assert attachments_of(written) == attachments_of(sent)
    assert written["Message-ID"] and written["Date"]


def test_dry_run_needs_no_settings_and_uses_placeholders(reports, capsys):
    assert email_command(MONTH, reports, dry_run=True, environ={}) == 0

    written = parse((reports / "2019-12" / "email.eml").read_bytes())
    assert written["Subject"] == SUBJECT
    assert written["To"] == "leadership@example.invalid"
    assert "placeholder" in capsys.readouterr().out
    assert not (reports / "2019-12" / "sent.json").exists()


def test_dry_run_never_writes_the_password(reports, capsys):
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_USER": "reports", "SMTP_PASSWORD": PASSWORD,
           "REPORT_FROM": "performance@council.example", "REPORT_TO": "director@council.example"}

    assert email_command(MONTH, reports, dry_run=True, environ=env) == 0

    output = capsys.readouterr()
    assert PASSWORD not in output.out + output.err
    assert PASSWORD.encode() not in (reports / "2019-12" / "email.eml").read_bytes()


def test_dry_run_eml_is_standard_crlf_with_short_lines(reports):
    email_command(MONTH, reports, dry_run=True, environ={})

    raw = (reports / "2019-12" / "email.eml").read_bytes()
    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 998


# --- refusals ---------------------------------------------------------------------------------


def _fail_the_manifest(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["status"] = "failed"
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _change_an_input(folder: Path) -> None:
    path = Path(json.loads((folder / "manifest.json").read_text())["inputs"]["staff"]["path"])
    path.write_text(path.read_text() + "2,new\n")


def _remove_an_input(folder: Path) -> None:
    Path(json.loads((folder / "manifest.json").read_text())["inputs"]["allocations"]["path"]).unlink()


@pytest.mark.parametrize(("damage", "says"), [
    (lambda folder: __import__("shutil").rmtree(folder), "does not exist"),
    (lambda folder: (folder / "manifest.json").unlink(), "manifest.json is missing"),
    (lambda folder: (folder / "manifest.json").write_text("{not json"), "not valid JSON"),
    (_fail_the_manifest, "did not complete"),
    (lambda folder: (folder / "caseload.html").unlink(), "caseload.html missing"),
    (lambda folder: (folder / "team_detail.html").unlink(), "team_detail.html missing"),
    (lambda folder: (folder / "tables" / "supervision_monthly.csv").unlink(), "supervision_monthly.csv missing"),
    (_change_an_input, "staff"),
    (_remove_an_input, "allocations"),
], ids=["no folder", "no manifest", "bad manifest", "failed", "no caseload.html", "no team_detail.html",
        "no table", "input changed", "input gone"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["send", "dry-run"])
def test_a_missing_failed_or_stale_report_is_refused(reports, smtp_server, capsys, damage, says, dry_run):
    server = smtp_server()
    damage(reports / "2019-12")

    assert email_command(MONTH, reports, dry_run=dry_run, environ=settings_for(server.port)) == 1

    err = capsys.readouterr().err
    assert says in err and "2019-12" in err
    assert server.received == []
    assert not (reports / "2019-12" / "email.eml").exists()


def test_a_changed_config_file_makes_the_report_stale(reports, tmp_path, capsys):
    config = tmp_path / "council.toml"
    config.write_text("target = 0.9\n")
    manifest_path = reports / "2019-12" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["config"] = {"path": str(config), "sha256": hashlib.sha256(config.read_bytes()).hexdigest()}
    manifest_path.write_text(json.dumps(manifest))
    assert email_command(MONTH, reports, dry_run=True, environ={}) == 0

    config.write_text("target = 0.85\n")

    assert email_command(MONTH, reports, dry_run=True, environ={}) == 1
    assert "config file" in capsys.readouterr().err


def test_a_month_whose_last_run_failed_points_at_its_run_log(reports, capsys):
    (reports / ".failed" / "2019-11").mkdir(parents=True)

    assert email_command(pd.Period("2019-11", freq="M"), reports, dry_run=True, environ={}) == 1
    assert ".failed/2019-11/run.log" in capsys.readouterr().err


def test_a_stale_report_says_it_is_older_than_its_inputs(reports, capsys):
    _change_an_input(reports / "2019-12")

    email_command(MONTH, reports, environ=settings_for(free_port()))

    assert "older than its inputs" in capsys.readouterr().err


def test_missing_settings_are_named_all_at_once(reports, capsys):
    assert email_command(MONTH, reports, environ={"SMTP_USER": "reports"}) == 2

    err = capsys.readouterr().err
    for name in ("SMTP_HOST", "REPORT_FROM", "REPORT_TO", "SMTP_PASSWORD"):
        assert name in err


# --- the headline figures, read from the tables -----------------------------------------------


def test_last_autumn_is_the_snapshot_a_year_before_the_latest(reports):
    folder = reports / "2019-12"
    (folder / "tables" / "caseload_snapshots.csv").write_text(
        "snapshot,group,staff,case_holders,cases,mean_caseload,cases_per_fte\n"
        "2017-09-30,headline,40,40,1200,30.00,30.0\n"
        "2018-09-30,headline,52,50,1190,23.80,24.1\n"
        "2019-06-30,headline,60,60,1100,18.33,18.5\n"
        "2019-09-30,headline,64,62,1002,16.16,16.5\n", encoding="utf-8")

    headline = read_headline(folder, MONTH, {})

    assert (headline.mean_caseload, headline.snapshot) == (16.16, pd.Timestamp("2019-09-30"))
    assert (headline.mean_caseload_last_year, headline.snapshot_last_year) == (23.8, pd.Timestamp("2018-09-30"))
    assert headline.compliance == Decimal("0.8235") and headline.target == 0.9


def test_a_month_with_no_one_due_reads_as_blank_compliance(reports):
    table = reports / "2019-12" / "tables" / "supervision_monthly.csv"
    table.write_text("month,category,in_scope,due,supervised,compliance,near_miss\n2019-12,all,3,0,0,,0\n")

    headline = read_headline(reports / "2019-12", MONTH, {})

    assert headline.compliance is None and headline.due == 0


def test_a_table_without_the_month_is_refused(reports, capsys):
    assert email_command(pd.Period("2019-12", freq="M"), reports, dry_run=True, environ={}) == 0
    table = reports / "2019-12" / "tables" / "supervision_monthly.csv"
    table.write_text("month,category,in_scope,due,supervised,compliance,near_miss\n2019-11,all,3,2,2,1.0,0\n")

    assert email_command(MONTH, reports, dry_run=True, environ={}) == 1
    assert "no 'all' row for 2019-12" in capsys.readouterr().err


# --- the command line -------------------------------------------------------------------------


def test_the_cli_reads_the_environment_and_dotenv(reports, smtp_server, monkeypatch, tmp_path):
    server = smtp_server()
    env_file = tmp_path / ".env"
    env_file.write_text(f"SMTP_HOST=127.0.0.1\nSMTP_PORT=1\nSMTP_STARTTLS=no\n"
                        f"REPORT_FROM=performance@council.example\nREPORT_TO=director@council.example\n")
    monkeypatch.setattr(delivery_settings, "ENV_FILE", env_file)
    monkeypatch.setenv("SMTP_PORT", str(server.port))  # the real environment wins over .env

    assert main(["email", "--month", "2019-12", "--reports", str(reports)]) == 0

    assert server.received[0][1] == ["director@council.example"]


# --- end to end with the real report pipeline -------------------------------------------------


@pytest.mark.slow
def test_the_real_report_is_emailed_with_its_own_figures(tmp_path, smtp_server):
    if not list(NOTEBOOKS_DIR.glob("*.ipynb")):
        pytest.skip("the report notebooks are not in the repository yet")
    out = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--month", "2019-12", "--out", str(out)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:  # the report's own tests own that failure; this test is about delivery
        pytest.skip(f"the report pipeline failed, so there is nothing to email: {done.stderr[-600:]}")
    server = smtp_server()

    assert email_command(MONTH, out, environ=settings_for(server.port)) == 0

    message = parse(server.received[0][2])
    headline = json.loads((out / "2019-12" / "manifest.json").read_text())["headline"]
    plain, _ = bodies_of(message)
    assert f"of the {headline['due']} social workers due" in plain
    assert f"{headline['mean_caseload']:.2f}".rstrip("0").rstrip(".") + " in Autumn" in plain
    assert sorted(attachments_of(message)) == ["caseload.html", "supervision.html"]
    assert attachments_of(message)["caseload.html"] == (out / "2019-12" / "caseload.html").read_bytes()
