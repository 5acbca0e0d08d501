"""The words for the tables' codes exist once, in both languages, and the reports and the answer share them."""

from __future__ import annotations

import pytest

from analysis.config import REASONS
from analysis.inputs.dataset import ROLES
from analysis.paths import PROJECT_ROOT
from analysis.vocabulary import labels
from analysis.vocabulary.current import current, speaking
from analysis.vocabulary.language import language


@pytest.mark.parametrize("code", ["en", "cy"])
def test_every_code_has_its_words_in_each_language(code):
    lang = language(code)
    assert set(labels.role_plurals(lang)) == set(ROLES)
    assert set(ROLES) <= set(labels.role_labels(lang))
    assert set(labels.reason_labels(lang)) == set(REASONS)
    assert set(labels.category_labels(lang)) == {"all", "qualified", "nqsw", "agency"}
    assert all(text.strip() for text in labels.category_labels(lang).values())


def test_the_words_follow_the_language_being_written():
    assert current().code == "en" and labels.category_labels()["nqsw"] == "Newly qualified (NQSW)"
    with speaking("cy"):
        assert labels.category_labels()["nqsw"] == "Newly qualified (NQSW)".replace(
            "Newly qualified", "Newydd gymhwyso"
        )
        assert labels.reason_labels()["sickness"] == "Salwch"
    assert labels.reason_labels()["sickness"] == "Sickness"


def test_the_answer_and_the_reports_say_a_category_and_a_role_alike():
    from analysis.answer.response_caseload import role_label
    from analysis.answer.response_supervision import category_label

    for code in ("en", "cy"):
        lang = language(code)
        assert category_label(lang, "nqsw") == labels.category_labels(lang)["nqsw"]
        assert role_label(lang, "team_manager") == labels.role_plurals(lang)["team_manager"]


def test_no_other_module_spells_out_a_label_of_its_own():
    spelled = {
        "Newly qualified (NQSW)",
        "Maternity, adoption or parental leave",
        "Not in post (started or left in the month)",
        "Principal social worker",
    }
    found = []
    for path in sorted((PROJECT_ROOT / "src" / "analysis").rglob("*.py")):
        if path.name == "labels.py":
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {label}" for label in spelled if f'"{label}"' in text]
    assert found == []


def test_a_notebook_cell_the_welsh_catalogue_lacks_is_refused_when_parameterised():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from analysis.report.render import parameterize
    from analysis.vocabulary.language import CatalogueError

    params = new_code_cell('lang = "en"')
    params.metadata["tags"] = ["parameters"]
    known = new_notebook(cells=[new_markdown_cell("## Summary"), params])
    assert parameterize(known, {"lang": "cy"}).cells[0].source == "## Crynodeb"
    assert parameterize(known, {"lang": "en"}).cells[0].source == "## Summary"
    unknown = new_notebook(cells=[new_markdown_cell("## A heading nobody translated"), params])
    with pytest.raises(CatalogueError, match="A heading nobody translated"):
        parameterize(unknown, {"lang": "cy"})


def test_the_welsh_workbook_is_in_welsh_and_holds_the_same_tables(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    from analysis.config import load_config
    from analysis.exports.workbook import write_workbook

    monthly = pd.DataFrame({"month": ["2019-12"], "category": ["all"], "in_scope": [10], "due": [8]})
    for code, name in (("en", "tables.xlsx"), ("cy", "tables.cy.xlsx")):
        write_workbook(
            {"supervision_monthly": monthly},
            tmp_path / name,
            load_config(),
            pd.Period("2019-12", "M"),
            pd.Period("2019-09", "M"),
            lang=code,
        )
    english, welsh = load_workbook(tmp_path / "tables.xlsx"), load_workbook(tmp_path / "tables.cy.xlsx")
    assert welsh.sheetnames == ["Clawr", "Cynnwys", "Nodiadau", "supervision_monthly"]
    assert welsh.properties.title == "Tablau goruchwyliaeth a llwyth achosion, Rhagfyr 2019"
    assert welsh["supervision_monthly"]["A1"].value.startswith("Goruchwyliaeth ffurfiol yn ôl mis a chategori")
    rows = [[c.value for c in row] for row in english["supervision_monthly"].iter_rows(min_row=6)]
    assert rows == [[c.value for c in row] for row in welsh["supervision_monthly"].iter_rows(min_row=6)]
