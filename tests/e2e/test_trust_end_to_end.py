"""The whole report under settings other than the defaults, with hostile text in the data.

Every sentence that states a threshold reads it from the settings; team names that look like
mathtext or spreadsheet formulas are drawn and written as text; the headline quoted by the
report, the manifest and the email is one and the same.
"""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.cli import main
from analysis.delivery.pack import read_headline
from analysis.paths import SAMPLE_DATA

MATH_TEAM = r"Team $\\x^$ North"
FORMULA_TEAM = '=HYPERLINK("http://example.invalid","Assessment")'
SETTINGS = """\
[supervision]
grace_days = 3
absence_threshold_days = 5
target = 0.85
nqsw_band_months = 4

[report]
authority = "Trust Test <Borough> Council"
"""


def visible_text(page: str) -> str:
    text = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def _team_detail(report) -> str:
    """The team detail: its index and every team's page, as one text."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((report / "team_detail").glob("*.html")))


@pytest.fixture(scope="module")
def other_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("trust")
    data = root / "data folder with spaces"
    shutil.copytree(SAMPLE_DATA, data)
    staff = pd.read_csv(data / "staff.csv", dtype=str, keep_default_na=False)
    staff["team"] = staff["team"].replace({"Child Protection North": MATH_TEAM, "Assessment": FORMULA_TEAM})
    staff.to_csv(data / "staff.csv", index=False)
    config = root / "council.toml"
    config.write_text(SETTINGS, encoding="utf-8")
    out = root / "reports"
    code = main(["report", "--month", "2019-12", "--data", str(data), "--config", str(config), "--out", str(out)])
    assert code == 0
    return out / "2019-12"


@pytest.mark.slow
def test_every_sentence_states_the_settings_in_force(other_report):
    supervision = visible_text((other_report / "supervision.html").read_text(encoding="utf-8"))
    caseload = visible_text((other_report / "caseload.html").read_text(encoding="utf-8"))
    detail = visible_text(_team_detail(other_report))
    for stale in (
        "7 days",
        "seven days",
        "two weeks",
        "2 weeks",
        "10 working days",
        "90%",
        "first six months",
        "six to twelve",
    ):
        assert stale not in supervision + caseload + detail, stale
    assert "within 3 days" in supervision and "within 3 days" in detail
    assert "5 working days (one week) or more" in supervision
    assert "85%" in supervision
    assert "first four months" in caseload and "four to twelve months" in caseload


@pytest.mark.slow
def test_hostile_team_names_are_text_everywhere(other_report):
    detail = _team_detail(other_report)
    assert MATH_TEAM in detail  # drawn as written: as mathtext it would have failed the run
    assert '=HYPERLINK("http://example.invalid","Assessment")' in visible_text(detail)
    assert 'href="http://example.invalid' not in detail
    assert "<Borough>" not in (other_report / "supervision.html").read_text(encoding="utf-8")
    book = load_workbook(other_report / "tables.xlsx")
    cells = [
        c
        for sheet in book
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.slow
def test_the_report_the_manifest_and_the_email_quote_one_headline(other_report):
    manifest = json.loads((other_report / "manifest.json").read_text(encoding="utf-8"))
    emailed = read_headline(other_report, pd.Period("2019-12", "M"), manifest)
    assert emailed.as_dict() == manifest["headline"]
    assert manifest["headline"]["target"] == 0.85
    page = visible_text((other_report / "supervision.html").read_text(encoding="utf-8"))
    share = f"{emailed.compliance * 100:.1f}%"
    assert f"{share} of staff due formal supervision received it ({emailed.supervised} of {emailed.due})" in page
    caseload = visible_text((other_report / "caseload.html").read_text(encoding="utf-8"))
    assert f"In Autumn 2019 ({emailed.snapshot.day} September 2019) the average caseload" in caseload
