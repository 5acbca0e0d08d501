"""Shared by the delivery tests: a fake report folder and a real SMTP server on loopback.

Report folders are faked in ``tmp_path`` exactly as docs/architecture.md describes, so the
delivery tests do not depend on the rendering pipeline. The SMTP server is aiosmtpd on 127.0.0.1
and a free port; STARTTLS uses a certificate authority made by trustme.
"""

from __future__ import annotations

import hashlib
import json
import socket
import ssl
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pandas as pd
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from analysis.delivery import settings as delivery_settings
from analysis.paths import DEFAULT_CONFIG

MONTH = pd.Period("2019-12", freq="M")
PASSWORD = "s3cret-Pa55word!"
SUBJECT = "Supervision and caseload report: December 2019"
SUPERVISION_SENTENCE = "82.4% of the 85 social workers due a formal supervision in December 2019 had one (target 90%)"
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
    (folder / "team_detail").mkdir()
    for name, body in (
        ("supervision", "Supervision compliance – December 2019"),
        ("caseload", "Caseload – Autumn 2019"),
        ("team_detail/index", TEAM_DETAIL_MARKER),
    ):
        (folder / f"{name}.html").write_text(
            f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><body><h1>{body}</h1></body></html>\n',
            encoding="utf-8",
        )
    months = [str(p) for p in pd.period_range("2019-09", month, freq="M")]
    rows = ["month,category,in_scope,due,supervised,compliance,near_miss"]
    for m in months:
        rows += [
            f"{m},all,90,85,70,0.8235,3",
            f"{m},qualified,60,58,50,0.8621,1",
            f"{m},nqsw,8,8,8,1.0000,0",
            f"{m},agency,22,19,12,0.6316,2",
        ]
    (folder / "tables" / "supervision_monthly.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "tables" / "caseload_snapshots.csv").write_text(
        "snapshot,group,staff,case_holders,cases,mean_caseload,cases_per_fte\n"
        "2018-09-30,headline,52,50,1190,23.80,24.1\n"
        "2018-09-30,social_worker,40,39,950,24.36,24.9\n"
        "2019-09-30,headline,64,62,1002,16.16,16.5\n"
        "2019-09-30,social_worker,50,49,800,16.33,16.8\n",
        encoding="utf-8",
    )
    (folder / "tables" / "regular_supervision.csv").write_text(
        "month,scope,group,due_three,supervised_three,regular\n"
        f"{month},category,all,60,45,0.7500\n"
        f"{month},category,qualified,40,33,0.8250\n"
        f"{month},team,North,12,12,1.0000\n",
        encoding="utf-8",
    )
    manifest = {
        "month": month,
        "window_start": months[0],
        "status": status,
        "generated_at": "2026-11-23T10:00:00+00:00",
        "parameters": {
            "month": month,
            "window_start": months[0],
            "data_dir": str(data),
            "config_path": None,
            "out_dir": str(root / "reports"),
        },
        "inputs": inputs,
        "config": {"path": None, "sha256": hashlib.sha256(DEFAULT_CONFIG.read_bytes()).hexdigest()},
        "package_version": "0.1.0",
        "git_commit": "abc123",
        "timings": {"total_seconds": 3.2},
        "outputs": ["supervision.html", "caseload.html", "team_detail/index.html", "tables/supervision_monthly.csv"],
        "headline": {
            "compliance": 0.8235,
            "target": 0.9,
            "due": 85,
            "supervised": 70,
            "mean_caseload": 16.16,
            "mean_caseload_last_year": 23.8,
            "snapshot": "2019-09-30",
            "snapshot_last_year": "2018-09-30",
        },
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
    for name in (
        "SMTP_HOST",
        "SMTP_PORT",
        "SMTP_USER",
        "SMTP_PASSWORD",
        "SMTP_STARTTLS",
        "SMTP_CA_FILE",
        "SMTP_RETRIES",
        "SMTP_RETRY_DELAY",
        "SMTP_TIMEOUT",
        "REPORT_FROM",
        "REPORT_TO",
    ):
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
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content, session.authenticated))
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
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == b"reports"
            and auth_data.password == PASSWORD.encode()
        )
        return AuthResult(success=ok, handled=False)

    options = {"tls_context": context, "require_starttls": True, "auth_required": True, "authenticator": authenticator}
    return options, ca_file


def settings_for(port: int, **extra: str) -> dict[str, str]:
    env = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "false",
        "REPORT_FROM": "Performance Team <performance@council.example>",
        "REPORT_TO": "director@council.example, head.of.service@council.example",
        "SMTP_RETRIES": "2",
        "SMTP_RETRY_DELAY": "0.01",
        "SMTP_TIMEOUT": "5",
    }
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
