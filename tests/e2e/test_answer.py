"""``answer`` end to end on the sample: Word and tagged PDF, English and Welsh, figures from the tables.

The PDF needs Chromium: missing, the PDF tests skip on a developer's machine and fail in CI.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from analysis.cli import main

from conftest import chromium_path

pytestmark = pytest.mark.slow
FILES = {f"answer.{k}.{kind}" for k in ("en", "cy", "cy-en") for kind in ("docx", "pdf")}


def _need_chromium():
    if chromium_path() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is not installed, and CI must print the answer's PDF (.ci/run installs it)")
        pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    _need_chromium()
    out = tmp_path_factory.mktemp("answer")
    assert main(["answer", "--month", "2019-12", "--out", str(out)]) == 0
    assert main(["tables", "--data", "data/sample", "--month", "2019-12", "--out", str(out / "csv")]) == 0
    return out


def _monthly(answer: Path) -> pd.DataFrame:
    return pd.read_csv(answer / "csv" / "supervision_monthly.csv", dtype={"month": str})


def test_both_languages_and_the_bilingual_paper_are_written(answer):
    assert {p.name for p in (answer / "2019-12" / "answer").iterdir()} == FILES


def test_the_word_file_has_real_headings_and_tables_with_header_rows(answer):
    doc = open_docx(str(answer / "2019-12" / "answer" / "answer.en.docx"))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [
        ("Heading 1", "Sample County Council (synthetic data)"),
        ("Heading 2", "Question"),
        ("Heading 2", "Response"),
    ]
    assert doc.core_properties.title == "Sample County Council (synthetic data): Question from a County Councillor"
    assert doc.core_properties.language == "en-GB"
    assert len(doc.tables) == 6
    for table in doc.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
    everyone = doc.tables[0]
    assert [c.text for c in everyone.rows[0].cells] == [
        "Month",
        "Staff in post",
        "Not due",
        "Due",
        "Supervised",
        "Compliance",
    ]
    monthly = _monthly(answer)
    for row, (_, csv) in zip(everyone.rows[1:], monthly.loc[monthly["category"] == "all"].iterrows()):
        cells = [c.text for c in row.cells]
        assert cells[0] == pd.Period(csv["month"], "M").strftime("%B %Y")
        assert cells[1:5] == [
            str(csv["in_scope"]),
            str(csv["in_scope"] - csv["due"]),
            str(csv["due"]),
            str(csv["supervised"]),
        ]
        assert abs(float(cells[5].rstrip("%")) - csv["compliance"] * 100) <= 0.05 + 1e-9


def test_the_welsh_word_file_is_in_welsh(answer):
    doc = open_docx(str(answer / "2019-12" / "answer" / "answer.cy.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.core_properties.language == "cy-GB"
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == ["Cwestiwn", "Ymateb"]
    assert "Ym mis Rhagfyr 2019, cafodd 82 o'r 98 aelod o staff" in text
    normal = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal.get(qn("w:val")) == "cy-GB"
    assert [c.text for c in doc.tables[0].rows[4].cells] == ["Rhagfyr 2019", "105", "7", "98", "82", "83.7%"]


def _structure_roles(node, seen=None) -> set[str]:
    """Every structure type (``/H1``, ``/Table``, ``/TH`` ...) in a tagged PDF's structure tree."""
    seen = set() if seen is None else seen
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            _structure_roles(child, seen)
    elif isinstance(node, dict):
        if "/S" in node:
            seen.add(str(node["/S"]))
        if "/K" in node:
            _structure_roles(node["/K"], seen)
    return seen


@pytest.mark.parametrize(
    ("name", "lang"), [("answer.en.pdf", "en-GB"), ("answer.cy.pdf", "cy-GB"), ("answer.cy-en.pdf", "cy-GB")]
)
def test_the_pdf_is_tagged_titled_in_its_language_and_holds_the_figures(answer, name, lang):
    reader = PdfReader(answer / "2019-12" / "answer" / name)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    roles = _structure_roles(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/P"} <= roles
    assert root["/Lang"] == lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)  # A4
    text = " ".join(page.extract_text() for page in reader.pages)
    for figure in ("83.7%", "81.3%", "16.16", "23.8", "1,212"):
        assert figure in text
    if lang == "cy-GB":
        assert "Rhagfyr 2019" in text
    if name == "answer.cy-en.pdf":
        assert text.index("Ymateb") < text.index("Response")


