"""Team pages' file names: readable, unique, and a team's for good across runs."""

from __future__ import annotations

import json

import pytest

from analysis.exports.team_names import REGISTRY_FILE, RegistryError, remember_team_pages
from analysis.presentation.team_links import team_slugs


def test_names_are_readable_and_unique():
    assert team_slugs(["Child Protection North", "Tîm Gogledd", "Index", "!!!", "A/B", "A B"]) == {
        "!!!": "team",
        "A B": "a-b",
        "A/B": "a-b-2",
        "Child Protection North": "child-protection-north",
        "Index": "index-2",
        "Tîm Gogledd": "tim-gogledd",
    }


def test_a_new_team_never_takes_an_existing_teams_name(tmp_path):
    first = remember_team_pages(tmp_path, ["Child-Protection North", "Assessment"])
    assert first == {"assessment": "assessment", "child-protection north": "child-protection-north"}
    # Next run: a team whose name makes the same file name sorts before the existing one.
    second = remember_team_pages(tmp_path, ["Child Protection North", "Child-Protection North", "Assessment"])
    pages = team_slugs(["Child Protection North", "Child-Protection North", "Assessment"], second)
    assert pages["Child-Protection North"] == "child-protection-north"
    assert pages["Child Protection North"] == "child-protection-north-2"


def test_a_name_stays_given_after_its_team_has_gone_and_follows_its_spelling(tmp_path):
    remember_team_pages(tmp_path, ["Assessment"])
    kept = remember_team_pages(tmp_path, ["assessment  ", "Leaving Care"])
    assert team_slugs(["ASSESSMENT"], kept) == {"ASSESSMENT": "assessment"}
    kept = remember_team_pages(tmp_path, ["Leaving Care", "Assessment!"])
    assert team_slugs(["Assessment!"], kept) == {"Assessment!": "assessment-2"}
    assert json.loads((tmp_path / REGISTRY_FILE).read_text(encoding="utf-8"))["teams"]["assessment"] == "assessment"


def test_unreadable_kept_names_are_refused_not_overwritten(tmp_path):
    (tmp_path / REGISTRY_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(RegistryError, match="cannot be read"):
        remember_team_pages(tmp_path, ["Assessment"])
    assert (tmp_path / REGISTRY_FILE).read_text(encoding="utf-8") == "{not json"
