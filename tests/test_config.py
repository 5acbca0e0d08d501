"""The configuration: defaults, overrides that change only what they set, clear errors."""

from __future__ import annotations

import pytest

from analysis.config import ConfigError, load_config, snapshot_month_day


def override(tmp_path, text):
    path = tmp_path / "override.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_defaults_are_the_designs(config):
    assert (config["nqsw_months"], config["absence_threshold_days"], config["target"], config["grace_days"]) == (
        12, 10, 0.90, 7)
    assert config["nqsw_max_caseload"] == [10, 16] and config["max_caseload"] == 25
    assert snapshot_month_day(config) == (9, 30)
    assert config["calendar"] == {"country": "GB", "subdivision": "WLS"}
    assert config["columns"]["ssd_involvements"]["invo_professional_id"] == "staff_id"


def test_an_override_changes_only_the_keys_it_sets(tmp_path, config):
    changed = override(tmp_path, "target = 0.8\n[values.role]\n\"Advanced Practitioner\" = \"senior_social_worker\"\n")
    assert changed["target"] == 0.8
    assert changed["values"]["role"]["advanced practitioner"] == "senior_social_worker"
    assert changed["values"]["role"]["team manager"] == "team_manager"  # the shipped map stays
    unchanged = {k: v for k, v in changed.items() if k not in ("target", "values")}
    assert unchanged == {k: v for k, v in config.items() if k not in ("target", "values")}
    assert {k: v for k, v in changed["values"].items() if k != "role"} == {
        k: v for k, v in config["values"].items() if k != "role"}


def test_a_definition_key_inside_a_section_is_hoisted(tmp_path):
    changed = override(tmp_path, "[supervision]\ntarget = 0.95\ngrace_days = 5\n")
    assert (changed["target"], changed["grace_days"]) == (0.95, 5)
    assert "supervision" not in changed


def test_unknown_keys_are_ignored_with_a_warning(tmp_path, capsys):
    changed = override(tmp_path, "colour = 'blue'\n[supervision]\nshade = 3\n")
    assert "colour" not in changed and "supervision" not in changed
    assert "colour" in capsys.readouterr().err


def test_map_keys_are_lower_cased_and_trimmed(tmp_path):
    changed = override(tmp_path, '[columns.staff]\n" Payroll No " = "staff_id"\n')
    assert changed["columns"]["staff"]["payroll no"] == "staff_id"


def test_bad_toml_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        override(tmp_path, "target = \n")


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize("text, key", [
    ("target = 1.5", "target"),
    ("grace_days = -1", "grace_days"),
    ("nqsw_months = '12'", "nqsw_months"),
    ("nqsw_max_caseload = [10]", "nqsw_max_caseload"),
    ("caseload_snapshot = '30-09'", "caseload_snapshot"),
])
def test_wrong_types_are_config_errors(tmp_path, text, key):
    with pytest.raises(ConfigError, match=key):
        override(tmp_path, text + "\n")


def test_bad_config_through_the_cli_exits_2(tmp_path, good_dir, capsys):
    from analysis.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text("target = [", encoding="utf-8")
    assert main(["validate", "--data", str(good_dir), "--config", str(bad)]) == 2
    assert "not valid TOML" in capsys.readouterr().err