def test_one_language_writes_only_its_files(tmp_path):
    _need_chromium()
    assert main(["answer", "--month", "2019-12", "--out", str(tmp_path), "--lang", "cy"]) == 0
    assert {p.name for p in (tmp_path / "2019-12" / "answer").iterdir()} == {"answer.cy.docx", "answer.cy.pdf"}


def test_a_bad_question_file_writes_nothing(tmp_path, capsys):
    question = tmp_path / "q.toml"
    question.write_text('[en]\nquestion = "How many?"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["answer", "--month", "2019-12", "--out", str(out), "--question", str(question)]) == 2
    assert "q.toml: [cy] question is missing" in capsys.readouterr().err
    assert not out.exists()


def test_no_browser_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "out"
    assert main(["answer", "--month", "2019-12", "--out", str(out), "--lang", "en"]) == 2
    assert "CHROMIUM=" in capsys.readouterr().err and not out.exists()


def test_a_month_past_the_extract_is_refused(tmp_path, capsys):
    _need_chromium()
    out = tmp_path / "out"
    assert main(["answer", "--month", "2021-06", "--out", str(out), "--lang", "en"]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert not (out / "2021-06" / "answer").exists()


def _kids(element) -> list:
    kids = element.get("/K")
    kids = kids.get_object() if hasattr(kids, "get_object") else kids
    return list(kids) if isinstance(kids, list) else ([] if kids is None else [kids])


@pytest.mark.parametrize("name", ["answer.en.pdf", "answer.cy.pdf", "answer.cy-en.pdf"])
def test_the_pdf_passes_an_open_pdf_ua_checker_and_lists_have_bodies(answer, name):
    from pdfua import validate

    path = answer / "2019-12" / "answer" / name
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    reader = PdfReader(path)
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title and list(xmp.dc_language) in (["en-GB"], ["cy-GB"])
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'<pdfuaid:part xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">1</pdfuaid:part>', raw)
    items = []
    waiting = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while waiting:
        node = waiting.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if not isinstance(node, dict):
            continue
        if node.get("/S") == "/LI":
            items.append({str(k.get_object().get("/S")) for k in _kids(node) if isinstance(k.get_object(), dict)})
        waiting.extend(_kids(node))
    assert items and all("/LBody" in kinds and "/NonStruct" not in kinds for kinds in items)


def test_every_pdf_the_answer_writes_is_checked(answer):
    from pdfua import validate

    for path in sorted((answer / "2019-12" / "answer").glob("*.pdf")):
        assert list(validate(str(path)).findings) == [], path.name


def test_word_captions_keep_with_their_tables_and_the_properties_are_the_runs(answer):
    from datetime import UTC, datetime, timedelta

    for name in ("answer.en.docx", "answer.cy.docx", "answer.cy-en.docx"):
        doc = open_docx(str(answer / "2019-12" / "answer" / name))
        captions = [p for p in doc.paragraphs if p.style.name == "Caption"]
        assert captions and all(p.paragraph_format.keep_with_next for p in captions)
        props = doc.core_properties
        assert props.author == "Sample County Council (synthetic data)" and props.title
        assert abs(props.created.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(hours=1)
        assert props.modified == props.created


def test_word_columns_are_wide_enough_for_their_longest_word(answer):
    from analysis.answer.docx_file import CHARACTER_MM

    doc = open_docx(str(answer / "2019-12" / "answer" / "answer.cy.docx"))
    for table in doc.tables:
        for cells in zip(*[row.cells for row in table.rows]):
            longest = max(len(word) for cell in cells for word in (cell.text.split() or [""]))
            width_mm = cells[0].width / 36000
            assert width_mm >= longest * CHARACTER_MM, (cells[0].text, width_mm)
        assert sum(c.width for c in table.rows[0].cells) / 36000 <= 170.5
