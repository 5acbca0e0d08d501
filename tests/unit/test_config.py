"""The settings: defaults, overrides that change only what they set, every mistake refused by name."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.config import REASONS, ConfigError, Settings, load_config
from analysis.paths import DEFAULT_CONFIG


def override(tmp_path, text):
    path = tmp_path / "override.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def refusal(tmp_path, text) -> str:
    with pytest.raises(ConfigError) as caught:
        override(tmp_path, text)
    return str(caught.value)


def test_defaults_are_the_designs(config):
    assert (config.nqsw_months, config.absence_threshold_days, config.target, config.grace_days) == (12, 10, 0.90, 7)
    assert config.nqsw_max_caseload == [10, 16] and config.max_caseload == 25
    assert config.snapshot_month_day == (9, 30)
    assert (config.calendar.country, config.calendar.subdivision) == ("GB", "WLS")
    assert config.columns["ssd_involvements"]["invo_professional_id"] == "staff_id"
    assert config.supervision_roles == [
        "social_worker",
        "senior_social_worker",
        "principal_social_worker",
        "team_manager",
    ]
    assert config.unmatched_share == 0.05
    assert config.report.window_months == 3


def test_an_override_changes_only_the_keys_it_sets(tmp_path, config):
    changed = override(tmp_path, 'target = 0.8\n[values.role]\n"Advanced Practitioner" = "senior_social_worker"\n')
    assert changed.target == 0.8
    assert changed.values["role"]["advanced practitioner"] == "senior_social_worker"
    assert changed.values["role"]["team manager"] == "team_manager"  # the shipped map stays
    mine, theirs = changed.model_dump(), config.model_dump()
    assert {k: v for k, v in mine.items() if k not in ("target", "values")} == {
        k: v for k, v in theirs.items() if k not in ("target", "values")
    }
    assert {k: v for k, v in mine["values"].items() if k != "role"} == {
        k: v for k, v in theirs["values"].items() if k != "role"
    }


def test_a_definition_key_inside_a_section_is_hoisted(tmp_path):
    changed = override(tmp_path, "[supervision]\ntarget = 0.95\ngrace_days = 5\n")
    assert (changed.target, changed.grace_days) == (0.95, 5)


def test_map_keys_are_lower_cased_and_trimmed(tmp_path):
    changed = override(tmp_path, '[columns.staff]\n" Payroll No " = "staff_id"\n')
    assert changed.columns["staff"]["payroll no"] == "staff_id"


def test_bad_toml_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        override(tmp_path, "target = \n")


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_a_folder_given_as_the_config_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


# --- the cases: each refused, naming the key and what was expected ---------------------


@pytest.mark.parametrize(
    "text, named, expected",
    [
        (
            '[columns.staff]\n"SWE Qualified" = "qualifed_date"',
            "'SWE Qualified' = 'qualifed_date'",
            "did you mean 'qualified_date'?",
        ),
        ('complex_case_types = "child_protection"', "complex_case_types = 'child_protection'", "expected a list"),
        ('headline_roles = ["wizard"]', "headline_roles[0] = 'wizard'", "'social_worker'"),
        ('counting_supervision_types = ["Formal 1:1"]', "counting_supervision_types[0] = 'Formal 1:1'", "'formal'"),
        ('caseload_snapshot = "02-30"', "caseload_snapshot = '02-30'", "a real month and day as MM-DD"),
        ("nqsw_max_caseload = [-1, -5]", "nqsw_max_caseload[0] = -1", "greater than or equal to 0"),
        ('supervision_roles = "social_worker"', "supervision_roles = 'social_worker'", "expected a list"),
        ("grace_days = 1000000000000", "grace_days = 1000000000000", "less than or equal to 31"),
        ('[calendar]\ncountry = "XX"', "calendar", "country 'XX' is not a country the holidays package knows"),
        ('[calendar]\nsubdivision = "XYZ"', "calendar", "subdivision 'XYZ' is not one of GB's"),
        ("tagret = 0.9", "tagret is not a setting", "did you mean 'target'?"),
        ("[supervision]\ngrce_days = 3", "[supervision] grce_days is not a setting", "did you mean 'grace_days'?"),
        ("[report]\nwindow_month = 3", "report.window_month is not a setting", "did you mean 'window_months'?"),
        ('[values.rol]\n"x" = "social_worker"', "[values.rol] is not a coded column", "did you mean 'role'?"),
        (
            '[values.role]\n"snr" = "senior social worker"',
            "'snr' = 'senior social worker'",
            "did you mean 'senior_social_worker'?",
        ),
        ('[columns.stafff]\n"x" = "staff_id"', "[columns.stafff] is not a table", "did you mean 'staff'?"),
        ("target = 90", "target = 90", "less than or equal to 1"),
        ("target = 1.5", "target = 1.5", "less than or equal to 1"),
        ("grace_days = -1", "grace_days = -1", "greater than or equal to 0"),
        ("nqsw_months = '12'", "nqsw_months = '12'", "expected a whole number"),
        ("nqsw_max_caseload = [10]", "nqsw_max_caseload = [10]", "at least 2 items"),
        ("caseload_snapshot = '30-09'", "caseload_snapshot = '30-09'", "a real month and day"),
        ('exclusion_reasons = ["sickness"]', "exclusion_reasons = ['sickness']", "expected each of not_in_post"),
        ("nqsw_band_months = 12", "nqsw_band_months (12) must be less than nqsw_months (12)", ""),
        ("absence_threshold_days = true", "absence_threshold_days = True", "expected a whole number"),
        ("unmatched_share = 5", "unmatched_share = 5", "less than or equal to 1"),
    ],
)
def test_each_mistake_is_refused_by_name(tmp_path, text, named, expected):
    message = refusal(tmp_path, text + "\n")
    assert str(tmp_path / "override.toml") in message
    assert named in message and expected in message


def test_every_problem_is_reported_at_once(tmp_path):
    message = refusal(tmp_path, 'tagret = 1\ngrace_days = -1\nheadline_roles = ["wizard"]\n')
    assert message.startswith("3 problems in the settings")
    assert "tagret" in message and "grace_days" in message and "wizard" in message


def test_a_bad_config_through_the_cli_exits_2_with_every_problem(tmp_path, good_dir, capsys):
    from analysis.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text('[columns.staff]\n"SWE Qualified" = "qualifed_date"\ngrace_days = "7"\n', encoding="utf-8")
    for argv in (
        ["validate", "--data", str(good_dir)],
        ["tables", "--data", str(good_dir), "--month", "2019-12", "--out", str(tmp_path / "t")],
        ["report", "--data", str(good_dir), "--month", "2019-12", "--out", str(tmp_path / "r")],
    ):
        assert main([*argv, "--config", str(bad)]) == 2
        err = capsys.readouterr().err
        assert "qualifed_date" in err and "grace_days" in err and "Traceback" not in err
    assert not (tmp_path / "t").exists() and not (tmp_path / "r").exists()


# --- properties -------------------------------------------------------------------------------

DEFAULTS = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
SCALARS = [k for k, v in DEFAULTS.items() if not isinstance(v, dict)]

valid_changes = st.fixed_dictionaries(
    {},
    optional={
        "target": st.floats(0.01, 1.0),
        "grace_days": st.integers(0, 31),
        "absence_threshold_days": st.integers(1, 23),
        "nqsw_months": st.integers(7, 60),
        "nqsw_band_months": st.integers(1, 6),
        "max_caseload": st.integers(1, 1000),
        "nqsw_max_caseload": st.lists(st.integers(0, 1000), min_size=2, max_size=2),
        "supervision_roles": st.lists(
            st.sampled_from(["social_worker", "senior_social_worker", "principal_social_worker", "team_manager"]),
            min_size=1,
            max_size=4,
            unique=True,
        ),
        "exclusion_reasons": st.permutations(list(REASONS)),
        "complex_case_types": st.lists(st.text("abcdefgh_", min_size=1, max_size=12), max_size=3),
        "caseload_snapshot": st.sampled_from(["01-31", "02-29", "03-31", "09-30", "12-31"]),
    },
)


def _toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value + '"'
    return repr(value)


@settings(max_examples=60, deadline=None)
@given(valid_changes)
def test_any_valid_config_round_trips(tmp_path_factory, changes):
    path = tmp_path_factory.mktemp("c") / "c.toml"
    path.write_text("".join(f"{k} = {_toml_value(v)}\n" for k, v in changes.items()), encoding="utf-8")
    loaded = load_config(path)
    for key, value in changes.items():
        assert getattr(loaded, key) == value
    assert Settings.model_validate(loaded.model_dump()) == loaded


def _wrong_type(value):
    """Values of every TOML type but ``value``'s own (an int is a fine float)."""
    candidates = ['"text"', "[1, 2]", "true", "3", "2.5", "{ a = 1 }"]
    own = {bool: "true", int: "3", float: "2.5", str: '"text"', list: "[1, 2]"}[type(value)]
    drop = {own, "3"} if isinstance(value, float) else {own}
    return [c for c in candidates if c not in drop]


@pytest.mark.parametrize("key", SCALARS)
def test_any_change_of_a_keys_type_is_refused_with_its_name(tmp_path, key):
    for wrong in _wrong_type(DEFAULTS[key]):
        if key == "complex_case_types" and wrong == "[1, 2]":
            continue  # a list of numbers: refused below as items of the wrong type
        message = refusal(tmp_path, f"{key} = {wrong}\n")
        assert key in message, (key, wrong, message)


def test_a_planned_absence_type_that_is_not_one_is_refused_naming_the_key_and_the_types(config):
    from analysis.config_file import ConfigError

    with pytest.raises(ConfigError) as caught:
        config.with_changes(planned_absence_types=["holiday"], forecast_draws=10)
    message = str(caught.value)
    assert "planned_absence_types" in message and "annual_leave" in message and "'holiday'" in message
    assert "forecast_draws" in message and "200" in message
