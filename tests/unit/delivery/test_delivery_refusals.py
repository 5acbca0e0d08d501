"""The ``email`` command's refusals (missing, failed, stale reports; sending twice), the dry
run, and the headline figures read from the tables.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from pathlib import Path

import pandas as pd
import pytest

from analysis.delivery import command as delivery
from analysis.delivery.command import email_command
from analysis.delivery.pack import read_headline
from analysis.delivery.record import MARKER_FILE, append_send

from delivery_fixtures import (  # noqa: F401 (fixtures are used by name)
    MONTH,
    PASSWORD,
    SUBJECT,
    attachments_of,
    bodies_of,
    free_port,
    no_real_settings,
    parse,
    reports,
    sent_record,
    settings_for,
    smtp_server,
)

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


def test_a_report_made_again_with_other_figures_needs_resend_even_for_the_rest(reports, smtp_server, capsys):
    server = smtp_server()
    env = settings_for(server.port)
    assert email_command(MONTH, reports, environ=env) == 0
    monthly = reports / str(MONTH) / "tables" / "supervision_monthly.csv"
    monthly.write_text(monthly.read_text(encoding="utf-8").replace("0.8235", "0.8236"), encoding="utf-8")
    capsys.readouterr()

    more = settings_for(
        server.port, REPORT_TO="director@council.example, head.of.service@council.example, newcomer@council.example"
    )
    assert email_command(MONTH, reports, environ=more) == 1
    err = capsys.readouterr().err
    assert "made again since it was emailed" in err and "figures changed" in err and "--resend" in err
    assert len(server.received) == 1

    assert email_command(MONTH, reports, resend=True, environ=more) == 0
    assert len(server.received) == 2


def test_the_same_figures_made_again_send_only_to_those_without_them(reports, smtp_server, capsys):
    server = smtp_server()
    assert email_command(MONTH, reports, environ=settings_for(server.port)) == 0
    (reports / str(MONTH) / "supervision.html").write_text("<p>rendered again</p>", encoding="utf-8")
    more = settings_for(
        server.port, REPORT_TO="director@council.example, head.of.service@council.example, newcomer@council.example"
    )
    assert email_command(MONTH, reports, environ=more) == 0
    assert server.received[-1][1] == ["newcomer@council.example"]


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
        append_send(
            folder,
            "2019-12",
            {
                "message_id": "<other@council.example>",
                "recipients": ["director@council.example", "head.of.service@council.example"],
            },
        )
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
    env = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_USER": "reports",
        "SMTP_PASSWORD": PASSWORD,
        "REPORT_FROM": "performance@council.example",
        "REPORT_TO": "director@council.example",
    }

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


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda folder: __import__("shutil").rmtree(folder), "does not exist"),
        (lambda folder: (folder / "manifest.json").unlink(), "manifest.json is missing"),
        (lambda folder: (folder / "manifest.json").write_text("{not json"), "not valid JSON"),
        (_fail_the_manifest, "did not complete"),
        (lambda folder: (folder / "caseload.html").unlink(), "caseload.html missing"),
        (lambda folder: (folder / "team_detail" / "index.html").unlink(), "team_detail/index.html missing"),
        (lambda folder: (folder / "tables" / "supervision_monthly.csv").unlink(), "supervision_monthly.csv missing"),
        (_change_an_input, "staff"),
        (_remove_an_input, "allocations"),
    ],
    ids=[
        "no folder",
        "no manifest",
        "bad manifest",
        "failed",
        "no caseload.html",
        "no team detail index",
        "no table",
        "input changed",
        "input gone",
    ],
)
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
        "2019-09-30,headline,64,62,1002,16.16,16.5\n",
        encoding="utf-8",
    )

    headline = read_headline(folder, MONTH, {"headline": {"target": 0.9}})

    assert (headline.mean_caseload, headline.snapshot) == (16.16, pd.Timestamp("2019-09-30"))
    assert (headline.mean_caseload_last_year, headline.snapshot_last_year) == (23.8, pd.Timestamp("2018-09-30"))
    assert headline.compliance == 0.8235 and headline.target == 0.9


def test_a_month_with_no_one_due_reads_as_blank_compliance(reports):
    table = reports / "2019-12" / "tables" / "supervision_monthly.csv"
    table.write_text("month,category,in_scope,due,supervised,compliance,near_miss\n2019-12,all,3,0,0,,0\n")

    headline = read_headline(reports / "2019-12", MONTH, {"headline": {"target": 0.9}})

    assert headline.compliance is None and headline.due == 0


def test_a_table_without_the_month_is_refused(reports, capsys):
    assert email_command(pd.Period("2019-12", freq="M"), reports, dry_run=True, environ={}) == 0
    table = reports / "2019-12" / "tables" / "supervision_monthly.csv"
    table.write_text("month,category,in_scope,due,supervised,compliance,near_miss\n2019-11,all,3,2,2,1.0,0\n")

    assert email_command(MONTH, reports, dry_run=True, environ={}) == 1
    assert "no 'all' row for 2019-12" in capsys.readouterr().err


# --- refusals give the exact command that makes the month again -------------------------------


def test_a_stale_report_gives_the_command_with_its_own_data_and_config(reports, tmp_path, capsys):
    config = tmp_path / "our council.toml"
    config.write_text("target = 0.9\n")
    path = reports / "2019-12" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["config"] = {"path": str(config), "sha256": hashlib.sha256(config.read_bytes()).hexdigest()}
    manifest["parameters"]["config_path"] = str(config)
    path.write_text(json.dumps(manifest))
    _change_an_input(reports / "2019-12")

    assert email_command(MONTH, reports, dry_run=True, environ={}) == 1

    data = manifest["parameters"]["data_dir"]
    err = " ".join(capsys.readouterr().err.split())
    assert (
        f"Make it with `make report MONTH=2019-12 FROM={manifest['window_start']} DATA={shlex.quote(data)} "
        f"CONFIG={shlex.quote(str(config))} OUT={shlex.quote(str(reports.resolve()))}`."
    ) in err


def test_no_report_gives_the_data_of_another_month_or_placeholders_never_the_sample(reports, capsys):
    assert email_command(pd.Period("2020-01", freq="M"), reports, dry_run=True, environ={}) == 1
    err = " ".join(capsys.readouterr().err.split())
    data = json.loads((reports / "2019-12" / "manifest.json").read_text())["parameters"]["data_dir"]
    assert f"make report MONTH=2020-01 DATA={shlex.quote(data)}" in err
    assert "(the data folder and config of the 2019-12 report)" in err

    empty = reports.parent / "empty"
    empty.mkdir()
    assert email_command(pd.Period("2020-01", freq="M"), empty, dry_run=True, environ={}) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "DATA=<the folder of your extracts> CONFIG=<your config file, if you use one>" in err
    assert "data/sample" not in err


def test_a_manifest_without_the_target_is_refused_never_assumed(reports, capsys):
    manifest = reports / str(MONTH) / "manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    del record["headline"]["target"]
    manifest.write_text(json.dumps(record), encoding="utf-8")
    assert email_command(MONTH, reports, dry_run=True) == 1
    assert "does not record the target" in capsys.readouterr().err
