"""Email settings from the environment and ``.env``, and the body's sentences."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.delivery.addresses import load_addresses
from analysis.delivery.message import headline_sentences, subject_for
from analysis.delivery.settings import SettingsError, load_smtp_settings, merged_environment, read_env_file
from analysis.presentation.headline import Headline

PASSWORD = "hunter2-Correct-Horse"
BASE = {
    "SMTP_HOST": "smtp.council.example",
    "REPORT_FROM": "performance@council.example",
    "REPORT_TO": "director@council.example",
}


def test_defaults_are_submission_port_with_starttls_and_no_login():
    settings = load_smtp_settings(BASE)
    assert (settings.port, settings.starttls, settings.login) == (587, True, False)
    assert settings.recipients == ("director@council.example",)


@pytest.mark.parametrize(
    ("port", "flag", "expected"),
    [
        ("587", None, True),
        ("25", None, False),
        ("2525", "yes", True),
        ("587", "no", False),
        ("25", "TRUE", True),
        ("587", "0", False),
        ("1025", "1", True),
        ("587", "False", False),
    ],
)
def test_starttls_is_on_for_587_unless_told(port, flag, expected):
    env = {**BASE, "SMTP_PORT": port} | ({"SMTP_STARTTLS": flag} if flag else {})
    assert load_smtp_settings(env).starttls is expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SMTP_STARTTLS", "maybe"),
        ("SMTP_PORT", "smtp"),
        ("SMTP_PORT", "70000"),
        ("SMTP_RETRIES", "-1"),
        ("SMTP_RETRY_DELAY", "soon"),
        ("REPORT_TO", "director at council"),
        ("REPORT_FROM", "a@b.example, c@d.example"),
        ("SMTP_CA_FILE", "/no/such/ca.pem"),
    ],
)
def test_a_malformed_setting_is_named(name, value):
    with pytest.raises(SettingsError, match=name):
        load_smtp_settings({**BASE, name: value})


def test_missing_settings_are_all_named():
    with pytest.raises(SettingsError) as caught:
        load_smtp_settings({"SMTP_PASSWORD": PASSWORD})
    for name in ("SMTP_HOST", "REPORT_FROM", "REPORT_TO", "SMTP_USER"):
        assert name in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_several_recipients_with_names_are_kept_in_order_without_duplicates():
    env = {**BASE, "REPORT_TO": "Director <director@council.example>, hos@council.example,,hos@council.example"}
    assert load_smtp_settings(env).recipients == ("Director <director@council.example>", "hos@council.example")


def test_the_password_is_not_in_the_settings_repr():
    settings = load_smtp_settings({**BASE, "SMTP_USER": "reports", "SMTP_PASSWORD": PASSWORD})
    assert settings.password == PASSWORD
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)


def test_a_password_smtplib_cannot_send_is_refused_without_showing_it():
    password = "£" + PASSWORD
    with pytest.raises(SettingsError, match="SMTP_PASSWORD holds a character outside ASCII") as caught:
        load_smtp_settings({**BASE, "SMTP_USER": "reports", "SMTP_PASSWORD": password})
    assert password not in str(caught.value) and password not in repr(caught.value)


def test_login_without_tls_is_refused_except_on_loopback():
    env = {**BASE, "SMTP_USER": "reports", "SMTP_PASSWORD": PASSWORD, "SMTP_STARTTLS": "false"}
    with pytest.raises(SettingsError, match="unencrypted"):
        load_smtp_settings(env)
    assert load_smtp_settings({**env, "SMTP_HOST": "127.0.0.1"}).login


@pytest.mark.parametrize(
    "address",
    ["Performance Team <performance@localhost>", "reports@council-mail", "Tîm Perfformiad <perf@council.example>"],
)
def test_an_address_on_an_internal_relay_needs_no_dot_in_its_domain(address):
    assert load_smtp_settings({**BASE, "REPORT_FROM": address}).sender == address


@pytest.mark.parametrize("address", ["performance", "performance@", "@localhost", "a@b..example", "a@@b.example"])
def test_an_address_without_a_local_part_and_a_domain_is_refused(address):
    with pytest.raises(SettingsError, match="REPORT_FROM: .* is not an email address: expected name@domain"):
        load_smtp_settings({**BASE, "REPORT_FROM": address})


def test_dry_run_addresses_fall_back_to_placeholders():
    addresses = load_addresses({"REPORT_TO": "director@council.example"}, placeholders=True)
    assert addresses.sender == "reports@example.invalid"
    assert addresses.recipients == ("director@council.example",)
    assert addresses.placeholders == ("REPORT_FROM",)


def test_env_file_is_read_and_the_real_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# email settings\n"
        "export SMTP_HOST=smtp.council.example\n"
        "SMTP_PASSWORD='p#ss word'\n"
        'REPORT_TO="a@council.example, b@council.example"\n'
        "SMTP_PORT=25  # the relay\n"
        "\n"
        "REPORT_FROM=file@council.example\n",
        encoding="utf-8",
    )
    merged = merged_environment({"REPORT_FROM": "real@council.example", "SMTP_USER": ""}, env_file)
    assert merged["SMTP_HOST"] == "smtp.council.example"
    assert merged["SMTP_PASSWORD"] == "p#ss word"
    assert merged["REPORT_TO"] == "a@council.example, b@council.example"
    assert merged["SMTP_PORT"] == "25"
    assert merged["REPORT_FROM"] == "real@council.example"
    assert "SMTP_USER" not in merged  # blank counts as unset


def test_a_bad_env_line_is_named_by_number_not_content(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"SMTP_HOST=x\n{PASSWORD}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="line 2") as caught:
        read_env_file(env_file)
    assert PASSWORD not in str(caught.value)


def test_a_missing_env_file_is_no_settings(tmp_path):
    assert read_env_file(tmp_path / "absent.env") == {}


def _headline(**changes) -> Headline:
    values = dict(
        month=pd.Period("2019-12", freq="M"),
        compliance=0.8235,
        due=85,
        supervised=70,
        previous_compliance=None,
        target=0.9,
        mean_caseload=16.16,
        snapshot=pd.Timestamp("2019-09-30"),
        mean_caseload_last_year=23.8,
        snapshot_last_year=pd.Timestamp("2018-09-30"),
    )
    return Headline(**{**values, **changes})


def test_the_sentences_quote_the_tables():
    supervision, caseload = headline_sentences(_headline())
    assert supervision == (
        "82.4% of the 85 social workers due a formal supervision in December 2019 had one (target 90%)."
    )
    assert "16.16 in Autumn 2019" in caseload and "23.8 in Autumn 2018" in caseload


def test_the_sentences_cope_with_no_one_due_and_no_last_year():
    supervision, caseload = headline_sentences(
        _headline(compliance=None, due=0, mean_caseload_last_year=None, snapshot_last_year=None)
    )
    assert supervision.startswith("No social workers were due")
    assert caseload.endswith("16.16 in Autumn 2019.")


def test_the_subject_names_the_month():
    assert subject_for(pd.Period("2020-01", freq="M")) == "Supervision and caseload report: January 2020"


@pytest.mark.parametrize(
    "name, value, says",
    [
        ("SMTP_SECURITY", "tsl", "SMTP_SECURITY: 'tsl' is not one of starttls, tls, none"),
        ("SMTP_AUTH", "oauth", "SMTP_AUTH: 'oauth' is not one of password, xoauth2"),
    ],
)
def test_a_misspelt_security_or_login_is_refused_by_name(name, value, says):
    with pytest.raises(SettingsError, match=re.escape(says)):
        load_smtp_settings({**BASE, name: value})


def test_xoauth2_names_every_missing_oauth_setting():
    with pytest.raises(SettingsError) as caught:
        load_smtp_settings({**BASE, "SMTP_AUTH": "xoauth2"})
    for name in (
        "SMTP_USER (the mailbox to send as)",
        "SMTP_OAUTH_TENANT",
        "SMTP_OAUTH_CLIENT_ID",
        "SMTP_OAUTH_CLIENT_SECRET (or SMTP_OAUTH_CERT_FILE and SMTP_OAUTH_CERT_THUMBPRINT)",
    ):
        assert name in str(caught.value)


@pytest.mark.parametrize("port, security", [("587", "starttls"), ("465", "tls"), ("25", "none")])
def test_the_port_decides_the_security_unless_it_is_set(port, security):
    env = {**BASE, "SMTP_PORT": port}
    env.pop("SMTP_STARTTLS", None)
    assert load_smtp_settings(env).security == security


def test_a_login_without_encryption_to_another_host_is_refused():
    with pytest.raises(SettingsError, match="credentials would cross the network unencrypted"):
        load_smtp_settings(
            {
                **BASE,
                "SMTP_HOST": "smtp.council.example",
                "SMTP_SECURITY": "none",
                "SMTP_USER": "u",
                "SMTP_PASSWORD": "p",
            }
        )
